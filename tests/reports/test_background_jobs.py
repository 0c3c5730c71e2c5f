"""Background exports that cannot be abused and do not die (issue 14, item 5): a job starts only by POST, one
active job per user and request (a second request shows the first; a database constraint holds it), a job whose
worker died is shown failed and can be started again, and old files are pruned. The worker's survival of
database errors is tested in tests/platform/test_worker_resilience.py; "no GET writes anything" for every page
in tests/platform/test_get_writes_nothing.py."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import WORKER_STOPPED, ExportJob, export_params_key
from reports.tasks import fail_stale_export_jobs, prune_export_files
from tests.reports.test_exports import PARAMS, data_rows, sheet_of
from tthtcd_portal.spreadsheets import stage_upload, staged_path, staged_uploads_prune
from tthtcd_portal.tasks import prune_staged_uploads


def running_job(user, kind="danh-gia", params=None, **fields) -> ExportJob:
    """A job a worker is busy with (the immediate task backend of the tests would finish it at once)."""
    params = PARAMS if params is None else params
    values = {
        "status": ExportJob.Status.RUNNING,
        "heartbeat_at": timezone.now(),
        "rows_total": 9,
        "rows_done": 4,
        **fields,
    }
    return ExportJob.objects.create(
        user=user, kind=kind, title="Đánh giá xếp loại", params=params, params_key=export_params_key(params), **values
    )


def start(client, code="danh-gia", params=None):
    return client.post(reverse("reports:export_start", args=[code]), PARAMS if params is None else params)


# --- Only a POST starts a job -------------------------------------------------------------------------------


def test_a_large_export_opened_by_link_asks_before_it_starts_anything(world, figures, client_for, settings):
    settings.REPORTS_BACKGROUND_ROWS = 2
    client = client_for(world.official)
    for _ in range(4):  # four GETs made four 167,702-row jobs before
        page = client.get(reverse("reports:export", args=["danh-gia"]), PARAMS)
        assert page.status_code == 200 and "Chuẩn bị tệp" in page.content.decode()
    assert not ExportJob.objects.exists()
    assert client.get(reverse("reports:export_start", args=["danh-gia"]), PARAMS).status_code == 405


def test_the_start_needs_the_csrf_token(world, figures, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.official)
    assert start(client).status_code == 403
    assert not ExportJob.objects.exists()


# --- One active job per user and request ---------------------------------------------------------------------


def test_a_second_request_for_a_running_export_shows_the_running_one(world, figures, client_for, settings):
    settings.REPORTS_BACKGROUND_ROWS = 2
    busy = running_job(world.official)
    client = client_for(world.official)
    # Parameters in another order, plus empty ones, are the same request.
    same = {"den_nam": "2024", "nam_goc": "2022", "tu_nam": "2022", "loai": ""}
    response = start(client, params=same)
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[busy.pk])
    assert ExportJob.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Tệp này đang được chuẩn bị; đây là tiến độ của nó." in page and "data-job-rows>4</span>/9" in page
    # The link (GET) goes to the running job too, instead of offering a second one.
    link = client.get(reverse("reports:export", args=["danh-gia"]), same)
    assert link.status_code == 302 and link["Location"] == reverse("reports:job", args=[busy.pk])


def test_other_parameters_or_another_user_are_another_job(world, figures, client_for):
    running_job(world.official)
    start(client_for(world.official), params={**PARAMS, "nam_goc": "2023"})
    start(client_for(world.reviewer_x))
    assert ExportJob.objects.count() == 3
    assert ExportJob.objects.filter(status=ExportJob.Status.DONE).count() == 2


def test_the_database_holds_one_active_job_per_user_and_request(world):
    running_job(world.official)
    with pytest.raises(IntegrityError), transaction.atomic():
        running_job(world.official, status=ExportJob.Status.QUEUED)
    # A finished or failed one of the same request is history, not a duplicate.
    running_job(world.official, status=ExportJob.Status.FAILED)
    assert ExportJob.objects.count() == 2


def test_two_starts_at_once_make_one_job(world, figures, monkeypatch):
    """The second start does not see the first (both looked before either inserted): the constraint refuses
    the second row and the service answers with the first job."""
    first = running_job(world.official)
    real_active = ExportJob.objects.active
    looks = []

    def active_unseen_once():
        looks.append(1)
        return ExportJob.objects.none() if len(looks) == 1 else real_active()

    monkeypatch.setattr(ExportJob.objects, "active", active_unseen_once)
    job, created = services.export_job_start(kind="danh-gia", title="x", params=PARAMS, rows_total=9, by=world.official)
    assert (job.pk, created) == (first.pk, False)
    assert ExportJob.objects.count() == 1


# --- A job whose worker died ---------------------------------------------------------------------------------


def test_a_job_whose_worker_stopped_is_shown_failed_and_runs_again(world, figures, client_for, settings):
    settings.EXPORT_JOB_STALE_SECONDS = 600
    quiet = timezone.now() - datetime.timedelta(minutes=11)
    dead = running_job(world.official, heartbeat_at=quiet)
    ExportJob.objects.filter(pk=dead.pk).update(created_at=quiet)
    client = client_for(world.official)
    status = client.get(reverse("reports:job_status", args=[dead.pk])).json()
    assert status["status"] == "failed" and status["status_label"] == "Đã dừng giữa chừng"
    page = client.get(reverse("reports:job", args=[dead.pk])).content.decode()
    assert "Máy chạy nền đã dừng khi đang chuẩn bị tệp này" in page
    assert f'action="{reverse("reports:job_restart", args=[dead.pk])}"' in page
    dead.refresh_from_db()
    assert dead.status == ExportJob.Status.RUNNING  # the page said it; only the POST below writes

    response = client.post(reverse("reports:job_restart", args=[dead.pk]))
    dead.refresh_from_db()
    assert dead.status == ExportJob.Status.FAILED and dead.error == WORKER_STOPPED
    again = ExportJob.objects.exclude(pk=dead.pk).get()
    assert response["Location"] == reverse("reports:job", args=[again.pk])
    assert again.status == ExportJob.Status.DONE and again.params == dead.params and again.kind == dead.kind
    assert len(data_rows(sheet_of(client.get(reverse("reports:job_download", args=[again.pk]))))) == 9


def test_a_stale_job_no_longer_blocks_a_new_start_of_the_same_request(world, figures, client_for):
    quiet = timezone.now() - datetime.timedelta(hours=1)
    dead = running_job(world.official, heartbeat_at=quiet)
    response = start(client_for(world.official))
    dead.refresh_from_db()
    assert dead.status == ExportJob.Status.FAILED
    assert response["Location"] != reverse("reports:job", args=[dead.pk])
    assert ExportJob.objects.filter(status=ExportJob.Status.DONE).count() == 1


def test_the_periodic_sweep_marks_silent_jobs_failed_and_leaves_live_ones(world, settings):
    settings.EXPORT_JOB_STALE_SECONDS = 600
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    dead = running_job(world.official, heartbeat_at=long_ago)
    never_picked = running_job(world.official, kind="trung-tam", status=ExportJob.Status.QUEUED, heartbeat_at=None)
    ExportJob.objects.filter(pk=never_picked.pk).update(created_at=long_ago)
    alive = running_job(world.reviewer_x)
    fail_stale_export_jobs.call()
    statuses = dict(ExportJob.objects.values_list("pk", "status"))
    assert statuses == {dead.pk: "failed", never_picked.pk: "failed", alive.pk: "running"}


def test_a_job_marked_dead_that_finishes_late_keeps_failed_and_leaves_no_file(world, figures, settings, monkeypatch):
    """The worker was only slow: when it comes back, its row is no longer RUNNING, so it writes nothing."""
    job = running_job(world.official, status=ExportJob.Status.QUEUED, heartbeat_at=None)
    original = services.call_with_retry

    def sweep_then(fn, *, what, **kwargs):
        if what.endswith("finish"):
            ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=WORKER_STOPPED)
        return original(fn, what=what, **kwargs)

    monkeypatch.setattr(services, "call_with_retry", sweep_then)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    exports_dir = settings.MEDIA_ROOT / "exports"
    assert not exports_dir.exists() or not any(p.is_file() for p in exports_dir.rglob("*"))


def test_only_the_owner_restarts_a_job_and_a_running_one_is_not_restarted(world, figures, client_for):
    failed = running_job(world.official, status=ExportJob.Status.FAILED, error="boom")
    assert client_for(world.reviewer_x).post(reverse("reports:job_restart", args=[failed.pk])).status_code == 404
    assert ExportJob.objects.count() == 1
    busy = running_job(world.official, kind="trung-tam")
    response = client_for(world.official).post(reverse("reports:job_restart", args=[busy.pk]), follow=True)
    assert "Tệp này không cần chạy lại." in response.content.decode()
    assert ExportJob.objects.count() == 2
    assert client_for(world.official).get(reverse("reports:job_restart", args=[failed.pk])).status_code == 405


# --- Old files are pruned ------------------------------------------------------------------------------------


def test_old_export_files_and_their_jobs_are_pruned_and_recent_ones_kept(world, settings):
    settings.EXPORT_FILES_MAX_AGE_DAYS = 7
    old, recent = (
        running_job(world.official, kind=kind, status=ExportJob.Status.FAILED) for kind in ("danh-gia", "trung-tam")
    )
    for job in (old, recent):
        job.file.save("bang.xlsx", ContentFile(b"xlsx"), save=False)
        ExportJob.objects.filter(pk=job.pk).update(file=job.file.name, status=ExportJob.Status.DONE)
    busy = running_job(world.official, kind="giang-vien")
    eight_days = timezone.now() - datetime.timedelta(days=8)
    ExportJob.objects.filter(pk__in=[old.pk, busy.pk]).update(created_at=eight_days)
    stray = settings.MEDIA_ROOT / "exports" / "2026" / "01" / "bo-quen.xlsx"  # a worker killed while saving
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"xlsx")
    os.utime(stray, (eight_days.timestamp(), eight_days.timestamp()))

    assert prune_export_files.call() == 2
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {recent.pk, busy.pk}  # a running job stays
    assert not (settings.MEDIA_ROOT / old.file.name).exists() and not stray.exists()
    assert (settings.MEDIA_ROOT / recent.file.name).exists()


def test_staged_imports_older_than_the_setting_are_pruned(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STAGED_UPLOADS_MAX_AGE_HOURS = 24
    old = stage_upload(SimpleUploadedFile("lop.csv", b"a,b\n"))
    fresh = stage_upload(SimpleUploadedFile("lop.xlsx", b"x"))
    # Ages from the tests' clock (the files' real times are the machine's).
    for token, age in ((old, datetime.timedelta(days=2)), (fresh, datetime.timedelta(hours=1))):
        moment = (timezone.now() - age).timestamp()
        os.utime(staged_path(token), (moment, moment))
    assert prune_staged_uploads.call() == 1
    assert staged_path(old) is None and staged_path(fresh) is not None
    assert staged_uploads_prune(older_than=datetime.timedelta(minutes=30)) == 1
