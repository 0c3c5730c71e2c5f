"""Periodic housekeeping of the shared helpers (settings.PERIODIC_TASKS)."""

import datetime

from django.conf import settings
from django_tasks import task

from tthtcd_portal.spreadsheets import staged_uploads_prune


@task()
def prune_staged_uploads() -> int:
    """Daily: imports uploaded for a preview and never confirmed (they hold learners' names) are deleted after
    STAGED_UPLOADS_MAX_AGE_HOURS."""
    return staged_uploads_prune(older_than=datetime.timedelta(hours=settings.STAGED_UPLOADS_MAX_AGE_HOURS))
