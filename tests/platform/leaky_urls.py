"""A URLconf with deliberate mistakes, to prove the URL walker catches them (test_url_scoping.py)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from centres.models import Centre
from centres.selectors import centre_for_user
from portal.urls import urlpatterns as real_urlpatterns
from tests.factories import ProvinceFactory
from units.models import Province


def scoped(request, centre_pk):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    centre_for_user(request.user, centre_pk)
    return HttpResponse("ok")


def leaky(request, centre_pk):
    # The mistake: a lookup by id without a scope check, and a write on POST.
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    get_object_or_404(Centre, pk=centre_pk)
    if request.method == "POST":
        # A free code: the factory's sequence can land on the world's 33 or 34, depending on earlier tests.
        taken = set(Province.objects.values_list("code", flat=True))
        ProvinceFactory(code=next(str(n) for n in range(10, 100) if str(n) not in taken))
    return HttpResponse("leak")


def no_login(request):
    return HttpResponse("open")


def unknown_keyword(request, widget_pk):
    return HttpResponse("?")


urlpatterns = [
    path("scoped/<int:centre_pk>/", scoped, name="scoped"),
    path("leaky/<int:centre_pk>/", leaky, name="leaky"),
    path("no-login/", no_login, name="no_login"),
    path("unknown/<int:widget_pk>/", unknown_keyword, name="unknown_keyword"),
    path("", include(real_urlpatterns)),  # login and the admin, for the redirects
]
