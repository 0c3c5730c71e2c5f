"""Report settings (the issuing body and signer of official reports) and background export jobs."""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tthtcd_portal.concurrency import version_field


class ReportSettings(models.Model):
    """One per province: what the official reports print in their header, place line and signature."""

    province = models.OneToOneField(
        "units.Province", verbose_name=_("tỉnh"), on_delete=models.CASCADE, related_name="report_settings"
    )
    parent_body = models.CharField(_("cơ quan chủ quản"), max_length=200, default="UBND TỈNH THÁI BÌNH")
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200, default="SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    place_name = models.CharField(_("địa danh"), max_length=100, default="Thái Bình")
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, default="GIÁM ĐỐC")
    signer_name = models.CharField(_("họ tên người ký"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    version = version_field()

    class Meta:
        ordering = ["province"]
        verbose_name = _("thiết lập báo cáo")
        verbose_name_plural = _("thiết lập báo cáo")
        constraints = [
            models.CheckConstraint(condition=~Q(place_name=""), name="report_settings_place_not_empty"),
            models.CheckConstraint(condition=~Q(issuing_body=""), name="report_settings_issuing_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.issuing_body} – {self.province}"


ACTIVE_STATUSES = ("queued", "running")
# ExportJob.error of a job marked failed because its worker stopped (not because the export failed).
WORKER_STOPPED = "The worker stopped reporting progress (no heartbeat): judged dead."


def export_params_key(params: dict) -> str:
    """The same request, whatever the order of its parameters or its empty ones: sha256 of the sorted, non-empty
    parameters as the export reads them."""
    kept = {str(k): str(v) for k, v in params.items() if k != "csrfmiddlewaretoken" and str(v).strip() != ""}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class ExportJobQuerySet(models.QuerySet):
    def active(self):
        """Queued or running: at most one per user, export and parameters (export_job_one_active_per_request)."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def of_request(self, *, user, kind: str, params: dict):
        return self.filter(user=user, kind=kind, params_key=export_params_key(params))

    def stale(self, *, now: datetime.datetime | None = None):
        """Active jobs whose worker has gone quiet for EXPORT_JOB_STALE_SECONDS: running without a heartbeat,
        or queued and never picked up. They are marked failed (reports.services.export_jobs_fail_stale)."""
        cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.EXPORT_JOB_STALE_SECONDS)
        return self.filter(
            Q(status="queued", created_at__lt=cutoff)
            | Q(status="running", heartbeat_at__lt=cutoff)
            | Q(status="running", heartbeat_at__isnull=True, created_at__lt=cutoff)
        )


class ExportJob(models.Model):
    """An export run in the background (django-tasks); its owner alone sees it and downloads its file.

    One active job per user, export and parameters (a second request shows the first). The worker beats
    `heartbeat_at` while it writes; a job that stops beating is judged dead and marked failed, and its owner
    can start it again (docs/reports.md, "Background exports")."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Lỗi")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(_("loại"), max_length=40)
    title = models.CharField(_("tiêu đề"), max_length=255)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    # sha256 of the params as the export reads them (reports.models.export_params_key): "the same request".
    params_key = models.CharField(_("khóa tham số"), max_length=64, default="", blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # The worker's last sign of life: set when it starts, at most every few seconds while it writes, at the end.
    heartbeat_at = models.DateTimeField(_("tín hiệu gần nhất"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tệp xuất chạy nền")
        verbose_name_plural = _("tệp xuất chạy nền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "params_key"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="export_job_one_active_per_request",
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")) | Q(rows_total=0),
                name="export_job_progress_within_total",
            ),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="export_job_done_has_file"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="export_job_user_created_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_stale(self) -> bool:
        """Active but silent for EXPORT_JOB_STALE_SECONDS (the same rule as ExportJobQuerySet.stale; no query)."""
        if not self.is_active:
            return False
        last = self.heartbeat_at if self.status == self.Status.RUNNING and self.heartbeat_at else self.created_at
        return (timezone.now() - last).total_seconds() > settings.EXPORT_JOB_STALE_SECONDS

    @property
    def worker_stopped(self) -> bool:
        return self.is_stale or (self.status == self.Status.FAILED and self.error == WORKER_STOPPED)

    @property
    def can_restart(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale

    @property
    def shown_status(self) -> str:
        """What the owner is told: a job whose worker died is failed before the sweep marks it so."""
        return self.Status.FAILED if self.is_stale else self.status

    @property
    def shown_status_label(self) -> str:
        return _("Đã dừng giữa chừng") if self.is_stale else self.get_status_display()
