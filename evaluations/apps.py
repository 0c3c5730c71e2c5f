from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Đánh giá xếp loại")

    def ready(self) -> None:
        # The apps between the registry and evaluations (library, resources) ask whether a year is locked
        # through centres.year_lock, since they may not import evaluations (docs/library.md).
        from centres.year_lock import year_lock_register
        from evaluations.selectors import centre_year_is_locked, locked_year_message

        year_lock_register(is_locked=centre_year_is_locked, message=locked_year_message)
