"""The province keeps its own accounts (issue 16 item 7): every change a provincial official (or an
administrator) makes to a centre staff or reviewer account, for the audit trail. The accounts themselves are
accounts.User; who manages which is accounts.scoping.managed_accounts_q."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountChange(models.Model):
    class Action(models.TextChoices):
        CREATED = "tao", _("Tạo tài khoản")
        CHANGED = "sua", _("Sửa tài khoản")
        DEACTIVATED = "khoa", _("Khóa tài khoản")
        REACTIVATED = "mo", _("Mở lại tài khoản")
        PASSWORD = "mat-khau", _("Cấp lại mật khẩu")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="changes"
    )
    # The province whose officials manage the account at the time (its centre's or office's): the audit
    # trail's scope, kept even if the account later moves.
    province = models.ForeignKey("units.Province", verbose_name=_("tỉnh"), on_delete=models.PROTECT)
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    # Field label → [before, after], as shown (names of centres and offices, not ids).
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("thay đổi tài khoản")
        verbose_name_plural = _("thay đổi tài khoản")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["tao", "sua", "khoa", "mo", "mat-khau"]), name="account_change_action_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.account_id}"
