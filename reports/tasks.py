"""Background tasks (django-tasks; the database backend's worker is `manage.py db_worker`). The periodic ones are
listed in settings.PERIODIC_TASKS and enqueued by `manage.py run_periodic`."""

import datetime

from django.conf import settings
from django_tasks import task

from reports import services


@task()
def run_export_job(job_id: int) -> None:
    services.export_job_run(job_id=job_id)


@task()
def fail_stale_export_jobs() -> int:
    """Every 5 minutes: jobs whose worker died are marked failed, so their owners see it and can start again."""
    return services.export_jobs_fail_stale()


@task()
def prune_export_files() -> int:
    """Daily: finished exports older than EXPORT_FILES_MAX_AGE_DAYS go, with their files."""
    return services.export_files_prune(older_than=datetime.timedelta(days=settings.EXPORT_FILES_MAX_AGE_DAYS))
