"""Benchmarks: how fast the main pages answer, and how many SQL queries they cost, on a
network ten times the Secondary Science Network (`seed_demo --scale 10`).

    .venv/bin/python bench/run.py                       # SQLite file var/bench-scale10.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --fresh --requests 50 # rebuild the database, more samples

It builds the database once (timing `seed_demo` and its re-run), then, for every demo
role, requests each page N times with Django's test client (force_login) and reports
the median and 95th-percentile wall time and the SQL queries per page. The same pages
are counted on a `--scale 1` database too (in a child process), so a page whose query
count grows with the data stands out. The table is printed and written into
bench/results.md, replacing only this database's section. See bench/README.md.
"""

import argparse
import json
import logging
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `from bench import served` when run as a script
RESULTS = ROOT / "bench" / "results.md"
SLOW_MS = 250  # a page whose p95 is above this is reported as slow

ROLES = [
    ("coordinator", "coordinator@demo.network"),
    ("trust executive", "ceo@demo.network"),
    ("science leader", "leader@demo.network"),
    ("visitor", "visitor@demo.network"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10, help="seed_demo --scale for the measured database")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (after 2 warm-ups)")
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database (times the first seed)")
    parser.add_argument("--baseline-scale", type=int, default=1, help="scale to compare with (0: skip)")
    parser.add_argument("--baseline-only", action="store_true", help=argparse.SUPPRESS)  # the baseline child
    parser.add_argument("--output", type=Path, default=RESULTS)
    # Over HTTP (bench/served.py): gunicorn + a load client, CPU ms per request against a floor.
    parser.add_argument("--http", action="store_true", help="measure over HTTP with gunicorn (see bench/served.py)")
    parser.add_argument("--seconds", type=float, default=3, help="--http: seconds of load per page")
    parser.add_argument("--threads", type=int, default=2, help="--http: client connections")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8114)), help="--http: port")
    parser.add_argument(
        "--signin",
        choices=["form", "session"],
        default="form",
        help="--http: allauth's form (falls back to the session engine), or the session engine",
    )
    parser.add_argument("--label", default="", help="--http: a name for this run's section, e.g. before")
    parser.add_argument("--reseed", action="store_true", help="with --fresh: seed again instead of restoring the dump")
    parser.add_argument(
        "--jobs",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--http: time the batch jobs too (bench/jobs.py)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="--http: rewrite the results.md section from results.json, measuring nothing",
    )
    parser.add_argument("--http-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json")
    return parser.parse_args()


# -- The database -------------------------------------------------------------------------


def database_url(scale: int) -> str:
    """The database measured: DATABASE_URL, or a SQLite file of its own under var/."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / f'bench-scale{scale}.sqlite3'}"


def baseline_url(url: str, scale: int) -> str:
    """A second database beside the measured one, seeded at the baseline scale."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = Path(parsed.path)
        stem = re.sub(r"-scale\d+$", "", path.stem)
        return f"sqlite:///{path.with_name(f'{stem}-scale{scale}{path.suffix}')}"
    return parsed._replace(path=f"{parsed.path}_scale{scale}").geturl()


def prepare_database(url: str, *, fresh: bool, restore: bool = False):
    """Create the database if it is missing; drop it first with --fresh. With `restore`,
    a database created here is filled from its dump (bench/dump.py), if there is one."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        path = Path(parsed.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg2
    from psycopg2 import sql

    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=parsed.username,
        password=parsed.password,
        host=parsed.hostname,
        port=parsed.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        created = cursor.fetchone() is None
        if created:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    if created and restore:
        from bench import dump

        if dump.restore(url):
            print(f"Restored {name} from {dump.dump_path(url).name}", flush=True)


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    # The scale-10 and scale-1 databases share one Redis: their cached figures keep apart.
    os.environ["CACHE_KEY_PREFIX"] = f"bench-{urlparse(url).path.strip('/') or 'sqlite'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # Out-of-scope pages answer 404 on purpose; their warnings would drown the table.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def analyse():
    """Autovacuum cleans and analyses freshly bulk-loaded PostgreSQL tables within a
    minute or so; measure with the tables and statistics a running server would have.
    VACUUM too, not only ANALYZE: the seed writes each person twice (the directory's
    search vector is filled after the insert), and a bench run straight after seeding
    scanned 30,000 dead rows beside 7,800 live ones on every directory page."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def seeded(scale: int) -> bool:
    """Seeded at this scale, with the CPD programme (a database seeded before events
    and the membership year existed is topped up by the seed)."""
    from events.models import Event
    from network.base.models import User
    from trusts.models import Academy

    return (
        Academy.objects.count() >= 120 * scale
        and User.objects.filter(email=ROLES[0][1]).exists()
        and Event.objects.exists()
    )


