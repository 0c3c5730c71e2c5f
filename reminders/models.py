"""A user's reminder settings: whether they want the daily e-mail digest, and the day it was last sent (so a
second run on the same day sends nothing twice). A user without a row receives the digest (the default)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="reminder_settings",
    )
    daily_digest = models.BooleanField(_("nhận thư nhắc việc hằng ngày"), default=True)
    last_digest_on = models.DateField(_("gửi thư nhắc việc gần nhất"), null=True, blank=True)

    class Meta:
        ordering = ["user"]
        verbose_name = _("cài đặt nhắc việc")
        verbose_name_plural = _("cài đặt nhắc việc")

    def __str__(self) -> str:
        return str(self.user)
