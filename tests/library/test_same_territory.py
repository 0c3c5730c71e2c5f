"""The library and resources province pages by today's centres (nhom=today, docs/library.md "Same territory"):
each year's table regrouped onto the centres of today, equal to sums recomputed from the raw rows, totals equal
in both views, the export following the view, the page saying which view it shows.

The world (the province of tests/conftest.py): Xã Đông Xuân's centre merged into Xã Đông Hợp's on 01/01/2020
(a merger before the reform), Xã Đông Hợp's and Xã Lạc Đạo's (a split commune: its territory went partly to Xã
Vũ Thư, its centre to Xã Bắc Đông Hưng) into Xã Bắc Đông Hưng's on 01/07/2025; Xã Tân Lập's centre closed on
30/06/2025 unmerged, its commune merged into Xã Vũ Thư; the world's two centres never merged. Every entry is
recorded through the apps' services, the former centres' before their merger, the new centres' after it."""

import datetime
import io
from collections import defaultdict

import pytest
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Office, User
from centres import services as centre_services
from centres.models import Centre
from centres.selectors import today_centres
from library import services as library_services
from library.models import Holding, LibraryMonth, ReadingEvent
from reports import dashboard
from resources import services as resource_services
from resources.models import Contribution, Kind, Source
from tests import clock
from tests.factories import CentreFactory, CommuneFactory, UserFactory
from units.models import REFORM_DATE

D = datetime.date
LAST_OLD_DAY = REFORM_DATE - datetime.timedelta(days=1)
REFORM_YEAR = REFORM_DATE.year
EARLY_MERGER = D(2020, 1, 1)
FLOWS = ("readers", "loans", "events", "participants")
STOCKS = ("books", "newspapers", "magazines")
SOURCES = list(Source)


class Territory:
    pass


def _record(t, centre, year, *, seed: int, last_month: int = 12, first_month: int = 1):
    """A year of a centre: months' readers and loans, a holdings count, a reading event, two contributions."""
    by = t.official
    months = {m: (seed * 10 + m, seed + m) for m in range(first_month, last_month + 1)}
    library_services.library_months_save(centre=centre, year=year, figures=months, by=by)
    day = D(year, last_month, 20)
    library_services.holding_record(
        centre=centre, as_of=day, books=seed * 100 + year % 100, newspapers=seed, magazines=1, by=by
    )
    library_services.reading_event_record(
        centre=centre, date=D(year, first_month, 15), title=f"Đọc sách {seed}", participants=seed * 3, by=by
    )
    for n, source in enumerate((SOURCES[seed % len(SOURCES)], Source.KHUYEN_HOC)):
        resource_services.contribution_record(
            centre=centre, date=D(year, first_month, 10 + n), source=source, kind=Kind.MONEY,
            value=(seed + n) * 1_000_000, description=f"Ủng hộ {seed} {n}", by=by,
        )  # fmt: skip


