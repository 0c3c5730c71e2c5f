"""Send dashboard and export reads to a read replica when DATABASE_REPLICA_URL is set, and only while it is fit.

Reads opt in with `using(read_db())` (the dashboard engine and exports); everything else, and every write,
goes to "default". Without a replica configured, read_db() is "default".

With a replica, read_db() answers "replica" only while a health check says it is reachable and its replay lag
is within DATABASE_REPLICA_MAX_LAG_SECONDS; otherwise "default" (the primary is never stale). The check is one
query on the replica's connection, made at most once per DATABASE_REPLICA_CHECK_SECONDS per process (the answer
is cached meanwhile), so a request costs no extra query in between. A replica that dies in the middle of a
request is caught by `ReplicaFallbackMiddleware`: the GET is answered again from the primary. Each change of
state (falls back, comes back) is logged once on the "tthtcd_portal.replica" logger. docs/deployment.md,
"Read replica".
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.db import Error, connections

logger = logging.getLogger("tthtcd_portal.replica")

# Seconds since the last replayed commit, or 0 when the replica has replayed everything it received (the
# primary is idle); NULL when in recovery with no replay yet and WAL pending (lag unknown: not fit).
LAG_SQL = (
    "SELECT pg_is_in_recovery(), "
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


class _Health:
    """This process's last verdict on the replica. Shared by its threads; a race only costs one more check."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")  # time.monotonic() of the last check
        self.fit = True  # so that the first verdict against it ("falls back") is the one logged
        self.reason = ""


_health = _Health()


def read_db() -> str:
    """ "replica" when one is configured and fit (checked at most every few seconds), else "default"."""
    if "replica" not in settings.DATABASES:
        return "default"
    return "replica" if replica_is_fit() else "default"


def replica_is_fit(*, force: bool = False) -> bool:
    """The cached verdict, refreshed when older than DATABASE_REPLICA_CHECK_SECONDS (or when forced)."""
    now = time.monotonic()
    if not force and now - _health.checked_at < settings.DATABASE_REPLICA_CHECK_SECONDS:
        return _health.fit
    fit, reason = _check()
    _record(fit, reason, now)
    return fit


def replica_health_reset() -> None:
    """Forget the cached verdict (tests; the next read_db() checks again)."""
    with _health.lock:
        _health.checked_at = float("-inf")
        _health.fit = True
        _health.reason = ""


def _record(fit: bool, reason: str, at: float) -> None:
    with _health.lock:
        was_fit = _health.fit
        _health.checked_at, _health.fit, _health.reason = at, fit, reason
    if was_fit and not fit:
        logger.warning("Read replica not used, reads go to the primary: %s", reason)
    elif fit and not was_fit:
        logger.info("Read replica back in use: %s", reason)


def _check() -> tuple[bool, str]:
    """(fit, why) from one query on the replica's connection; any database error means unfit."""
    connection = connections["replica"]
    if connection.vendor != "postgresql":
        return True, "not PostgreSQL: no lag to measure"
    max_lag = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    try:
        connection.close_if_unusable_or_obsolete()  # after a failed query: reconnect, and say why that fails
        connection.ensure_connection()
        # On the driver's cursor: the check is not the page's query (no execute wrappers, not in the benchmark's
        # X-Query-Count, not in a test's captured queries), and costs ≈0.02 ms on loopback.
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except Error as exc:  # OperationalError (unreachable), InterfaceError (closed)
        # A dead connection stays dead: drop it so the next check opens a new one.
        with contextlib.suppress(Error):
            connection.close()
        first_line = (str(exc).strip().splitlines() or [""])[0]
        return False, f"unreachable ({type(exc).__name__}: {first_line})"
    if not in_recovery:
        # Not a standby (the URL names a primary, or the replica was promoted): its data is its own latest.
        return True, "not in recovery (a primary): no lag"
    if lag is None:
        return False, "lag unknown (WAL received, nothing replayed yet)"
    if float(lag) > max_lag:
        return False, f"lag {float(lag):.1f} s above the bound of {max_lag} s"
    return True, f"lag {float(lag):.1f} s within {max_lag} s"


class ReplicaRouter:
    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
