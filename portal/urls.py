from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from centres import urls as centre_urls
from portal import pwa, views

# The centre's page is the registry's (centres:detail), but it gathers sections from the apps above the
# registry, so its view lives here in the top layer; the rest of /trung-tam/ is centres/urls.py.
centre_patterns = [path("<int:pk>/", views.centre_page, name="detail"), *centre_urls.urlpatterns]

urlpatterns = [
    path("", views.home, name="home"),
    path("tai-khoan/", include("accounts.urls")),
    path("tai-khoan/quan-ly/", include("staff_accounts.urls")),
    path("don-vi/", include("units.urls")),
    path("trung-tam/", include((centre_patterns, centre_urls.app_name))),
    path("lop-hoc/", include("courses.urls")),
    path("danh-gia/", include("evaluations.urls")),
    path("thu-vien/", include("library.urls")),
    path("nguon-luc/", include("resources.urls")),
    path("tap-huan/", include("training.urls")),
    path("hoc-lieu/", include("materials.urls")),
    path("ke-hoach/", include("planning.urls")),
    path("nhac-viec/", include("reminders.urls")),
    path("bao-cao/", include("reports.urls")),
    path("da-xoa/", views.archive_list, name="archive"),
    path("da-xoa/<slug:kind>/<int:pk>/khoi-phuc/", views.archive_restore, name="archive_restore"),
    path("ngon-ngu/", accounts_views.language_set, name="set_language"),
    path("quan-tri/", admin.site.urls),
    # The installable app (docs/offline.md): public, no personal data.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("ngoai-tuyen/", pwa.offline_page, name="offline"),
]

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

# Uploaded files (MEDIA_ROOT) are never served directly: each is downloaded through a view that checks scope.

if settings.BENCH_HEADERS:
    # The trivial view the benchmark compares real pages with (bench/run.py); absent in production.
    urlpatterns.append(path("bench/ping/", views.bench_ping, name="bench_ping"))
