"""Accounts, roles and reviewing offices.

Who sees what is decided in accounts/scoping.py, never here and never in a view.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tthtcd_portal.vietnamese import by_name


class Office(models.Model):
    """An office that reviews centres: a district Phòng GD&ĐT before 1 July 2025, afterwards the Sở itself
    or whatever office the province assigns to a cluster of communes. Which office reviews a centre is
    configuration (Centre.review_office), so no code assumes a district exists."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("Phòng GD&ĐT huyện")
        DEPARTMENT = "department", _("Sở GD&ĐT")
        CLUSTER = "cluster", _("Cụm xã, phường")

    province = models.ForeignKey("units.Province", verbose_name=_("tỉnh"), on_delete=models.PROTECT)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    # Set for a district office: the district whose centres it reviewed.
    district = models.ForeignKey(
        "units.District", verbose_name=_("huyện"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = [by_name()]
        verbose_name = _("đơn vị đánh giá")
        verbose_name_plural = _("đơn vị đánh giá")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="office_name_unique_in_province"),
            models.UniqueConstraint(
                fields=["district"], condition=Q(district__isnull=False), name="office_one_per_district"
            ),
            models.CheckConstraint(
                condition=~Q(kind="district") | Q(district__isnull=False), name="office_district_kind_has_district"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `createsuperuser` makes an administrator, the only role scoped to nothing.
        extra_fields.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        CENTRE_STAFF = "centre_staff", _("Cán bộ TTHTCĐ")
        REVIEWER = "reviewer", _("Chuyên viên đánh giá (Phòng GD&ĐT)")
        PROVINCE = "province", _("Chuyên viên Sở GD&ĐT")
        # The Ministry (Vụ Giáo dục thường xuyên): every province, read-only (docs/accounts.md, "The Ministry").
        MINISTRY = "ministry", _("Chuyên viên Bộ GD&ĐT")
        ADMIN = "admin", _("Quản trị hệ thống")

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.CENTRE_STAFF)
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("trung tâm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("đơn vị đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewers",
    )
    province = models.ForeignKey(
        "units.Province",
        verbose_name=_("tỉnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officials",
    )
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    # Set when the province gives the account a first-time password (staff_accounts): the user must choose
    # their own before anything else (accounts.middleware.FirstPasswordMiddleware).
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)
    # The interface language the user chose (footer switch); empty: Vietnamese, whatever the browser says.
    language = models.CharField(
        _("ngôn ngữ giao diện"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )

    objects = PortalUserManager()

    class Meta:
        # Given name, then family and middle names, as Vietnamese lists of people (docs/units.md).
        ordering = [by_name("first_name"), by_name("last_name"), "username"]
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            # Each role carries exactly the unit it is scoped to, and no other.
            models.CheckConstraint(
                name="user_role_matches_scope",
                condition=(
                    Q(role="centre_staff", centre__isnull=False, office__isnull=True, province__isnull=True)
                    | Q(role="reviewer", centre__isnull=True, office__isnull=False, province__isnull=True)
                    | Q(role="province", centre__isnull=True, office__isnull=True, province__isnull=False)
                    | Q(role="ministry", centre__isnull=True, office__isnull=True, province__isnull=True)
                    | Q(role="admin", centre__isnull=True, office__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) before the given name: "Nguyễn Thị Lan".
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def display_name(self) -> str:
        """The one way the portal names a person who uses it: the full name, else the username."""
        return self.get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_centre_staff(self) -> bool:
        return self.role == self.Role.CENTRE_STAFF

    @property
    def is_reviewer(self) -> bool:
        return self.role == self.Role.REVIEWER

    @property
    def is_province_official(self) -> bool:
        return self.role == self.Role.PROVINCE

    @property
    def is_ministry_official(self) -> bool:
        return self.role == self.Role.MINISTRY

    @property
    def is_administrator(self) -> bool:
        return self.role == self.Role.ADMIN
