"""Classes, sessions and attendance, and the per-centre-per-year figures kept current from them.

Contract other apps rely on (reports, evaluations): CentreYearFigure holds, for each centre, year and
programme kind, the counts every report uses. courses/services.py updates it in the same transaction as
every write to classes, sessions and attendance; `manage.py rebuild_figures` recomputes it from the raw
records. Dashboards read it and never scan sessions.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.Model):
    """Reference data the province edits (DOMAIN.md: Xóa mù chữ, Khuyến nông, …)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("loại chương trình")
        verbose_name_plural = _("loại chương trình")

    def __str__(self) -> str:
        return self.name


class CentreYearFigure(models.Model):
    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.CASCADE, related_name="year_figures"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    programme_kind = models.ForeignKey(ProgrammeKind, verbose_name=_("loại chương trình"), on_delete=models.PROTECT)
    classes = models.PositiveIntegerField(_("số lớp"), default=0)
    sessions = models.PositiveIntegerField(_("số buổi"), default=0)
    participations = models.PositiveIntegerField(_("lượt người học"), default=0)
    women = models.PositiveIntegerField(_("lượt nữ"), default=0)
    minorities = models.PositiveIntegerField(_("lượt dân tộc thiểu số"), default=0)
    # The latest session of that year and kind: "no session in the last 30 days" without scanning sessions.
    last_session_date = models.DateField(_("buổi học gần nhất"), null=True, blank=True)

    class Meta:
        ordering = ["centre", "year", "programme_kind"]
        verbose_name = _("số liệu năm của trung tâm")
        verbose_name_plural = _("số liệu năm của trung tâm")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year", "programme_kind"], name="figure_centre_year_kind_unique"),
            models.CheckConstraint(condition=Q(women__lte=F("participations")), name="figure_women_within_total"),
            models.CheckConstraint(
                condition=Q(minorities__lte=F("participations")), name="figure_minorities_within_total"
            ),
        ]
        indexes = [models.Index(fields=["year", "centre"], name="figure_year_centre_idx")]

    def __str__(self) -> str:
        return f"{self.centre} {self.year} {self.programme_kind}"
