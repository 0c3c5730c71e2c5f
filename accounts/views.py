from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import LoginForm, ThrottledPasswordChangeForm


class PortalLoginView(LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("accounts:login")


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
