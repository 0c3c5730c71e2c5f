"""Queries whose SQL is built once per process for each key, then only run (issue 18).

A list page builds the same queryset on every request: the centres list's scope, four correlated subqueries, the
filters, the page's ids first (tthtcd_portal.pagination.IdsFirst), then compiles its count and its page. The ORM
spent ~4 ms of CPU a request on that building, more than PostgreSQL spent running both. The SQL and its
parameters are a function of the inputs alone (who sees what, the filters, the day, the page's slice), not of the
rows, so `kept_count(key, build)` and `kept_values(key, build)` run `build()` through the ORM the first time a
key is seen, keep the one statement it executed, and from then on execute that statement without building
anything. `key` must hold every input the queryset is built from (the caller's duty: a scope is an input); the
database alias is added here. A build that executes anything but exactly one statement is not kept (it runs
every time).

`kept_values` answers the cursor's rows: the values as the database driver returns them, without the ORM's
converters (on SQLite a boolean annotation comes back as 0 or 1 when kept): for rows that a page writes, not
for models.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections, router
from django.db.models import Model, QuerySet

from tthtcd_portal.bounded import Bounded

# Per process; one entry per (alias, key). Emptied when full.
_kept: Bounded = Bounded(2000)


class _Recorder:
    """A connection's execute wrapper that notes what the ORM executes."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, None if params is None else tuple(params)))
        return execute(sql, params, many, context)


def _run(key: tuple, using: str, orm: Callable[[], object], replay: Callable[[object], object]):
    kept = _kept.get((using, key))
    connection = connections[using]
    if kept is not None:
        sql, params = kept
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return replay(cursor)
    recorder = _Recorder()
    with connection.execute_wrapper(recorder):
        answer = orm()
    if len(recorder.statements) == 1:
        _kept.keep((using, key), recorder.statements[0])
    return answer


def kept_count(key: tuple, build: Callable[[], QuerySet], *, model: type[Model]) -> int:
    """`build().count()`, its SQL built once for `key`. `model`: the queryset's (the router's database for reading
    it is the one the query runs on; `build` must not choose another)."""
    return _run(key, router.db_for_read(model), lambda: build().count(), lambda cursor: cursor.fetchone()[0])


def kept_values(key: tuple, build: Callable[[], QuerySet], *, model: type[Model]) -> list[tuple]:
    """`list(build())` for a `values_list` queryset, its SQL built once for `key`: the rows as tuples."""
    return _run(
        key, router.db_for_read(model), lambda: [tuple(row) for row in build()], lambda cursor: cursor.fetchall()
    )


def forget_kept_sql() -> None:
    """Empty the kept statements (a test that changes what a key's queryset is built from behind its back)."""
    _kept.clear()
