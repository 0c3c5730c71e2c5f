from decimal import Decimal

import pytest

from evaluations import services
from evaluations.models import Assessment, AssessmentEvent, Rating, Rubric, RubricEvent
from evaluations.selectors import centre_year_is_locked
from evaluations.services import EvaluationError, PointsEntry, StaleAssessment
from tests.evaluations import factories
from tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db
Status = Assessment.Status


def test_default_rubric_is_100_points_in_four_groups_and_marked_as_a_starting_point():
    rubric = services.rubric_create_default(province=ProvinceFactory(), year=2025)
    assert sum(c.max_points for c in rubric.criteria.all()) == 100
    assert set(rubric.criteria.values_list("group", flat=True)) == {1, 2, 3, 4}
    assert rubric.is_starter and "cần Sở chỉnh sửa" in rubric.title
    assert rubric.thresholds.count() == 4


def test_new_year_copies_the_last_rubric_and_past_assessments_keep_theirs(world):
    old = factories.rubric(2024)
    services.rubric_settings_save(rubric=old, title=old.title, total_points=Decimal(105), by=world.official)
    services.rubric_criterion_save(
        rubric=old,
        criterion=None,
        group=4,
        title="Tiêu chí riêng 2024",
        description="",
        max_points=Decimal(5),
        by=world.official,
    )
    new = services.rubric_create_for_year(province=world.province, year=2025, by=world.official)
    assert new.copied_from == old and new.total_points == 105
    assert new.criteria.filter(title="Tiêu chí riêng 2024").exists()
    a = services.assessment_start(centre=world.centre_a, year=2024, by=world.staff_a)
    assert a.rubric == old


def test_the_first_submission_freezes_the_rubric_and_edits_are_refused(world):
    rubric = factories.rubric()
    factories.submitted(world.centre_a, world.staff_a)
    rubric.refresh_from_db()
    assert rubric.is_frozen
    assert RubricEvent.objects.filter(rubric=rubric, action="freeze").exists()
    with pytest.raises(EvaluationError, match="đã khóa"):
        services.rubric_criterion_save(
            rubric=rubric,
            criterion=None,
            group=1,
            title="Mới",
            description="",
            max_points=Decimal(1),
            by=world.official,
        )


def test_points_above_a_criterion_maximum_are_refused_and_nothing_is_saved(world):
    factories.rubric()
    a = services.assessment_start(centre=world.centre_a, year=2025, by=world.staff_a)
    first = a.rubric.criteria.first()
    with pytest.raises(EvaluationError, match=r"điểm phải từ 0 đến 5"):
        services.assessment_self_save(
            assessment=a, version=a.version, entries={first.pk: PointsEntry(Decimal(6))}, comment="", by=world.staff_a
        )
    a.refresh_from_db()
    assert a.version == 1 and a.self_score is None and not a.scores.exists()


def test_submission_needs_every_criterion_scored(world):
    factories.rubric()
    a = services.assessment_start(centre=world.centre_a, year=2025, by=world.staff_a)
    with pytest.raises(EvaluationError, match="Chưa chấm điểm"):
        services.assessment_submit(assessment=a, version=a.version, by=world.staff_a)


def test_a_rating_other_than_the_thresholds_needs_a_reason(world):
    factories.rubric()
    a = factories.submitted(world.centre_a, world.staff_a)
    services.assessment_review_save(
        assessment=a,
        version=a.version,
        entries=factories.full_points(a, Decimal("0.9")),
        comment="",
        by=world.reviewer_x,
    )
    assert services.assessment_computed_rating(assessment=a) == Rating.TOT
    with pytest.raises(EvaluationError, match="cần ghi rõ lý do"):
        services.assessment_propose(assessment=a, version=a.version, rating=Rating.KHA, reason=" ", by=world.reviewer_x)
    services.assessment_propose(
        assessment=a, version=a.version, rating=Rating.KHA, reason="Hồ sơ thiếu chữ ký", by=world.reviewer_x
    )
    a.refresh_from_db()
    assert a.status == Status.PROPOSED and a.proposed_rating == Rating.KHA and a.rating_reason == "Hồ sơ thiếu chữ ký"


