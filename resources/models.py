"""Resources mobilised (huy động nguồn lực): contributions to a centre by date, source, kind and value in VND
(docs/library.md). Equipment received joins the centre's facilities (centres.Equipment)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tthtcd_portal.archive import Archivable


class Source(models.TextChoices):
    # State budget by level: the commune level is "xã" since the 2025 reform (district budgets before it are
    # recorded as "khác" with a description, docs/library.md).
    NSNN_TRUNG_UONG = "nsnn_tw", _("Ngân sách nhà nước: trung ương")
    NSNN_TINH = "nsnn_tinh", _("Ngân sách nhà nước: tỉnh")
    NSNN_XA = "nsnn_xa", _("Ngân sách nhà nước: xã")
    KHUYEN_HOC = "khuyen_hoc", _("Hội Khuyến học")
    DOANH_NGHIEP = "doanh_nghiep", _("Doanh nghiệp")
    CA_NHAN = "ca_nhan", _("Cá nhân")
    QUOC_TE = "quoc_te", _("Tổ chức quốc tế")
    KHAC = "khac", _("Khác")


class Kind(models.TextChoices):
    MONEY = "tien", _("Tiền")
    EQUIPMENT = "thiet_bi", _("Thiết bị")
    BOOKS = "sach", _("Sách")
    LABOUR = "ngay_cong", _("Ngày công")


# Kinds whose value in VND must be given (a gift of books or labour may be recorded without one).
VALUED_KINDS = (Kind.MONEY, Kind.EQUIPMENT)


class Contribution(Archivable):
    """One contribution received. Natural key (imports): centre, date, source, kind, description."""

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="contributions"
    )
    date = models.DateField(_("ngày nhận"))
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices)
    value = models.PositiveBigIntegerField(_("giá trị (đồng)"), null=True, blank=True)
    quantity = models.PositiveIntegerField(
        _("số lượng"), null=True, blank=True, help_text=_("Số thiết bị, số cuốn sách hoặc số ngày công")
    )
    description = models.CharField(_("nội dung"), max_length=255)
    # The item this gift of equipment added to the centre's facilities (same transaction).
    equipment = models.OneToOneField(
        "centres.Equipment",
        verbose_name=_("thiết bị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contribution",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "-date", "id"]
        default_manager_name = "objects"
        verbose_name = _("khoản huy động")
        verbose_name_plural = _("khoản huy động")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="contribution_value_not_negative",
                violation_error_message=_("Giá trị không được là số âm."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=VALUED_KINDS) | Q(value__isnull=False),
                name="contribution_money_and_equipment_valued",
                violation_error_message=_("Tiền và thiết bị phải ghi giá trị (đồng)."),
            ),
            models.CheckConstraint(
                condition=Q(kind=Kind.EQUIPMENT) | Q(equipment__isnull=True),
                name="contribution_equipment_only_for_equipment",
            ),
            models.UniqueConstraint(
                fields=["centre", "date", "source", "kind", "description"],
                condition=Q(archived_at__isnull=True),
                name="contribution_once",
                violation_error_message=_("Khoản này đã được ghi (cùng ngày, nguồn, hình thức và nội dung)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.date:%d/%m/%Y})"
