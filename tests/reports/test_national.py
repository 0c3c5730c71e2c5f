"""The Ministry's national dashboard (issue 17 item 1): a row per province, each the province's own dashboard's
totals; drill-down into a province (`tinh`), the same-territory view across a provincial merger, the national
export and the official report with the Ministry's header; provincial officials keep to their own province."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts import scoping
from tests.clock import PINNED_YEAR
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, ProvinceFactory
from tests.reports.factories import AssessmentFactory, FigureFactory, kind
from units.models import REFORM_DATE

YEARS = {"tu_nam": PINNED_YEAR - 4, "den_nam": PINNED_YEAR - 2}  # at import: the pin is not on yet


@pytest.fixture
def nation(world, figures):
    """Province P with A, A2, B (the `figures` fixture) and province Q with centre C: figures and a rating in
    the same years, every number different from P's."""
    district = DistrictFactory(province=world.other_province, code="330", name="Huyện Tiên Lữ")
    centre_c = CentreFactory(commune=CommuneFactory(district=district, code="12100", name="Xã Thiện Phiến"))
    for year in range(YEARS["tu_nam"], YEARS["den_nam"] + 1):
        FigureFactory(centre=centre_c, year=year, programme_kind=kind("khac"), participations=1234 + year, classes=5)
        AssessmentFactory(centre=centre_c, year=year, rating="kha")
    return centre_c


def _board(client, **params):
    response = client.get(reverse("reports:dashboard"), {**YEARS, **params})
    assert response.status_code == 200
    return response.context["board"]


def _totals(board, year):
    f = board.totals.at(year)
    return (f.centres, f.classes, f.sessions, f.participations, f.women, f.minorities, f.rated, dict(f.ratings))


def test_the_national_dashboard_sums_the_provinces_dashboards(world, nation, client_for):
    national = _board(client_for(world.ministry))
    province_p = _board(client_for(world.official))
    province_q = _board(client_for(world.other_official))
    assert national.row_level == "province"
    assert [r.label for r in national.rows] == ["Tỉnh Hưng Yên", "Tỉnh Thái Bình"]  # GSO code order: 33, 34
    for year in range(YEARS["tu_nam"], YEARS["den_nam"] + 1):
        by_province = {r.id: r.at(year) for r in national.rows}
        for province, board in ((world.province, province_p), (world.other_province, province_q)):
            f = by_province[province.pk]
            assert (f.centres, f.classes, f.sessions, f.participations, f.women, f.minorities) == _totals(board, year)[
                :6
            ]
            assert dict(f.ratings) == dict(board.totals.at(year).ratings)
        p, q, n = _totals(province_p, year), _totals(province_q, year), _totals(national, year)
        assert n[:7] == tuple(a + b for a, b in zip(p[:7], q[:7], strict=True))


def test_a_province_row_opens_that_provinces_dashboard_as_its_officials_see_it(world, nation, client_for):
    client = client_for(world.ministry)
    response = client.get(reverse("reports:dashboard"), YEARS)
    page = response.content.decode()
    assert f'href="{reverse("reports:dashboard")}?tinh={world.province.pk}&amp;' in page
    assert "Số liệu toàn quốc" in page
    drilled = client.get(reverse("reports:dashboard"), {**YEARS, "tinh": world.province.pk})
    text = drilled.content.decode()
    assert "Số liệu toàn tỉnh" in text and f'name="tinh" value="{world.province.pk}"' in text
    assert reverse("reports:district", args=[world.district_x.pk]) in text  # → district → centre
    official = _board(client_for(world.official))
    board = drilled.context["board"]
    assert [r.label for r in board.rows] == [r.label for r in official.rows]
    assert _totals(board, YEARS["den_nam"]) == _totals(official, YEARS["den_nam"])
    assert client.get(reverse("reports:district", args=[world.district_x.pk])).status_code == 200
    assert client.get(reverse("reports:centre", args=[world.centre_b.pk])).status_code == 200
    assert client.get(reverse("centres:detail", args=[world.centre_b.pk])).status_code == 200


