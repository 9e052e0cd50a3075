"""Batch jobs at this process's database: wall time of each, inside a transaction that
is rolled back, so the benchmark's database is the same afterwards.

- `review`: the membership review of this year (`review_run`), after deleting the run
  the benchmark made (in the same rolled-back transaction);
- `reminders`: the reminder sweep (`reminders_send`) and the survey sweep
  (`surveys_mark_due`): both must touch only what is due, by index, however many years
  of bookings lie behind them;
- `gias_import`: a synthetic GIAS establishment file of 25,000 rows (the shape of the
  DfE's export: the columns trusts/importers/gias.py reads), the first 1,250 rows the
  network's own academies in their own trusts (so updates are exercised: pupils, FSM,
  phase and region differ), the rest schools in no trust, which the importer creates
  (without `--trust-uid` it takes every school in the file), in batches of 500;
- `network_report`: the network's annual report of this membership year
  (`impact.report.selectors.annual_report(network, label)`, as the `network_report`
  command and the coordinators' page compute it), found through the hook below;
- `trust_dashboard_cold`, `network_dashboard_cold`: the demo executive's trust dashboard
  and the network dashboard of this membership year computed afresh, as the first reader
  after a change to a counted record pays for them (the pages themselves are measured
  warm: their figures are remembered, `network/base/remembered.py`). The remembered
  figures are made out of date by moving the records' generation on
  (`network/base/changes.py`), never by clearing the cache.

Run by `bench/run.py --http --jobs`; each job at scale 10 and scale 1 (the target: scale 10
within 12 × scale 1).
"""

import csv
import datetime
import importlib
import io
import random
import time

from django.db import transaction

GIAS_ROWS = 25_000


class Rollback(Exception):
    pass


def _timed(fn) -> float | None:
    started = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass
    return round(time.perf_counter() - started, 2)


def job_review():
    from django.utils import timezone

    from network.programme.membership.models import ReviewRun
    from network.programme.membership.policy import policy_for
    from network.programme.membership.review import review_run
    from network.programme.models import Network

    network = Network.objects.get(slug="ssn")
    label = policy_for(network).year_containing(timezone.localdate())[0]
    ReviewRun.objects.filter(network=network, year__label=label).delete()
    review_run(network=network, label=label, trigger=ReviewRun.Trigger.COMMAND)


def job_reminders():
    from events.services.reminders import reminders_send, surveys_mark_due

    reminders_send()
    surveys_mark_due()


def gias_file(rows: int = GIAS_ROWS) -> bytes:
    """A GIAS-shaped CSV (Windows-1252, as published): the network's academies first."""
    from trusts.models import Academy

    ours = list(Academy.objects.select_related("trust").order_by("urn")[:rows])
    rng = random.Random(14)
    out = io.StringIO()
    columns = ["URN", "EstablishmentName", "EstablishmentStatus (name)", "PhaseOfEducation (name)", "LA (name)",
               "GOR (name)", "UrbanRural (name)", "NumberOfPupils", "PercentageFSM", "OfficialSixthForm (name)",
               "Trusts (code)", "Trusts (name)"]  # fmt: skip
    writer = csv.writer(out)
    writer.writerow(columns)
    for i in range(rows):
        academy = ours[i] if i < len(ours) else None
        writer.writerow([
            academy.urn if academy else 900000 + i,
            academy.name if academy else f"Synthetic School {i}",
            "Open",
            "Secondary" if academy is None or rng.random() < 0.8 else "All-through",
            academy.local_authority if academy else "Leeds",
            "Yorkshire and the Humber",
            "(England/Wales) Urban city and town",
            rng.randint(300, 1800),
            f"{rng.uniform(5, 45):.1f}",
            "Has a sixth form",
            academy.trust.gias_uid if academy and academy.trust_id else "",
            academy.trust.name if academy and academy.trust_id else "",
        ])  # fmt: skip
    return out.getvalue().encode("cp1252", errors="replace")


def job_gias(data: bytes):
    from trusts.importers.gias import import_gias

    import_gias(source=io.BytesIO(data), as_of=datetime.date.today())


def network_report_hook():
    """The annual report's entry point (`annual_report`); None on a tree without it."""
    try:
        return importlib.import_module("impact.report.selectors").annual_report
    except (ImportError, AttributeError):
        return None


def job_report(report):
    from django.utils import timezone

    from network.programme.membership.policy import policy_for
    from network.programme.models import Network

    network = Network.objects.get(slug="ssn")
    report(network=network, label=policy_for(network).year_containing(timezone.localdate())[0])


def dashboards_hook():
    """The dashboards' selectors and their cache; None on a tree without them."""
    try:
        return importlib.import_module("impact.dashboards.selectors"), importlib.import_module("network.base.changes")
    except ImportError:
        return None


def job_dashboard(hook, which: str):
    from network.base.models import User
    from network.programme.models import Network

    selectors, changes = hook
    network = Network.objects.get(slug="ssn")
    year = selectors.periods.current(selectors.periods.MEMBERSHIP)
    changes.move_on()  # what was remembered is out of date: computed afresh
    if which == "trust":
        executive = User.objects.get(email="ceo@demo.network")
        selectors.trust_dashboard(executive, executive.trusts.get(), network=network, year=year)
    else:
        selectors.network_dashboard(None, network, year=year)


def _vacuum(*tables: str) -> None:
    """A rolled-back import of 25,000 rows leaves as many dead rows behind: on PostgreSQL
    every later scan of those tables reads them until autovacuum comes by (an academy
    list took 12 ms instead of 1 in a later page run). Clean them up now."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'VACUUM ANALYZE "{table}"')


def run_jobs() -> dict[str, float | None]:
    """{"job": seconds or None (not built / failed: see the printed reason)}."""
    figures = {"review": _timed(job_review), "reminders": _timed(job_reminders)}
    data = gias_file()
    try:
        figures["gias_import"] = _timed(lambda: job_gias(data))
    except Exception as error:  # the importer's contract may differ on another branch: say so
        print(f"  gias_import failed: {error!r}", flush=True)
        figures["gias_import"] = None
    _vacuum(
        "trusts_academy",
        "trusts_academytrustmembership",
        "trusts_historicalacademy",
        "trusts_inspection",
        "trusts_trust",
    )
    report = network_report_hook()
    figures["network_report"] = _timed(lambda: job_report(report)) if report else None
    dashboards = dashboards_hook()
    for which in ("trust", "network"):
        figures[f"{which}_dashboard_cold"] = _timed(lambda: job_dashboard(dashboards, which)) if dashboards else None  # noqa: B023 - called at once
    return figures
