from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffAccountsConfig(AppConfig):
    name = "staff_accounts"
    verbose_name = _("Tài khoản của tỉnh")
