"""A user whose password the province has just given them (a first-time password, printed on a list) must
choose their own before using the portal: every page but the password change, logout, language switch and
static files sends them to the password change, which says why."""

from django.shortcuts import redirect
from django.urls import reverse


class FirstPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout"), reverse("set_language")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)
