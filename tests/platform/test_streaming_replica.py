"""A real streaming replica (issue 17, item 5): dashboard and export reads run on a hot standby, writes never do,
a committed write reaches it within a measured lag, and with the standby stopped or lagging past
DATABASE_REPLICA_MAX_LAG_SECONDS the same pages answer 200 from the primary.

The pair of clusters is made once per worker (tests/platform/replica.py: a dedicated primary holding a copy of
the test database and a standby from `pg_basebackup -R -X stream`); PostgreSQL only, skipped with the reason
elsewhere. The fixtures `on_replica` and `streaming_pair` come from tests/platform/conftest.py. docs/deployment.md, "Read replica", says what this proves for production.
"""

from __future__ import annotations

import logging
import statistics
import time

import pytest
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from centres.models import Centre
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory
from tests.reports.test_exports import data_rows, sheet_of
from tthtcd_portal.db_router import read_db, replica_is_fit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Overriding setting DATABASES"),  # the replica alias, on purpose
]

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE")


def caught_up(position: str = "replay") -> bool:
    """The standby has replayed (or, position="receive", received) everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cursor.fetchone()
    with connections["replica"].cursor() as cursor:
        cursor.execute(f"SELECT pg_last_wal_{position}_lsn() >= %s::pg_lsn", [lsn])
        return cursor.fetchone()[0]


def wait_for_standby(position: str = "replay") -> None:
    started = time.perf_counter()
    while not caught_up(position):
        assert time.perf_counter() - started < 30, f"the standby did not {position} the primary's WAL within 30 s"
        time.sleep(0.01)


def an_official_with_a_centre(client):
    province = ProvinceFactory()
    centre = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=province)))
    official = UserFactory(role=User.Role.PROVINCE, province=province)
    client.force_login(official)
    wait_for_standby()
    return centre


def pages(client):
    """The provincial dashboard and the centres export, each from cold (no dashboard cache)."""
    cache.clear()
    dashboard = client.get(reverse("reports:dashboard"))
    cache.clear()
    export = client.get(reverse("reports:export", args=["trung-tam"]))
    return dashboard, export


def centre_names(export) -> set:
    """Every cell of the export's rows (the centre's name is one of them)."""
    return {cell for row in data_rows(sheet_of(export)) for cell in row}


def test_dashboard_and_export_read_on_the_standby_and_writes_never_go_there(on_replica, client):
    centre = an_official_with_a_centre(client)
    assert read_db() == "replica"

    with (
        CaptureQueriesContext(connections["replica"]) as on_standby,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        dashboard, export = pages(client)
    assert dashboard.status_code == 200 and centre.name in centre_names(export)
    standby_sql = [q["sql"] for q in on_standby.captured_queries]
    read_tables = " ".join(standby_sql)
    assert "courses_centreyearfigure" in read_tables and "centres_centre" in read_tables
    assert not [sql for sql in standby_sql if sql.lstrip().upper().startswith(WRITES)]
    # The primary serves what is not a report read: the session, the user, the navigation.
    assert "courses_centreyearfigure" not in " ".join(q["sql"] for q in on_primary.captured_queries)
    print(f"\nstandby: {len(on_standby)} queries, primary: {len(on_primary)} queries for the dashboard and export")

    # A write, even of an object read from the standby, goes to the primary.
    read = Centre.objects.using(read_db()).get(pk=centre.pk)
    read.address = "Thôn Đông"
    with CaptureQueriesContext(connections["replica"]) as on_standby:
        read.save(update_fields=["address"])
        CentreFactory(commune=CommuneFactory(district=centre.commune.district))
    assert on_standby.captured_queries == []
    assert Centre.objects.get(pk=centre.pk).address == "Thôn Đông"


def test_a_write_committed_on_the_primary_reaches_the_standby_within_a_measured_lag(
    on_replica, record_property
):  # fmt: skip
    wait_for_standby()
    lags = []
    for _ in range(5):
        centre = CentreFactory()  # committed: the test is transactional
        started = time.perf_counter()
        while not Centre.objects.using("replica").filter(pk=centre.pk).exists():
            assert time.perf_counter() - started < 10, "a committed row was not on the standby within 10 s"
            time.sleep(0.001)
        lags.append((time.perf_counter() - started) * 1000)
    record_property("replica_lag_ms_median", round(statistics.median(lags), 1))
    record_property("replica_lag_ms_max", round(max(lags), 1))
    print(f"\nreplication lag, commit on the primary to visible on the standby: median "
          f"{statistics.median(lags):.1f} ms, max {max(lags):.1f} ms over {len(lags)} writes "
          f"(pair set up in {on_replica.setup_seconds:.1f} s)")  # fmt: skip
    assert max(lags) < 5000


def test_a_standby_lagging_past_the_bound_is_left_for_the_primary_and_taken_back(
    on_replica, client, settings, caplog
):  # fmt: skip
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 1
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0  # check before every read: the test changes the lag under it
    district = an_official_with_a_centre(client).commune.district
    assert replica_is_fit()
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        time.sleep(1.5)  # the last replayed commit grows older than the bound...
        late = CentreFactory(commune=CommuneFactory(district=district), name="Trung tâm mới ghi")  # WAL waits
        # Received but not replayed: the idiom sees lag only for WAL that has arrived (docs/deployment.md).
        wait_for_standby("receive")
        with (
            caplog.at_level(logging.WARNING, logger="tthtcd_portal.replica"),
            CaptureQueriesContext(connections["replica"]) as on_standby,
        ):
            dashboard, export = pages(client)
        assert dashboard.status_code == 200
        assert late.name in centre_names(export)  # read on the primary: the row the standby has not replayed
        assert "above the bound of 1 s" in caplog.text
        # Nothing but the health checks ran on the standby (and they run on the driver's cursor, uncounted).
        assert on_standby.captured_queries == []
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_standby()
    with caplog.at_level(logging.INFO, logger="tthtcd_portal.replica"):
        assert read_db() == "replica"
    assert "Read replica back in use" in caplog.text


def test_a_standby_stopped_under_a_cached_verdict_costs_the_user_nothing(on_replica, client, settings, caplog):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 3600  # the process still believes the standby fit when it stops
    centre = an_official_with_a_centre(client)
    assert pages(client)[0].status_code == 200 and read_db() == "replica"
    on_replica.standby.stop("immediate")
    try:
        with caplog.at_level(logging.WARNING, logger="tthtcd_portal.replica"):
            dashboard, export = pages(client)
        # The dashboard's first read on the standby failed; ReplicaFallbackMiddleware checked, recorded the
        # standby as down and ran the view again on the primary. The export then went to the primary at once.
        assert dashboard.status_code == 200
        assert centre.name in centre_names(export)
        assert "Read replica not used" in caplog.text and "unreachable" in caplog.text
        assert read_db() == "default"
    finally:
        on_replica.standby.start()
