"""Imports run as background jobs, never inside a web request: the upload is stored, an
`ImportJob` row queued, and a Celery worker imports the file while the page shows the
progress; the report is kept on the job. A 60 MB GIAS file (or 20 MB of junk) no longer
holds a web worker for minutes.

Kinds of import are registered by the room that owns the importer (`register_kind`,
from its AppConfig.ready()): "gias" by trusts; "resource" (any admin spreadsheet import
through a `network.base.imports.spreadsheets.SpreadsheetResource`) is the platform's own. A kind may
`check` the upload in the request (cheap: the header row) so a wrong file is refused at
once, with the reason, before any job.

Progress is written to a small file beside the uploads (MEDIA_ROOT/imports/progress/),
which the web and the worker share (`make run`; the `media` volume in docker compose):
an import writes inside one transaction, so a progress row in the database would not
be visible until the end.

Jobs are safe to start twice: a worker claims a queued job with one conditional UPDATE.
If the broker was down when the job was queued, the sweep (every minute) starts it; a
job whose worker died is marked failed after IMPORT_JOB_STALE (an import writes in one
transaction, so nothing was half-written) and can be uploaded again.
"""

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from network.base.imports.models import ImportJob
from network.base.uploads import check_size

logger = logging.getLogger(__name__)

IMPORT_JOB_STALE = timedelta(hours=2)
PROGRESS_EVERY_SECONDS = 0.5

# progress(phase, done, total) – total may be None while the count is unknown.
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class Kind:
    label: str
    run: Callable  # (job, path, progress) -> report dict; raises ImportError-like with a message
    check: Callable | None = None  # (upload, options) -> None, or raises ValidationError


KINDS: dict[str, Kind] = {}


def register_kind(name: str, kind: Kind) -> None:
    KINDS[name] = kind


class ImportFailed(Exception):
    """The file cannot be imported at all: the message says why, for the person."""


# -- Progress -----------------------------------------------------------------------------


def _progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{job_id}.json"


def progress_reporter(job: ImportJob) -> Progress:
    """A callback for importers: writes the phase and counts at most twice a second
    (and always the last call of a phase), atomically (write, then rename)."""
    path = _progress_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    last = {"at": 0.0, "phase": None}

    def report(phase: str, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if phase == last["phase"] and now - last["at"] < PROGRESS_EVERY_SECONDS and done != total:
            return
        last.update(at=now, phase=phase)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
        os.replace(tmp, path)

    return report


def read_progress(job: ImportJob) -> dict | None:
    try:
        return json.loads(_progress_path(job.pk).read_text())
    except (OSError, ValueError):
        return None


# -- Starting and running -------------------------------------------------------------------


def import_job_create(*, kind: str, target: str, upload, options: dict, by, dry_run: bool = False) -> ImportJob:
    """Store the upload and queue its import (after commit). Rules: the file must not
    be empty nor larger than IMPORT_UPLOAD_MAX_MB; the kind's `check` may refuse it at
    once (a ValidationError with the reason). Nothing is imported here."""
    check_size(upload, max_mb=settings.IMPORT_UPLOAD_MAX_MB)
    if KINDS[kind].check is not None:
        KINDS[kind].check(upload, options)
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            target=target,
            original_name=os.path.basename(upload.name)[:255],
            size=upload.size,
            options=options,
            dry_run=dry_run,
            created_by=by,
        )
        job.file.save(os.path.basename(upload.name), upload, save=False)
        job.save()
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def import_job_repeat(*, job: ImportJob, by, dry_run: bool) -> ImportJob:
    """The same stored file again (a check confirmed: now the import itself)."""
    with transaction.atomic():
        again = ImportJob.objects.create(
            kind=job.kind,
            target=job.target,
            file=job.file.name,
            original_name=job.original_name,
            size=job.size,
            options=job.options,
            dry_run=dry_run,
            created_by=by,
        )
        transaction.on_commit(lambda: dispatch(again.pk))
    return again


def dispatch(job_id: int) -> None:
    """Hand the job to a worker; a broker that is down leaves it for the sweep."""
    try:
        run_import_job.delay(job_id)
    except Exception:  # kombu raises several kinds; all mean "not queued now"
        logger.warning("Broker unavailable; import job %s left for the sweep", job_id, exc_info=True)