def test_a_provincial_official_still_sees_only_their_own_province(world, nation, client_for):
    client = client_for(world.other_official)
    assert client.get(reverse("reports:dashboard"), {"tinh": world.province.pk}).status_code == 404
    assert client.get(reverse("reports:export", args=["so-lieu"]), {"tinh": world.province.pk}).status_code == 404
    assert client.get(reverse("reports:district", args=[world.district_x.pk])).status_code == 404
    assert client.get(reverse("centres:detail", args=[world.centre_b.pk])).status_code == 404
    own = _board(client, tinh=world.other_province.pk)
    assert own.row_level == "group" and _totals(own, YEARS["den_nam"])[3] == 1234 + YEARS["den_nam"]
    assert client.get(reverse("reports:dashboard"), {"tinh": "²"}).status_code == 404


def test_the_same_territory_view_adds_a_former_province_into_todays(world, nation, client_for):
    """A former province merged into Q on 01/07/2025: `then` shows it on its own line before the reform,
    `today` adds its figures into Q's line for every year."""
    last_day = REFORM_DATE - datetime.timedelta(days=1)
    former = ProvinceFactory(code="35", name="Tỉnh Hà Nam", valid_until=last_day, merged_into=world.other_province)
    old = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=former, code="350"), code="13300"))
    FigureFactory(centre=old, year=YEARS["den_nam"], participations=500, women=300)
    client = client_for(world.ministry)
    then = {r.label: r.at(YEARS["den_nam"]).participations for r in _board(client).rows}
    assert then["Tỉnh Hà Nam (đến 30/06/2025)"] == 500
    today = {r.label: r.at(YEARS["den_nam"]).participations for r in _board(client, nhom="today").rows}
    assert set(today) == {"Tỉnh Hưng Yên", "Tỉnh Thái Bình"}
    assert today["Tỉnh Hưng Yên"] == 1234 + YEARS["den_nam"] + 500
    # Q's own officials see the former province as its history, as before.
    assert _totals(_board(client_for(world.other_official)), YEARS["den_nam"])[3] == 1234 + YEARS["den_nam"] + 500


def test_the_national_rating_table_says_each_province_uses_its_own_rubric(world, nation, client_for):
    page = client_for(world.ministry).get(reverse("reports:dashboard"), YEARS).content.decode()
    assert 'data-testid="own-rubric-note"' in page and "bộ tiêu chí và ngưỡng điểm của chính tỉnh đó" in page
    assert 'data-testid="missing-data"' not in page  # no national list of quiet centres


def test_the_national_export_holds_the_provinces_rows(world, nation, client_for):
    response = client_for(world.ministry).get(reverse("reports:export", args=["so-lieu"]), YEARS)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "Tỉnh, thành phố" in values and "Đơn vị: Toàn quốc · Năm: " + str(YEARS["den_nam"]) in values
    assert "Tỉnh Hưng Yên" in values and "Tỉnh Thái Bình" in values


def test_the_official_report_carries_the_ministrys_header(world, nation, client_for):
    response = client_for(world.ministry).get(reverse("reports:official", args=["bc-xep-loai"]), YEARS)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert sheet["A1"].value == "BỘ GIÁO DỤC VÀ ĐÀO TẠO" and "VỤ GIÁO DỤC THƯỜNG XUYÊN" in values
    assert any(str(v).startswith("Hà Nội, ngày ") for v in values)
    assert any("/BC-BGDĐT" in str(v) for v in values)
    assert "Toàn quốc" in values and "Tỉnh Hưng Yên" in values
    assert any("bộ tiêu chí và ngưỡng điểm của chính tỉnh đó" in str(v) for v in values)


def test_the_ministry_edits_nothing(world):
    ministry = world.ministry
    assert type(world.centre_a).objects.visible_to(ministry).count() == 2  # every centre
    assert not scoping.can_edit_centre(ministry, world.centre_a)
    assert not scoping.is_province_level(ministry) and scoping.is_national_or_province_level(ministry)
    assert not scoping.can_edit_province_settings(ministry, world.province.pk)
    assert not type(ministry).objects.filter(scoping.managed_accounts_q(ministry)).exists()


def test_the_ministrys_menu_and_home_offer_only_what_it_can_use(world, client_for):
    page = client_for(world.ministry).get(reverse("home")).content.decode()
    assert 'data-testid="home-ministry"' in page
    assert reverse("staff_accounts:list") not in page and reverse("reminders:list") not in page
    assert reverse("reports:dashboard") in page and reverse("centres:list") in page