@pytest.fixture
def territory(world):
    t = Territory()
    t.world, t.official = world, world.official
    t.first_year = clock.this_year() - 8  # before the early merger
    x, y = world.district_x, world.district_y

    def commune(district, code, name, **validity):
        return CommuneFactory(district=district, province=world.province, code=code, name=name, **validity)

    new_1 = commune(None, "12695", "Xã Bắc Đông Hưng", valid_from=REFORM_DATE)
    new_2 = commune(None, "12901", "Xã Vũ Thư", valid_from=REFORM_DATE)
    hop = commune(x, "12697", "Xã Đông Hợp", valid_until=LAST_OLD_DAY, merged_into=new_1)
    xuan = commune(x, "12698", "Xã Đông Xuân", valid_until=EARLY_MERGER - datetime.timedelta(days=1), merged_into=hop)
    lac = commune(y, "12130", "Xã Lạc Đạo", valid_until=LAST_OLD_DAY, merged_into=new_2)  # split: centre to new_1
    tan = commune(y, "12900", "Xã Tân Lập", valid_until=LAST_OLD_DAY, merged_into=new_2)
    t.xuan, t.hop, t.lac, t.tan = (CentreFactory(commune=c) for c in (xuan, hop, lac, tan))
    t.new_1, t.new_2 = CentreFactory(commune=new_1), CentreFactory(commune=new_2)
    a, b = world.centre_a, world.centre_b
    for year in range(t.first_year, EARLY_MERGER.year):
        _record(t, t.xuan, year, seed=2)
    centre_services.centres_merge(sources=[t.xuan], target=t.hop, on_date=EARLY_MERGER, by=t.official)
    for year in range(t.first_year, REFORM_YEAR + 1):
        last = 6 if year == REFORM_YEAR else 12
        for seed, centre in ((3, t.hop), (4, t.lac), (5, t.tan), (6, a), (7, b)):
            _record(t, centre, year, seed=seed, last_month=12 if centre in (a, b) else last)
    centre_services.centres_merge(sources=[t.hop, t.lac], target=t.new_1, on_date=REFORM_DATE, by=t.official)
    Centre.objects.filter(pk=t.tan.pk).update(status=Centre.Status.DISSOLVED, status_date=LAST_OLD_DAY)
    for year in range(REFORM_YEAR, clock.this_year()):
        for seed, centre in ((8, t.new_1), (9, t.new_2)):
            _record(t, centre, year, seed=seed, first_month=7 if year == REFORM_YEAR else 1)
    for centre in (t.xuan, t.hop, t.lac, t.tan):
        centre.refresh_from_db()
    # The mapping the expected tables are computed from: the centre of today each centre's figures count under.
    t.today = {
        t.xuan.pk: t.new_1, t.hop.pk: t.new_1, t.lac.pk: t.new_1, t.new_1.pk: t.new_1, t.new_2.pk: t.new_2,
        t.tan.pk: t.tan, a.pk: a, b.pk: b,
    }  # fmt: skip
    t.years = list(range(t.first_year, clock.this_year()))
    return t


def _open_on_31_12(centre, year):
    return centre.status_date is None or centre.status_date.year > year


def _library_expected(t, year: int) -> dict[int, dict]:
    """Per centre of today: the year's figures recomputed from the live raw rows of the centres it took in."""
    found = defaultdict(lambda: dict.fromkeys(FLOWS + STOCKS, 0))
    centres = {c.pk: c for c in Centre.objects.filter(pk__in=list(t.today))}
    for month in LibraryMonth.objects.filter(year=year, centre__in=list(centres)):
        row = found[t.today[month.centre_id].pk]
        row["readers"] += month.readers
        row["loans"] += month.loans
    for event in ReadingEvent.objects.filter(date__year=year, centre__in=list(centres)):
        row = found[t.today[event.centre_id].pk]
        row["events"] += 1
        row["participants"] += event.participants
    for pk, centre in centres.items():
        latest = Holding.objects.filter(centre=centre, as_of__lte=D(year, 12, 31)).order_by("-as_of").first()
        if latest and _open_on_31_12(centre, year):
            for name in STOCKS:
                found[t.today[pk].pk][name] += getattr(latest, name)
    return dict(found)


def _resources_expected(t, year: int) -> dict[int, list[int]]:
    found = defaultdict(lambda: [0] * len(SOURCES))
    for item in Contribution.objects.filter(date__year=year, centre__in=list(t.today)):
        found[t.today[item.centre_id].pk][SOURCES.index(item.source)] += item.value or 0
    return dict(found)


def _page(client, name, year, nhom):
    response = client.get(reverse(name), {"nam": year, "nhom": nhom})
    assert response.status_code == 200
    return response


