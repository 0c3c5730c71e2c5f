"""The installable web app (issue 19): the manifest, the service worker and the offline page (docs/offline.md).

All three are public and hold no personal data. The service worker caches only the static files and the offline
page, which is rendered for nobody (no request: no user, no CSRF token, no messages) and fetched by the worker
without cookies; every signed-in page and every answer of the sync API stays with the network (docs/platform.md,
"Caching"). The offline page reads the centre's classes and the entries waiting to be sent from IndexedDB
(static/js/offline.js), which logout clears.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import conditional_page, require_safe

THEME = "#0d6efd"  # the navigation bar's blue (Bootstrap's primary), also the icons' background

# What the worker stores when it installs: every file the offline page needs. Other static files are stored the
# first time a page asks for them.
PRECACHE = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/portal.css",
    "js/portal.js",
    "js/pwa.js",
    "js/offline.js",
    "js/drafts.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
]


def offline_messages() -> dict[str, str]:
    """The offline page's sentences, translated here so that static/js/offline.js holds no text of its own."""
    return {
        "online": _("Đang có mạng."),
        "offline": _("Đang mất mạng: các mục được lưu trên máy này và gửi khi có mạng."),
        "no_snapshot": _("Máy này chưa có danh sách lớp: hãy mở trang này một lần khi có mạng."),
        "snapshot": _("Danh sách lớp của trung tâm tải lúc %(time)s."),
        "pending": _("Chưa gửi: %(n)s mục."),
        "nothing_pending": _("Không có mục nào chờ gửi."),
        "sending": _("Đang gửi %(n)s mục…"),
        "sent": _("Đã gửi %(n)s mục: %(saved)s đã lưu, %(refused)s bị từ chối, %(conflict)s xung đột."),
        "login": _("Phiên đăng nhập đã hết: hãy đăng nhập lại, các mục vẫn nằm trên máy này."),
        "failed": _("Chưa gửi được (mất kết nối); sẽ gửi lại khi có mạng."),
        "badge_pending": _("chưa gửi"),
        "badge_refused": _("bị từ chối"),
        "badge_conflict": _("xung đột"),
        "keep_mine": _("Giữ bản của tôi"),
        "take_server": _("Dùng bản trên máy chủ"),
        "edit": _("Sửa"),
        "delete": _("Xóa"),
        "server_state": _("Trên máy chủ: %(present)s người, nội dung «%(topic)s»."),
        "saved_local": _("Đã lưu trên máy: %(title)s, ngày %(day)s."),
        "people": _("%(n)s người dự"),
        "attended": _("%(n)s người có mặt"),
        "choose": _("— Chọn lớp —"),
        "no_instructor": _("— Người dạy khác, khách mời —"),
        "required": _("Cần chọn lớp và nhập ngày học."),
        "no_classes": _("Trung tâm không có lớp nào đang học."),
        "not_enrolled": _("Chưa có học viên ghi danh vào ngày này."),
        "confirm_logout": _("Còn %(n)s mục chưa gửi trên máy này; đăng xuất sẽ xóa chúng. Vẫn đăng xuất?"),
        "staff_only": _("Ghi khi mất mạng dành cho cán bộ trung tâm."),
    }


@require_safe
@conditional_page  # public and the same for everyone: an ETag, so a browser's revalidation is a 304
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: Android Chrome offers to install the portal from it (with the service worker)."""
    data = {
        "name": _("Cổng quản lý Trung tâm học tập cộng đồng"),
        "short_name": _("TTHTCĐ"),
        "description": _("Ghi lớp học, buổi học và điểm danh của trung tâm, cả khi mất mạng."),
        "lang": get_language() or "vi",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [{"name": _("Ghi khi mất mạng"), "url": reverse("offline")}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def shell_html() -> str:
    """The offline page, rendered for nobody: no request, so no user, no token, no messages."""
    return render_to_string(
        "portal/offline.html",
        {
            "messages_json": offline_messages(),
            "urls": {"data": reverse("courses:offline_data"), "sync": reverse("courses:offline_sync")},
            "LANGUAGE_CODE": get_language() or "vi",
        },
    )


@require_safe
@conditional_page
def offline_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(shell_html())


@require_safe
@conditional_page
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker, at the root so that its scope is the whole portal. Its version changes with the static files'
    names (hashed in production) and the offline page, so a deployment replaces the old caches."""
    precache = [static(path) for path in PRECACHE]
    shell = reverse("offline")
    version = hashlib.sha256(json.dumps([precache, shell_html()]).encode()).hexdigest()[:12]
    script = render_to_string(
        "portal/sw.js",
        {
            "version": version,
            "precache": json.dumps(precache),
            "shell": json.dumps(shell),
            "static_prefix": json.dumps(settings.STATIC_URL),  # static("") fails with hashed names
        },
    )
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