def prepare_review():
    """A review run of this membership year, so the coordinator's review page has
    proposals to show. In the bench database only: the demo leaves the review to the
    review date (1 March) or a coordinator. Runs once (the run is unique per year)."""
    from django.utils import timezone

    from network.base.models import User
    from network.programme.membership.models import ReviewRun
    from network.programme.membership.policy import policy_for
    from network.programme.membership.review import review_run
    from network.programme.models import Network

    network = Network.objects.get(slug="ssn")
    label, _starts, _ends = policy_for(network).year_containing(timezone.localdate())
    coordinator = User.objects.get(email=ROLES[0][1])
    return review_run(network=network, label=label, trigger=ReviewRun.Trigger.COMMAND, by=coordinator)[0]


def run_seed(url: str, scale: int) -> float:
    """Wall time of `manage.py seed_demo --scale N` as a person would run it."""
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--scale", str(scale)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


# -- The pages ----------------------------------------------------------------------------


def pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    from network.base.models import User
    from network.programme.membership.models import ReviewRun

    executive = User.objects.get(email="ceo@demo.network")
    leader = User.objects.select_related("person__academy").get(email="leader@demo.network")
    trust = executive.trusts.get()
    academy = leader.person.academy
    review = ReviewRun.objects.select_related("year").order_by("-year__starts_on").first()
    return [
        ("Home", reverse("network:home")),
        ("Academy list, page 1", reverse("trusts:academy_list")),
        ("Academy list, filtered search", reverse("trusts:academy_list") + "?" + urlencode({"q": "academy", "community_type": "urban"})),
        ("Trust list", reverse("trusts:trust_list")),
        (f"Trust detail ({trust.name})", reverse("trusts:trust_detail", args=[trust.pk])),
        (f"Academy detail ({academy.name})", reverse("trusts:academy_detail", args=[academy.urn])),
        ("Directory", reverse("network:directory")),
        ("Directory, search", reverse("network:directory") + "?" + urlencode({"q": "physics"})),
        ("Directory, search by designation", reverse("network:directory") + "?" + urlencode({"q": "specialist leader"})),
        ("Directory, search by full name", reverse("network:directory") + "?" + urlencode({"q": f"{leader.person.first_name} {leader.person.last_name}"})),
        ("Event list", reverse("events:event_list")),
        ("My bookings", reverse("events:my_bookings")),
        ("My CPD record", reverse("events:my_cpd")),
        (f"Trust CPD view ({trust.name})", reverse("events:trust_cpd", args=[trust.pk])),
        ("Membership list", reverse("network:membership_list")),
        # Impact (issue 12): the dashboards and the annual report.
        (f"Trust dashboard ({trust.name})", reverse("impact:trust_dashboard", args=[trust.pk])),
        (f"Trust dashboard, academic year, CSV ({trust.name})",
         reverse("impact:trust_dashboard", args=[trust.pk]) + "?kind=academic&download=academies"),
        ("Network dashboard", reverse("impact:network_dashboard", args=["ssn"])),
        ("Annual report page", reverse("impact:report", args=["ssn"])),
        ("Annual report JSON", reverse("impact:report_download", args=["ssn", "json"])),
        ("Annual report PDF", reverse("impact:report_download", args=["ssn", "pdf"])),
    ] + ([(f"Membership review ({review.year.label})", reverse("network:membership_review_detail", args=[review.pk]))]
         if review else [])  # fmt: skip


def client_for(email: str):
    from django.test import Client

    from network.base.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=email))
    return client


def count_queries(client, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, secure=True)  # warm caches (templates, content types) first
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, secure=True)
    return response.status_code, len(ctx.captured_queries)


def measure(client, url: str, n: int) -> tuple[float, float]:
    client.get(url, secure=True)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(url, secure=True)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, math.ceil(0.95 * n) - 1)]


def baseline_figures(n: int) -> dict:
    """{"role|page": [queries, median ms]} for every role and page."""
    figures = {}
    for role, email in ROLES:
        client = client_for(email)
        for label, url in pages():
            figures[f"{role}|{_generic(label)}"] = [count_queries(client, url)[1], measure(client, url, n)[0]]
    return figures


