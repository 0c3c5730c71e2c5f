from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "centres"
    verbose_name = _("Trung tâm")

    def ready(self):
        # Official report (c), the list of centres, prints the registry's board and instructor counts.
        from centres.selectors import board_and_instructor_counts
        from reports.official import CENTRE_REPORT_EXTRA_COLUMNS, ExtraColumns
        from reports.xlsx import NUMBER, Column

        CENTRE_REPORT_EXTRA_COLUMNS.append(
            ExtraColumns(
                [
                    Column(_("Thành viên Ban Giám đốc"), NUMBER, 14),
                    Column(_("Giáo viên, báo cáo viên"), NUMBER, 14),
                ],
                board_and_instructor_counts,
            )
        )
