import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from tthtcd_portal.client_ip import client_ip


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


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, rate-limited: at most PASSWORD_RESET_PER_ADDRESS_HOUR requests an hour from one client
    address (refused with a message: it says nothing about any e-mail address), and at most
    PASSWORD_RESET_PER_EMAIL_HOUR e-mails an hour to one address (further requests are answered as if sent, so
    the answer never reveals whether an address has an account)."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].label = _("Địa chỉ thư điện tử của tài khoản")

    @staticmethod
    def _hit(key: str, limit: int) -> bool:
        """Count one request under `key` for an hour; True when it is within the limit."""
        if cache.add(key, 1, 60 * 60):
            return True
        try:
            return cache.incr(key) <= limit
        except ValueError:  # expired between add and incr
            cache.add(key, 1, 60 * 60)
            return True

    def clean(self):
        data = super().clean()
        address = client_ip(self.request) if self.request is not None else "-"
        if not self._hit(f"password-reset:ip:{address}", settings.PASSWORD_RESET_PER_ADDRESS_HOUR):
            raise forms.ValidationError(
                _("Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần. Vui lòng thử lại sau một giờ.")
            )
        return data

    def save(self, *args, **kwargs):
        email = self.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()
        if not self._hit(f"password-reset:email:{digest}", settings.PASSWORD_RESET_PER_EMAIL_HOUR):
            return None  # answered as if sent
        return super().save(*args, **kwargs)
