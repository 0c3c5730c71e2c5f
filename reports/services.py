"""Writes of the reports app: report settings and background export jobs."""

from __future__ import annotations

import datetime
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from accounts import scoping
from background.resilience import TRANSIENT, call_with_retry
from reports.models import ACTIVE_STATUSES, WORKER_STOPPED, ExportJob, ReportSettings, export_params_key
from tthtcd_portal.concurrency import version_claim

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
    version: int | None = None,
) -> ReportSettings:
    """Create or change the province's report settings (province officials and administrators). `version` is
    the one the form showed (0: none were saved yet): a save made since refuses this one (StaleEdit)."""
    scoping.require_province_level(by)
    values = {
        "parent_body": parent_body.strip(),
        "issuing_body": issuing_body.strip(),
        "place_name": place_name.strip(),
        "signer_title": signer_title.strip(),
        "signer_name": signer_name.strip(),
        "updated_by": by,
    }
    with transaction.atomic():
        found = ReportSettings.objects.filter(province=province).first()
        if found is None:
            try:
                with transaction.atomic():
                    return ReportSettings.objects.create(province=province, **values)
            except IntegrityError:  # another official saved the first settings meanwhile
                found = ReportSettings.objects.get(province=province)
        version_claim(found, version=version)
        for name, value in values.items():
            setattr(found, name, value)
        found.save(update_fields=[*values, "updated_at"])
    return found


# --- Background exports ---------------------------------------------------------------------------------------

# The worker writes progress and its heartbeat at most this often (the job page polls every 1.5 s), looking at
# the clock every PROGRESS_EVERY rows.
HEARTBEAT_SECONDS = 2.0
PROGRESS_EVERY = 2000


def export_jobs_fail_stale(*, now: datetime.datetime | None = None, **filters) -> int:
    """Mark failed every active job whose worker went quiet (ExportJobQuerySet.stale), optionally only those
    matching `filters` (one user's request). Its owner sees "stopped halfway" and may start it again."""
    now = now or timezone.now()
    return (
        ExportJob.objects.stale(now=now)
        .filter(**filters)
        .update(
            status=ExportJob.Status.FAILED,
            error=WORKER_STOPPED,
            finished_at=now,
        )
    )


def export_job_start(*, kind: str, title: str, params: dict, rows_total: int, by) -> tuple[ExportJob, bool]:
    """Queue a background export, or return the one of the same user, export and parameters that is already
    queued or running (created=False). A dead one of the same request is marked failed first, so it never
    blocks a new start. Two requests at once: the partial unique constraint lets one in, the other gets it."""
    from reports.tasks import run_export_job

    key = export_params_key(params)
    same = {"user": by, "kind": kind, "params_key": key}
    export_jobs_fail_stale(**same)
    existing = ExportJob.objects.active().filter(**same).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                user=by, kind=kind, title=title[:255], params=params, params_key=key, rows_total=rows_total
            )
    except IntegrityError:  # the same request, started a moment ago by another tab
        return ExportJob.objects.active().get(**same), False
    # Queued after the commit so the worker finds the row; the immediate backend (tests) runs it here.
    run_export_job.enqueue(job_id=job.pk)
    job.refresh_from_db()
    return job, True


class _Abandoned(Exception):
    """The job stopped being ours while it ran (judged dead and marked failed): stop writing."""


