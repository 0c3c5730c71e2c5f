"""The one upload-size check: every form that takes a file (the Excel imports, the GSO lists, an assessment's
attachments) asks `upload_too_large` before reading it. Larger bodies are refused earlier, from their
Content-Length, by `tthtcd_portal.middleware.UploadSizeLimitMiddleware` (a 413 page with the same figures)."""

from django.conf import settings
from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024


def megabytes(size: int) -> float:
    """A size as the pages state it: megabytes to one decimal (5242880 → 5.0)."""
    return round(size / MEGABYTE, 1)


def upload_too_large(uploaded) -> str | None:
    """The Vietnamese refusal of a file above MAX_UPLOAD_BYTES (its size and the limit), else None."""
    limit = settings.MAX_UPLOAD_BYTES
    if uploaded.size <= limit:
        return None
    return _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.") % {
        "size": megabytes(uploaded.size),
        "limit": megabytes(limit),
    }