def _generic(label: str) -> str:
    return re.sub(r" \(.*\)$", "", label)  # "Trust detail (X)" and "(Y)" compare as one page


def baseline(main_url: str, scale: int, n: int, *, fresh: bool) -> dict:
    """The figures of the same pages on a database at `scale`, rebuilt too with --fresh
    (so both databases are seeded by the same seed_demo)."""
    url = baseline_url(main_url, scale)
    output = subprocess.run(
        [sys.executable, __file__, "--baseline-only", "--scale", str(scale), "--requests", str(n)]
        + (["--fresh"] if fresh else []),
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


# -- The report ---------------------------------------------------------------------------


def machine() -> str:
    from django import get_version
    from django.db import connection

    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    load = ""
    if hasattr(os, "getloadavg"):  # the cores are shared: say how busy they were
        load = f", load average {os.getloadavg()[0]:.1f} at the end"
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}{load}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {get_version()}, {database}"
    )


def write_section(path: Path, key: str, body: str):
    start, end = f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"
    text = (
        path.read_text()
        if path.exists()
        else "# Benchmark results\n\nWritten by `bench/run.py`; see bench/README.md.\n"
    )
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text if text.endswith("\n") else text + "\n")


def main_http(args):
    """`--http`: this process's scale over HTTP, then the baseline scale in a child."""
    from bench import dump, served

    url = os.environ["DATABASE_URL"] if args.http_child else database_url(args.scale)
    postgres = not urlparse(url).scheme.startswith("sqlite")
    if args.report_only:
        return _write_http_report(
            args,
            postgres,
            *served.read_json(args.json),
            machine=os.environ.get("BENCH_MACHINE", "the machine of the recorded run"),
        )
    prepare_database(url, fresh=args.fresh, restore=postgres and not args.reseed)
    setup_django(url)
    fresh_seed = not seeded(args.scale)
    if fresh_seed:
        print(f"Seeding seed_demo --scale {args.scale} …", flush=True)
    run_seed(url, args.scale)  # tops up a restored or older database; creates nothing otherwise
    if fresh_seed and postgres:
        dump.save(url)
    prepare_review()
    analyse()
    from network.demo.vocabulary import DEMO_PASSWORD

    print(f"Measuring scale {args.scale} over HTTP on port {args.port} …", flush=True)
    rows = served.measure_http(
        roles=ROLES, pages=pages, count_queries=count_queries, client_for=client_for, password=DEMO_PASSWORD,
        scale=args.scale, port=args.port, seconds=args.seconds, threads=args.threads, signin=args.signin,
    )  # fmt: skip
    jobs = {}
    if args.jobs:
        from bench.jobs import run_jobs

        print("Timing the batch jobs …", flush=True)
        jobs = {args.scale: run_jobs()}
        print(f"  {jobs[args.scale]}", flush=True)
    if args.http_child:
        print(json.dumps({"rows": rows, "jobs": jobs}))
        return
    if args.baseline_scale:
        child = subprocess.run(
            [sys.executable, __file__, "--http", "--http-child", "--scale", str(args.baseline_scale),
             "--seconds", str(args.seconds), "--threads", str(args.threads), "--port", str(args.port + 1),
             "--signin", args.signin] + (["--fresh"] if args.fresh else []) + (["--reseed"] if args.reseed else [])
            + ([] if args.jobs else ["--no-jobs"]),
            cwd=ROOT, env={**os.environ, "DATABASE_URL": baseline_url(url, args.baseline_scale)},
            check=True, stdout=subprocess.PIPE, text=True,
        ).stdout  # fmt: skip
        answer = json.loads(child.strip().splitlines()[-1])
        rows += answer["rows"]
        jobs.update({int(k): v for k, v in answer["jobs"].items()})
    served.write_json(args.json, rows, jobs)
    _write_http_report(args, postgres, rows, jobs, machine=machine())


def _write_http_report(args, postgres: bool, rows: list, jobs: dict, *, machine: str):
    from bench import served

    body = served.report(rows, scale=args.scale, baseline_scale=args.baseline_scale or None,
                         seconds=args.seconds, threads=args.threads, machine=machine)  # fmt: skip
    if jobs:
        body += "\n\n" + served.jobs_table(jobs, scale=args.scale, baseline_scale=args.baseline_scale or None)
    vendor = "PostgreSQL" if postgres else "SQLite"
    title = f"## Over HTTP, {vendor}" + (f" ({args.label})" if args.label else "")
    print("\n" + title + "\n\n" + body)
    write_section(
        args.output, f"http-{vendor.lower()}" + (f"-{args.label}" if args.label else ""), title + "\n\n" + body
    )
    print(f"\nWritten to {args.output.name} and {args.json.name}")


