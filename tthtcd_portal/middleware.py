"""The portal's own middleware: benchmark timing headers, no-store on signed-in pages, the upload size limit.

Benchmark instrumentation: server time and query count on every response, only when BENCH_HEADERS=1.

Off (the default, and always in production) the middleware removes itself at start-up (MiddlewareNotUsed),
so it costs nothing. On, each response carries
    Server-Timing: app;dur=12.3, db;dur=4.5
    X-Query-Count: 7
which bench/run.py reads to report server time and queries without a profiler.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import InterfaceError, OperationalError, connections
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from tthtcd_portal.db_router import replica_is_fit
from tthtcd_portal.params import int_param
from tthtcd_portal.uploads import megabytes


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


class ServerTimingMiddleware:
    def __init__(self, get_response) -> None:
        if not getattr(settings, "BENCH_HEADERS", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with _wrap_all(counter):
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.1f}, db;dur={counter.seconds * 1000:.1f}"
        response["X-Query-Count"] = str(counter.count)
        return response


class _wrap_all:
    """execute_wrapper on every configured database (default, and the replica when there is one)."""

    def __init__(self, counter: _QueryCounter) -> None:
        self.counter = counter
        self.contexts = []

    def __enter__(self):
        for alias in connections:
            context = connections[alias].execute_wrapper(self.counter)
            context.__enter__()
            self.contexts.append(context)
        return self

    def __exit__(self, *exc):
        for context in reversed(self.contexts):
            context.__exit__(*exc)
        return False


class PrivatePagesMiddleware:
    """Cache-Control: no-store (Django's never_cache headers) on every answer to a signed-in user.

    Logged-in pages and downloads carry learners' personal data (names, birth years, ethnicity): no browser
    disk cache, shared proxy or back-forward cache may keep a copy after the user logs out on a shared office
    PC. Static files never get here (whitenoise answers them earlier, with far-future caching), nor do
    anonymous pages. A service worker's Cache API ignores these headers: it stores what its own code puts
    there, so the app shell it caches must hold no personal data (docs/platform.md, "Caching")."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class UploadSizeLimitMiddleware:
    """A body larger than the portal accepts is refused from its Content-Length, before a byte of it is read.

    Multipart bodies (file uploads) may be MAX_UPLOAD_BYTES plus room for the form's other fields; other
    bodies DATA_UPLOAD_MAX_MEMORY_SIZE (a month's attendance grid is the largest form). The answer is a 413
    page in the user's language saying how large the file was and what the limit is. A body sent without a
    Content-Length (chunked) is still bounded by Django's limits and the upload checks of each form; nginx's
    client_max_body_size bounds everything before it reaches the portal (docs/deployment.md)."""

    # Boundaries, the CSRF token and a form's few other fields.
    MULTIPART_OVERHEAD = 64 * 1024

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or ""
        length = int_param(raw, minimum=0) or 0
        if request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/"):
            if length > settings.MAX_UPLOAD_BYTES + self.MULTIPART_OVERHEAD:
                return _too_large(request, length, settings.MAX_UPLOAD_BYTES, upload=True)
        elif settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return _too_large(request, length, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, upload=False)
        return self.get_response(request)


def _too_large(request, length: int, limit: int, *, upload: bool):
    from django.shortcuts import render
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    context = {
        "size": megabytes(length),
        "limit": megabytes(limit),
        "upload": upload,
        "back": back,
    }
    return render(request, "errors/413.html", context, status=413)


class PortalLanguageMiddleware:
    """Vietnamese for everyone unless the user chose English (issue 13 item 10), in place of Django's
    LocaleMiddleware, which follows the browser's Accept-Language.

    A signed-in user's language is the one stored on the user (`accounts.User.language`, set by the footer's
    switch), so the choice follows them to any browser from the next login; without one, the language cookie
    the switch sets in this browser (before signing in, say); else Vietnamese. Must come after
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.known = {code for code, _name in settings.LANGUAGES}

    def language_for(self, request) -> str:
        user = getattr(request, "user", None)
        stored = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        chosen = stored or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        return chosen if chosen in self.known else settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class ReplicaFallbackMiddleware:
    """A replica that dies (or is cut off) in the middle of a GET: the user gets the page from the primary.

    read_db() stops choosing a replica that a health check finds unreachable or lagging, but the check is cached
    for a few seconds, so a request may still start on a replica that has just gone. When a view raises a
    connection-level error (OperationalError, InterfaceError) on a GET or HEAD and a replica is configured, the
    replica is checked at once; if it is unfit now (the verdict is recorded, and logged), the view is run again,
    reading from the primary. Otherwise the error is not the replica's and goes on as usual. Only GET and HEAD:
    they write nothing, so running them twice is safe. Exports write their file before answering, so a replica
    lost while one is built is caught here too (docs/deployment.md, "Read replica").
    """

    def __init__(self, get_response) -> None:
        if "replica" not in settings.DATABASES:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method not in ("GET", "HEAD") or not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if getattr(request, "_replica_retried", False) or replica_is_fit(force=True):
            return None
        request._replica_retried = True
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
