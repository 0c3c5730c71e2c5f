"""Dashboards across the 2025 reform (issue 16.3): each year by the units of that year with 2025 in two halves,
the same-territory series of today's communes from the raw sessions and the mapping, totals equal in every view,
exports and official reports in the chosen view, a cluster reviewer's predecessors' history.

The world: two former provinces (Thái Bình: Huyện Đông Hưng with two communes, Huyện Vũ Thư with one; Hưng Yên:
Huyện Kim Động with two, one of them split between two new communes) merged on 01/07/2025 into today's Hưng Yên
with three new communes. Classes and sessions are recorded through the course services (the figures are their
bookkeeping); the expected series are computed from the sessions and attendance rows themselves."""

import datetime
import io
import random
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts import scoping
from accounts.models import Office, User
from centres import services as centre_services
from courses import services as course_services
from courses.models import Attendance, ClassSession, Course
from reports import dashboard as engine
from reports.dashboard import GROUP_FORMER, GROUP_THEN, GROUP_TODAY, GROUPINGS, DashboardFilters
from reports.exports import EXPORTS
from tests.clock import today
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, OfficeFactory, ProvinceFactory, UserFactory
from tests.reports.factories import kind
from units.models import REFORM_DATE, Commune

LAST_OLD_DAY = REFORM_DATE - datetime.timedelta(days=1)
REFORM_YEAR = REFORM_DATE.year
D = datetime.date


class Reform:
    pass


def _province_q(reform):
    return scoping.centre_q(reform.official)


def _record(centre, by, *, start, end, days, rng, roster_learners=0):
    """A class at `centre` with a session on each of `days` (talks: a random headcount; a roster class: its
    learners enrolled and some ticked present)."""
    fmt = Course.Format.ROSTER if roster_learners else Course.Format.TALK
    course = course_services.course_create(
        centre=centre, by=by, programme_kind=kind("khac"), title=f"Lớp {start.isoformat()}",
        format=fmt, start_date=start, end_date=end,
    )  # fmt: skip
    sessions = []
    for day in days:
        present = 0 if roster_learners else rng.randint(5, 60)
        sessions.append(
            course_services.class_session_create(
                course=course, by=by, date=day, present=present, women=present // 2, minorities=present // 7
            )
        )
    if roster_learners:
        learners = [
            course_services.learner_create(
                centre=centre, by=by, full_name=f"Học Viên {centre.pk} {i}", birth_year=1980 + i, gender="female"
            )
            for i in range(roster_learners)
        ]
        enrolments = course_services.enrolment_create_many(course=course, learners=learners, by=by)
        course_services.attendance_save(
            course=course,
            presence={s.pk: {e.pk for e in enrolments if rng.random() < 0.7} for s in sessions},
            by=by,
        )
    return course


