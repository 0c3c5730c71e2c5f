import datetime

import pytest
from django.db import IntegrityError, transaction

from centres.models import BoardMember, Centre
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_a_term_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardMemberFactory(term_start=D(2022, 1, 1), term_end=D(2021, 12, 31))


def test_the_database_holds_one_open_director_per_centre():
    centre = CentreFactory()
    BoardMemberFactory(centre=centre, position=BoardMember.Position.GIAM_DOC)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardMemberFactory(centre=centre, position=BoardMember.Position.GIAM_DOC)
    # A past director and deputies without end are fine.
    BoardMemberFactory(
        centre=centre, position=BoardMember.Position.GIAM_DOC, term_end=D(2020, 1, 1), term_start=D(2016, 1, 1)
    )
    BoardMemberFactory(centre=centre, position=BoardMember.Position.PHO_GIAM_DOC)
    BoardMemberFactory(centre=centre, position=BoardMember.Position.PHO_GIAM_DOC)
    assert BoardMember.objects.filter(centre=centre).count() == 4


def test_an_instructor_is_assigned_once_per_centre():
    link = AssignmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(centre=link.centre, instructor=link.instructor)
    # The same person at another centre is the point of the through model.
    AssignmentFactory(instructor=link.instructor)
    assert link.instructor.centres.count() == 2


def test_board_on_a_date_includes_open_and_ending_terms_only():
    centre = CentreFactory()
    old = BoardMemberFactory(centre=centre, term_start=D(2016, 1, 1), term_end=D(2021, 6, 30))
    new = BoardMemberFactory(centre=centre, term_start=D(2021, 7, 1))
    assert list(BoardMember.objects.on_date(D(2021, 6, 30))) == [old]
    assert list(BoardMember.objects.on_date(D(2021, 7, 1))) == [new]
    assert str(new).endswith("(Ủy viên)")


def test_one_active_centre_per_commune_in_the_database():
    centre = CentreFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Centre.objects.create(commune=centre.commune, name="Trùng")
