"""The GIAS import as a background job (network/base/imports/jobs.py): the admin's upload is
checked at once (is it a GIAS file at all?) and imported by a worker, with progress."""

import csv
import datetime
import io

from django.core.exceptions import ValidationError

from network.base.imports.jobs import ImportFailed, Kind, register_kind
from trusts.importers.base import ImportFileError
from trusts.importers.gias import GiasImporter, import_gias

HEADER_BYTES = 64 * 1024  # a GIAS header row is about 6 KB


def check_gias(upload, options) -> None:
    """Refuse at once a file whose first row has no URN column: junk, or another file."""
    upload.seek(0)
    head = upload.read(HEADER_BYTES)
    upload.seek(0)
    text = head.decode("utf-8-sig", errors="replace") if isinstance(head, bytes) else head
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error:
        header = []
    columns = [name.strip() for name in header]
    missing = [c for c in GiasImporter.required_columns if c not in columns]
    if missing:
        found = ", ".join(columns[:8])[:200] or "none"
        raise ValidationError(
            f"The file has no {', '.join(missing)} column, so it is not a {GiasImporter.file_description}. "
            f"Columns found: {found}."
        )


def run_gias(job, path, progress) -> dict:
    as_of = datetime.date.fromisoformat(job.options["as_of"]) if job.options.get("as_of") else None
    try:
        report = import_gias(source=path, as_of=as_of, by=job.created_by, progress=progress)
    except ImportFileError as error:
        raise ImportFailed(str(error)) from error
    return report.as_dict()


def register() -> None:
    register_kind("gias", Kind(label="GIAS establishments", run=run_gias, check=check_gias))