@pytest.fixture
def reform(db):
    """Before: Thái Bình (Đông Hưng: Đông Phương, Đông Hợp; Vũ Thư: Tân Lập) and Hưng Yên (Kim Động: Toàn Thắng,
    Lạc Đạo). After: Bắc Đông Hưng ← Đông Phương + Đông Hợp; Vũ Thư ← Tân Lập + part of Lạc Đạo; Lạc Đạo ← Toàn
    Thắng + Lạc Đạo (which took Lạc Đạo's centre: the split commune goes whole there)."""
    rng = random.Random(16)
    w = Reform()
    w.first_year = today().year - 11
    new = ProvinceFactory(code="33", name="Tỉnh Hưng Yên", valid_from=REFORM_DATE)
    thai_binh = ProvinceFactory(code="34", name="Tỉnh Thái Bình", valid_until=LAST_OLD_DAY, merged_into=new)
    hung_yen = ProvinceFactory(code="33", name="Tỉnh Hưng Yên", valid_until=LAST_OLD_DAY, merged_into=new)
    dong_hung = DistrictFactory(province=thai_binh, code="340", name="Huyện Đông Hưng", valid_until=LAST_OLD_DAY)
    vu_thu = DistrictFactory(province=thai_binh, code="342", name="Huyện Vũ Thư", valid_until=LAST_OLD_DAY)
    kim_dong = DistrictFactory(province=hung_yen, code="330", name="Huyện Kim Động", valid_until=LAST_OLD_DAY)
    old = {
        "Xã Đông Phương": (dong_hung, "12694"),
        "Xã Đông Hợp": (dong_hung, "12697"),
        "Xã Tân Lập": (vu_thu, "12900"),
        "Xã Toàn Thắng": (kim_dong, "12100"),
        "Xã Lạc Đạo": (kim_dong, "12130"),
    }
    w.old_communes = {
        name: CommuneFactory(district=d, province=d.province, code=code, name=name, valid_until=LAST_OLD_DAY)
        for name, (d, code) in old.items()
    }
    w.new_communes = {
        name: CommuneFactory(district=None, province=new, code=code, name=name, valid_from=REFORM_DATE)
        for name, code in (("Xã Bắc Đông Hưng", "12695"), ("Xã Vũ Thư", "12901"), ("Xã Lạc Đạo", "12130"))
    }
    # The mapping (old commune → the new commune that took its centre) the test computes its series from.
    w.mapping = {
        "Xã Đông Phương": "Xã Bắc Đông Hưng",
        "Xã Đông Hợp": "Xã Bắc Đông Hưng",
        "Xã Tân Lập": "Xã Vũ Thư",
        "Xã Toàn Thắng": "Xã Lạc Đạo",
        "Xã Lạc Đạo": "Xã Lạc Đạo",  # split: also partly into Xã Vũ Thư, whose figures do not get a share
    }
    offices = {d: OfficeFactory(district=d) for d in (dong_hung, vu_thu, kim_dong)}
    w.old_centres = {
        name: CentreFactory(commune=c, review_office=offices[c.district]) for name, c in w.old_communes.items()
    }
    w.official = UserFactory(username="so_hung_yen", role=User.Role.PROVINCE, province=new)
    for year in range(w.first_year, REFORM_YEAR + 1):
        for i, centre in enumerate(w.old_centres.values()):
            end = LAST_OLD_DAY if year == REFORM_YEAR else D(year, 12, 20)
            days = [D(year, 2, 10 + i), D(year, 5, 3 + i)]
            roster = 3 if (i == 0 and year == w.first_year + 2) else 0
            _record(centre, w.official, start=D(year, 1, 10), end=end, days=days, rng=rng, roster_learners=roster)
    # The reform: communes end and point to the new commune; centres merge into the new communes' centres.
    cluster = Office.objects.create(province=new, name="Cụm Đông Hưng", kind=Office.Kind.CLUSTER)
    w.new_centres = {
        name: CentreFactory(commune=c, review_office=cluster if name == "Xã Bắc Đông Hưng" else None)
        for name, c in w.new_communes.items()
    }
    for old_name, new_name in w.mapping.items():
        Commune.objects.filter(pk=w.old_communes[old_name].pk).update(merged_into=w.new_communes[new_name])
    for new_name, target in w.new_centres.items():
        sources = [w.old_centres[o] for o, n in w.mapping.items() if n == new_name]
        centre_services.centres_merge(sources=sources, target=target, on_date=REFORM_DATE, by=w.official)
    for i, centre in enumerate(w.new_centres.values()):
        _record(centre, w.official, start=D(REFORM_YEAR, 7, 10), end=D(REFORM_YEAR, 12, 20),
                days=[D(REFORM_YEAR, 8, 5 + i), D(REFORM_YEAR, 11, 2 + i)], rng=rng)  # fmt: skip
        _record(centre, w.official, start=D(today().year, 1, 10), end=D(today().year, 6, 30),
                days=[D(today().year, 3, 5 + i)], rng=rng, roster_learners=2 if i == 1 else 0)  # fmt: skip
    w.reviewer = UserFactory(username="cum_dong_hung", role=User.Role.REVIEWER, office=cluster)
    w.filters = {g: DashboardFilters(w.first_year, today().year, grouping=g) for g in GROUPINGS}
    return w


