"""Forms validate and clean; the services write."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import ClassSession, Course, Learner, ProgrammeKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _single_centre(form, centres) -> None:
    """Centre staff have one centre: the field is hidden and defaults to it."""
    field = form.fields["centre"]
    field.queryset = centres
    if len(centres) == 1:
        field.initial = centres[0]
        field.widget = forms.HiddenInput()
        field.required = False
        form.only_centre = centres[0]


class CentreDefaultMixin:
    only_centre = None

    def clean_centre(self):
        return self.cleaned_data.get("centre") or self.only_centre


class ProgrammeKindForm(forms.ModelForm):
    class Meta:
        model = ProgrammeKind
        fields = ["name", "code", "order", "is_active"]


class CourseForm(CentreDefaultMixin, forms.ModelForm):
    centre = forms.ModelChoiceField(queryset=None, label=_("Trung tâm"))

    class Meta:
        model = Course
        fields = [
            "centre",
            "title",
            "programme_kind",
            "format",
            "instructor_names",
            "partner",
            "place",
            "start_date",
            "end_date",
            "planned_sessions",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "format": forms.RadioSelect}
        help_texts = {"instructor_names": _("Họ tên, cách nhau bằng dấu phẩy.")}

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_kind"].queryset = ProgrammeKind.objects.filter(is_active=True)
        if centres is None:  # editing: the centre does not change
            del self.fields["centre"]
        else:
            _single_centre(self, centres)
        if self.instance.pk and self.instance.sessions.exists():
            self.fields["format"].disabled = True


class SessionForm(forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["date", "topic", "instructor_name", "hours", "place", "present", "women", "minorities"]
        widgets = {"date": DATE}

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.course = course
        if course.is_roster:
            for name in ("present", "women", "minorities"):
                del self.fields[name]
        else:
            for name in ("present", "women", "minorities"):
                self.fields[name].widget.attrs.update(min=0, inputmode="numeric")
        self.fields["date"].widget.attrs["max"] = min(course.end_date, timezone.localdate()).isoformat()
        self.fields["date"].widget.attrs["min"] = course.start_date.isoformat()


class LearnerForm(forms.ModelForm):
    class Meta:
        model = Learner
        fields = ["full_name", "gender", "birth_year", "ethnicity", "is_minority", "village"]


class QuickLearnerForm(forms.Form):
    """One line of the quick-add table on the enrolment page; a blank line is ignored."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=200, required=False)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Learner.Gender.choices, required=False)
    birth_year = forms.IntegerField(label=_("Năm sinh"), min_value=1900, max_value=2100, required=False)
    village = forms.CharField(label=_("Thôn, xóm"), max_length=100, required=False)
    is_minority = forms.BooleanField(label=_("Dân tộc thiểu số"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("full_name") and not data.get("gender"):
            self.add_error("gender", _("Chọn giới tính."))
        return data


QuickLearnerFormSet = forms.formset_factory(QuickLearnerForm, extra=5, max_num=50)


class EnrolForm(forms.Form):
    learners = forms.ModelMultipleChoiceField(
        queryset=Learner.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Người học")
    )
    from_date = forms.DateField(label=_("Học từ ngày"), widget=DATE)

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        from courses.selectors import learners_not_in

        self.fields["learners"].queryset = learners_not_in(course)
        self.fields["from_date"].initial = course.start_date


class ImportUploadForm(CentreDefaultMixin, forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) theo mẫu"))
    centre = forms.ModelChoiceField(queryset=None, label=_("Trung tâm"))

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        _single_centre(self, centres)


def parse_month(value: str | None) -> tuple[int, int]:
    """ "2026-10" → (2026, 10); anything else → this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1).year, month
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
