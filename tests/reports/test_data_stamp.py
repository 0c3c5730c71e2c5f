"""The dashboards' data stamp on PostgreSQL skips its scan while the database's snapshot is unchanged (issue 18)."""

import pytest
from django.utils import timezone

from courses.models import CentreYearFigure
from reports import dashboard
from tests.conftest import is_postgres, queries_between_commits
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
    again, queries = queries_between_commits(dashboard.data_stamp, kept=1)
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


def test_a_scopes_stamp_moves_with_its_own_centres_figures_only(world):
    """A province's stamp reads its own centres' figure rows (issue 17 item 4): a figure elsewhere leaves it, one
    of its centres moves it, and so does a centre of another province coming into it."""
    from tests.factories import CentreFactory, CommuneFactory, DistrictFactory

    elsewhere = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=world.other_province)))
    year = timezone.localdate().year
    own = CentreYearFigure.objects.create(centre=world.centre_a, year=year, programme_kind=kind(), sessions=2)
    other = CentreYearFigure.objects.create(centre=elsewhere, year=year, programme_kind=kind(), sessions=3)
    province = dashboard.province_scope(world.province.pk)
    first, national = dashboard.data_stamp(province), dashboard.data_stamp()
    CentreYearFigure.objects.filter(pk=other.pk).update(sessions=4)
    assert dashboard.data_stamp(province) == first
    assert dashboard.data_stamp() != national
    CentreYearFigure.objects.filter(pk=own.pk).update(sessions=5)
    second = dashboard.data_stamp(province)
    assert second != first
    commune = elsewhere.commune
    commune.province = world.province
    commune.district = world.district_x
    commune.save()
    assert dashboard.data_stamp(province) != second


def test_a_session_saved_now_shows_on_the_province_dashboard_s_next_load(world, client_for):
    from django.urls import reverse

    from courses import services
    from courses.models import Course

    def participations(client):
        board = client.get(reverse("reports:dashboard"), {"den_nam": year}).context["board"]
        return board.totals.at(year).participations

    year = timezone.localdate().year
    client = client_for(world.official)
    course = services.course_create(
        centre=world.centre_a, by=world.staff_a, programme_kind=kind(), title="Luật Đất đai",
        format=Course.Format.TALK, start_date=timezone.localdate().replace(month=1, day=5),
        end_date=timezone.localdate().replace(month=12, day=31), planned_sessions=3,
    )  # fmt: skip
    assert participations(client) == 0
    services.class_session_create(course=course, by=world.staff_a, date=timezone.localdate(), present=40, women=0)
    assert participations(client) == 40


def test_a_scopes_sql_is_kept_only_when_its_q_says_all_it_selects(world):
    from django.db.models import Q

    from centres.models import Centre
    from reports import dashboard

    assert dashboard._plain(Q(pk=1) | Q(merged_into=1) | Q(commune__district_id__in=[2, 3]))
    assert not dashboard._plain(Q(merged_into__in=Centre.objects.values("pk")))
    dashboard.data_stamp(Q(pk=world.centre_a.pk))
    assert dashboard._scope_sql("default", Q(pk=world.centre_a.pk)) == (
        Centre.objects.filter(pk=world.centre_a.pk).values("pk").query.sql_with_params()
    )
