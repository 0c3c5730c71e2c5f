"""Surviving database errors that pass by themselves, for the processes that must not die (the task worker, the
periodic runner, an export's bookkeeping).

Transient: SQLite's "database is locked" (a writer held the lock longer than the busy timeout) and "database table
is locked"; PostgreSQL's lost or reset connections, a server restart, serialization failures and deadlocks —
everything Django raises as OperationalError or InterfaceError. Not transient: IntegrityError, DataError,
ProgrammingError (a bug or bad data, which retrying cannot fix).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

log = logging.getLogger(__name__)

T = TypeVar("T")
TRANSIENT = (OperationalError, InterfaceError)


def reset_connection(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop the connection if it is dead (a PostgreSQL restart, a terminated backend), so that the next query opens
    a fresh one. A live one is kept: an export's open cursor reads through it (SQLite's locks leave it usable).
    Inside a transaction nothing can be dropped: the caller's atomic block must fail as a whole."""
    connection = connections[using]
    if connection.in_atomic_block or connection.connection is None:
        return
    if not connection.is_usable():
        connection.close()


def call_with_retry(
    fn: Callable[[], T], *, what: str, attempts: int = 5, delay: float = 0.2, using: str = DEFAULT_DB_ALIAS
) -> T:
    """fn(), tried again after a transient database error, `attempts` times in all with a doubling pause
    (0.2 + 0.4 + 0.8 + 1.6 s by default, on top of SQLite's own busy timeout). Outside a transaction only: inside
    one the error is raised at once, since the transaction is lost anyway."""
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except TRANSIENT as exc:
            if attempt == attempts or connections[using].in_atomic_block:
                raise
            log.warning("%s: database error (%s), attempt %s of %s", what, exc, attempt, attempts)
            reset_connection(using)
            time.sleep(delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover


class Backoff:
    """Pauses for a loop that keeps going through errors: 1, 2, 4 … up to `longest` seconds, reset on success."""

    def __init__(self, *, first: float = 1.0, longest: float = 60.0) -> None:
        self.first = first
        self.longest = longest
        self.next = first

    def wait(self) -> float:
        pause = self.next
        time.sleep(pause)
        self.next = min(self.next * 2, self.longest)
        return pause

    def reset(self) -> None:
        self.next = self.first
