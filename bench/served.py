"""The benchmark over HTTP (`bench/run.py --http`, `make bench`): the portal served by
gunicorn, driven by a load client in another process, measured in CPU milliseconds.

For the database of this process (one scale), it

1. counts each page's SQL queries with Django's test client (DEBUG off);
2. starts gunicorn on 127.0.0.1:<port> with production settings (DEBUG off, 2 sync
   workers; `X-Forwarded-Proto: https` is sent as the TLS proxy would);
3. signs in each demo role through allauth's real sign-in form. When the form does not
   end signed in (a second step, MFA, is required for coordinators and trust
   executives), it creates the session directly with Django's session engine instead:
   the same keys `django.contrib.auth.login` writes, plus allauth's record that a
   password and a second factor were used. The page costs measured are the same either
   way: only how the cookie was obtained differs. `--signin session` skips the form;
4. for each page a role may see (status 200 in step 1), warms it up, reads the CPU time
   of the gunicorn workers and of the PostgreSQL backends serving them
   (/proc/<pid>/stat), drives the page for `--seconds` with `bench/load.py`
   (`--threads` keep-alive connections), reads the CPU again, and reports requests/s,
   p50/p95 and CPU ms per request;
5. does the same for the floor, `network:healthz_session` (session and user, a few bytes,
   no template), at the start and at the end, and divides: floor_ratio = page CPU ms ÷
   floor CPU ms. Both come from the same run on the same machine, so the ratio holds on
   a busy machine when wall times do not.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
FLOOR = "Floor (session + user)"
# The floor is driven signed in as the visitor: a role without a second step, so the
# request loads the session and the user and nothing else. Runs before 05/12/2026 drove
# it as the coordinator, whose every request also asked the database for their second
# step (network/base/mfa.py): a floor about a quarter dearer, and every ratio lower.
FLOOR_ROLE = "visitor"
# The targets, CPU per request as a multiple of the floor (checked, never asserted in tests).
TARGETS = {"admin": 15, "heavy": 8, "page": 4}
# "≤ 8× for dashboards, the directory search and the review page"; every other page of a
# leader, an executive or a coordinator ≤ 4×. (Matched anywhere in the label: the
# dashboards are "Trust dashboard …" and "Network dashboard", the report "Annual report …".)
HEAVY = ("directory, search", "membership review", "dashboard", "report")


def target_for(label: str) -> int:
    if label.startswith("Admin"):
        return TARGETS["admin"]
    return TARGETS["heavy"] if any(word in label.lower() for word in HEAVY) else TARGETS["page"]


# -- Processes and their CPU --------------------------------------------------------------


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of stat)


def _children(ppid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == ppid:
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
    return pids


def _backends() -> list[int]:
    """PostgreSQL backends of this database other than ours (the gunicorn workers'
    persistent connections, CONN_MAX_AGE). None on SQLite: the database is in-process."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


