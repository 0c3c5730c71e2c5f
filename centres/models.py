"""The registry: community learning centres (TTHTCĐ)."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Vietnamese phone numbers: 10 digits starting with 0 (mobiles and landlines since 2017), optional +84.
phone_validator = RegexValidator(
    regex=r"^(\+84|0)[0-9]{9,10}$",
    message=_("Số điện thoại không hợp lệ: nhập 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678) hoặc +84…"),
)


class CentreQuerySet(models.QuerySet):
    def with_units(self):
        return self.select_related("commune__district", "commune__province", "review_office")

    def active(self):
        return self.filter(status=Centre.Status.ACTIVE)


class Centre(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang hoạt động")
        MERGED = "merged", _("Đã sáp nhập")
        DISSOLVED = "dissolved", _("Đã giải thể")

    class Building(models.TextChoices):
        OWN = "own", _("Trụ sở riêng")
        CULTURE_HOUSE = "culture_house", _("Dùng chung nhà văn hóa")
        POST_OFFICE = "post_office", _("Dùng chung bưu điện văn hóa xã")
        SCHOOL = "school", _("Dùng chung trường học")
        COMMUNE_OFFICE = "commune_office", _("Dùng chung trụ sở UBND xã")
        OTHER = "other", _("Khác")

    commune = models.ForeignKey(
        "units.Commune", verbose_name=_("xã/phường/thị trấn"), on_delete=models.PROTECT, related_name="centres"
    )
    name = models.CharField(_("tên trung tâm"), max_length=255)
    review_office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("đơn vị đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centres",
    )

    decision_number = models.CharField(_("số quyết định thành lập"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_issuer = models.CharField(_("cơ quan ra quyết định"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("thư điện tử"), blank=True)
    has_seal = models.BooleanField(_("có con dấu riêng"), default=False)
    has_bank_account = models.BooleanField(_("có tài khoản riêng"), default=False)

    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_date = models.DateField(_("ngày chuyển tình trạng"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    building = models.CharField(_("cơ sở vật chất"), max_length=20, choices=Building.choices, default=Building.OWN)
    rooms = models.PositiveSmallIntegerField(_("số phòng học"), default=0)
    seats = models.PositiveIntegerField(_("số chỗ ngồi"), default=0)
    computers_with_internet = models.PositiveSmallIntegerField(_("máy tính nối mạng"), default=0)
    has_library = models.BooleanField(_("có thư viện/tủ sách"), default=False)
    library_books = models.PositiveIntegerField(_("số đầu sách"), default=0)
    library_readers_per_year = models.PositiveIntegerField(_("lượt bạn đọc mỗi năm"), default=0)

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords()
    objects = CentreQuerySet.as_manager()

    class Meta:
        ordering = ["commune__code", "name"]
        verbose_name = _("trung tâm học tập cộng đồng")
        verbose_name_plural = _("trung tâm học tập cộng đồng")
        constraints = [
            models.UniqueConstraint(
                fields=["commune"], condition=Q(status="active"), name="centre_one_active_per_commune"
            ),
            models.CheckConstraint(
                condition=Q(status="active", merged_into__isnull=True, status_date__isnull=True)
                | Q(status="merged", merged_into__isnull=False, status_date__isnull=False)
                | Q(status="dissolved", merged_into__isnull=True, status_date__isnull=False),
                name="centre_status_consistent",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="centre_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


def centre_default_name(commune) -> str:
    """ "Trung tâm học tập cộng đồng xã Minh Tân": the kind in lower case, as in official documents."""
    kind = commune.get_kind_display().lower()
    return f"Trung tâm học tập cộng đồng {kind} {commune.short_name}"
