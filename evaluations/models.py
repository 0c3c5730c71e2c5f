"""Annual evaluation of centres.

Contract other apps rely on: one Assessment per centre and year; `status == APPROVED` means the
province approved and locked it, and `rating` is then the official rating of that year. Courses asks
evaluations.selectors.centre_year_is_locked() before any write to a year's classes and sessions.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    TOT = "tot", _("Tốt")
    KHA = "kha", _("Khá")
    TRUNG_BINH = "trung_binh", _("Trung bình")
    YEU = "yeu", _("Yếu")


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

    class Meta:
        ordering = ["-year", "centre"]
        verbose_name = _("đánh giá xếp loại")
        verbose_name_plural = _("đánh giá xếp loại")
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="assessment_one_per_centre_year"),
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(rating=""), name="assessment_approved_has_rating"
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="assessment_year_status_idx")]

    def __str__(self) -> str:
        return f"{self.centre} – {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED
