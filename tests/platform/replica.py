"""A real streaming replica for the replica test (tests/platform/test_streaming_replica.py).

Session fixture `streaming_pair`: a dedicated primary cluster (initdb on a free loopback port) holding a copy of
this worker's test database (pg_dump of the migrated, empty schema from the test server), and a hot standby
made from it with `pg_basebackup -R -X stream`, on another port. Why a dedicated primary and not a base backup
of the test server (127.0.0.1:5432)? A base backup copies the whole cluster: measured on the CI machine, 9.3 s
for 363 MB with fsync and 3.7–4.1 s for 975 MB with --no-sync (≈250 MB/s; the benchmark's databases live there
and grow to gigabytes at national scale, and the copy takes as much disk again), against 3 s for a fresh
cluster of 39 MB; the set-up here costs 1.5–8 s (measured, with the machine idle or busy) whatever else it holds.

Fixture `on_replica`: for one transactional test, "default" is the dedicated primary and "replica" its standby
(the test database's name on both), as DATABASE_REPLICA_URL would set it; afterwards both go back.
Skips, with the reason, on SQLite, without the server tools, or where the test server is not local.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import pytest
from django.db import connections
from django.db.utils import load_backend

from bench import replica as clusters
from tthtcd_portal.db_router import replica_health_reset


@dataclass
class StreamingPair:
    primary: clusters.Cluster
    standby: clusters.Cluster
    name: str
    setup_seconds: float


@pytest.fixture(scope="session")
def streaming_pair(django_db_setup):
    default = connections["default"]
    if default.vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL (the test database is SQLite)")
    reason = clusters.unavailable_reason()
    if reason:
        pytest.skip(f"no streaming replica here: {reason}")
    source = default.settings_dict
    if (source["HOST"] or "127.0.0.1") not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip("the test database is not on this machine: no local cluster to copy it from")

    started = clusters.time.perf_counter()
    primary = clusters.primary_start()
    standby = None
    try:
        clusters.copy_database(
            primary,
            source["NAME"],
            host=source["HOST"] or "127.0.0.1",
            port=source["PORT"] or 5432,
            user=source["USER"] or "postgres",
            password=source.get("PASSWORD"),
        )
        refused = clusters.replication_refused(host="127.0.0.1", port=primary.port, user=primary.user)
        if refused:
            pytest.skip(f"replication connections are refused: {refused}")
        standby = clusters.replica_start(primary_port=primary.port, user=primary.user)
        pair = StreamingPair(primary, standby, source["NAME"], clusters.time.perf_counter() - started)
        yield pair
    finally:
        if standby is not None:
            standby.remove()
        primary.remove()


@pytest.fixture
def on_replica(streaming_pair, settings):
    """ "default" → the dedicated primary, "replica" → its standby, for this test only (a transactional test:
    rows must be committed to reach the standby). The end-of-test flush runs on the test server, after this
    fixture has switched back; rows made on the dedicated primary stay there until the session ends, so each
    test reads only the rows it made."""
    default = connections["default"]
    saved = {key: default.settings_dict[key] for key in ("HOST", "PORT")}
    default.close()
    default.settings_dict.update(HOST="127.0.0.1", PORT=str(streaming_pair.primary.port))
    replica_settings = {**default.settings_dict, "PORT": str(streaming_pair.standby.port), "TEST": {}}
    replica_settings["OPTIONS"] = {**default.settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
    try:
        with replica_alias(settings, replica_settings):
            yield streaming_pair
    finally:
        default.close()
        default.settings_dict.update(saved)


@contextlib.contextmanager
def replica_alias(settings, settings_dict: dict):
    """A "replica" database for this test, as DATABASE_REPLICA_URL makes one, with a fresh health verdict."""
    # Django's defaults for the keys a URL does not give (TIME_ZONE, AUTOCOMMIT, ...).
    both = connections.configure_settings(
        {"default": dict(connections["default"].settings_dict), "replica": settings_dict}
    )
    settings_dict = both["replica"]
    settings.DATABASES = {**settings.DATABASES, "replica": settings_dict}
    # Handed to this thread's connections, not added to connections.settings: Django's test case refuses to
    # connect an alias it did not know when the test began, except one "created dynamically" like this.
    connections["replica"] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "replica")
    replica_health_reset()
    try:
        yield connections["replica"]
    finally:
        connections["replica"].close()
        del connections["replica"]
        settings.DATABASES = {k: v for k, v in settings.DATABASES.items() if k != "replica"}
        replica_health_reset()
