import datetime

import pytest
from django.core.exceptions import ValidationError

from centres import services
from centres.models import BoardMember, Centre
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
D = datetime.date
GD = BoardMember.Position.GIAM_DOC


def director(**extra):
    return {
        "full_name": "Lê Văn Hùng",
        "gender": "nam",
        "position": GD,
        "main_post": "Chủ tịch UBND xã",
        "engagement": "part_time",
        "appointment_decision": "12/QĐ-UBND",
        "term_start": D(2024, 1, 1),
        "term_end": None,
        **extra,
    }


def test_second_director_overlapping_a_dated_term_is_refused_with_the_sitting_directors_name(world):
    BoardMemberFactory(
        centre=world.centre_a,
        position=GD,
        full_name="Phạm Văn Cường",
        term_start=D(2021, 7, 1),
        term_end=D(2026, 6, 30),
    )
    with pytest.raises(ValidationError) as info:
        services.board_member_create(centre=world.centre_a, fields=director(), by=world.staff_a)
    assert "Phạm Văn Cường" in str(info.value.message_dict["position"])
    assert BoardMember.objects.filter(centre=world.centre_a).count() == 1


def test_a_director_after_the_previous_term_ended_is_accepted(world):
    BoardMemberFactory(centre=world.centre_a, position=GD, term_start=D(2016, 7, 1), term_end=D(2023, 12, 31))
    member = services.board_member_create(centre=world.centre_a, fields=director(), by=world.staff_a)
    assert member.pk and member.history.first().history_user == world.staff_a


def test_term_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as info:
        services.board_member_create(centre=world.centre_a, fields=director(term_end=D(2023, 1, 1)), by=world.staff_a)
    assert "không được trước ngày bắt đầu" in str(info.value.message_dict["term_end"])
    assert not BoardMember.objects.exists()


def test_ending_a_term_keeps_the_member_as_history(world):
    member = BoardMemberFactory(centre=world.centre_a)
    services.board_member_end(member=member, term_end=D(2025, 3, 1), by=world.staff_a)
    member.refresh_from_db()
    assert member.term_end == D(2025, 3, 1)
    assert member.history.count() == 2


def test_duplicate_active_centre_for_a_commune_is_refused_in_vietnamese(world):
    with pytest.raises(ValidationError) as info:
        services.centre_create(commune=world.centre_a.commune, by=world.official)
    assert "đã có trung tâm đang hoạt động" in str(info.value.message_dict["commune"])
    assert Centre.objects.filter(commune=world.centre_a.commune).count() == 1


def test_merge_marks_sources_and_moves_nothing(world):
    link = AssignmentFactory(centre=world.centre_b)
    member = BoardMemberFactory(centre=world.centre_b)
    result = services.centres_merge(
        sources=[world.centre_b], target=world.centre_a, on_date=D(2025, 7, 1), by=world.official
    )
    world.centre_b.refresh_from_db()
    assert result.merged == [world.centre_b]
    assert (world.centre_b.status, world.centre_b.status_date, world.centre_b.merged_into) == (
        Centre.Status.MERGED,
        D(2025, 7, 1),
        world.centre_a,
    )
    # Board and instructors stay with the old centre, under its old commune.
    link.refresh_from_db()
    member.refresh_from_db()
    assert link.centre_id == member.centre_id == world.centre_b.pk
    assert world.centre_b.commune.district == world.district_y
    assert list(world.centre_a.predecessors.all()) == [world.centre_b]


def test_merging_into_itself_or_an_inactive_centre_is_refused(world):
    with pytest.raises(ValidationError):
        services.centres_merge(
            sources=[world.centre_a], target=world.centre_a, on_date=D(2025, 7, 1), by=world.official
        )
    services.centres_merge(sources=[world.centre_b], target=world.centre_a, on_date=D(2025, 7, 1), by=world.official)
    other = CentreFactory()
    with pytest.raises(ValidationError):
        services.centres_merge(sources=[other], target=world.centre_b, on_date=D(2025, 7, 1), by=world.official)
    other.refresh_from_db()
    assert other.is_active


def test_a_merged_centre_cannot_be_changed(world):
    services.centres_merge(sources=[world.centre_b], target=world.centre_a, on_date=D(2025, 7, 1), by=world.official)
    with pytest.raises(ValidationError):
        services.centre_update(centre=world.centre_b, fields={"rooms": 9}, by=world.official)
    with pytest.raises(ValidationError):
        services.board_member_create(centre=world.centre_b, fields=director(position="uy_vien"), by=world.official)


def test_a_merger_ends_the_old_boards_terms_the_day_before_and_keeps_the_history(world):
    running = BoardMemberFactory(centre=world.centre_b, position=GD, term_start=D(2021, 7, 1), term_end=None)
    later = BoardMemberFactory(
        centre=world.centre_b, position=BoardMember.Position.UY_VIEN, term_start=D(2021, 7, 1), term_end=D(2026, 6, 30)
    )
    past = BoardMemberFactory(
        centre=world.centre_b, position=BoardMember.Position.UY_VIEN, term_start=D(2016, 7, 1), term_end=D(2021, 6, 30)
    )
    target_member = BoardMemberFactory(centre=world.centre_a, position=GD, term_start=D(2021, 7, 1), term_end=None)
    services.centres_merge(sources=[world.centre_b], target=world.centre_a, on_date=D(2025, 7, 1), by=world.official)
    for m in (running, later, past, target_member):
        m.refresh_from_db()
    assert running.term_end == later.term_end == D(2025, 6, 30)
    assert past.term_end == D(2021, 6, 30)  # an ended term is left as it was
    assert target_member.term_end is None  # the new centre's board is its own
    change = running.history.first()
    assert change.term_end == D(2025, 6, 30) and change.history_user == world.official
    assert "sáp nhập" in change.history_change_reason
    # Nobody of the old board is in office on the merger date any more.
    assert not BoardMember.objects.filter(BoardMember.in_office_q(D(2025, 7, 1)), centre=world.centre_b).exists()


def test_the_data_migration_ends_the_terms_of_centres_merged_before_it(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("centres.migrations.0004_board_decision_and_merged_terms")
    member = BoardMemberFactory(centre=world.centre_b, position=GD, term_start=D(2021, 7, 1), term_end=None)
    Centre.objects.filter(pk=world.centre_b.pk).update(
        status=Centre.Status.MERGED, status_date=D(2025, 7, 1), merged_into=world.centre_a
    )
    migration.end_terms_of_merged_centres(apps, None)
    member.refresh_from_db()
    assert member.term_end == D(2025, 6, 30)


def test_a_decision_date_or_signer_without_its_number_is_refused_by_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BoardMemberFactory(centre=world.centre_a, appointment_decision="", decision_signer="Chủ tịch UBND xã")
