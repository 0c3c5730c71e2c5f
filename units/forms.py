from django import forms
from django.utils.translation import gettext_lazy as _

from tthtcd_portal.spreadsheets import SpreadsheetError, check_upload


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            check_upload(uploaded)
        except SpreadsheetError as exc:
            raise forms.ValidationError(str(exc)) from None
        return uploaded


class AdminUnitsUploadForm(SpreadsheetUploadForm):
    valid_from = forms.DateField(
        label=_("Ngày danh mục có hiệu lực"),
        required=False,
        help_text=_("Để trống: 01/01/2000 cho danh mục 3 cấp (có quận/huyện), 01/07/2025 cho danh mục 2 cấp."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
