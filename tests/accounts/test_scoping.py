"""The scoping module decides who sees which centre; these tests pin its rules."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import scoping
from accounts.models import User
from centres.models import Centre
from centres.selectors import centre_for_user
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, UserFactory


def visible(user):
    return set(Centre.objects.visible_to(user).values_list("id", flat=True))


def test_each_persona_sees_exactly_their_centres(world):
    a, b = world.centre_a.id, world.centre_b.id
    assert visible(world.staff_a) == {a}
    assert visible(world.staff_b) == {b}
    assert visible(world.reviewer_x) == {a}
    assert visible(world.reviewer_y) == {b}
    assert visible(world.official) == {a, b}
    assert visible(world.other_official) == set()


def test_an_official_of_the_province_it_merged_into_sees_its_history(world):
    world.province.merged_into = world.other_province
    world.province.save(update_fields=["merged_into"])
    assert visible(world.other_official) == {world.centre_a.id, world.centre_b.id}


def test_a_centre_outside_the_scope_is_a_404(world):
    with pytest.raises(Http404):
        centre_for_user(world.staff_a, world.centre_b.id)
    with pytest.raises(Http404):
        centre_for_user(world.reviewer_y, world.centre_a.id)
    assert centre_for_user(world.reviewer_x, world.centre_a.id) == world.centre_a


def test_reviewers_read_but_do_not_edit_staff_and_officials_edit(world):
    assert scoping.can_edit_centre(world.staff_a, world.centre_a)
    assert not scoping.can_edit_centre(world.staff_a, world.centre_b)
    assert scoping.can_edit_centre(world.official, world.centre_b)
    with pytest.raises(PermissionDenied):
        scoping.require_centre_edit(world.reviewer_x, world.centre_a)


def test_an_inactive_account_sees_nothing(world):
    world.staff_a.is_active = False
    assert visible(world.staff_a) == set()


@pytest.mark.django_db
def test_an_administrator_sees_everything(world):
    admin = UserFactory(role=User.Role.ADMIN)
    assert visible(admin) == {world.centre_a.id, world.centre_b.id}


def districts(user):
    found = list(scoping.visible_districts(user).values_list("id", flat=True))
    assert len(found) == len(set(found)), "each district once"
    return set(found)


def test_each_persona_sees_the_districts_of_their_centres_each_once(world):
    x, y = world.district_x.id, world.district_y.id
    # A second centre in district x (listed once), a district of the province with communes but no centre (never
    # listed), and a district of the other province with a centre (only for its official and the Ministry).
    CentreFactory(commune=CommuneFactory(district=world.district_x), review_office=world.office_x)
    CommuneFactory(district=DistrictFactory(province=world.province))
    elsewhere = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=world.other_province)))
    other = elsewhere.commune.district_id
    assert districts(world.staff_a) == {x}
    assert districts(world.reviewer_x) == {x}
    assert districts(world.reviewer_y) == {y}
    assert districts(world.official) == {x, y}
    assert districts(world.other_official) == {other}
    assert districts(world.ministry) == {x, y, other}
    world.staff_a.is_active = False
    assert districts(world.staff_a) == set()


def test_an_official_sees_the_districts_of_the_province_merged_into_theirs(world):
    world.province.merged_into = world.other_province
    world.province.save(update_fields=["merged_into"])
    assert districts(world.other_official) == {world.district_x.id, world.district_y.id}
