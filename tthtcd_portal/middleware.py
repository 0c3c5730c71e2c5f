"""Benchmark instrumentation: server time and query count on every response, only when BENCH_HEADERS=1.

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
from django.db import connections


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
