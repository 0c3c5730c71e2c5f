from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        # The list pages' exports need reports.exports' TableSpec, so they register themselves here rather
        # than being imported by reports.exports (a cycle).
        from reports.exports import EXPORTS
        from reports.list_exports import KINDS

        EXPORTS.update({kind.code: kind for kind in KINDS})
