"""Forms validate and clean; the services write."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.models import Instructor
from courses.models import ClassSession, Course, Learner, ProgrammeKind
from tthtcd_portal.concurrency import VersionedForm
from tthtcd_portal.params import id_param
from tthtcd_portal.vietnamese import by_name

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _single_centre(form, centres) -> None:
    """Centre staff have one centre: the field is hidden and defaults to it."""
    field = form.fields["centre"]
    field.queryset = centres
    # Only centres the user may change are offered; a merged or dissolved one is refused with the reason.
    field.error_messages["invalid_choice"] = _(
        "Bạn không được thêm lớp cho trung tâm này (trung tâm đã sáp nhập hoặc giải thể chỉ được xem)."
    )
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


NOT_THE_CENTRES_INSTRUCTOR = _(
    "Người này không phải giảng viên của trung tâm đã chọn; ghi vào ô người dạy khác, khách mời."
)


def _instructor_choices(field, centre_id: int | None, keep=()) -> None:
    """Offer the instructors of the class's centre; none until the centre is known."""
    from courses.selectors import centre_instructors

    field.queryset = centre_instructors(centre_id=centre_id, keep=keep) if centre_id else Instructor.objects.none()
    field.error_messages["invalid_choice"] = NOT_THE_CENTRES_INSTRUCTOR


def _province_kinds(course: Course, centres):
    """The kinds the centre's province uses (not hidden, courses.selectors.kinds_for_province), and the edited
    class's own kind even when hidden since: a class already recorded with it keeps it."""
    from courses.selectors import kinds_for_province
    from units.models import Province

    if course.pk:
        provinces = Province.objects.filter(communes__centres=course.centre_id).values("pk")
    else:
        provinces = Province.objects.filter(communes__centres__in=centres.values("pk")).values("pk")
    offered = Q(pk__in=kinds_for_province(provinces).values("pk"))
    if course.pk:
        offered |= Q(pk=course.programme_kind_id)
    return ProgrammeKind.objects.filter(offered).order_by("order", by_name())


class CourseForm(VersionedForm, CentreDefaultMixin, forms.ModelForm):
    centre = forms.ModelChoiceField(queryset=None, label=_("Trung tâm"))

    class Meta:
        model = Course
        fields = [
            "centre",
            "title",
            "programme_kind",
            "format",
            "instructors",
            "instructor_names",
            "partner",
            "place",
            "start_date",
            "end_date",
            "planned_sessions",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "format": forms.RadioSelect,
            "instructors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_kind"].queryset = _province_kinds(self.instance, centres)
        instructors = self.fields["instructors"]
        if centres is None:  # editing: the centre does not change
            del self.fields["centre"]
            _instructor_choices(instructors, self.instance.centre_id, keep=self._linked_ids())
        else:
            _single_centre(self, centres)
            centre_id = self._chosen_centre_id(centres)
            _instructor_choices(instructors, centre_id)
            if centre_id is None:
                instructors.help_text = _(
                    "Chọn trung tâm rồi mở lại trang này (hoặc mở từ trang trung tâm) để chọn giảng viên."
                )
        if self.instance.pk and self.instance.sessions.exists():
            self.fields["format"].disabled = True

    def _linked_ids(self) -> list[int]:
        return list(self.instance.instructors.values_list("pk", flat=True)) if self.instance.pk else []

    def _chosen_centre_id(self, centres) -> int | None:
        """The centre whose instructors the form offers: the posted one, the initial one or the only one."""
        if self.only_centre is not None:
            return self.only_centre.pk
        raw = self.data.get(self.add_prefix("centre")) if self.is_bound else self.initial.get("centre")
        wanted = id_param(getattr(raw, "pk", raw))
        return wanted if wanted is not None and any(c.pk == wanted for c in centres) else None


class SessionForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["date", "topic", "instructor", "instructor_name", "hours", "place", "present", "women", "minorities"]
        widgets = {"date": DATE}

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.course = course
        keep = [self.instance.instructor_id] if self.instance.instructor_id else []
        _instructor_choices(self.fields["instructor"], course.centre_id, keep=keep)
        if course.is_roster:
            for name in ("present", "women", "minorities"):
                del self.fields[name]
        else:
            for name in ("present", "women", "minorities"):
                self.fields[name].widget.attrs.update(min=0, inputmode="numeric")
        self.fields["date"].widget.attrs["max"] = min(course.end_date, timezone.localdate()).isoformat()
        self.fields["date"].widget.attrs["min"] = course.start_date.isoformat()


CONFIRM_NEW_LABEL = _("Đây là người khác, vẫn thêm người mới")


class LearnerForm(forms.ModelForm):
    """A new learner. The minority tick is not asked: it follows from the ethnicity (services.ethnicity_of)."""

    confirm_new = forms.BooleanField(label=CONFIRM_NEW_LABEL, required=False)

    class Meta:
        model = Learner
        fields = ["full_name", "gender", "birth_year", "ethnicity", "village"]
        help_texts = {
            "ethnicity": _(
                "Kinh, hoặc tên dân tộc thiểu số (Tày, Thái, Mường…): dân tộc khác Kinh được tính là dân tộc thiểu số."
            )
        }  # noqa: E501


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


class WithdrawForm(forms.Form):
    until_date = forms.DateField(label=_("Học đến ngày"), widget=DATE)


class LearnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Learner) -> str:
        return obj.told_apart  # two "Nguyễn Thị Lan" differ by birth year and hamlet


class EnrolForm(forms.Form):
    learners = LearnerChoiceField(
        queryset=Learner.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Người học")
    )
    from_date = forms.DateField(label=_("Học từ ngày"), widget=DATE)
    confirm_new = forms.BooleanField(label=CONFIRM_NEW_LABEL, required=False)

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
