"""Administrative units: province → district → commune, with GSO codes and validity dates.

Codes are text with leading zeros and are NOT unique on their own: after the 2025 reform a new commune
often took one of its predecessors' codes (old 12523 Thị trấn An Bài → new 12523 Xã Phụ Dực). A unit is
identified by (code, valid_from): the list it came from. Units that ended keep their rows for history.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tthtcd_portal.vietnamese import by_name

# The day the 2-tier system started (Nghị quyết 202/2025/QH15): districts stopped operating.
REFORM_DATE = datetime.date(2025, 7, 1)
# valid_from of units imported from a 3-tier (pre-reform) list when the import names no date.
LEGACY_VALID_FROM = datetime.date(2000, 1, 1)


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class AdministrativeUnit(models.Model):
    """What province, district and commune share: a GSO code and name, the dates the unit was valid, and the
    constraints on them — unique (code, valid_from), validity ordered. Constraint names keep their form
    (`province_validity_ordered`, …) through %(class)s, so the database needs no migration."""

    code = models.CharField(_("mã"), max_length=5)
    name = models.CharField(_("tên"), max_length=100)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True
        # By name in Vietnamese order (pickers, the admin site); official tables order by code explicitly.
        ordering = [by_name(), "valid_from", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="%(class)s_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="%(class)s_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MergedUnit(AdministrativeUnit):
    """A unit that can end by becoming part of another of its level (provinces and communes, 2025): set by the
    mapping import, `merged_into` is the unit it became part of."""

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta(AdministrativeUnit.Meta):
        abstract = True


class Province(MergedUnit):
    class Kind(models.TextChoices):
        TINH = "tinh", _("Tỉnh")
        THANH_PHO = "thanh_pho", _("Thành phố trực thuộc trung ương")

    code = models.CharField(_("mã"), max_length=2)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.TINH)

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")
        constraints = [
            *AdministrativeUnit.Meta.constraints,
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{2}$"), name="province_code_two_digits"),
        ]


class District(AdministrativeUnit):
    class Kind(models.TextChoices):
        HUYEN = "huyen", _("Huyện")
        QUAN = "quan", _("Quận")
        THI_XA = "thi_xa", _("Thị xã")
        THANH_PHO = "thanh_pho", _("Thành phố")

    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="districts")
    code = models.CharField(_("mã"), max_length=3)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.HUYEN)

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("quận/huyện")
        verbose_name_plural = _("quận/huyện")
        constraints = [
            *AdministrativeUnit.Meta.constraints,
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{3}$"), name="district_code_three_digits"),
        ]


class Commune(MergedUnit):
    class Kind(models.TextChoices):
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        THI_TRAN = "thi_tran", _("Thị trấn")
        DAC_KHU = "dac_khu", _("Đặc khu")

    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="communes")
    # Empty for communes of the 2-tier system (from 1 July 2025).
    district = models.ForeignKey(
        District, verbose_name=_("huyện"), null=True, blank=True, on_delete=models.PROTECT, related_name="communes"
    )
    code = models.CharField(_("mã"), max_length=5)
    kind = models.CharField(_("cấp"), max_length=20, choices=Kind.choices, default=Kind.XA)

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("xã/phường/thị trấn")
        verbose_name_plural = _("xã/phường/thị trấn")
        constraints = [
            *AdministrativeUnit.Meta.constraints,
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{5}$"), name="commune_code_five_digits"),
        ]
        indexes = [models.Index(fields=["code"], name="commune_code_idx")]

    @property
    def short_name(self) -> str:
        """The name without its kind prefix: "Xã Minh Tân" → "Minh Tân"."""
        prefix = self.get_kind_display()
        if self.name.startswith(prefix + " "):
            return self.name[len(prefix) + 1 :]
        return self.name