class _Heartbeat:
    """Writes the job's heartbeat_at and rows_done every HEARTBEAT_SECONDS while the export runs.

    From a thread with its own database connection: the export's connection is busy reading through an open
    cursor, and on SQLite that cursor's read snapshot cannot turn into a write once another connection has
    committed ("database is locked" at once, whatever the busy timeout); a long query does not stop the beat
    either. Inside a transaction (the immediate task backend, in a request or a test) another connection could
    not see the job, so it beats inline. If the row is no longer RUNNING (the sweep judged the job dead), the
    next progress call raises _Abandoned."""

    def __init__(self, job_id: int, *, threaded: bool) -> None:
        self.running = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING)
        self.job_id = job_id
        self.threaded = threaded
        self.rows_done = 0
        self.lost = False
        self._last = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"export-heartbeat-{job_id}", daemon=True)

    def __enter__(self):
        if self.threaded:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.threaded:
            self._stop.set()
            self._thread.join()

    def progress(self, done: int) -> None:
        self.rows_done = done
        if not self.threaded and time.monotonic() - self._last >= HEARTBEAT_SECONDS:
            self.beat()
        if self.lost:
            raise _Abandoned

    def beat(self) -> None:
        self._last = time.monotonic()
        fields = {"heartbeat_at": timezone.now(), "rows_done": self.rows_done}
        if not call_with_retry(lambda: self.running.update(**fields), what=f"export job {self.job_id} heartbeat"):
            self.lost = True

    def _run(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                try:
                    self.beat()
                except TRANSIENT:  # still failing after the retries: the next beat tries again
                    log.warning("export job %s: heartbeat not written", self.job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only


def _close(rows) -> None:
    """End an export's row iterator early, so that its cursor (and SQLite read snapshot) is closed."""
    close = getattr(rows, "close", None)
    if close is not None:
        close()


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the job's file as its owner would get it (their scope, their params) and attach it.

    Every write of the job's row is a single UPDATE … WHERE status = 'running', retried through transient
    database errors (background/resilience.py): SQLite busy beyond its timeout, a PostgreSQL connection lost.
    If the row was marked failed meanwhile (its heartbeat had stopped), the work is dropped. A failure of the
    export itself marks the job failed; its owner can start it again."""
    from reports.exports import EXPORTS
    from tthtcd_portal.xlsx import filename_for, write_table

    rows = ExportJob.objects.filter(pk=job_id)
    claimed = call_with_retry(
        lambda: rows.filter(status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.RUNNING, heartbeat_at=timezone.now()
        ),
        what=f"export job {job_id} start",
    )
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    running = rows.filter(status=ExportJob.Status.RUNNING)
    path = spec = None
    try:
        spec = EXPORTS[job.kind].build(job.user, job.params)
        if spec.total is not None and spec.total != job.rows_total:
            job.rows_total = spec.total
            call_with_retry(lambda: running.update(rows_total=spec.total), what=f"export job {job_id} total")
        with _Heartbeat(job_id, threaded=not connection.in_atomic_block) as heartbeat:
            path = write_table(
                title=spec.title,
                context=spec.context,
                columns=spec.columns,
                rows=spec.rows,
                progress=heartbeat.progress,
                progress_every=PROGRESS_EVERY,
            )
        with open(path, "rb") as handle:
            job.file.save(filename_for(spec.title), File(handle), save=False)
        finished = call_with_retry(
            lambda: running.update(
                file=job.file.name,
                status=ExportJob.Status.DONE,
                rows_done=job.rows_total,
                heartbeat_at=timezone.now(),
                finished_at=timezone.now(),
            ),
            what=f"export job {job_id} finish",
        )
        if not finished:
            job.file.delete(save=False)  # judged dead meanwhile: the owner has (or will start) another
    except _Abandoned:
        log.warning("export job %s was marked failed while it ran; its work is dropped", job_id)
    except Exception as exc:
        log.exception("export job %s failed", job_id)
        if spec is not None:
            _close(spec.rows)
        error = str(exc)[:2000]
        call_with_retry(
            lambda: running.update(status=ExportJob.Status.FAILED, error=error, finished_at=timezone.now()),
            what=f"export job {job_id} failure",
        )
    finally:
        if path:
            os.unlink(path)
    return call_with_retry(lambda: ExportJob.objects.get(pk=job_id), what=f"export job {job_id} read")


def export_files_prune(*, older_than: datetime.timedelta, now: datetime.datetime | None = None) -> int:
    """Delete finished export jobs older than `older_than` with their files, and any file under
    MEDIA_ROOT/exports/ that no job holds and is as old (left by a worker killed while saving). Returns the
    number of files deleted. Queries: one read of the old jobs, one DELETE, one read of the kept file names."""
    cutoff = (now or timezone.now()) - older_than
    old = ExportJob.objects.exclude(status__in=ACTIVE_STATUSES).filter(created_at__lt=cutoff)
    files = list(old.exclude(file="").values_list("file", flat=True))
    old.delete()
    storage = ExportJob._meta.get_field("file").storage
    deleted = 0
    for name in files:
        if storage.exists(name):
            storage.delete(name)
            deleted += 1
    root = Path(settings.MEDIA_ROOT) / "exports"
    if root.is_dir():
        kept = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
        for path in root.rglob("*"):
            name = path.relative_to(settings.MEDIA_ROOT).as_posix()
            if path.is_file() and name not in kept and path.stat().st_mtime < cutoff.timestamp():
                path.unlink()
                deleted += 1
    return deleted