@pytest.mark.parametrize("extra", [0, 6])
def test_the_national_dashboard_runs_a_fixed_number_of_queries(
    world, nation, client_for, django_assert_num_queries, extra
):
    for province in (world.province, world.other_province):
        for _ in range(extra):
            c = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=province)))
            FigureFactory(centre=c, year=YEARS["den_nam"])
            AssessmentFactory(centre=c, year=YEARS["den_nam"])
    client = client_for(world.ministry)
    # 1 session, 2 user, 3 programme kinds, 4 the data stamp (cache key), then on a cache miss 5 centres with
    # units, 6 figures per centre and year, 7 approved ratings, 8 the provinces
    with django_assert_num_queries(8):
        assert client.get(reverse("reports:dashboard"), YEARS).status_code == 200


@pytest.mark.parametrize("value", ["2026-02-31", "1" * 23, "²", "-1", "<script>", ""])
def test_a_bad_province_parameter_is_a_404_or_the_national_page_never_a_500(world, client_for, value):
    client = client_for(world.ministry)
    for url in (reverse("reports:dashboard"), reverse("reports:export", args=["so-lieu"])):
        assert client.get(url, {"tinh": value}).status_code in (200, 404), (url, value)


@pytest.mark.parametrize("grouping", ["then", "former", "today"])
def test_each_provinces_row_is_the_sum_of_its_centres(world, nation, grouping):
    """The national rows are summed in the database per province (dashboard.province_key); each must equal the
    sum, centre by centre, of the figures and ratings of the centres province_of() puts in that province — across
    a provincial merger, a new commune taking in a former province's commune, and both halves of 2025."""
    from collections import Counter, defaultdict

    from django.db.models import Q

    from courses.models import CentreYearFigure
    from evaluations.models import Assessment
    from reports import dashboard as engine

    last_day = REFORM_DATE - datetime.timedelta(days=1)
    former = ProvinceFactory(code="35", name="Tỉnh Hà Nam", valid_until=last_day, merged_into=world.other_province)
    old_commune = CommuneFactory(district=DistrictFactory(province=former, code="350"), code="13300")
    new_commune = CommuneFactory(district=None, province=world.other_province, code="13301", valid_from=REFORM_DATE)
    old_commune.merged_into = new_commune
    old_commune.save()
    new = CentreFactory(commune=new_commune)
    old = CentreFactory(commune=old_commune, status="merged", merged_into=new, status_date=REFORM_DATE)
    for year, centre, people in ((2025, old, 500), (2024, old, 480), (2025, new, 70), (2026, new, 90)):
        FigureFactory(centre=centre, year=year, participations=people, women=people // 2, classes=year - 2020)
    AssessmentFactory(centre=new, year=2025, rating="tot")
    AssessmentFactory(centre=old, year=2024, rating="dat")
    filters = engine.DashboardFilters(year_from=2023, year_to=2026, base_year=2023, grouping=grouping)

    board = engine.dashboard_compute(scope=Q(), filters=filters, by_province=True)

    info = {c.id: c for c in engine.centres_info(scope=Q())}
    expected: dict[tuple[int, int], list] = defaultdict(lambda: [set(), Counter(), Counter()])
    for f in CentreYearFigure.objects.filter(year__in=filters.years_to_read):
        entry = expected[(engine.province_of(info[f.centre_id], grouping), f.year)]
        entry[0].add(f.centre_id)
        entry[1].update({name: getattr(f, name) for name in engine.FIGURE_FIELDS})
    approved = Assessment.objects.filter(year__in=filters.years_to_read, status=Assessment.Status.APPROVED)
    for a in approved:
        expected[(engine.province_of(info[a.centre_id], grouping), a.year)][2][a.rating] += 1
    got = {
        (row.id, year): [f.centres, {n: getattr(f, n) for n in engine.FIGURE_FIELDS}, dict(f.ratings)]
        for row in board.rows
        for year, f in row.by_year.items()
    }
    want = {
        key: [len(ids), {n: sums[n] for n in engine.FIGURE_FIELDS}, dict(ratings)]
        for key, (ids, sums, ratings) in expected.items()
    }
    assert got == want
    assert len({key[0] for key in want}) >= 2  # more than one province has figures
    if grouping == "former":
        assert (former.pk, 2025) in got and got[(former.pk, 2025)][0] == 2  # the new centre counted with the old
    if grouping == "today":
        assert not any(province == former.pk for province, _year in got)  # all in the province it merged into
