import datetime
import random

import pytest
from django.db.models import Q

from centres import demo
from centres.models import BoardMember, Centre, Gender, InstructorAssignment
from tests import clock
from units.models import REFORM_DATE, Province

# The demo's units and centres take seconds to build and these tests only read them: built once, on one worker.
pytestmark = pytest.mark.xdist_group("centres_demo")


@pytest.fixture(scope="module")
def seeded(module_db):
    from accounts import demo as accounts_demo
    from units import demo as units_demo

    with module_db():
        rng = random.Random(1)
        for step in (units_demo.seed, accounts_demo.seed_offices, demo.seed):
            step(rng=rng, log=lambda *_: None)
    return rng


@pytest.fixture(autouse=True)
def _in_its_savepoint(db):
    pass


def test_the_demo_is_hung_yen_today_with_both_former_provinces_merged_on_1_july_2025(seeded):
    reform = REFORM_DATE
    former = Centre.objects.filter(commune__valid_from__lt=reform)
    assert former.count() == 381
    assert set(former.values_list("status", "status_date").distinct()) == {("merged", reform)}
    assert former.filter(commune__province__code="34").count() == 242  # Thái Bình
    assert former.filter(commune__province__code="33").count() == 139  # the former Hưng Yên
    assert not former.filter(merged_into__commune__valid_from__lt=reform).exists()
    new = Centre.objects.filter(commune__valid_from__gte=reform)
    assert new.count() == 104 and not new.exclude(status="active").exists()
    assert Centre.objects.count() == 485
    today_hy = Province.objects.get(code="33", valid_from=reform)
    assert set(Province.objects.filter(merged_into=today_hy).values_list("name", flat=True)) == {
        "Tỉnh Thái Bình",
        "Tỉnh Hưng Yên",
    }
    # Xã Đông Phương's centre went to the new Xã Bắc Đông Hưng, reviewed by the cluster of former Đông Hưng.
    dong_phuong = Centre.objects.get(commune__code="12694", commune__valid_from__lt=reform)
    assert dong_phuong.merged_into.commune.name == "Xã Bắc Đông Hưng"
    assert dong_phuong.merged_into.review_office.name == "Cụm Đông Hưng (khu vực huyện Đông Hưng cũ)"
    assert dong_phuong.merged_into.address == "Xã Bắc Đông Hưng, khu vực huyện Đông Hưng cũ"
    assert dong_phuong.review_office.name == "Phòng GD&ĐT huyện Đông Hưng"
    # The three split former Hưng Yên communes (docs/units.md, "Split communes").
    for old, new_name in [("12004", "Xã Như Quỳnh"), ("12322", "Xã Hiệp Cường"), ("11989", "Xã Lạc Đạo")]:
        centre = Centre.objects.get(commune__code=old, commune__valid_from__lt=reform)
        assert centre.merged_into.commune.name == new_name, old
    # Every new centre is reviewed by a cluster office of today's Hưng Yên, none by a former district's.
    assert set(new.values_list("review_office__kind", flat=True)) == {"cluster"}
    assert not new.exclude(review_office__province=today_hy).exists()


def test_former_boards_leave_on_30_june_2025_and_every_new_centre_has_a_plausible_board_today(seeded):
    today = clock.today()
    last_day = REFORM_DATE - datetime.timedelta(days=1)
    former = BoardMember.objects.filter(centre__commune__valid_from__lt=REFORM_DATE)
    assert former.exists() and not former.filter(Q(term_end__isnull=True) | Q(term_end__gt=last_day)).exists()
    centres = Centre.objects.active()
    assert centres.count() == 104
    for centre in centres.select_related("commune").prefetch_related("board_members"):
        current = [
            m
            for m in centre.board_members.all()
            if m.term_start <= today and (m.term_end is None or m.term_end >= today)
        ]
        positions = [m.position for m in current]
        assert positions.count("giam_doc") == 1
        assert 1 <= positions.count("pho_giam_doc") <= 2
        assert 2 <= positions.count("uy_vien") <= 4
        director = next(m for m in current if m.position == "giam_doc")
        assert "Chủ tịch UBND" in director.main_post
        # After the reform the Chủ tịch UBND xã appoints the board.
        assert director.decision_signer == f"Chủ tịch UBND {centre.commune.name}"
        assert director.term_start >= REFORM_DATE


def test_every_centre_has_5_to_20_instructors_with_gendered_vietnamese_names(seeded):
    from django.db.models import Count

    former = Centre.objects.filter(status="merged")
    counts = former.annotate(n=Count("instructor_assignments")).values_list("n", flat=True)
    assert min(counts) >= 5 and max(counts) <= 21  # 5–20 own, plus now and then a shared speaker
    # A new centre keeps 8–20 of its predecessors' instructors.
    counts = Centre.objects.active().annotate(n=Count("instructor_assignments")).values_list("n", flat=True)
    assert min(counts) >= 8 and max(counts) <= 20
    shared = InstructorAssignment.objects.values("instructor").annotate(n=Count("centre")).filter(n__gt=1)
    assert shared.exists()
    for link in InstructorAssignment.objects.select_related("instructor")[:200]:
        middle = link.instructor.full_name.split()[1]
        if link.instructor.gender == Gender.FEMALE:
            assert middle in demo.MIDDLE[Gender.FEMALE]
        else:
            assert middle in demo.MIDDLE[Gender.MALE]
