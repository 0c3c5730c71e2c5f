from django import forms
from django.utils.translation import gettext_lazy

from resources.models import Kind, Source
from resources.services import contribution_problems

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContributionForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Ngày nhận"), widget=DATE_WIDGET)
    source = forms.ChoiceField(label=gettext_lazy("Nguồn"), choices=[("", "---------"), *Source.choices])
    kind = forms.ChoiceField(label=gettext_lazy("Hình thức"), choices=Kind.choices)
    value = forms.IntegerField(
        label=gettext_lazy("Giá trị (đồng)"),
        required=False,
        min_value=0,
        max_value=10**15,
        help_text=gettext_lazy("Bắt buộc với tiền và thiết bị"),
    )
    quantity = forms.IntegerField(
        label=gettext_lazy("Số lượng"),
        required=False,
        min_value=0,
        max_value=10**9,
        help_text=gettext_lazy("Số thiết bị, số cuốn sách hoặc số ngày công"),
    )
    description = forms.CharField(label=gettext_lazy("Nội dung"), max_length=255)

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("kind"):
            for name, problem in contribution_problems(date=data["date"], kind=data["kind"], value=data.get("value")):
                self.add_error(name, problem)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx) theo mẫu"))
