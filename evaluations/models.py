"""Annual evaluation of centres.

Contract other apps rely on: one Assessment per centre and year; `status == APPROVED` means the
province approved and locked it, and `rating` is then the official rating of that year. Courses asks
evaluations.selectors.centre_year_is_locked() before any write to a year's classes and sessions.

The rubric (criteria, maximum points, thresholds) and the deadlines are data each province edits per year
(unique per province and year); an assessment is made with the rubric of its centre's province for its year; an assessment keeps
the rubric it was made with. Every write goes through evaluations/services/ (rubric.py, workflow.py), which records an
AssessmentEvent or RubricEvent; `Assessment.version` is the optimistic lock for concurrent saves.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from centres.models import RATING_ORDER, Rating  # noqa: F401 — re-exported: evaluations' own vocabulary


# The rating vocabulary (Tốt, Khá, Trung bình, Yếu) and its order live in centres.models: the registry lists
# each centre's rating, and the registry sits below evaluations (docs/architecture.md, "Layers").
class CriterionGroup(models.IntegerChoices):
    """The four groups of content set nationally (Công văn 2553/BGDĐT-GDTX, 18/4/2013)."""

    BO_MAY = 1, _("Bộ máy quản lý")
    TO_CHUC = 2, _("Tổ chức hoạt động")
    HUY_DONG = 3, _("Huy động sự tham gia của xã hội")
    HIEU_QUA = 4, _("Hiệu quả hoạt động")


class Rubric(models.Model):
    """A province's criteria and thresholds of one year (one per province and year). A former province keeps
    its own rubrics after the 2025 reform: its centres' assessments of those years were made with them."""

    province = models.ForeignKey(
        "units.Province", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="rubrics"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    # The points the criteria add up to (100 in the national model); a criterion that would pass it is refused.
    total_points = models.DecimalField(_("tổng điểm của bộ tiêu chí"), max_digits=6, decimal_places=2, default=100)
    # The shipped default: shown with a warning until the Sở edits it.
    is_starter = models.BooleanField(_("mẫu khởi đầu"), default=False)
    # Set when the year's first assessment is submitted; from then on the rubric is read-only.
    frozen_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("sao từ"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "province"]
        verbose_name = _("bộ tiêu chí đánh giá")
        verbose_name_plural = _("bộ tiêu chí đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="rubric_one_per_province_year",
                violation_error_message=_("Tỉnh đã có bộ tiêu chí của năm này."),
            ),
            models.CheckConstraint(
                condition=Q(total_points__gt=0),
                name="rubric_total_points_positive",
                violation_error_message=_("Tổng điểm của bộ tiêu chí phải lớn hơn 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="criteria")
    group = models.PositiveSmallIntegerField(_("nhóm nội dung"), choices=CriterionGroup.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.CharField(_("tiêu chí"), max_length=255)
    description = models.TextField(_("mô tả, minh chứng cần có"), blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["rubric", "group", "order", "id"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=0),
                name="criterion_max_points_positive",
                violation_error_message=_("Điểm tối đa phải lớn hơn 0."),
            ),
            models.UniqueConstraint(fields=["rubric", "group", "order"], name="criterion_order_unique_in_group"),
        ]

    def __str__(self) -> str:
        return f"{self.group}.{self.order} {self.title}"

    @property
    def code(self) -> str:
        return f"{self.group}.{self.order}"


class RatingThreshold(models.Model):
    """The least total (and optionally the least per group) a rating needs. Yếu needs nothing."""

    rubric = models.ForeignKey(
        Rubric, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="thresholds"
    )
    rating = models.CharField(_("xếp loại"), max_length=20, choices=Rating.choices)
    min_total = models.DecimalField(_("tổng điểm tối thiểu"), max_digits=6, decimal_places=2, default=0)
    min_group_1 = models.DecimalField(_("tối thiểu nhóm 1"), max_digits=5, decimal_places=2, null=True, blank=True)
    min_group_2 = models.DecimalField(_("tối thiểu nhóm 2"), max_digits=5, decimal_places=2, null=True, blank=True)
    min_group_3 = models.DecimalField(_("tối thiểu nhóm 3"), max_digits=5, decimal_places=2, null=True, blank=True)
    min_group_4 = models.DecimalField(_("tối thiểu nhóm 4"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["rubric", "-min_total"]
        verbose_name = _("ngưỡng xếp loại")
        verbose_name_plural = _("ngưỡng xếp loại")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "rating"], name="threshold_one_per_rating"),
            models.CheckConstraint(
                condition=Q(min_total__gte=0),
                name="threshold_min_total_not_negative",
                violation_error_message=_("Tổng điểm tối thiểu không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ≥ {self.min_total}"

    def group_minimum(self, group: int):
        return getattr(self, f"min_group_{group}")


class EvaluationCycle(models.Model):
    """A province's deadlines of one year, one per step. Overdue lists compare them with today."""

    province = models.ForeignKey(
        "units.Province", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="evaluation_cycles"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    self_assessment_due = models.DateField(_("hạn nộp tự đánh giá"))
    review_due = models.DateField(_("hạn thẩm định, đề xuất"))
    approval_due = models.DateField(_("hạn phê duyệt"))

    class Meta:
        ordering = ["-year", "province"]
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="cycle_one_per_province_year",
                violation_error_message=_("Tỉnh đã có các hạn của năm này."),
            ),
            models.CheckConstraint(
                condition=Q(review_due__gte=F("self_assessment_due")) & Q(approval_due__gte=F("review_due")),
                name="cycle_deadlines_in_order",
                violation_error_message=_("Các hạn phải theo thứ tự: nộp tự đánh giá ≤ thẩm định ≤ phê duyệt."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang tự đánh giá")
        SUBMITTED = "submitted", _("Đã nộp, chờ thẩm định")
        PROPOSED = "proposed", _("Đã đề xuất xếp loại")
        RETURNED = "returned", _("Bị trả lại")
        APPROVED = "approved", _("Đã phê duyệt (khóa)")

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    self_score = models.DecimalField(_("điểm tự đánh giá"), max_digits=6, decimal_places=2, null=True, blank=True)
    review_score = models.DecimalField(_("điểm thẩm định"), max_digits=6, decimal_places=2, null=True, blank=True)
    proposed_rating = models.CharField(_("xếp loại đề xuất"), max_length=20, choices=Rating.choices, blank=True)
    rating = models.CharField(_("xếp loại"), max_length=20, choices=Rating.choices, blank=True)

    # Null only for rows made outside the workflow (imports of past years, other apps' test data).
    rubric = models.ForeignKey(
        Rubric,
        verbose_name=_("bộ tiêu chí"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    # Optimistic lock: every save is UPDATE … WHERE version = n, then version = n + 1.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    self_comment = models.TextField(_("nhận xét của trung tâm"), blank=True)
    review_comment = models.TextField(_("nhận xét thẩm định"), blank=True)
    # Why the proposed rating differs from the one the thresholds give.
    rating_reason = models.TextField(_("lý do xếp loại khác ngưỡng"), blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    proposed_at = models.DateTimeField(_("đề xuất lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-year", "centre"]
        verbose_name = _("đánh giá xếp loại")
        verbose_name_plural = _("đánh giá xếp loại")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="assessment_one_per_centre_year"),
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(rating=""), name="assessment_approved_has_rating"
            ),
            models.CheckConstraint(
                condition=~Q(status="proposed") | ~Q(proposed_rating=""), name="assessment_proposed_has_rating"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_version_positive"),
        ]
        indexes = [models.Index(fields=["year", "status"], name="assessment_year_status_idx")]

    def __str__(self) -> str:
        return f"{self.centre} – {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def self_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def review_editable(self) -> bool:
        return self.status == self.Status.SUBMITTED


class CriterionScore(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="scores"
    )
    # Criteria change only before the rubric freezes, when no assessment has been submitted: a removed
    # criterion takes the drafts' points on it along.
    criterion = models.ForeignKey(Criterion, verbose_name=_("tiêu chí"), on_delete=models.CASCADE)
    self_points = models.DecimalField(_("điểm tự chấm"), max_digits=5, decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("ghi chú, minh chứng"), blank=True)
    review_points = models.DecimalField(_("điểm thẩm định"), max_digits=5, decimal_places=2, null=True, blank=True)
    review_comment = models.TextField(_("nhận xét thẩm định"), blank=True)

    class Meta:
        ordering = ["assessment", "criterion__group", "criterion__order"]
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True) | Q(self_points__gte=0), name="score_self_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(review_points__isnull=True) | Q(review_points__gte=0), name="score_review_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.criterion.code}"


def attachment_path(instance, filename: str) -> str:
    return f"danh-gia/{instance.assessment.year}/{instance.assessment.centre_id}/{filename}"


class Attachment(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="attachments"
    )
    criterion = models.ForeignKey(
        "Criterion",
        verbose_name=_("minh chứng cho tiêu chí"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Để trống khi tệp dùng cho cả phiếu (biên bản, báo cáo có chữ ký)."),
    )
    file = models.FileField(_("tệp"), upload_to=attachment_path)
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "uploaded_at"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """Who did it and when: the part every history line of the evaluations shares."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"))

    class Meta:
        abstract = True


class AssessmentEvent(Event):
    """One line of an assessment's history: who did what, when, from which status to which, why."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo phiếu đánh giá")
        SELF_SAVE = "self_save", _("Lưu tự đánh giá")
        SUBMIT = "submit", _("Nộp tự đánh giá")
        ATTACH = "attach", _("Đính kèm tệp")
        REVIEW_SAVE = "review_save", _("Lưu điểm thẩm định")
        PROPOSE = "propose", _("Đề xuất xếp loại")
        APPROVE = "approve", _("Phê duyệt, khóa")
        RETURN = "return", _("Trả lại")
        UNLOCK = "unlock", _("Mở khóa")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=Assessment.Status.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=Assessment.Status.choices, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    # {"1.1": ["8", "9"], "self_score": [..]}: what changed, old → new.
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)

    class Meta:
        ordering = ["assessment", "at", "id"]
        # The audit trail reads the newest events first, a page at a time (reports.audit.EntryKeys).
        indexes = [models.Index(fields=["-at", "-id"], name="assessment_event_at_idx")]
        verbose_name = _("lịch sử đánh giá")
        verbose_name_plural = _("lịch sử đánh giá")

    def __str__(self) -> str:
        return f"{self.assessment} {self.get_action_display()}"


class RubricEvent(Event):
    class Action(models.TextChoices):
        CREATE = "create", _("Tạo bộ tiêu chí")
        CRITERION_ADD = "criterion_add", _("Thêm tiêu chí")
        CRITERION_EDIT = "criterion_edit", _("Sửa tiêu chí")
        CRITERION_DELETE = "criterion_delete", _("Xóa tiêu chí")
        THRESHOLDS = "thresholds", _("Sửa ngưỡng xếp loại")
        SETTINGS = "settings", _("Sửa tên, tổng điểm")
        FREEZE = "freeze", _("Khóa bộ tiêu chí")

    rubric = models.ForeignKey(Rubric, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        ordering = ["rubric", "at", "id"]
        verbose_name = _("lịch sử bộ tiêu chí")
        verbose_name_plural = _("lịch sử bộ tiêu chí")

    def __str__(self) -> str:
        return f"{self.rubric} {self.get_action_display()}"
