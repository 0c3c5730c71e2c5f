from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the current password checked through authenticate(), as the login page
    does: django-axes counts a wrong one as a failed login of this account from this address and, after
    AXES_FAILURE_LIMIT of them, locks the pair out for AXES_COOLOFF_TIME (the view then ends the session).
    So someone at a PC left signed in cannot try password after password to take the account over."""

    def __init__(self, user, data=None, *, request):
        self.request = request
        super().__init__(user, data)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        found = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if found is None or found.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
