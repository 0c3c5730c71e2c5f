"""The read-replica router (issue 8, item 4): reads that ask for read_db() go to the replica, writes never do.

The test adds a "replica" database that mirrors the test database (as DATABASE_REPLICA_URL does in
production, TEST MIRROR "default"), so the replica connection sees the same committed rows.
"""

import copy
import logging

import dj_database_url
import pytest
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import ResolverMatch

from centres.models import Centre
from tests.factories import CentreFactory
from tests.platform.replica import replica_alias
from tthtcd_portal import db_router
from tthtcd_portal.db_router import ReplicaRouter, read_db
from tthtcd_portal.middleware import ReplicaFallbackMiddleware


@pytest.fixture
def replica(settings, transactional_db):
    mirror = copy.deepcopy(connections["default"].settings_dict)
    settings.DATABASES = {**settings.DATABASES, "replica": mirror}
    connections.settings["replica"] = mirror
    # The test case only allows the databases it knew when it started ("default"); opening the connection
    # directly (connect(), not ensure_connection()) gets past that guard for this one mirrored alias.
    connections["replica"].connect()
    db_router.replica_health_reset()
    yield connections["replica"]
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


def test_without_a_replica_reads_stay_on_default():
    assert read_db() == "default"


def test_reads_through_read_db_go_to_the_replica_and_writes_to_default(replica):
    centre = CentreFactory()
    assert read_db() == "replica"
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_default:
        names = list(Centre.objects.using(read_db()).values_list("name", flat=True))
    assert names == [centre.name]
    assert len(on_replica) == 1 and len(on_default) == 0

    # An object read from the replica and saved again is written to default, never to the replica.
    read = Centre.objects.using(read_db()).get(pk=centre.pk)
    read.address = "Thôn Đông"
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_default:
        read.save(update_fields=["address"])
        Centre.objects.create(
            commune=centre.commune,
            name="Trung tâm thứ hai",
            status="merged",
            status_date="2025-07-01",
            merged_into=centre,
        )
    assert on_replica.captured_queries == []
    assert any(q["sql"].startswith("UPDATE") for q in on_default.captured_queries)
    assert any(q["sql"].startswith("INSERT") for q in on_default.captured_queries)
    assert Centre.objects.get(pk=centre.pk).address == "Thôn Đông"


def test_plain_reads_stay_on_default_even_with_a_replica(replica):
    """Only reads that opt in (dashboards, exports) may see replication lag; pages that write do not."""
    CentreFactory()
    with CaptureQueriesContext(replica) as on_replica:
        assert Centre.objects.exists()
    assert on_replica.captured_queries == []


def test_the_router_writes_and_migrates_only_default():
    router = ReplicaRouter()
    for model in (Centre,):
        assert router.db_for_write(model) == "default"
    assert router.allow_migrate("default", "centres") is True
    assert router.allow_migrate("replica", "centres") is False


def test_an_unreachable_replica_is_left_for_default_and_logged_once(settings, caplog, db):
    """Nothing listens on the port: the check fails at connect, reads go to default, and until the next check
    is due no request tries the replica again. (The real standby's cases: test_streaming_replica.py.)"""
    settings.DATABASE_REPLICA_CHECK_SECONDS = 3600
    nowhere = dj_database_url.parse("postgres://postgres@127.0.0.1:9/tthtcd")  # port 9: discard, never PostgreSQL
    nowhere["OPTIONS"] = {"connect_timeout": 1}
    with replica_alias(settings, nowhere) as replica, caplog.at_level(logging.INFO, logger="tthtcd_portal.replica"):
        assert read_db() == "default"
        assert read_db() == "default"
        assert replica.connection is None
    assert caplog.text.count("Read replica not used, reads go to the primary: unreachable") == 1


@pytest.fixture
def stub_replica(settings, monkeypatch):
    """A configured replica whose health check answers what the test says (no server needed)."""
    settings.DATABASES = {**settings.DATABASES, "replica": {}}
    state = {"up": True}
    monkeypatch.setattr(db_router, "_check", lambda: (True, "lag 0.0 s") if state["up"] else (False, "unreachable"))
    db_router.replica_health_reset()
    yield state
    db_router.replica_health_reset()


def test_a_get_whose_replica_fails_mid_request_is_answered_again_from_default(stub_replica, settings, rf):
    """ReplicaFallbackMiddleware: the view's first read fails (the replica went away after the cached check said
    fit); the middleware checks at once, finds it down and runs the view again, now reading default. A POST is
    never run twice: its error goes on as usual."""
    settings.DATABASE_REPLICA_CHECK_SECONDS = 3600
    reads = []

    def view(request):
        reads.append(read_db())
        if reads[-1] == "replica":
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("trang tổng hợp")

    for method in ("get", "post"):
        db_router.replica_health_reset()
        stub_replica["up"] = True
        reads.clear()
        request = getattr(rf, method)("/bao-cao/")
        request.resolver_match = ResolverMatch(view, (), {})
        with pytest.raises(OperationalError) as failed:
            view(request)
        stub_replica["up"] = False  # the replica is gone; the cached verdict still says fit
        answer = ReplicaFallbackMiddleware(view).process_exception(request, failed.value)
        if method == "get":
            assert answer.content.decode() == "trang tổng hợp" and reads == ["replica", "default"]
        else:
            assert answer is None and reads == ["replica"]