def main():
    args = parse_args()
    if args.http:
        return main_http(args)
    # The baseline child is handed its database; the parent chooses its own.
    url = os.environ["DATABASE_URL"] if args.baseline_only else database_url(args.scale)
    prepare_database(url, fresh=args.fresh)
    setup_django(url)

    if args.baseline_only:
        if not seeded(args.scale):
            run_seed(url, args.scale)
        prepare_review()
        analyse()
        print(json.dumps(baseline_figures(args.requests)))
        return

    from django.db import connection
    from django.utils import timezone

    from events.models import Attendance, Booking, Event
    from network.programme.membership.models import Membership, ReviewProposal
    from trusts.models import Academy, Person, Trust

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    first_seed = None
    if not seeded(args.scale):
        print(f"Seeding {vendor} with seed_demo --scale {args.scale} …", flush=True)
        first_seed = run_seed(url, args.scale)
    print("Re-running seed_demo (should create nothing) …", flush=True)
    reseed = run_seed(url, args.scale)
    prepare_review()
    analyse()
    small_scale = baseline(url, args.baseline_scale, args.requests, fresh=args.fresh) if args.baseline_scale else {}

    rows, findings = [], []
    for role, email in ROLES:
        client = client_for(email)
        for label, page_url in pages():
            status, queries = count_queries(client, page_url)
            median, p95 = measure(client, page_url, args.requests)
            small, small_median = small_scale.get(f"{role}|{_generic(label)}", (None, None))
            notes = []
            if small is not None and small != queries:
                notes.append(f"queries grow ({small} → {queries})")
            if small_median is not None and median > max(3 * small_median, small_median + 20):
                notes.append(f"time grows with the data ({small_median:.0f} → {median:.0f} ms)")
            if p95 > SLOW_MS:
                notes.append(f"slow (p95 {p95:.0f} ms)")
            if notes:
                findings.append(f"{role}, {label}: {'; '.join(notes)}")
            rows.append((role, label, status, median, p95, queries, small, small_median, ", ".join(notes)))
            print(f"  {role:<16} {label:<52} {status} {median:7.1f} ms {p95:7.1f} ms {queries:3} queries", flush=True)

    academies, people = Academy.objects.count(), Person.objects.count()
    lines = [
        f"## {vendor}",
        "",
        f"Measured {timezone.localtime():%d/%m/%Y %H:%M} on {machine()}.",
        f"Data: `seed_demo --scale {args.scale}`: {Trust.objects.count():,} trusts, {academies:,} academies, "
        f"{people:,} people, {Membership.objects.count():,} memberships, {Event.objects.count():,} events, "
        f"{Booking.objects.count():,} bookings, {Attendance.objects.count():,} attendance rows; a review run of "
        f"this membership year with {ReviewProposal.objects.count():,} proposals (made by the benchmark). "
        f"{args.requests} timed requests per page after a warm-up, Django test client "
        "(force_login, DEBUG off), so the times include middleware, the view, the queries and the template, "
        "but no network or web server.",
        "",
        "| what | time |",
        "| --- | --- |",
        f"| `seed_demo --scale {args.scale}`, first run (empty database) | "
        + (f"{first_seed:.1f} s |" if first_seed is not None else "not measured: database reused (`--fresh` rebuilds it) |"),
        f"| `seed_demo --scale {args.scale}`, re-run (creates nothing) | {reseed:.1f} s |",
        "",
        f"| role | page | status | median ms | p95 ms | queries | scale {args.baseline_scale}: queries | "
        f"scale {args.baseline_scale}: median ms | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]  # fmt: skip
    for role, label, status, median, p95, queries, small, small_median, note in rows:
        lines.append(
            f"| {role} | {label} | {status} | {median:.1f} | {p95:.1f} | {queries} | "
            f"{'' if small is None else small} | {'' if small_median is None else f'{small_median:.1f}'} | {note} |"
        )
    lines += [
        "",
        "Flagged: "
        + (
            "; ".join(findings) + "."
            if findings
            else f"nothing: no p95 over {SLOW_MS} ms, no query count or median that grows with the data."
        ),
    ]
    body = "\n".join(lines)
    print("\n" + body)
    write_section(args.output, vendor.lower(), body)
    print(f"\nWritten to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    main()
