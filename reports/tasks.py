"""Background tasks (django-tasks; the database backend's worker is `manage.py db_worker`)."""

from django_tasks import task

from reports import services


@task()
def run_export_job(job_id: int) -> None:
    services.export_job_run(job_id=job_id)
