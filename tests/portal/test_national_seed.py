"""The national generator (portal/national.py, `seed_demo --scale nation`) on a tiny nation: the shape of what it
builds — centres before and after the reform, merged on 01/07/2025 by the mapping, activity on the right side of
the reform, roster head counts from attendance, approved ratings with each province's rubric, and figures equal to
the sessions' sums. SQLite and PostgreSQL (the same code; COPY on PostgreSQL)."""

import datetime

import pytest
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import ExtractYear

from centres.models import Centre
from courses.models import Attendance, CentreYearFigure, ClassSession, Course
from evaluations.models import Assessment, Rubric
from portal.national import NationalLists, seed
from tests.clock import today
from units.models import REFORM_DATE

pytestmark = pytest.mark.django_db
REFORM = REFORM_DATE
GSO_HEADER = "Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh"
MAPPING_HEADER = (
    "old_ward_code,old_ward_name,old_district_code,old_district_name,new_ward_code,new_ward_name,"
    "old_province_code,old_province_name,new_province_code,new_province_name,old_ward_split"
)
# 97019 is named by no row of the mapping (ended on 30/06/2025 without successor; its centre stays open for the
# merger page); the new 97016 has no former commune (a special zone made of island districts): a centre each.
OLD = [
    ("97001", "Xã An Bình"), ("97004", "Xã Bình Minh"), ("97007", "Xã Cao Sơn"), ("97010", "Xã Đông Hòa"),
    ("97019", "Xã Hải Đông"),
]  # fmt: skip
NEW = [("97001", "Xã An Bình"), ("97013", "Xã Tân Phú"), ("97016", "Xã Hòn Mê")]
# 97010 is split between both new communes: its centre goes to the one listed first (no code or name kept).
PAIRS = [("97001", "97001"), ("97004", "97001"), ("97007", "97013"), ("97010", "97013"), ("97010", "97001")]


@pytest.fixture
def tiny_nation(tmp_path) -> NationalLists:
    legacy = tmp_path / "legacy.csv"
    legacy.write_text(
        "\n".join([GSO_HEADER, *(f"Tỉnh Thử Nghiệm,97,Huyện Thử,970,{name},{code},Xã," for code, name in OLD)]),
        encoding="utf-8",
    )
    new = tmp_path / "new.csv"
    new.write_text(
        "\n".join([GSO_HEADER, *(f"Tỉnh Thử Nghiệm,97,,,{name},{code},Xã," for code, name in NEW)]), encoding="utf-8"
    )
    names = dict(OLD) | {f"n{c}": n for c, n in NEW}
    mapping = tmp_path / "mapping.csv"
    mapping.write_text(
        "\n".join(
            [
                MAPPING_HEADER,
                *(
                    f"{o},{names[o]},970,Huyện Thử,{n},{names['n' + n]},97,Tỉnh Thử Nghiệm,97,Tỉnh Thử Nghiệm,0"
                    for o, n in PAIRS
                ),
            ]
        ),
        encoding="utf-8",
    )
    return NationalLists(legacy=legacy, new=new, mapping=mapping)


def test_a_tiny_nation_has_the_shape_of_the_reform(tiny_nation):
    report = seed(log=lambda _line: None, lists=tiny_nation)
    day = today()

    unmapped = Centre.objects.get(commune__code="97019")
    assert unmapped.status == Centre.Status.ACTIVE and unmapped.commune.valid_until == REFORM - datetime.timedelta(1)
    former = Centre.objects.filter(commune__valid_from__lt=REFORM).exclude(pk=unmapped.pk)
    after = Centre.objects.filter(commune__valid_from__gte=REFORM)
    assert former.count() == 4 and after.count() == 3
    assert set(former.values_list("status", "status_date")) == {(Centre.Status.MERGED, REFORM)}
    assert set(after.values_list("status", flat=True)) == {Centre.Status.ACTIVE}
    merged_into = dict(former.values_list("commune__code", "merged_into__commune__code"))
    assert merged_into == {"97001": "97001", "97004": "97001", "97007": "97013", "97010": "97013"}

    # Activity: the former centres from 2019 to 30/06/2025, the new ones from 01/07/2025 to today.
    span = {
        row["era"]: row
        for row in ClassSession.objects.annotate(era=Q(course__centre__commune__valid_from__lt=REFORM))
        .values("era")
        .annotate(first=Min("date"), last=Max("date"), n=Count("id"))
    }
    assert span[True]["first"].year == 2019 and span[True]["last"] < REFORM
    assert span[False]["first"] >= REFORM and span[False]["last"] <= day
    # About 100 sessions a former centre-year, 300 a new one (the national magnitudes, per centre).
    assert 5 * 6.5 * 60 < span[True]["n"] < 5 * 6.5 * 140
    assert report.counts["sessions"] == ClassSession.objects.count()

    # Roster classes: head counts are the attendance marks.
    roster = ClassSession.objects.filter(course__format=Course.Format.ROSTER)
    assert roster.exists()
    marks = dict(
        Attendance.objects.filter(present=True)
        .values("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
    )
    assert all(present == marks.get(pk, 0) for pk, present in roster.values_list("pk", "present"))

    # Figures equal the sessions' sums, per centre, year and kind.
    sums = {
        (r["course__centre_id"], r["y"], r["course__programme_kind_id"]): (r["n"], r["p"], r["w"])
        for r in ClassSession.objects.annotate(y=ExtractYear("date"))
        .values("course__centre_id", "y", "course__programme_kind_id")
        .annotate(n=Count("id"), p=Sum("present"), w=Sum("women"))
    }
    figures = {
        (f.centre_id, f.year, f.programme_kind_id): (f.sessions, f.participations, f.women)
        for f in CentreYearFigure.objects.all()
    }
    assert figures == sums
    assert sum(f.classes for f in CentreYearFigure.objects.all()) == Course.objects.count()

    # Ratings: every former centre approved 2019–2024 with the former province's rubric, every new centre 2025
    # with today's province's; two provinces (former and today's), each its own rubrics.
    rated = Assessment.objects.filter(status=Assessment.Status.APPROVED)
    assert rated.filter(centre__commune__valid_from__lt=REFORM).count() == 5 * 6
    assert set(rated.filter(centre__in=after).values_list("year", flat=True)) == {2025}
    assert all(
        a.rubric.province_id == a.centre.commune.province_id for a in rated.select_related("rubric", "centre__commune")
    )
    assert Rubric.objects.values("province").distinct().count() == 2

    # Twice: nothing more (the lists are the same units; centres with classes are left as they are).
    again = seed(log=lambda _line: None, lists=tiny_nation)
    assert again.counts.get("sessions", 0) == 0 and Centre.objects.count() == 8
