"""Which statements a request runs that write (for the walkers that prove a page writes nothing)."""

from __future__ import annotations

import re

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Django keeps sessions in the database, django-axes its login attempts: neither is the portal's data.
IGNORED_TABLES = ("django_session", "axes_")


class WriteRecorder:
    """An execute_wrapper that records every INSERT, UPDATE or DELETE on the portal's tables."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    @property
    def wrote(self) -> bool:
        return bool(self.writes)

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql) and not any(table in sql for table in IGNORED_TABLES):
            self.writes.append(sql[:120])
        return execute(sql, params, many, context)
