"""Queries built once per process (tthtcd_portal/compiled.py): the signed-in user and the session read by them, the
scoped session of the attendance grid and its save's reads are the ORM's own answers, in one query each, an
expired or unknown session signs nobody in and another unit's class session is a 404."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import OuterRef
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from accounts import scoping
from accounts.backends import PortalBackend
from accounts.models import User
from courses import selectors, services
from courses.models import ClassSession, Course, Enrolment
from evaluations.selectors import year_locked
from tests.clock import PINNED_YEAR
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory
from tests.factories import CentreFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory
from tthtcd_portal.compiled import Compiled, OneRow


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


# --- The attendance grid's and its save's queries (issue 17) ---------------------------------------------------


def _same_session(got, expected) -> None:
    assert _fields(got) == _fields(expected)
    for path in ("course", "course.centre", "course.centre.commune", "course.programme_kind"):
        got_obj, expected_obj = got, expected
        for name in path.split("."):
            got_obj, expected_obj = getattr(got_obj, name), getattr(expected_obj, name)
        assert _fields(got_obj) == _fields(expected_obj), path


@pytest.mark.parametrize("persona", ["staff_a", "reviewer_x", "official", "ministry", "admin"])
def test_a_session_in_scope_is_the_orms_in_one_query(world, persona, django_assert_num_queries):
    session = SessionFactory(course=CourseFactory(centre=world.centre_a))
    user = UserFactory(username="admin", role=User.Role.ADMIN) if persona == "admin" else getattr(world, persona)
    user = PortalBackend().get_user(user.pk)  # as a request has it (the official's provinces not read yet)
    expected = scoping.get_scoped_or_404(
        user,
        ClassSession.objects.select_related("course__centre__commune", "course__programme_kind"),
        "course__centre",
        pk=session.pk,
    )
    user = PortalBackend().get_user(user.pk)
    with django_assert_num_queries(2 if persona == "official" else 1):  # the official: their provinces first
        got = selectors.session_for_user(user, session.pk)
    _same_session(got, expected)


@pytest.mark.parametrize("persona", ["staff_b", "reviewer_y", "other_official"])
def test_another_units_session_is_a_404(world, persona):
    session = SessionFactory(course=CourseFactory(centre=world.centre_a))
    with pytest.raises(Http404):
        selectors.session_for_user(getattr(world, persona), session.pk)


def test_an_archived_or_unknown_session_is_a_404(world):
    session = SessionFactory(course=CourseFactory(centre=world.centre_a))
    ClassSession.all_objects.filter(pk=session.pk).update(archived_at=timezone.now())
    for pk in (session.pk, 10**9):
        with pytest.raises(Http404):
            selectors.session_for_user(world.staff_a, pk)


def test_an_official_sees_the_sessions_of_the_provinces_merged_into_theirs(world):
    merged = ProvinceFactory(code="35", name="Tỉnh Hà Nam", merged_into=world.province)
    old_centre = CentreFactory(commune=CommuneFactory(district=DistrictFactory(province=merged), code="13000"))
    session = SessionFactory(course=CourseFactory(centre=old_centre))
    assert selectors.session_for_user(world.official, session.pk) == session  # two provinces: another shape
    with pytest.raises(Http404):
        selectors.session_for_user(world.other_official, session.pk)


def test_a_user_without_a_unit_finds_nothing(world):
    session = SessionFactory(course=CourseFactory(centre=world.centre_a))
    world.staff_a.centre_id = None  # the database refuses such an account; the rule still answers nothing
    with pytest.raises(Http404):
        selectors.session_for_user(world.staff_a, session.pk)


def test_rows_with_annotations_and_constants_are_the_orms(world):
    """The save's sessions (locked, each with its year's lock: a constant status in the SQL) and its enrolments
    (values) are the ORM's, whatever the number of sessions."""
    course = CourseFactory(centre=world.centre_a, format=Course.Format.ROSTER)
    sessions = [SessionFactory(course=course, date=datetime.date(PINNED_YEAR, 2, day)) for day in (2, 9, 16)]
    EnrolmentFactory(course=course, learner=LearnerFactory(centre=world.centre_a))
    ids = [s.pk for s in sessions]
    with transaction.atomic():
        for count in (1, 3):
            got = services._sessions_to_save(count).objects(course.pk, course.centre_id, *ids[:count])
            expected = list(
                ClassSession.objects.filter(pk__in=ids[:count])
                .annotate(year_locked=year_locked(centre_id=course.centre_id, year=ExtractYear(OuterRef("date"))))
                .only("id", "course_id", "date", "present", "women", "minorities")
                .order_by("pk")
            )
            assert [(_fields(s), s.year_locked) for s in got] == [(_fields(s), s.year_locked) for s in expected]
            assert got[0].get_deferred_fields() == expected[0].get_deferred_fields()
    expected = Enrolment.objects.filter(course=course).values_list(
        "id", "from_date", "until_date", "learner__gender", "learner__is_minority"
    )
    assert sorted(services._enrolments_to_save.tuples(course.pk)) == sorted(expected)


def test_markers_that_are_not_in_the_sql_are_refused(world):
    query = Compiled(
        lambda name, _unused: User.objects.filter(username=name),
        fields=(User._meta.get_field("username"), User._meta.get_field("username")),
        markers=("marker-a", "marker-b"),
    )
    with pytest.raises(ValueError, match="lack markers"):
        query.objects("staff_a", "x")


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
