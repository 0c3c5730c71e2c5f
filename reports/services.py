"""Writes of the reports app: report settings and background export jobs."""

from __future__ import annotations

import logging
import os

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts import scoping
from reports.models import ExportJob, ReportSettings

log = logging.getLogger(__name__)


def report_settings_update(
    *,
    province,
    parent_body: str,
    issuing_body: str,
    place_name: str,
    signer_title: str,
    signer_name: str,
    by,
) -> ReportSettings:
    """Create or change the province's report settings (province officials and administrators)."""
    scoping.require_province_level(by)
    with transaction.atomic():
        found, _created = ReportSettings.objects.update_or_create(
            province=province,
            defaults={
                "parent_body": parent_body.strip(),
                "issuing_body": issuing_body.strip(),
                "place_name": place_name.strip(),
                "signer_title": signer_title.strip(),
                "signer_name": signer_name.strip(),
                "updated_by": by,
            },
        )
    return found


def export_job_create(*, kind: str, title: str, params: dict, rows_total: int, by) -> ExportJob:
    """Record a background export and queue it (django-tasks; `manage.py db_worker` runs it)."""
    from reports.tasks import run_export_job

    with transaction.atomic():
        job = ExportJob.objects.create(user=by, kind=kind, title=title[:255], params=params, rows_total=rows_total)
    # Queued after the commit so the worker finds the row; the immediate backend (tests) runs it here.
    run_export_job.enqueue(job_id=job.pk)
    job.refresh_from_db()
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the job's file as its owner would get it (their scope, their params) and attach it."""
    from reports.exports import EXPORTS
    from tthtcd_portal.xlsx import filename_for, write_table

    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return job
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=min(done, job.rows_total) if job.rows_total else 0)

    path = None
    try:
        spec = EXPORTS[job.kind].build(job.user, job.params)
        if spec.total is not None and spec.total != job.rows_total:
            job.rows_total = spec.total
            job.save(update_fields=["rows_total"])
        path = write_table(
            title=spec.title, context=spec.context, columns=spec.columns, rows=spec.rows, progress=progress
        )
        with open(path, "rb") as handle, transaction.atomic():
            job.refresh_from_db()
            job.file.save(filename_for(spec.title), File(handle), save=False)
            job.status = ExportJob.Status.DONE
            job.rows_done = job.rows_total
            job.finished_at = timezone.now()
            job.save(update_fields=["file", "status", "rows_done", "finished_at"])
    except Exception as exc:
        log.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    finally:
        if path:
            os.unlink(path)
    job.refresh_from_db()
    return job
