"""The province's pages: needs against classes offered (by programme kind and by commune, and the gaps) and plan
against actual by commune, both recomputed here from the raw rows (the cells, the plan lines, the kept
figures); their exports hold the rows the page shows; each runs a fixed number of queries; each unit sees only
its centres."""

from __future__ import annotations

import io
import random
from collections import defaultdict

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import CentreYearFigure
from planning.models import NeedTally, PlanLine
from tests.clock import this_year
from tests.courses.factories import kind
from tests.factories import CentreFactory, CommuneFactory
from tests.planning.helpers import plan_line, tally
from tests.reports.factories import FigureFactory

pytestmark = pytest.mark.django_db
CODES = ["phap-luat", "khuyen-nong", "suc-khoe", "tin-hoc-ngoai-ngu"]
GROUPS = ["phu_nu", "nong_dan", "thanh_nien"]


def centres(world, n):
    made = [world.centre_a, world.centre_b]
    for i in range(n):
        commune = CommuneFactory(district=world.district_x, code=f"{13000 + i}", name=f"Xã Thử {i}")
        made.append(CentreFactory(commune=commune, review_office=world.office_x))
    return made


def seed(world, rng, made, year):
    for centre in made:
        cells = {(code, g): rng.randint(0, 30) for code in rng.sample(CODES, 2) for g in GROUPS}
        tally(centre, year, world.official, {k: v for k, v in cells.items() if v} or {("khac", "phu_nu"): 1})
        for code in rng.sample(CODES, 2):
            p = rng.randint(0, 400)
            FigureFactory(centre=centre, year=year, programme_kind=kind(code), classes=rng.randint(0, 5),
                          participations=p, women=p // 2, minorities=0)  # fmt: skip
            plan_line(centre, year, world.official, code=code, month=rng.randint(1, 12),
                      count=rng.randint(1, 6), expected=rng.randint(0, 500))  # fmt: skip


def test_needs_overview_matches_the_raw_rows(world, client_for):
    year, rng = this_year(), random.Random(20)
    made = centres(world, 3)
    seed(world, rng, made, year)
    asked, classes = defaultdict(int), defaultdict(int)
    for t in NeedTally.objects.select_related("survey", "programme_kind"):
        asked[(t.survey.centre_id, t.programme_kind.code)] += t.respondents
    for f in CentreYearFigure.objects.filter(year=year).select_related("programme_kind"):
        classes[(f.centre_id, f.programme_kind.code)] += f.classes
    response = client_for(world.official).get(reverse("planning:needs"), {"nam": year})
    overview = response.context["overview"]
    by_kind = {k.kind.code: k for k in overview.kinds}
    for code in CODES:
        assert by_kind[code].respondents == sum(v for (c, k), v in asked.items() if k == code)
        assert by_kind[code].classes == sum(v for (c, k), v in classes.items() if k == code)
        gaps = [c for (c, k), v in asked.items() if k == code and v and not classes.get((c, k))]
        assert by_kind[code].centres_without_class == len(gaps)
    for row in overview.centres:
        assert row.respondents == sum(v for (c, _k), v in asked.items() if c == row.centre.pk)
        assert row.classes == sum(v for (c, _k), v in classes.items() if c == row.centre.pk)
        assert {k.code for k in row.gaps} == {
            k for (c, k), v in asked.items() if c == row.centre.pk and v and not classes.get((c, k))
        }
    sheet = _sheet(client_for(world.official).get(reverse("reports:export", args=["nhu-cau"]), {"nam": year}))
    assert {r[1]: r[2] for r in sheet if r[0] in {c.commune.code for c in made}} == {
        row.centre.name: row.respondents for row in overview.centres
    }


def test_plans_overview_matches_the_raw_rows(world, client_for):
    year, rng = this_year(), random.Random(21)
    made = centres(world, 3)
    seed(world, rng, made, year)
    planned, expected, done = defaultdict(int), defaultdict(int), defaultdict(int)
    for line in PlanLine.objects.select_related("plan"):
        planned[line.plan.centre_id] += line.count
        expected[line.plan.centre_id] += line.expected
    for f in CentreYearFigure.objects.filter(year=year):
        done[f.centre_id] += f.classes
    overview = client_for(world.official).get(reverse("planning:plans"), {"nam": year}).context["overview"]
    assert {r.centre.pk: (r.figures.planned, r.figures.expected, r.figures.actual) for r in overview.centres} == {
        c.pk: (planned[c.pk], expected[c.pk], done[c.pk]) for c in made
    }
    assert overview.total.planned == sum(planned.values()) and overview.total.actual == sum(done.values())
    sheet = _sheet(client_for(world.official).get(reverse("reports:export", args=["ke-hoach"]), {"nam": year}))
    found = {r[1]: (r[4], r[5]) for r in sheet if r[0] in {c.commune.code for c in made}}
    assert found == {c.name: (planned[c.pk], done[c.pk]) for c in made}


def _sheet(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_a_reviewer_sees_only_their_offices_centres_and_staff_are_sent_to_their_own(world, client_for):
    year = this_year()
    for centre in (world.centre_a, world.centre_b):
        tally(centre, year, world.official, {("khac", "phu_nu"): 3})
        plan_line(centre, year, world.official)
    for name in ("planning:needs", "planning:plans"):
        overview = client_for(world.reviewer_x).get(reverse(name)).context["overview"]
        assert [r.centre for r in overview.centres] == [world.centre_a]
        assert client_for(world.other_official).get(reverse(name)).context["overview"].centres == []
    response = client_for(world.staff_a).get(reverse("planning:plans"))
    assert response.url == reverse("planning:plan_centre", kwargs={"centre_pk": world.centre_a.pk, "year": year})


@pytest.mark.parametrize("n", [2, 10])
def test_the_overviews_run_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    year = this_year()
    seed(world, random.Random(n), centres(world, n), year)
    client = client_for(world.official)
    # 1 session, 2 user with their province (menu in base.html: accounts/backends.py), 3 the province ids
    # (scoping), 4 the surveys (plans) with centres and units, 5 their cells (lines) summed by centre and kind,
    # 6 the kept figures, 7 the kinds, 8 active centres without a survey (plan).
    for name in ("planning:needs", "planning:plans"):
        with django_assert_num_queries(8):
            client.get(reverse(name), {"nam": year})
