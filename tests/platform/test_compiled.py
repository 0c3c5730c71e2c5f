"""Queries built once per process (tthtcd_portal/compiled.py): the signed-in user and the session read by them are
the ORM's own answers, in one query each, and an expired or unknown session signs nobody in."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.backends import PortalBackend
from accounts.models import User
from tthtcd_portal.compiled import OneRow


def _fields(obj) -> dict:
    return {name: value for name, value in vars(obj).items() if name != "_state"}


@pytest.mark.parametrize("persona", ["staff_a", "reviewer_x", "official", "ministry"])
def test_the_signed_in_user_is_the_orms_with_their_unit(world, persona, django_assert_num_queries):
    expected = User.objects.select_related("centre", "office", "province").get(pk=getattr(world, persona).pk)
    with django_assert_num_queries(1):
        user = PortalBackend().get_user(expected.pk)
        units = (user.centre, user.office, user.province)
    assert _fields(user) == _fields(expected)
    assert user._state.db == "default" and not user._state.adding
    for unit, expected_unit in zip(units, (expected.centre, expected.office, expected.province), strict=True):
        assert (unit and _fields(unit)) == (expected_unit and _fields(expected_unit))


def test_an_unknown_or_inactive_user_is_nobody(world):
    assert PortalBackend().get_user(10**9) is None
    world.staff_a.is_active = False
    world.staff_a.save(update_fields=["is_active"])
    assert PortalBackend().get_user(world.staff_a.pk) is None


def test_the_values_go_where_the_markers_were_whatever_the_sqls_order(world):
    query = OneRow(
        lambda username, joined: User.objects.filter(username=username, date_joined__lte=joined),
        fields=(User._meta.get_field("username"), User._meta.get_field("date_joined")),
        markers=("marker-name", datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)),
    )
    assert query.get("staff_a", timezone.now()) == world.staff_a
    assert query.get("staff_a", world.staff_a.date_joined - datetime.timedelta(days=1)) is None


def test_a_session_signs_in_until_it_expires(world, client):
    client.force_login(world.staff_a)
    assert client.get("/lop-hoc/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/lop-hoc/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_an_unknown_session_key_signs_nobody_in(world, client):
    client.force_login(world.staff_a)
    client.cookies["sessionid"] = "x" * 32
    assert client.get("/lop-hoc/").status_code == 302


def _rows_of(objects) -> list:
    return [(_fields(o), o._state.db, o._state.adding) for o in objects]


def test_the_centre_pages_board_is_the_orms_with_who_is_in_office(world):
    from django.db.models import BooleanField, ExpressionWrapper

    from centres.models import BoardMember
    from centres.selectors import _registry_queries
    from tests.centres.factories import BoardMemberFactory

    today = timezone.localdate()
    BoardMemberFactory(centre=world.centre_a, term_start=today - datetime.timedelta(days=400))
    BoardMemberFactory(centre=world.centre_a, term_start=today + datetime.timedelta(days=3))
    BoardMemberFactory(centre=world.centre_b)
    board, _instructors = _registry_queries()
    for day in (today, today + datetime.timedelta(days=5)):
        expected = BoardMember.objects.filter(centre=world.centre_a).annotate(
            in_office=ExpressionWrapper(BoardMember.in_office_q(day), output_field=BooleanField())
        )
        assert _rows_of(board.all(world.centre_a.pk, day)) == _rows_of(expected)
    assert sorted(m.in_office for m in board.all(world.centre_a.pk, today)) == [False, True]


def test_values_list_rows_are_the_orms_in_their_order_and_constants_are_kept(world):
    from django.db.models import Count, Value
    from django.db.models.functions import Concat

    query = OneRow(
        lambda username: (
            User.objects.filter(username__in=[username, "constant-not-a-marker"])
            .annotate(label=Concat(Value("user "), "username"))
            .order_by()
            .values("role")
            .annotate(n=Count("id"))
            .values_list("n", "role")
        ),
        fields=(User._meta.get_field("username"),),
        markers=("marker-name-2",),
    )
    expected = list(
        User.objects.filter(username__in=["staff_a", "constant-not-a-marker"])
        .order_by()
        .values("role")
        .annotate(n=Count("id"))
        .values_list("n", "role")
    )
    assert query.all("staff_a") == expected == [(1, world.staff_a.role)]
    assert query.all("nobody") == []


def test_a_marker_missing_from_the_sql_is_refused(world):
    query = OneRow(lambda username: User.objects.all(), fields=(User._meta.get_field("username"),), markers=("m",))
    with pytest.raises(ValueError, match="not among"):
        query.all("staff_a")


def test_a_query_that_can_match_nothing_runs_no_sql(world, django_assert_num_queries):
    query = OneRow(
        lambda username: User.objects.filter(username=username, pk__in=[]),
        fields=(User._meta.get_field("username"),),
        markers=("marker-name-3",),
    )
    with django_assert_num_queries(0):
        assert query.all("staff_a") == [] and query.get("staff_a") is None


def test_the_centre_page_reads_the_centre_in_the_users_scope_only(world):
    from django.http import Http404

    from centres.selectors import centre_for_user

    assert centre_for_user(world.staff_a, world.centre_a.pk) == world.centre_a
    assert centre_for_user(world.official, world.centre_a.pk).commune == world.centre_a.commune
    with pytest.raises(Http404):
        centre_for_user(world.staff_a, world.centre_b.pk)