def _redis_servers() -> list[int]:
    """A Redis on this machine serves the cache (the dashboards' remembered figures): its
    CPU counts with the database's. (Anything else it serves in the meantime counts too.)"""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "redis-server":
                pids.append(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return pids


class Server:
    """gunicorn with production settings on loopback; CPU of its workers and their backends."""

    def __init__(self, *, port: int, workers: int = 2):
        self.port, self.workers = port, workers
        env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "network.settings", "CONN_MAX_AGE": "600"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "network.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _ = self.get("/healthz")
                if status == 200 and len(_children(self.process.pid)) >= workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on port {port}")

    def get(self, path: str, cookie: str = "") -> tuple[int, bytes]:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def cpu_ms(self) -> dict[str, float]:
        workers = sum(_cpu_ticks(pid) for pid in _children(self.process.pid))
        backends = {pid: _cpu_ticks(pid) for pid in [*_backends(), *_redis_servers()]}
        return {"web": workers * 1000 / CLK_TCK, "db": backends}

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the master and its own workers only
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _spent(before: dict, after: dict) -> float:
    """CPU ms between two readings, web workers plus database backends (a backend that
    appeared in between counts from zero)."""
    db = sum(ticks - before["db"].get(pid, 0) for pid, ticks in after["db"].items()) * 1000 / CLK_TCK
    return after["web"] - before["web"] + db


# -- Signing in ---------------------------------------------------------------------------


def _cookies(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in_with_form(server: Server, email: str, password: str) -> str | None:
    """allauth's real sign-in form; the session cookie, or None if it did not end signed in."""
    from django.conf import settings
    from django.urls import reverse

    login = reverse("account_login")
    connection = HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", login, headers={"X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    page = response.read().decode()
    jar = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token or settings.CSRF_COOKIE_NAME not in jar:
        return None
    origin = f"https://127.0.0.1:{server.port}"
    connection.request(
        "POST",
        login,
        body=urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}),
        headers={
            "Cookie": f"{settings.CSRF_COOKIE_NAME}={jar[settings.CSRF_COOKIE_NAME]}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + login,
            "X-Forwarded-Proto": "https",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    session = _cookies(response).get(settings.SESSION_COOKIE_NAME)
    if not session:
        return None
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    status, _ = server.get(reverse("network:healthz_session"), cookie)
    return cookie if status == 200 else None  # e.g. stopped at the second step (MFA)


def session_cookie(email: str) -> str:
    """A signed-in session made with Django's session engine: what `login()` stores,
    and allauth's record of a password and a second factor (so a required MFA step
    counts as done). For the benchmark's database only."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from network.base.models import User

    user = User.objects.get(email=email)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    # The backend that signs people in (the first one in settings answers "may…" only and
    # cannot load a user: a session naming it is a 500 on every page).
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = time.time()
    store["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# -- Measuring ----------------------------------------------------------------------------


def drive(server: Server, path: str, cookie: str, *, seconds: float, threads: int) -> dict:
    for _ in range(3):  # warm-up: templates compiled, connections open, in both workers
        server.get(path, cookie)
    before = server.cpu_ms()
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--port", str(server.port), "--path", path,
         "--cookie", cookie, "--seconds", str(seconds), "--threads", str(threads)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    after = server.cpu_ms()
    load = json.loads(output.strip().splitlines()[-1])
    load["cpu_ms"] = round(_spent(before, after) / max(load["requests"], 1), 2)
    return load


def http_pages(pages) -> list[tuple[str, str]]:
    """The test-client pages, plus an event's page and the admin changelists."""
    from django.urls import reverse
    from django.utils import timezone

    from events.models import Event

    extra = []
    event = Event.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()
    if event:
        extra.append(("Event detail", reverse("events:event_detail", args=[event.pk])))
    extra += [
        ("Admin academies", reverse("admin:trusts_academy_changelist")),
        ("Admin people", reverse("admin:trusts_person_changelist")),
    ]
    return pages() + extra


def measure_http(*, roles, pages, count_queries, client_for, password, scale, port, seconds, threads, signin):
    """Rows (dicts) for every page each role may see, at this process's database."""
    from django.urls import reverse

    targets = []
    for role, email in roles:
        client = client_for(email)
        for label, path in http_pages(pages):
            status, queries = count_queries(client, path)
            if status == 200:
                targets.append((role, email, label, path, queries))
    floor_path = reverse("network:healthz_session")
    server = Server(port=port)
    try:
        cookies = {}
        for role, email in roles:
            cookie = sign_in_with_form(server, email, password) if signin == "form" else None
            how = "sign-in form"
            if cookie is None:
                cookie, how = session_cookie(email), "session engine"
            cookies[role] = cookie
            print(f"  signed in as {role} ({how})", flush=True)
        floor_cookie = cookies[FLOOR_ROLE]
        floors = [drive(server, floor_path, floor_cookie, seconds=seconds, threads=threads)]
        rows = []
        for role, _email, label, path, queries in targets:
            result = drive(server, path, cookies[role], seconds=seconds, threads=threads)
            rows.append({"page": label, "path": path, "role": role, "scale": scale, "queries": queries, **result})
            print(f"  {role:<16} {label:<46} {result['rps']:6.1f}/s p50 {result['p50_ms']:6.1f} "
                  f"p95 {result['p95_ms']:6.1f} cpu {result['cpu_ms']:6.1f} ms {queries:3} q", flush=True)  # fmt: skip
        floors.append(drive(server, floor_path, floor_cookie, seconds=seconds, threads=threads))
    finally:
        server.stop()
    floor_cpu = sum(f["cpu_ms"] for f in floors) / len(floors)
    # The p50 growth divides each page's p50 by its run's floor p50: the mean of the two
    # floors, as for CPU (the first alone once read 2.9 ms in one run and 6.7 in the
    # other, on a machine busy for part of a run, and every page "grew" with it).
    floor_p50 = sum(f["p50_ms"] for f in floors) / len(floors)
    floor = {"page": FLOOR, "path": floor_path, "role": FLOOR_ROLE, "scale": scale, "queries": 2,
             **{k: v for k, v in floors[0].items() if k != "cpu_ms"}, "cpu_ms": round(floor_cpu, 2),
             "p50_ms": round(floor_p50, 2)}  # fmt: skip
    for row in [floor, *rows]:
        row["floor_ratio"] = round(row["cpu_ms"] / floor_cpu, 1) if floor_cpu else None
    return [floor, *rows]


# -- The report ---------------------------------------------------------------------------


def report(rows: list[dict], *, scale: int, baseline_scale: int | None, seconds: float, threads: int, machine: str):
    """The markdown section: one line per page and role at `scale`, with the baseline
    scale's p50 beside it, and which targets are met."""
    small = {(r["role"], _generic(r["page"])): r for r in rows if r["scale"] == baseline_scale}
    lines = [
        f"Measured on {machine}. gunicorn, 2 sync workers, DEBUG off; `bench/load.py` with {threads} keep-alive "
        f"connections for {seconds:g} s per page; CPU = gunicorn workers + PostgreSQL backends + Redis per request; "
        "× floor = page CPU ÷ the floor's CPU in the same run.",
        "",
        f"| role | page | req/s | p50 ms | p95 ms | CPU ms | × floor | target | queries | scale {baseline_scale}: "
        f"p50 ms | p50 ratio (÷ floor) | scale {baseline_scale}: queries | met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    floors = {r["scale"]: r["p50_ms"] for r in rows if r["page"] == FLOOR}
    met_all = []
    for r in (r for r in rows if r["scale"] == scale):
        base = small.get((r["role"], _generic(r["page"])))
        target = None if r["page"] == FLOOR else target_for(r["page"])
        # p50 growth, each p50 divided by its own run's floor p50 first: the two scales
        # are measured minutes apart, and a busy machine moves both a page and its floor.
        ratio = None
        if base and base["p50_ms"] and floors.get(scale) and floors.get(baseline_scale):
            ratio = (r["p50_ms"] / floors[scale]) / (base["p50_ms"] / floors[baseline_scale])
        problems = []
        if target and r["floor_ratio"] is not None and r["floor_ratio"] > target:
            problems.append("CPU")
        if r["queries"] > 15 or (base and base["queries"] != r["queries"]):
            problems.append("queries")
        if ratio is not None and ratio > 1.5:
            problems.append("p50 growth")
        met = "floor" if target is None else ("yes" if not problems else "no: " + ", ".join(problems))
        met_all.append(met)
        lines.append(
            f"| {r['role']} | {r['page']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['cpu_ms']} | "
            f"{r['floor_ratio']} | {'' if target is None else f'≤ {target}'} | {r['queries']} | "
            f"{'' if not base else base['p50_ms']} | {'' if ratio is None else f'{ratio:.2f}'} | "
            f"{'' if not base else base['queries']} | {met} |"
        )
    misses = sum(1 for m in met_all if m.startswith("no"))
    lines += ["", f"Targets met on {len(met_all) - 1 - misses} of {len(met_all) - 1} pages."]
    return "\n".join(lines)


def _generic(label: str) -> str:
    return re.sub(r" \(.*\)$", "", label)


def write_json(path: Path, rows: list[dict], jobs: dict | None = None):
    """One object per page, role and scale; then one per batch job and scale, with
    `path` "job:<name>" and `seconds` (null: not built yet, or it failed)."""
    keep = ("page", "path", "role", "scale", "queries", "rps", "p50_ms", "p95_ms", "cpu_ms", "floor_ratio",
            "requests", "errors")  # fmt: skip
    out = [{k: r.get(k) for k in keep} for r in rows]
    for scale, figures in sorted((jobs or {}).items(), reverse=True):
        out += [
            {"path": f"job:{name}", "role": None, "scale": scale, "seconds": secs} for name, secs in figures.items()
        ]
    path.write_text(json.dumps(out, indent=1) + "\n")


def read_json(path: Path) -> tuple[list[dict], dict]:
    """(page rows, {scale: {job: seconds}}) from a results.json written by write_json."""
    rows, jobs = [], {}
    for item in json.loads(path.read_text()):
        if str(item.get("path", "")).startswith("job:"):
            jobs.setdefault(item["scale"], {})[item["path"][4:]] = item["seconds"]
        else:
            rows.append(item)
    return rows, jobs


def jobs_table(jobs: dict, *, scale: int, baseline_scale: int | None) -> str:
    """Batch jobs, seconds at each scale (rolled back), and the target: ≤ 12 × scale 1."""
    big, small = jobs.get(scale, {}), jobs.get(baseline_scale, {})
    lines = [f"| batch job | scale {scale} s | scale {baseline_scale} s | ratio | met (≤ 12×) |",
             "| --- | ---: | ---: | ---: | --- |"]  # fmt: skip
    for name, secs in big.items():
        base = small.get(name)
        if secs is None:
            lines.append(f"| {name} | not built | | | |")
            continue
        ratio = secs / base if base else None
        met = "" if ratio is None else ("yes" if ratio <= 12 else "no")
        lines.append(f"| {name} | {secs} | {'' if base is None else base} | "
                     f"{'' if ratio is None else f'{ratio:.1f}'} | {met} |")  # fmt: skip
    return "\n".join(lines)