def raw_participations() -> dict[tuple[str, int], int]:
    """(territory of today, year) → learner-participations, from the sessions (a talk's headcount) and the
    attendance rows (a roster class's people ticked present), the territory by the commune mapping."""
    out: dict[tuple[str, int], int] = defaultdict(int)
    ticked = defaultdict(int)
    for session_id in Attendance.objects.filter(present=True).values_list("session_id", flat=True):
        ticked[session_id] += 1
    sessions = ClassSession.objects.select_related("course__centre__commune__merged_into")
    for s in sessions:
        commune = s.course.centre.commune
        territory = (commune.merged_into or commune).name
        headcount = ticked[s.pk] if s.course.format == Course.Format.ROSTER else s.present
        out[(territory, s.date.year)] += headcount
    return out


def test_the_same_territory_series_of_every_new_commune_equals_the_raw_sessions_by_the_mapping(reform):
    board = engine.province_dashboard(province_id=reform.new_communes["Xã Lạc Đạo"].province_id,
                                      filters=reform.filters[GROUP_TODAY])  # fmt: skip
    raw = raw_participations()
    assert {r.label for r in board.rows} == set(reform.new_communes)
    for row in board.rows:
        for year in board.years:
            assert row.at(year).participations == raw[(row.label, year)], (row.label, year)
    # The split commune goes whole to the commune that took its centre: Vũ Thư has only Tân Lập's history.
    vu_thu = next(r for r in board.rows if r.label == "Xã Vũ Thư")
    assert vu_thu.at(reform.first_year).centres == 1
    lac_dao = next(r for r in board.rows if r.label == "Xã Lạc Đạo")
    assert lac_dao.at(reform.first_year).centres == 2


def test_province_totals_are_equal_in_every_view_and_the_rows_add_up_to_them(reform):
    boards = [engine.dashboard(scope=_province_q(reform), filters=f) for f in reform.filters.values()]
    raw = raw_participations()
    for year in boards[0].years:
        expected = sum(n for (_t, y), n in raw.items() if y == year)
        for board in boards:
            assert board.totals.at(year).participations == expected, (board.filters.grouping, year)
            summary = board.summary(year)
            lines = [e for e in summary if not e["is_total"] and not e["is_subtotal"]]
            assert sum(e["figures"].participations for e in lines) == expected
            assert summary[-1]["figures"].counts() == board.totals.at(year).counts()
        counts = {b.filters.grouping: b.totals.at(year).counts() for b in boards}
        assert counts[GROUP_THEN] == counts[GROUP_FORMER] == counts[GROUP_TODAY]


def test_each_year_by_its_units_with_2025_in_two_halves_and_no_rows_of_zeros(reform):
    board = engine.dashboard(scope=_province_q(reform), filters=reform.filters[GROUP_THEN])
    # Before the reform: the former provinces, each with its districts.
    labels = [(e["row"].kind, e["row"].label) for e in board.summary(REFORM_YEAR - 1)]
    assert labels == [
        ("province", "Tỉnh Hưng Yên (đến 30/06/2025)"),
        ("district", "Huyện Kim Động"),
        ("province", "Tỉnh Thái Bình (đến 30/06/2025)"),
        ("district", "Huyện Đông Hưng"),
        ("district", "Huyện Vũ Thư"),
        ("total", ""),
    ]
    # 2025: the former units' half, then the new communes' half; the total is the whole year.
    summary = board.summary(REFORM_YEAR)
    halves = [e for e in summary if e["row"].kind == "half"]
    assert [h["row"].label for h in halves] == [engine.half_label("old"), engine.half_label("new")]
    before = sum(s.present for s in ClassSession.objects.filter(date__year=REFORM_YEAR, date__lt=REFORM_DATE))
    after = sum(s.present for s in ClassSession.objects.filter(date__gte=REFORM_DATE, date__year=REFORM_YEAR))
    assert (halves[0]["figures"].participations, halves[1]["figures"].participations) == (before, after)
    assert (halves[0]["figures"].centres, halves[1]["figures"].centres) == (5, 3)
    assert summary[-1]["figures"].participations == before + after
    # A half is never compared with a whole year: not a half's subtotal, nor its lines, nor a new commune's next
    # year; the whole year's total is.
    assert all(e["change_previous"] is None for e in summary if not e["is_total"])
    assert summary[-1]["change_previous"] is not None
    assert all(e["change_previous"] is None for e in board.summary(today().year) if not e["is_total"])
    assert all(e["change_previous"] is not None for e in board.summary(REFORM_YEAR - 1))
    assert board.centres_with_figures(REFORM_YEAR) == {"old": 5, "new": 3}
    # After: communes only. Never a line of zeros for a unit without a centre that year.
    after_labels = {e["row"].label for e in board.summary(today().year) if not e["is_total"]}
    assert after_labels == set(reform.new_communes)
    for e in board.summary(today().year) + board.summary(REFORM_YEAR - 1):
        assert e["is_total"] or e["figures"].participations > 0
    trend = {e["row"].label: e["values"] for e in board.participation_trend() if not e["is_total"]}
    assert trend["Huyện Đông Hưng"][-1] is None and trend["Xã Bắc Đông Hưng"][0] is None
    # Ratings of 2025 are a part of the new centres (only they are rated for the transition year): no line for a
    # former district in 2025's rating table, nor for a new commune in 2024's.
    assert {e["row"].label for e in board.rating_table(REFORM_YEAR) if not e["is_total"]} == set(reform.new_communes)
    assert "Xã Vũ Thư" not in {e["row"].label for e in board.rating_table(REFORM_YEAR - 1)}
    assert len(board.centres_in(REFORM_YEAR)) == 3 and len(board.centres_in(REFORM_YEAR - 1)) == 5


