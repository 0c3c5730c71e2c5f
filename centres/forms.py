"""Forms of the registry: they validate and clean; services write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.models import BoardMember, Centre, Instructor, InstructorAssignment
from tthtcd_portal.concurrency import VersionedForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CentreForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Centre
        fields = [
            "name",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "address",
            "phone",
            "email",
            "has_seal",
            "has_bank_account",
        ]
        widgets = {"decision_date": DATE_WIDGET}


class FacilitiesForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Centre
        fields = [
            "building",
            "rooms",
            "seats",
            "computers_with_internet",
        ]


class CentreCreateForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Xã/phường/thị trấn"), queryset=None)
    name = forms.CharField(
        label=_("Tên trung tâm"),
        required=False,
        max_length=255,
        help_text=_("Để trống để dùng tên chuẩn «Trung tâm học tập cộng đồng xã …»."),
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class BoardMemberForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = BoardMember
        fields = [
            "full_name",
            "gender",
            "position",
            "main_post",
            "engagement",
            "appointment_decision",
            "decision_date",
            "decision_signer",
            "term_start",
            "term_end",
        ]
        widgets = {
            "term_start": DATE_WIDGET,
            "term_end": DATE_WIDGET,
            "decision_date": DATE_WIDGET,
            "decision_signer": forms.TextInput(attrs={"placeholder": _("Chủ tịch UBND xã")}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("Ngày kết thúc nhiệm kỳ không được trước ngày bắt đầu."))
        if not data.get("appointment_decision") and (data.get("decision_date") or data.get("decision_signer")):
            self.add_error("appointment_decision", _("Nhập số quyết định bổ nhiệm trước ngày và người ký."))
        return data


class BoardMemberEndForm(forms.Form):
    term_end = forms.DateField(label=_("Ngày kết thúc nhiệm kỳ"), widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args, member: BoardMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_term_end(self):
        day = self.cleaned_data["term_end"]
        if day < self.member.term_start:
            raise forms.ValidationError(_("Ngày kết thúc nhiệm kỳ không được trước ngày bắt đầu."))
        return day


PERSON_FIELDS = ["full_name", "gender", "birth_year", "ethnicity", "field", "workplace", "phone"]
ASSIGNMENT_FIELDS = ["kind", "engagement", "active"]


class InstructorForm(VersionedForm, forms.ModelForm):
    """The person and their role at this centre in one form (two models, one screen). Its hidden versions: the
    role's (`version`) and the person's (`person_version`)."""

    extra_versions = {"person_version": lambda form: form.link.instructor}

    kind = forms.ChoiceField(label=_("Loại"), choices=InstructorAssignment.Kind.choices)
    engagement = forms.ChoiceField(
        label=_("Chuyên trách/kiêm nhiệm"),
        choices=InstructorAssignment._meta.get_field("engagement").choices,
        initial="part_time",
    )
    active = forms.BooleanField(label=_("Đang tham gia giảng dạy tại trung tâm"), required=False, initial=True)

    class Meta:
        model = Instructor
        fields = PERSON_FIELDS

    def __init__(self, *args, link: InstructorAssignment | None = None, **kwargs):
        self.link = link
        super().__init__(*args, instance=link.instructor if link else None, **kwargs)
        if link is not None:
            for name in ASSIGNMENT_FIELDS:
                self.initial[name] = getattr(link, name)

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year - 15:
            raise forms.ValidationError(_("Năm sinh không hợp lệ."))
        return year

    def versioned_object(self):
        return self.link

    def person(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}

    def assignment(self) -> dict:
        return {name: self.cleaned_data[name] for name in ASSIGNMENT_FIELDS}


class MergeForm(forms.Form):
    sources = forms.ModelMultipleChoiceField(
        label=_("Các trung tâm sáp nhập vào trung tâm này"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Giữ Ctrl (hoặc chạm từng dòng trên điện thoại) để chọn nhiều trung tâm."),
    )
    on_date = forms.DateField(label=_("Ngày sáp nhập"), widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = candidates
        self.fields["sources"].label_from_instance = lambda c: f"{c.commune.code} · {c.name}"