def test_group_minimum_keeps_a_high_total_from_tot(world):
    rubric = factories.rubric()
    thresholds = list(rubric.thresholds.all())
    # 90 points but only 15 in group 4 (Tốt needs 20 there): Khá.
    assert services.rating_for(thresholds=thresholds, total=Decimal(90), group_totals={4: Decimal(15)}) == Rating.KHA
    assert services.rating_for(thresholds=thresholds, total=Decimal(90), group_totals={4: Decimal(25)}) == Rating.TOT
    assert services.rating_for(thresholds=thresholds, total=Decimal(10), group_totals={}) == Rating.YEU


def test_approval_locks_and_unlock_needs_a_reason_and_is_recorded(world):
    factories.rubric()
    a = factories.approved(world.centre_a, world.staff_a, world.reviewer_x, world.official)
    assert a.status == Status.APPROVED and a.rating == Rating.TOT
    assert centre_year_is_locked(centre_id=world.centre_a.pk, year=2025)
    with pytest.raises(EvaluationError, match="khóa"):
        services.assessment_self_save(assessment=a, version=a.version, entries={}, comment="", by=world.staff_a)
    with pytest.raises(EvaluationError, match="lý do"):
        services.assessment_unlock(assessment=a, version=a.version, reason="", by=world.official)
    services.assessment_unlock(assessment=a, version=a.version, reason="Sai điểm nhóm 4", by=world.official)
    assert not centre_year_is_locked(centre_id=world.centre_a.pk, year=2025)
    event = a.events.get(action="unlock")
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        world.official,
        Status.APPROVED,
        Status.PROPOSED,
        "Sai điểm nhóm 4",
    )
    assert list(a.events.values_list("action", flat=True)) == [
        "create",
        "self_save",
        "submit",
        "review_save",
        "propose",
        "approve",
        "unlock",
    ]


def test_return_sends_back_to_the_centre_with_the_reason(world):
    factories.rubric()
    a = factories.proposed(world.centre_a, world.staff_a, world.reviewer_x)
    with pytest.raises(EvaluationError, match="lý do"):
        services.assessment_return(assessment=a, version=a.version, reason="", by=world.official)
    services.assessment_return(assessment=a, version=a.version, reason="Thiếu biên bản", by=world.official)
    a.refresh_from_db()
    assert a.status == Status.RETURNED and a.return_reason == "Thiếu biên bản" and a.self_editable


def test_bulk_approval_approves_only_the_proposed(world):
    factories.rubric()
    a = factories.proposed(world.centre_a, world.staff_a, world.reviewer_x)
    b = factories.submitted(world.centre_b, world.staff_b)
    assert services.assessments_approve_bulk(assessments=[a, b], by=world.official) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.APPROVED, Status.SUBMITTED)


def test_stale_version_is_refused_and_nothing_is_overwritten(world):
    factories.rubric()
    a = services.assessment_start(centre=world.centre_a, year=2025, by=world.staff_a)
    first = a.rubric.criteria.first()
    loaded_version = a.version
    other_copy = Assessment.objects.get(pk=a.pk)
    services.assessment_self_save(
        assessment=other_copy,
        version=loaded_version,
        entries={first.pk: PointsEntry(Decimal(4), "A")},
        comment="",
        by=world.staff_a,
    )
    with pytest.raises(StaleAssessment, match="Người khác vừa sửa"):
        services.assessment_self_save(
            assessment=a,
            version=loaded_version,
            entries={first.pk: PointsEntry(Decimal(1), "B")},
            comment="",
            by=world.staff_a,
        )
    score = a.scores.get()
    assert (score.self_points, score.self_note) == (Decimal(4), "A")
    assert AssessmentEvent.objects.filter(assessment=a, action="self_save").count() == 1


def test_one_assessment_per_centre_and_year_is_enforced_by_the_database(world):
    from django.db import IntegrityError

    Assessment.objects.create(centre=world.centre_a, year=2025)
    with pytest.raises(IntegrityError):
        Assessment.objects.create(centre=world.centre_a, year=2025)


def test_start_without_a_rubric_is_refused_in_vietnamese(world):
    with pytest.raises(EvaluationError, match="chưa ban hành bộ tiêu chí"):
        services.assessment_start(centre=world.centre_a, year=2030, by=world.staff_a)
    assert not Rubric.objects.exists()