def test_a_communes_same_territory_trend_is_continuous_from_the_first_year_to_today(reform):
    board = engine.dashboard(scope=_province_q(reform), filters=reform.filters[GROUP_TODAY])
    chart = board.chart_data()
    assert len(chart["years"]) == today().year - reform.first_year + 1
    for series in chart["participation"]:
        assert all(v is not None and v > 0 for v in series["values"]), series["label"]
    then = engine.dashboard(scope=_province_q(reform), filters=reform.filters[GROUP_THEN]).chart_data()
    gaps = {s["label"]: s["values"].count(None) for s in then["participation"]}
    assert gaps["Xã Bắc Đông Hưng"] == REFORM_YEAR - reform.first_year  # no history by the units of each year


def test_the_dashboard_page_says_which_view_is_shown(reform, client_for):
    client = client_for(reform.official)
    url = reverse("reports:dashboard")
    html = client.get(url, {"tu_nam": reform.first_year, "den_nam": REFORM_YEAR, "nhom": "then"}).content.decode()
    assert 'data-testid="halves-note"' in html
    assert "5 trung tâm cũ" in html and "(3 trung tâm)" in html
    # The first half by former province → district, the second by commune.
    table = html.split('data-testid="summary-table"')[1].split("</table>")[0]
    order = ["01/01–30/06/2025", "Tỉnh Hưng Yên (đến 30/06/2025)", "Huyện Kim Động", "Tỉnh Thái Bình (đến 30/06/2025)",
             "Huyện Đông Hưng", "01/07–31/12/2025", "Xã Bắc Đông Hưng", "Tổng cộng"]  # fmt: skip
    positions = [table.index(label) for label in order]
    assert positions == sorted(positions)
    html = client.get(url, {"tu_nam": reform.first_year, "den_nam": today().year, "nhom": "today"}).content.decode()
    assert 'data-testid="same-territory-note"' in html and 'data-testid="split-note"' in html
    assert "Xã Bắc Đông Hưng" in html and "Huyện Đông Hưng" not in html.split('data-testid="summary-table"')[1]


