"""One page, profiled in the test client against a bench database: its CPU per request
(this process's Python and its PostgreSQL backend's, read from /proc) and, on a busy
machine where timings wander, the number of Python function calls a request (cProfile:
the same from run to run, so a change's effect shows without noise).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal REDIS_URL=redis://127.0.0.1:6379/9 \\
      .venv/bin/python bench/page_profile.py leader /events/my-bookings/ --requests 200
    … coordinator "/academies/?q=academy" --calls          # call count only
    … leader /directory/?q=physics --sql                   # the page's queries and their time
    … leader /events/ --pyinstrument                       # where the time goes

The roles are the demo's (bench/run.py ROLES); each is signed in with a session made
directly (`served.session_cookie`). DEBUG is off, as served; remembered values are
read from the cache the first request fills, as a reader after the first sees them."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMAILS = {
    "coordinator": "coordinator@demo.network",
    "executive": "ceo@demo.network",
    "leader": "leader@demo.network",
    "visitor": "visitor@demo.network",
}


def _backend_cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("role", choices=sorted(EMAILS))
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--calls", action="store_true", help="Python function calls of one request only")
    parser.add_argument("--sql", action="store_true", help="the queries of one request, with their time")
    parser.add_argument("--pyinstrument", action="store_true", help="a pyinstrument profile of --requests")
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from served import session_cookie

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    name, value = session_cookie(EMAILS[args.role]).split("=", 1)
    client.cookies[name] = value

    def get():
        response = client.get(args.path, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{args.path} answered {response.status_code} for the {args.role}")
        return response

    for _ in range(3):  # fill what is remembered, warm the caches
        size = len(get().content)

    if args.calls:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        get()
        profile.disable()
        print(f"{pstats.Stats(profile).total_calls} Python calls a request")
        return
    if args.sql:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            get()
        for query in queries.captured_queries:
            print(f"{query['time']} s  {query['sql']}\n")
        print(f"{len(queries.captured_queries)} queries")
        return
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(args.requests):
            get()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
        return

    backend = None  # SQLite has no server process: Python's CPU alone
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    python_started, database_started = time.process_time(), _backend_cpu_ms(backend) if backend else 0.0
    for _ in range(args.requests):
        get()
    python = (time.process_time() - python_started) * 1000 / args.requests
    database = ((_backend_cpu_ms(backend) - database_started) / args.requests) if backend else 0.0
    print(
        f"{args.role} {args.path}: Python {python:.2f} ms + PostgreSQL {database:.2f} ms "
        f"= {python + database:.2f} ms CPU a request ({args.requests} requests, {size:,} bytes)"
    )


if __name__ == "__main__":
    main()
