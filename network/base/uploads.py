"""Upload size limits, with a message a person understands. A platform module: forms in
every room call `check_size`. Limits are settings (UPLOAD_MAX_MB for ordinary files,
IMPORT_UPLOAD_MAX_MB for files imported by a background job); Django's own
DATA_UPLOAD_MAX_MEMORY_SIZE bounds a request's form fields, and uploads above
FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, not memory."""

from django.conf import settings
from django.core.exceptions import ValidationError

MB = 1024 * 1024


def describe_size(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{max(1, round(size / 1024))} KB"


def check_size(upload, *, max_mb: int | None = None, what: str = "file") -> None:
    """Refuse an empty file, or one larger than `max_mb` (default UPLOAD_MAX_MB)."""
    limit = max_mb if max_mb is not None else settings.UPLOAD_MAX_MB
    if upload.size == 0:
        raise ValidationError(f"This {what} is empty.")
    if upload.size > limit * MB:
        raise ValidationError(
            f"This {what} is {describe_size(upload.size)}; the largest that can be uploaded here is {limit} MB."
        )
