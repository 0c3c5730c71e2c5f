"""A centre's learning-needs survey and annual activity plan, per centre and year (issue 20, items 1–2;
docs/planning.md).

The survey is a tally: how many respondents asked to learn each programme kind, by the group they belong to
(each respondent under the one group the paper form ticks as theirs, so the groups add up). The plan lists the
classes and talks the centre means to hold, by programme kind and month, with the learner-participations it
expects; the commune People's Committee approves it by a decision, after which it is read-only. What was done
is never recounted here: pages compare with courses.CentreYearFigure, the kept figures.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tthtcd_portal.concurrency import version_field

YEAR_RANGE = Q(year__gte=2000, year__lte=2100)


class NeedGroup(models.TextChoices):
    """Who asked (DOMAIN.md: reports split by women and ethnic minorities; the mass organisations on the board
    speak for farmers, workers, youth and the elderly). One group per respondent: the first that fits, in
    this order, as the paper form lists them."""

    MINORITIES = "dan_toc", _("Người dân tộc thiểu số")
    WOMEN = "phu_nu", _("Phụ nữ")
    FARMERS = "nong_dan", _("Nông dân")
    WORKERS = "cong_nhan", _("Công nhân, người lao động")
    YOUTH = "thanh_nien", _("Thanh niên (16–30 tuổi)")
    ADULTS = "trung_nien", _("Người 31–59 tuổi")
    ELDERLY = "cao_tuoi", _("Người cao tuổi (từ 60 tuổi)")
    OTHER = "khac", _("Đối tượng khác")


class NeedSurvey(models.Model):
    """One centre's survey of one year: the header its tally hangs off (its version guards the grid's edits)."""

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="need_surveys"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = version_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "-year"]
        verbose_name = _("khảo sát nhu cầu học tập")
        verbose_name_plural = _("khảo sát nhu cầu học tập")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="need_survey_centre_year_unique"),
            models.CheckConstraint(condition=YEAR_RANGE, name="need_survey_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.centre} – {self.year}"


class NeedTally(models.Model):
    """Respondents of one group asking for one programme kind. Only non-zero cells are kept."""

    survey = models.ForeignKey(NeedSurvey, verbose_name=_("khảo sát"), on_delete=models.CASCADE, related_name="tallies")
    programme_kind = models.ForeignKey(
        "courses.ProgrammeKind", verbose_name=_("loại chương trình"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(_("nhóm đối tượng"), max_length=20, choices=NeedGroup.choices)
    respondents = models.PositiveIntegerField(_("số người có nhu cầu"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "programme_kind", "group"]
        verbose_name = _("số người có nhu cầu")
        verbose_name_plural = _("số người có nhu cầu")
        constraints = [
            models.UniqueConstraint(fields=["survey", "programme_kind", "group"], name="need_tally_cell_unique"),
            models.CheckConstraint(condition=Q(group__in=NeedGroup.values), name="need_tally_group_known"),
            models.CheckConstraint(condition=Q(respondents__gt=0), name="need_tally_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.programme_kind} – {self.get_group_display()}"


class ActivityPlan(models.Model):
    """A centre's plan of one year: drafted by the centre, approved by the commune's decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã được UBND xã phê duyệt")

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="activity_plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi phê duyệt"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = version_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "-year"]
        verbose_name = _("kế hoạch hoạt động năm")
        verbose_name_plural = _("kế hoạch hoạt động năm")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="plan_centre_year_unique"),
            models.CheckConstraint(condition=YEAR_RANGE, name="plan_year_plausible"),
            models.CheckConstraint(condition=Q(status__in=["draft", "approved"]), name="plan_status_known"),
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="plan_approved_has_decision",
                violation_error_message=_("Kế hoạch đã duyệt phải có số và ngày quyết định."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} – {self.year}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class PlanLine(models.Model):
    """Planned classes (or talks) of one programme kind starting in one month, with the expected
    learner-participations (the figure the kept figures count, so plan and actual compare)."""

    class Activity(models.TextChoices):
        CLASS = "class", _("Lớp học")
        TALK = "talk", _("Chuyên đề, nói chuyện")

    plan = models.ForeignKey(ActivityPlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="lines")
    programme_kind = models.ForeignKey(
        "courses.ProgrammeKind", verbose_name=_("loại chương trình"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.CharField(_("hình thức"), max_length=10, choices=Activity.choices, default=Activity.CLASS)
    month = models.PositiveSmallIntegerField(_("tháng"))
    count = models.PositiveSmallIntegerField(_("số lớp, chuyên đề"))
    expected = models.PositiveIntegerField(_("lượt người học dự kiến"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "month", "programme_kind", "activity"]
        verbose_name = _("dòng kế hoạch")
        verbose_name_plural = _("dòng kế hoạch")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "programme_kind", "activity", "month"],
                name="plan_line_unique",
                violation_error_message=_("Kế hoạch đã có dòng này (cùng loại, hình thức và tháng)."),
            ),  # fmt: skip
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="plan_line_month_valid"),
            models.CheckConstraint(condition=Q(count__gte=1), name="plan_line_count_positive"),
            models.CheckConstraint(condition=Q(activity__in=["class", "talk"]), name="plan_line_activity_known"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.programme_kind} – {self.month}"