def test_today_centres_follows_merged_into_as_the_dashboard_does(territory):
    t = territory
    found = today_centres(t.today)
    assert {pk: found[pk].centre_id for pk in t.today if found[pk].centre_id} == {
        pk: c.pk for pk, c in t.today.items() if pk != t.tan.pk
    }
    # Xã Đông Xuân → Xã Đông Hợp (2020) → Xã Bắc Đông Hưng (2025): two generations, one query.
    assert found[t.xuan.pk].commune_name == "Xã Bắc Đông Hưng"
    # The split Xã Lạc Đạo counts whole under the commune its centre went to, not the one its commune points to.
    assert found[t.lac.pk].commune_name == "Xã Bắc Đông Hưng"
    # Xã Tân Lập's centre closed unmerged: no centre of today, the commune its commune became part of.
    assert found[t.tan.pk][:2] == (None, "") and found[t.tan.pk].commune_name == "Xã Vũ Thư"
    # The dashboard's same-territory grouping reads the same rule.
    info = {c.id: c for c in dashboard.centres_info(scope=Q(pk__in=list(t.today)))}
    assert {pk: (info[pk].today_centre_id, info[pk].today_commune_id) for pk in t.today} == {
        pk: (found[pk].centre_id, found[pk].commune_id) for pk in t.today
    }


def test_the_library_table_by_todays_centres_equals_sums_of_the_raw_rows(territory, client_for):
    t = territory
    client = client_for(t.official)
    for year in t.years:
        rows = _page(client, "library:overview", year, "today").context["rows"]
        shown = {r.pk: {name: getattr(r, name) for name in FLOWS + STOCKS} for r in rows}
        expected = _library_expected(t, year)
        assert {pk: v for pk, v in shown.items() if any(v.values())} == expected, year
    # Before the reform the new commune's row sums its three predecessors, named under it.
    rows = _page(client, "library:overview", REFORM_YEAR - 1, "today")
    row = next(r for r in rows.context["rows"] if r.pk == t.new_1.pk)
    assert {c.pk for c in row.former} == {t.hop.pk, t.lac.pk}
    assert "gồm:" in rows.content.decode() and t.lac.name in rows.content.decode()


def test_the_resources_table_by_todays_centres_equals_sums_of_the_raw_rows(territory, client_for):
    t = territory
    client = client_for(t.official)
    for year in t.years:
        rows = _page(client, "resources:overview", year, "today").context["rows"]
        shown = {r.pk: r.totals.values() for r in rows if r.totals.count}
        assert shown == _resources_expected(t, year), year


def test_totals_are_equal_in_both_views(territory, client_for):
    """Flows and contributions in every year; holdings too, but in the year a centre closed: its last count is
    not added to its successor's count at the year's end."""
    t = territory
    client = client_for(t.official)
    for year in t.years:
        then = _page(client, "library:overview", year, "then").context
        today = _page(client, "library:overview", year, "today").context
        assert {k: today["totals"][k] for k in FLOWS} == {k: then["totals"][k] for k in FLOWS}, year
        if year != REFORM_YEAR:
            assert today["totals"] == then["totals"], year
        else:
            ended = (t.hop, t.lac, t.tan)
            books = sum(Holding.objects.filter(centre=c, as_of__year=year).get().books for c in ended)
            assert today["totals"]["books"] == then["totals"]["books"] - books
        then = _page(client, "resources:overview", year, "then").context
        today = _page(client, "resources:overview", year, "today").context
        assert (today["totals"], today["grand_total"]) == (then["totals"], then["grand_total"]), year
        assert len(today["rows"]) <= len(then["rows"])


