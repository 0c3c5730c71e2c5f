from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = _("Công việc chạy nền")

    def ready(self):
        from background import checks  # noqa: F401  (registers the PERIODIC_TASKS check)