def import_job_run(job_id: int) -> bool:
    """Run one queued job, once (a conditional UPDATE claims it). Returns True if it ran."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return False
    job = ImportJob.objects.get(pk=job_id)
    progress = progress_reporter(job)
    progress("starting", 0, None)
    try:
        report = KINDS[job.kind].run(job, job.file.path, progress)
    except ImportFailed as failure:
        _finish(job, status=ImportJob.Status.FAILED, error=str(failure))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _finish(
            job, status=ImportJob.Status.FAILED, error="The import stopped on an unexpected error; nothing was changed."
        )
    else:
        _finish(job, status=ImportJob.Status.DONE, report=report)
    return True


def _finish(job: ImportJob, *, status: str, report: dict | None = None, error: str = "") -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, report=report or {}, error=error, finished_at=timezone.now()
    )
    _progress_path(job.pk).unlink(missing_ok=True)


def import_jobs_sweep(*, now=None) -> int:
    """Start jobs the broker never got (queued over a minute ago) and mark as failed the
    ones whose worker died. Returns how many were started."""
    now = now or timezone.now()
    ImportJob.objects.filter(status=ImportJob.Status.RUNNING, started_at__lt=now - IMPORT_JOB_STALE).update(
        status=ImportJob.Status.FAILED,
        error="The import stopped (its worker was restarted); nothing was changed. Please upload the file again.",
        finished_at=now,
    )
    waiting = ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=now - timedelta(minutes=1))
    return sum(1 for pk in waiting.values_list("pk", flat=True) if import_job_run(pk))


# -- Spreadsheet imports through a django-import-export resource -----------------------------


def _read_dataset(job: ImportJob, path: str):
    from network.base.imports.spreadsheets import SAFE_FORMATS

    fmt = SAFE_FORMATS[int(job.options.get("format", 0))]()
    with open(path, "rb") as handle:
        data = handle.read()
    if not fmt.is_binary():
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                data = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFailed("The file is neither UTF-8 nor Windows-1252 text. Is it a CSV file?")
    try:
        return fmt.create_dataset(data)
    except Exception as error:  # tablib and openpyxl raise many kinds for a file they cannot read
        raise ImportFailed(f"The file cannot be read as {fmt.get_title().upper()} ({type(error).__name__}).") from error


def run_resource_import(job: ImportJob, path: str, progress: Progress) -> dict:
    """Check (dry run) or import a spreadsheet with the admin's resource. Row numbers in
    the report are as a spreadsheet shows them (header = row 1)."""
    from network.base.imports.spreadsheets import SpreadsheetResource

    resource_class = import_string(job.options["resource"])
    if not issubclass(resource_class, SpreadsheetResource):
        raise ImportFailed("This kind of import is not allowed.")
    dataset = _read_dataset(job, path)
    if not dataset.headers or not len(dataset):
        raise ImportFailed("The file has no rows to import (or no header row).")
    resource = resource_class()
    resource.progress = progress
    resource.progress_total = len(dataset)
    result = resource.import_data(
        dataset,
        dry_run=job.dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        collect_failed_rows=False,
        user=job.created_by,
        file_name=job.original_name,
    )
    problems = [{"row": None, "reason": str(e.error)} for e in result.base_errors]
    problems += [
        {"row": number + 1, "reason": "; ".join(str(e.error) for e in errors)} for number, errors in result.row_errors()
    ]
    problems += [
        {"row": row.number + 1, "reason": "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in row.field_specific_errors.items())
         + " ".join(row.non_field_specific_errors)}
        for row in result.invalid_rows
    ]  # fmt: skip
    totals = {key.lower(): n for key, n in result.totals.items()}
    return {"rows": len(dataset), "totals": totals, "errors": sorted(problems, key=lambda p: p["row"] or 0)}


register_kind("resource", Kind(label="Spreadsheet import", run=run_resource_import))


@shared_task(name="network.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> bool:
    """Import one uploaded file (claimed once, whatever the number of workers). Defined
    beside the jobs, as the outbox's task is, so this module needs no tasks module."""
    return import_job_run(job_id)
