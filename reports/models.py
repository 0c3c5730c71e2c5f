"""Report settings (the issuing body and signer of official reports) and background export jobs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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


class ExportJob(models.Model):
    """An export run in the background (django-tasks); its owner alone sees it and downloads its file."""

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
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tệp xuất chạy nền")
        verbose_name_plural = _("tệp xuất chạy nền")
        constraints = [
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