def test_exports_and_official_reports_follow_the_chosen_view(reform, client_for):
    params = {"tu_nam": str(reform.first_year), "den_nam": str(today().year), "nhom": "today"}
    spec = EXPORTS["xu-huong"].build(reform.official, params)
    rows = list(spec.rows)
    assert {r[0] for r in rows[:-1]} == set(reform.new_communes)
    raw = raw_participations()
    first = next(r for r in rows if r[0] == "Xã Bắc Đông Hưng")
    assert first[1] == raw[("Xã Bắc Đông Hưng", reform.first_year)]
    response = client_for(reform.official).get(reverse("reports:official", args=["bc-nguoi-hoc"]), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    lines = [r for r in values if r[0] in reform.new_communes]
    assert {(r[0], r[1]) for r in lines} == {
        (name, y) for name in reform.new_communes for y in range(reform.first_year, today().year + 1)
    }
    assert any("cùng địa bàn" in str(v) for r in values for v in r if v)
    # The units of each year: no line of zeros for a district after the reform.
    params["nhom"] = "then"
    sheet = load_workbook(io.BytesIO(client_for(reform.official).get(
        reverse("reports:official", args=["bc-nguoi-hoc"]), params).content)).active  # fmt: skip
    district_years = [r[1] for r in sheet.iter_rows(values_only=True) if r[0] == "Huyện Đông Hưng"]
    assert district_years == list(range(reform.first_year, REFORM_YEAR + 1))


def test_a_cluster_reviewer_sees_the_predecessors_history_of_the_centres_they_review(reform, client_for):
    client = client_for(reform.reviewer)
    raw = raw_participations()
    params = {"tu_nam": reform.first_year, "den_nam": today().year, "nhom": "today"}
    response = client.get(reverse("reports:dashboard"), params)
    trend = {e["row"].label: e["values"] for e in response.context["trend"] if not e["is_total"]}
    new_centre = reform.new_centres["Xã Bắc Đông Hưng"]
    assert list(trend) == [new_centre.name]
    assert trend[new_centre.name] == [raw[("Xã Bắc Đông Hưng", y)] for y in range(reform.first_year, today().year + 1)]
    # By the centres of each year: the predecessors' rows, shown but not linked (their pages are the province's).
    response = client.get(reverse("reports:dashboard"), {**params, "nhom": "then", "den_nam": REFORM_YEAR - 1})
    rows = {e["row"].label: e["row"] for e in response.context["summary"] if not e["is_total"]}
    assert set(rows) == {reform.old_centres["Xã Đông Phương"].name, reform.old_centres["Xã Đông Hợp"].name}
    assert all(r.url is None for r in rows.values())
    assert reform.old_centres["Xã Tân Lập"].name not in response.content.decode()


def test_a_reviewers_dashboard_with_history_runs_a_fixed_number_of_queries(
    reform, client_for, django_assert_num_queries
):
    client = client_for(reform.reviewer)
    # 1 session, 2 user with their office (unit label, then the menu: accounts/backends.py), 3 programme kinds,
    # 4 the data stamp, then (cache miss) 5 centres with their predecessors, 6 figures, 7 ratings; 8 latest
    # sessions, 9 cycle-year assessments
    with django_assert_num_queries(9):
        assert client.get(reverse("reports:dashboard"), {"nhom": "today"}).status_code == 200


def test_a_new_communes_centre_takes_no_class_or_session_before_its_commune_began(reform):
    centre = reform.new_centres["Xã Vũ Thư"]
    with pytest.raises(ValidationError, match="trước ngày Xã Vũ Thư bắt đầu"):
        course_services.course_create(
            centre=centre, by=reform.official, programme_kind=kind("khac"), title="Lớp cũ",
            format=Course.Format.TALK, start_date=LAST_OLD_DAY, end_date=D(REFORM_YEAR, 8, 1),
        )  # fmt: skip
    course = Course.objects.filter(centre=centre).first()
    with pytest.raises(ValidationError, match="trung tâm cũ đã sáp nhập"):
        course_services.class_session_create(course=course, by=reform.official, date=LAST_OLD_DAY, present=3)


def test_the_province_home_counts_the_centres_of_2025_in_their_two_halves(reform, client_for):
    response = client_for(reform.official).get(reverse("home"))
    home = response.context["province"]
    centres = home.headlines[0]
    assert (centres.before, centres.before_split) == (8, (5, 3))  # last year, same period: both halves
    assert centres.now_split is None  # this year: the new centres only
    assert centres.change is None  # 8 centres then, 3 now: the merger, not a fall
    assert "5 đến 30/06, 3 từ 01/07" in response.content.decode()
    # Shares of Tốt: 2025 is a part of the new centres (only they are rated for it), 2024 of the former ones.
    assert (home.centres_total, home.centres_total_before) == (3, 5)
