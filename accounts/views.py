from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.forms import LoginForm, ThrottledPasswordChangeForm, ThrottledPasswordResetForm
from accounts.services import user_language_set


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    response = redirect("accounts:login")
    # The browser forgets what this device kept for the user: the service worker's caches, the offline entries
    # and classes (IndexedDB), drafts (localStorage). static/js/pwa.js does the same before submitting, for
    # browsers that ignore the header; docs/offline.md.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Wrong current passwords count like failed logins (django-axes): at the limit the session ends and the
    account is locked from this address; AxesMiddleware answers with the lockout page."""
    form = ThrottledPasswordChangeForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = form.save()  # Django's own form: it hashes and saves the password, nothing else.
        if user.must_change_password:  # a first-time password given by the province is now the user's own
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("home")
    if getattr(request, "axes_locked_out", False):
        logout(request)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "first_time": getattr(request.user, "must_change_password", False)},
    )


# --- Password reset by e-mail (Django's flow, Vietnamese templates, rate-limited) -----------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Whatever address is typed, the answer is the same page ("if an account has this address, a link was
    sent"): nothing reveals which addresses exist. Limits: accounts.forms.ThrottledPasswordResetForm."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = ThrottledPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The footer's language switch: Django's set_language (the cookie, for the login page), and for a
    signed-in user the choice kept on the user (tthtcd_portal.middleware.PortalLanguageMiddleware reads it)."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        user_language_set(user=request.user, language=language)
    return response
