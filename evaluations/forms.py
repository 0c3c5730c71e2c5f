import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import RATING_ORDER, Criterion, CriterionGroup, EvaluationCycle, Rating, RatingThreshold, Rubric
from evaluations.services import PointsEntry, rating_for
from tthtcd_portal.numbers import format_points

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    """Carries the version the user loaded: the service refuses the save if someone saved since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


@dataclass
class SheetGroup:
    """One group of the sheet as the form shows it: its rows and the points entered so far."""

    group: int
    label: str
    rows: list = field(default_factory=list)
    total: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)

    def total_shown(self) -> str:
        return format_points(self.total)

    def max_shown(self) -> str:
        return format_points(self.max_points)


def _typed_points(value) -> Decimal | None:
    """What the user typed ("4,5", "4.5") or what was saved, as a number; None when empty or not a number."""
    if value in (None, ""):
        return None
    try:
        points = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return points if points.is_finite() else None


def _plain(points: Decimal | None) -> str | None:
    return None if points is None else format(points.normalize(), "f")


class ScoreSheetForm(VersionedForm):
    """Points and a note per criterion, for the centre ("self") or the reviewing office ("review"), with the
    running totals per group and overall and the rating they would give (the page's script keeps them live)."""

    comment = forms.CharField(label=_("Nhận xét chung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args,
        criteria: list[Criterion],
        scores: dict,
        mode: str,
        thresholds: list[RatingThreshold] = (),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.thresholds = list(thresholds)
        points_attr, text_attr = ("self_points", "self_note") if mode == "self" else ("review_points", "review_comment")
        text_label = _("Ghi chú, minh chứng") if mode == "self" else _("Nhận xét")
        for c in criteria:
            score = scores.get(c.pk)
            self.fields[f"points_{c.pk}"] = forms.DecimalField(
                label=_("Điểm (tối đa %(max)s)") % {"max": format_points(c.max_points)},
                required=False,
                min_value=Decimal(0),
                max_value=c.max_points,
                decimal_places=2,
                # "4", "8.5": not "4.00" (the input shows what it holds; Decimal("10").normalize() is 1E+1)
                initial=_plain(getattr(score, points_attr)) if score else None,
                error_messages={
                    "max_value": _("Tiêu chí %(code)s: tối đa %(max)s điểm.")
                    % {"code": c.code, "max": format_points(c.max_points)},
                    "min_value": _("Điểm không được âm."),
                    "invalid": _("Nhập một số, ví dụ 4,5."),
                },
                # A number input always posts "2.5", whatever the language: not localized.
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": f"{c.max_points}"}),
            )
            self.fields[f"text_{c.pk}"] = forms.CharField(
                label=text_label,
                required=False,
                initial=getattr(score, text_attr) if score else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def bound_rows(self):
        """(criterion, points field, text field) in rubric order, for the template."""
        return [(c, self[f"points_{c.pk}"], self[f"text_{c.pk}"]) for c in self.criteria]

    def groups(self) -> list[SheetGroup]:
        """The rows by group with the points entered so far (as typed on a refused post, else as saved)."""
        groups: dict[int, SheetGroup] = {}
        for criterion, points, text in self.bound_rows():
            block = groups.setdefault(
                criterion.group, SheetGroup(group=criterion.group, label=criterion.get_group_display())
            )
            block.rows.append((criterion, points, text))
            block.max_points += criterion.max_points
            typed = _typed_points(points.value())
            if typed is not None and 0 <= typed <= criterion.max_points:
                block.total += typed
        return [groups[g] for g in sorted(groups)]

    def summary(self) -> dict:
        """Overall points entered, the maximum, how many criteria are still empty, and the rating they give."""
        groups = self.groups()
        total = sum((g.total for g in groups), Decimal(0))
        empty = sum(1 for c, points, _text in self.bound_rows() if _typed_points(points.value()) is None)
        rating = rating_for(thresholds=self.thresholds, total=total, group_totals={g.group: g.total for g in groups})
        return {
            "total": total,
            "total_shown": format_points(total),
            "max_shown": format_points(sum((g.max_points for g in groups), Decimal(0))),
            "empty": empty,
            "rating": Rating(rating).label,
        }

    def thresholds_json(self) -> str:
        """The thresholds, best rating first, for the page's script (the same rule as services.rating_for)."""
        by_rating = {t.rating: t for t in self.thresholds}
        rows = []
        for rating in RATING_ORDER:
            t = by_rating.get(rating)
            if t is None:
                continue
            minimums = {
                str(g): float(t.group_minimum(g)) for g in CriterionGroup.values if t.group_minimum(g) is not None
            }
            rows.append({"label": str(Rating(rating).label), "min": float(t.min_total), "groups": minimums})
        return json.dumps({"thresholds": rows, "fallback": str(Rating.YEU.label)}, ensure_ascii=False)

    def entries(self) -> dict[int, PointsEntry]:
        return {
            c.pk: PointsEntry(points=self.cleaned_data[f"points_{c.pk}"], text=self.cleaned_data[f"text_{c.pk}"])
            for c in self.criteria
        }


class ProposeForm(VersionedForm):
    rating = forms.ChoiceField(label=_("Xếp loại đề xuất"), choices=[(r.value, r.label) for r in RATING_ORDER])
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi khác xếp loại theo ngưỡng)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    """A file, for the whole sheet or one criterion. Its fields belong to the score sheet's form (the HTML
    `form` attribute): uploading posts the points typed so far with the file, so nothing typed is lost."""

    file = forms.FileField(
        label=_("Tệp đính kèm (PDF, JPG, PNG, DOCX, XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx", "form": "self-form"}),
    )
    criterion = forms.TypedChoiceField(
        label=_("Minh chứng cho tiêu chí"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"form": "self-form"}),
    )

    def __init__(self, *args, criteria: list[Criterion] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = {c.pk: c for c in criteria}
        self.fields["criterion"].choices = [("", _("Cả phiếu (không riêng tiêu chí nào)"))] + [
            (c.pk, f"{c.code} {c.title}") for c in criteria
        ]

    def chosen_criterion(self) -> Criterion | None:
        return self.criteria.get(self.cleaned_data.get("criterion"))


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["group", "title", "description", "max_points"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ["max_points"]

    def clean_max_points(self):
        points = self.cleaned_data["max_points"]
        if points is not None and points <= 0:
            raise forms.ValidationError(_("Điểm tối đa phải lớn hơn 0."))
        return points


class RubricSettingsForm(forms.ModelForm):
    """The rubric's title and the points its criteria add up to (until it freezes)."""

    class Meta:
        model = Rubric
        fields = ["title", "total_points"]
        localized_fields = ["total_points"]

    def clean_total_points(self):
        points = self.cleaned_data["total_points"]
        if points is not None and points <= 0:
            raise forms.ValidationError(_("Tổng điểm của bộ tiêu chí phải lớn hơn 0."))
        return points


class ThresholdsForm(forms.Form):
    """One row per rating: least total, and optionally the least points in each group."""

    def __init__(self, *args, thresholds: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for rating in RATING_ORDER:
            t = thresholds.get(rating)
            self.fields[f"{rating}_min_total"] = forms.DecimalField(
                label=_("%(rating)s: tổng điểm tối thiểu") % {"rating": Rating(rating).label},
                min_value=0,
                decimal_places=2,
                initial=t.min_total if t else 0,
                localize=True,
            )
            for g in range(1, 5):
                self.fields[f"{rating}_min_group_{g}"] = forms.DecimalField(
                    label=_("%(rating)s: tối thiểu nhóm %(g)s “%(group)s”")
                    % {"rating": Rating(rating).label, "g": g, "group": CriterionGroup(g).label},
                    required=False,
                    min_value=0,
                    decimal_places=2,
                    initial=t.group_minimum(g) if t else None,
                    localize=True,
                )

    @staticmethod
    def group_headers():
        """The threshold table's columns: each group by number and name."""
        return [(g, CriterionGroup(g).label) for g in CriterionGroup.values]

    def rows(self):
        return [
            (Rating(r).label, self[f"{r}_min_total"], [self[f"{r}_min_group_{g}"] for g in range(1, 5)])
            for r in RATING_ORDER
        ]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            r: {
                "min_total": data[f"{r}_min_total"],
                **{f"min_group_{g}": data[f"{r}_min_group_{g}"] for g in range(1, 5)},
            }
            for r in RATING_ORDER
        }


class CycleForm(forms.ModelForm):
    class Meta:
        model = EvaluationCycle
        fields = ["self_assessment_due", "review_due", "approval_due"]
        widgets = {"self_assessment_due": DATE_WIDGET, "review_due": DATE_WIDGET, "approval_due": DATE_WIDGET}

    def clean(self):
        """Each deadline out of order is named on its own field (which also keeps the database constraint's
        generic text away: a field in error is left out of the model's constraint check)."""
        data = super().clean()
        first, review, approval = (data.get(f) for f in ("self_assessment_due", "review_due", "approval_due"))
        if first and review and review < first:
            self.add_error(
                "review_due",
                _("Hạn thẩm định, đề xuất (%(day)s) phải cùng ngày hoặc sau hạn nộp tự đánh giá (%(before)s).")
                % {"day": review.strftime("%d/%m/%Y"), "before": first.strftime("%d/%m/%Y")},
            )
        elif review and approval and approval < review:
            self.add_error(
                "approval_due",
                _("Hạn phê duyệt (%(day)s) phải cùng ngày hoặc sau hạn thẩm định, đề xuất (%(before)s).")
                % {"day": approval.strftime("%d/%m/%Y"), "before": review.strftime("%d/%m/%Y")},
            )
        elif first and approval and approval < first:
            self.add_error(
                "approval_due",
                _("Hạn phê duyệt (%(day)s) phải cùng ngày hoặc sau hạn nộp tự đánh giá (%(before)s).")
                % {"day": approval.strftime("%d/%m/%Y"), "before": first.strftime("%d/%m/%Y")},
            )
        return data


class AssignOfficeForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Đơn vị đánh giá"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("Chọn đơn vị đánh giá.")},
    )
    centres = forms.ModelMultipleChoiceField(
        label=_("Trung tâm"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một trung tâm.")},
    )

    def __init__(self, *args, offices, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["centres"].queryset = centres
