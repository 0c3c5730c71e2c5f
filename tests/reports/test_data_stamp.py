"""The dashboards' data stamp on PostgreSQL skips its scan while the database's snapshot is unchanged (issue 18)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import CentreYearFigure
from reports import dashboard
from tests.conftest import is_postgres
from tests.courses.factories import kind


@pytest.mark.postgres
def test_the_stamp_is_reused_while_nothing_committed_and_moves_with_a_commit(transactional_db, world):
    if not is_postgres():
        pytest.skip("the snapshot is PostgreSQL's; elsewhere every stamp is a scan")
    dashboard._last_scan.clear()
    row = CentreYearFigure.objects.create(
        centre=world.centre_a, year=timezone.localdate().year, programme_kind=kind(), classes=1, sessions=2
    )
    first = dashboard.data_stamp()
    assert dashboard._last_scan  # read outside any writing transaction: kept with its snapshot
    with CaptureQueriesContext(connection) as queries:
        again = dashboard.data_stamp()
    assert again == first and len(queries) == 1
    # A committed change moves the snapshot, so the scan runs and sees it.
    CentreYearFigure.objects.filter(pk=row.pk).update(sessions=3)
    assert dashboard.data_stamp() != first


@pytest.mark.postgres
def test_a_transaction_that_wrote_always_scans(transactional_db, world):
    if not is_postgres():
        pytest.skip("the snapshot is PostgreSQL's")
    from django.db import transaction

    dashboard._last_scan.clear()
    row = CentreYearFigure.objects.create(
        centre=world.centre_a, year=timezone.localdate().year, programme_kind=kind(), classes=1, sessions=2
    )
    dashboard.data_stamp()
    with transaction.atomic():
        before = dashboard.data_stamp()
        CentreYearFigure.objects.filter(pk=row.pk).update(sessions=4)
        middle = dashboard.data_stamp()
        CentreYearFigure.objects.filter(pk=row.pk).update(sessions=5)
        assert len({before, middle, dashboard.data_stamp()}) == 3
