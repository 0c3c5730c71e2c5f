from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from tthtcd_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tai-khoan/", include("accounts.urls")),
    path("don-vi/", include("units.urls")),
    path("trung-tam/", include("centres.urls")),
    path("lop-hoc/", include("courses.urls")),
    path("danh-gia/", include("evaluations.urls")),
    path("bao-cao/", include("reports.urls")),
    path("ngon-ngu/", set_language, name="set_language"),
    path("quan-tri/", admin.site.urls),
]

handler403 = "tthtcd_portal.views.permission_denied"
handler404 = "tthtcd_portal.views.page_not_found"
handler500 = "tthtcd_portal.views.server_error"

# Uploaded files (MEDIA_ROOT) are never served directly: each is downloaded through a view that checks scope.

if settings.BENCH_HEADERS:
    # The trivial view the benchmark compares real pages with (bench/run.py); absent in production.
    urlpatterns.append(path("bench/ping/", views.bench_ping, name="bench_ping"))