def test_the_page_says_which_view_it_shows_and_the_export_follows(territory, client_for):
    t = territory
    client = client_for(t.official)
    year = REFORM_YEAR - 3
    html = _page(client, "library:overview", year, "today").content.decode()
    for testid in ("same-territory-note", "split-note", "stock-note"):
        assert f'data-testid="{testid}"' in html
    assert '<option value="today" selected>' in html
    assert f"nam={year}&amp;nhom=today" in html  # the export button
    then_html = _page(client, "library:overview", year, "then").content.decode()
    assert 'data-testid="same-territory-note"' not in then_html and '<option value="then" selected>' in then_html
    for code, figures in (("thu-vien", _library_expected(t, year)), ("nguon-luc", _resources_expected(t, year))):
        response = client.get(reverse("reports:export", args=[code]), {"nam": year, "nhom": "today"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = {r[2]: r for r in sheet.iter_rows(values_only=True) if r[2] in {c.name for c in t.today.values()}}
        assert set(rows) == {c.name for pk, c in t.today.items() if c.pk in figures}
        new_row = rows[t.new_1.name]
        assert new_row[1] == "Xã Bắc Đông Hưng" and t.hop.name in new_row[3] and t.lac.name in new_row[3]
        if code == "thu-vien":
            assert new_row[5] == figures[t.new_1.pk]["readers"]
        else:
            assert list(new_row[4 : 4 + len(SOURCES)]) == figures[t.new_1.pk]


def test_a_cluster_reviewer_sees_the_history_of_the_centres_they_review(territory, client_for):
    """A cluster office of today reviews Xã Bắc Đông Hưng's centre; the former district offices reviewed its
    predecessors. By the units of each year it sees nothing before the reform; on today's centres, the history."""
    t = territory
    cluster = Office.objects.create(province=t.world.province, name="Cụm Đông Hưng", kind=Office.Kind.CLUSTER)
    Centre.objects.filter(pk=t.new_1.pk).update(review_office=cluster)
    client = client_for(UserFactory(username="cum_dong_hung", role=User.Role.REVIEWER, office=cluster))
    year = REFORM_YEAR - 1
    assert _page(client, "library:overview", year, "then").context["rows"] == []
    response = _page(client, "library:overview", year, "today")
    [row] = response.context["rows"]
    assert row.pk == t.new_1.pk and row.centre is not None
    assert {k: getattr(row, k) for k in FLOWS + STOCKS} == _library_expected(t, year)[t.new_1.pk]
    [row] = _page(client, "resources:overview", year, "today").context["rows"]
    assert row.totals.values() == _resources_expected(t, year)[t.new_1.pk]
    # The predecessors' own pages stay the former offices' and the province's.
    assert client.get(reverse("library:centre", args=[t.hop.pk])).status_code == 404


def test_an_outsider_sees_nothing_of_the_province(territory, client_for):
    t = territory
    client = client_for(t.world.other_official)
    for name in ("library:overview", "resources:overview"):
        response = _page(client, name, REFORM_YEAR - 1, "today")
        assert response.context["rows"] == []
        assert t.new_1.name not in response.content.decode()
    assert client.get(reverse("library:centre", args=[t.new_1.pk])).status_code == 404
    assert client.get(reverse("resources:centre", args=[t.new_1.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 4])
def test_the_same_territory_pages_run_a_fixed_number_of_queries(territory, client_for, django_assert_num_queries, n):
    t = territory
    year = REFORM_YEAR - 1
    for i in range(n):
        new = CommuneFactory(district=None, province=t.world.province, valid_from=REFORM_DATE)
        centre = CentreFactory(commune=CommuneFactory(district=t.world.district_x, valid_until=LAST_OLD_DAY))
        LibraryMonth.objects.create(centre=centre, year=year, month=3, readers=10 + i, loans=3)
        Contribution.objects.create(
            centre=centre, date=D(year, 3, 1), source=Source.CA_NHAN, kind=Kind.MONEY, value=1000, description="A"
        )
        Centre.objects.filter(pk=centre.pk).update(
            status=Centre.Status.MERGED, status_date=REFORM_DATE, merged_into=CentreFactory(commune=new)
        )
    client = client_for(t.official)
    # 1 session, 2 user with their province (accounts/backends.py), 3 the official's province ids, 4-5 the years
    # (library: months and events; resources: contributions), 6 the year's figures (library: the centres with their figures; resources: the year's
    # totals, then 7 the centres), the successors, today's centres.
    with django_assert_num_queries(8):
        _page(client, "library:overview", year, "today")
    with django_assert_num_queries(8):
        _page(client, "resources:overview", year, "today")
