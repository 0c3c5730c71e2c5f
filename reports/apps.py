from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        # The list pages' exports need reports.exports' TableSpec, so they register themselves here rather
        # than being imported by reports.exports (a cycle).
        from accounts.scoping import is_province_level
        from reports.audit import build_audit_export
        from reports.exports import EXPORTS, ExportKind
        from reports.list_exports import KINDS

        EXPORTS.update({kind.code: kind for kind in KINDS})
        EXPORTS["nhat-ky"] = ExportKind("nhat-ky", _("Nhật ký thay đổi dữ liệu"), is_province_level, build_audit_export)
