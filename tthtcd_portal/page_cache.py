"""Pages kept while the database has not changed (issue 18): `@snapshot_cached` on a main page's view.

PostgreSQL's `pg_current_snapshot()` names the transactions whose writes a query can see; while it is the same
text, every query sees exactly the same rows, so a page rendered from the database alone is the same page. A
kept page is answered without running the view: one tiny query (the snapshot) instead of the view's queries
and template. Any commit anywhere in the database (a session saved, a login, another centre's attendance)
changes the snapshot, and the next request renders afresh — the cache never serves a page older than the data.

What else a page depends on is in the key: the path with its query string, the session (so the user, their
scope, their language and their CSRF token are those the page was rendered for), the CSRF cookie, the language
and today's date (deadlines and "this year" move at midnight). Not kept: anything but a 200 HTML answer, an
answer that sets a cookie, a request that carries flash messages (they show once), any request inside a
transaction block (a view or test that has written would not see its own writes in the snapshot's text), and
everything on SQLite (no snapshot: PAGE_CACHE_SECONDS = 0 turns it off everywhere). Per process, in the `pages`
cache alias; docs/performance.md.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

SNAPSHOT_SQL = "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NULL"


def current_snapshot() -> str | None:
    """The database's snapshot when pages may be kept against it, else None (no query then)."""
    if not settings.PAGE_CACHE_SECONDS or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(SNAPSHOT_SQL)
        snapshot, untouched = cursor.fetchone()
    return snapshot if untouched else None


def _key(request, snapshot: str) -> str:
    session = getattr(request, "session", None)
    parts = (
        request.get_full_path(),
        session.session_key if session is not None else "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        get_language(),
        timezone.localdate().isoformat(),
        snapshot,
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _has_messages(request) -> bool:
    session = getattr(request, "session", None)
    return bool(request.COOKIES.get("messages")) or bool(session is not None and session.get("_messages"))


def _bench_bypass(request) -> bool:
    """bench/run.py times each page rendered as well as kept: with BENCH_HEADERS=1 (never in production) the
    header `X-Bench-Render: 1` renders the page without looking at or filling the cache."""
    return bool(settings.BENCH_HEADERS and request.headers.get("X-Bench-Render"))


def snapshot_cached(view):
    """Keep the view's GET answers while the database's snapshot is unchanged (see the module)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or _has_messages(request) or _bench_bypass(request):
            return view(request, *args, **kwargs)
        snapshot = current_snapshot()
        if snapshot is None:
            return view(request, *args, **kwargs)
        cache = caches["pages"]
        key = _key(request, snapshot)
        kept = cache.get(key)
        if kept is not None:
            from django.http import HttpResponse

            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        content_type = response.get("Content-Type", "")
        if (
            response.status_code == 200
            and not response.streaming
            and content_type.startswith("text/html")
            and not response.cookies
            and not _has_messages(request)
        ):
            cache.set(key, (response.content, content_type), settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
