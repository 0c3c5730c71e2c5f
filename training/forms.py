from django import forms
from django.utils.translation import gettext_lazy as _

from centres.models import Centre
from training.models import TrainingAttendance, TrainingCourse
from tthtcd_portal.vietnamese import by_name


class TrainingCourseForm(forms.ModelForm):
    class Meta:
        model = TrainingCourse
        fields = ["title", "topic", "organiser", "audience", "place", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc phải sau hoặc cùng ngày bắt đầu."))
        return data


class _CentreChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        district = obj.commune.district.name if obj.commune.district_id else ""
        return f"{obj.commune.name} ({district})" if district else obj.commune.name


class InviteForm(forms.Form):
    centres = _CentreChoice(
        label=_("Trung tâm được mời"),
        queryset=Centre.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một trung tâm để mời.")},
    )

    def __init__(self, *args, course: TrainingCourse, **kwargs):
        super().__init__(*args, **kwargs)
        invited = course.invitations.values("centre_id")
        self.fields["centres"].queryset = (
            Centre.objects.active()
            .filter(commune__province_id=course.province_id)
            .exclude(pk__in=invited)
            .select_related("commune__district")
            .order_by("commune__district__code", by_name("commune__name"), "pk")
        )


class AttendanceForm(forms.Form):
    """One checkbox per person offered (training.selectors.Person); the field name is the person's key."""

    def __init__(self, *args, people, attended: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        for person in people:
            self.fields[person.key] = forms.BooleanField(
                label=f"{person.name} – {person.detail}", required=False, initial=person.key in attended
            )
        self.people = people

    def present(self) -> list[str]:
        return [key for key, value in self.cleaned_data.items() if value]


class UntrainedFilterForm(forms.Form):
    """Filters the "never trained" list (page and export): `trung_tam` a centre the user sees, `vai_tro` a role."""

    trung_tam = forms.ModelChoiceField(
        label=_("Trung tâm"), queryset=Centre.objects.none(), required=False, empty_label=_("Tất cả trung tâm")
    )
    vai_tro = forms.ChoiceField(
        label=_("Vai trò"), choices=[("", _("Mọi vai trò")), *TrainingAttendance.Role.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trung_tam"].queryset = (
            Centre.objects.visible_to(user).active().select_related("commune").order_by(by_name("commune__name"), "pk")
        )
        self.fields["trung_tam"].label_from_instance = lambda c: c.commune.name
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-select", "data-autosubmit": ""})
