"""Learning materials (học liệu) shared across a province: documents (PDF, Word, slides, images) and links
(video). The Sở's uploads are published at once; a centre's wait for the province's approval. Files live in
MEDIA_ROOT and are only ever downloaded through materials.views.download, which checks scope."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tthtcd_portal.vietnamese import by_name


def material_path(instance, filename: str) -> str:
    return f"materials/{instance.province_id}/{filename}"


class Material(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("Tệp tài liệu")
        LINK = "link", _("Liên kết (video, trang web)")

    class Audience(models.TextChoices):
        LEARNERS = "learners", _("Người học")
        INSTRUCTORS = "instructors", _("Giảng viên, báo cáo viên")
        MANAGERS = "managers", _("Cán bộ quản lý trung tâm")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ Sở duyệt")
        PUBLISHED = "published", _("Đã đăng")
        REJECTED = "rejected", _("Không duyệt")

    province = models.ForeignKey(
        "units.Province", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="materials"
    )
    # The centre that uploaded it; empty for the Sở's own materials.
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("trung tâm đóng góp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
    )
    title = models.CharField(_("tên học liệu"), max_length=255)
    programme_kind = models.ForeignKey(
        "courses.ProgrammeKind", verbose_name=_("loại chương trình"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("chủ đề"), max_length=200)
    audience = models.CharField(_("đối tượng"), max_length=20, choices=Audience.choices, default=Audience.LEARNERS)
    author = models.CharField(_("tác giả, nguồn"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành, biên soạn"))
    kind = models.CharField(_("dạng"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to=material_path, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    url = models.URLField(_("địa chỉ liên kết"), max_length=500, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.CharField(_("lý do không duyệt"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", by_name("title"), "-id"]
        verbose_name = _("học liệu")
        verbose_name_plural = _("học liệu")
        constraints = [
            models.CheckConstraint(
                name="material_file_or_link",
                condition=(Q(kind="file") & ~Q(file="") & Q(url="")) | (Q(kind="link") & Q(file="") & ~Q(url="")),
            ),
            # The Sở's own materials need nobody's approval.
            models.CheckConstraint(
                name="material_province_upload_published", condition=Q(centre__isnull=False) | Q(status="published")
            ),
            models.CheckConstraint(
                name="material_rejection_has_reason", condition=~Q(status="rejected") | ~Q(reject_reason="")
            ),
            models.CheckConstraint(
                name="material_status_known", condition=Q(status__in=["pending", "published", "rejected"])
            ),
        ]
        indexes = [models.Index(fields=["province", "status"], name="material_province_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE


class CourseMaterial(models.Model):
    """A material a class used."""

    course = models.ForeignKey(
        "courses.Course", verbose_name=_("lớp học"), on_delete=models.CASCADE, related_name="material_uses"
    )
    material = models.ForeignKey(Material, verbose_name=_("học liệu"), on_delete=models.PROTECT, related_name="uses")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thêm"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "added_at", "id"]
        verbose_name = _("học liệu của lớp")
        verbose_name_plural = _("học liệu của lớp")
        constraints = [models.UniqueConstraint(fields=["course", "material"], name="course_material_once")]

    def __str__(self) -> str:
        return f"{self.material} – {self.course}"
