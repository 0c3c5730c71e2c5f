from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tthtcd_portal.spreadsheets import SpreadsheetError, check_upload

ROLE_CHOICES = [(User.Role.CENTRE_STAFF, User.Role.CENTRE_STAFF.label), (User.Role.REVIEWER, User.Role.REVIEWER.label)]


class AccountForm(forms.ModelForm):
    """An account of a centre's staff or a reviewer. Centres and offices are only those the official manages
    (the view passes them); the service checks again."""

    role = forms.ChoiceField(label=_("Vai trò"), choices=ROLE_CHOICES)

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "role", "centre", "office", "position", "phone", "email"]
        labels = {"last_name": _("Họ và tên đệm"), "first_name": _("Tên")}
        help_texts = {"username": _("Chữ, số và . @ + - _; người dùng đăng nhập bằng tên này.")}

    def __init__(self, *args, centres, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.fields["office"].queryset = offices
        self.fields["centre"].help_text = _("Với cán bộ trung tâm.")
        self.fields["office"].help_text = _("Với chuyên viên đánh giá.")
        self.fields["last_name"].required = self.fields["first_name"].required = True
        if self.instance.pk:
            self.fields["username"].disabled = True

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == User.Role.CENTRE_STAFF and not data.get("centre"):
            self.add_error("centre", _("Chọn trung tâm của cán bộ."))
        if role == User.Role.REVIEWER and not data.get("office"):
            self.add_error("office", _("Chọn đơn vị đánh giá của chuyên viên."))
        return data

    def _post_clean(self):
        # The form only cleans: the service (staff_accounts.services) sets the account's fields, clears the
        # unit the role does not use and checks scope, uniqueness and the role constraint, so the model's own
        # validation is not run on a half-set instance here.
        pass


class AccountImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách tài khoản (.xlsx hoặc .csv)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            check_upload(uploaded)
        except SpreadsheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return uploaded
