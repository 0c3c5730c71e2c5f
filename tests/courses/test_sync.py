"""The offline sync API (issue 19, item 3): entries recorded on a phone are recorded at most once under their
idempotency key, go through the same services as a form post (figures equal a recount), refusals write nothing
and say why in Vietnamese, and a session changed by someone else meanwhile comes back as a conflict."""

import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from centres.models import Centre
from courses import services
from courses.figures import figures_rebuild
from courses.models import CentreYearFigure, ClassSession, Course, SyncedEntry
from courses.selectors import session_version
from tests.clock import this_year
from tests.courses.factories import EnrolmentFactory, LearnerFactory, kind
from tests.courses.test_concurrency import postgres_only  # noqa: F401 - fixture
from tests.courses.test_locked_year import lock

SYNC = reverse("courses:offline_sync")
DATA = reverse("courses:offline_data")


def figures():
    return sorted(
        CentreYearFigure.objects.values_list(
            "centre_id", "year", "programme_kind_id", "classes", "sessions", "participations", "women", "minorities"
        )
    )


def recount():
    kept = figures()
    figures_rebuild()
    return kept, figures()


def new_course(world, fmt=Course.Format.TALK, centre=None, year=None, end=None):
    year = year or this_year()
    return services.course_create(
        centre=centre or world.centre_a,
        by=world.staff_a if centre is None else world.staff_b,
        programme_kind=kind(),
        title="Chuyên đề pháp luật đất đai",
        format=fmt,
        start_date=datetime.date(year, 1, 5),
        end_date=end or datetime.date(year, 6, 30),
    )


def talk_entry(course, day, present=40, women=20, minorities=3, **kw):
    return {
        "key": str(uuid.uuid4()),
        "kind": "session",
        "course": course.pk,
        "date": datetime.date(course.start_date.year, 3, day).isoformat(),
        "topic": f"Buổi ngày {day}",
        "present": present,
        "women": women,
        "minorities": minorities,
        **kw,
    }


def send(client, entries):
    return client.post(SYNC, json.dumps({"entries": entries}), content_type="application/json")


def test_three_sessions_sent_are_recorded_and_the_figures_equal_a_recount(world, client_for):
    course = new_course(world)
    client = client_for(world.staff_a)
    answer = send(client, [talk_entry(course, d, present=30 + d) for d in (2, 9, 16)]).json()
    assert answer["counts"] == {"saved": 3, "refused": 0, "conflict": 0}
    assert [r["message"] for r in answer["results"]][0] == f"Đã ghi buổi học ngày 02/03/{this_year()}: 32 người dự."
    assert sorted(ClassSession.objects.filter(course=course).values_list("present", flat=True)) == [32, 39, 46]
    assert SyncedEntry.objects.count() == 3
    kept, rebuilt = recount()
    assert kept == rebuilt
    assert [row[5] for row in kept] == [32 + 39 + 46]


def test_a_sync_sent_twice_records_each_entry_once_and_answers_the_same(world, client_for):
    course = new_course(world)
    client = client_for(world.staff_a)
    entries = [talk_entry(course, d) for d in (2, 9, 16)]
    first = send(client, entries).json()
    kept = figures()
    # The answer was lost (connection cut after the server saved): the phone sends the same entries again.
    second = send(client, entries).json()
    assert ClassSession.objects.filter(course=course).count() == 3
    assert figures() == kept
    assert second["counts"]["saved"] == 3
    assert [r["session"] for r in second["results"]] == [r["session"] for r in first["results"]]
    assert all(r["replayed"] for r in second["results"])


def test_an_entry_listed_twice_in_one_sync_counts_once(world, client_for):
    course = new_course(world)
    entry = talk_entry(course, 2)
    answer = send(client_for(world.staff_a), [entry, entry]).json()
    assert [r["status"] for r in answer["results"]] == ["saved", "saved"]
    assert ClassSession.objects.filter(course=course).count() == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"women": 50}, "Số nữ (50) không được lớn hơn số người dự (40)."),
        ({"minorities": 41}, "Số người dân tộc thiểu số (41) không được lớn hơn số người dự (40)."),
        ({"date": "2000-01-01"}, "nằm ngoài thời gian của lớp"),
        ({"present": -1}, "«số người dự» phải từ 0 đến"),
        ({"date": "31/03/2026"}, "Ngày học không hợp lệ"),
    ],
)
def test_a_refused_entry_says_why_and_writes_nothing(world, client_for, change, reason):
    course = new_course(world)
    kept = figures()
    answer = send(client_for(world.staff_a), [talk_entry(course, 2, **change)]).json()
    result = answer["results"][0]
    assert result["status"] == "refused" and reason in result["message"]
    assert not ClassSession.objects.exists() and not SyncedEntry.objects.exists()
    assert figures() == kept


def test_an_entry_for_a_locked_year_is_refused_with_the_reason(world, client_for):
    year = this_year() - 1
    course = new_course(world, year=year)
    lock(world.centre_a, year)
    result = send(client_for(world.staff_a), [talk_entry(course, 2)]).json()["results"][0]
    assert result["status"] == "refused"
    assert f"Số liệu năm {year} của trung tâm đã được Sở phê duyệt và khóa" in result["message"]
    assert not ClassSession.objects.exists() and not SyncedEntry.objects.exists()


def test_an_entry_for_a_merged_centre_is_refused_with_the_reason(world, client_for):
    course = new_course(world)
    Centre.objects.filter(pk=world.centre_a.pk).update(
        status=Centre.Status.MERGED, merged_into=world.centre_b, status_date=datetime.date(this_year(), 1, 1)
    )
    result = send(client_for(world.staff_a), [talk_entry(course, 2)]).json()["results"][0]
    assert result == {
        "key": result["key"],
        "status": "refused",
        "message": "Trung tâm đã sáp nhập hoặc giải thể, chỉ được xem.",
    }
    assert not ClassSession.objects.exists()


def test_another_centres_class_is_refused_as_not_found_and_nothing_is_written(world, client_for):
    course = new_course(world, centre=world.centre_b)
    result = send(client_for(world.staff_a), [talk_entry(course, 2)]).json()["results"][0]
    assert result["status"] == "refused"
    assert result["message"] == "Không tìm thấy lớp học hoặc bạn không có quyền ghi."
    assert not ClassSession.objects.exists()


def test_a_key_recorded_by_another_user_is_not_replayed_to_them(world, client_for, client):
    course = new_course(world)
    entry = talk_entry(course, 2)
    send(client_for(world.staff_a), [entry])
    client.force_login(world.official)
    result = send(client, [entry]).json()["results"][0]
    assert result["status"] == "refused" and "session" not in result


def test_a_new_session_on_a_day_someone_else_recorded_meanwhile_is_a_conflict(world, client_for):
    course = new_course(world)
    entry = talk_entry(course, 2, present=40)
    other = services.class_session_create(
        course=course, by=world.official, date=datetime.date(this_year(), 3, 2), present=55, women=30
    )
    client = client_for(world.staff_a)
    result = send(client, [entry]).json()["results"][0]
    assert result["status"] == "conflict"
    assert result["message"] == f"Lớp đã có buổi học ngày 02/03/{this_year()} trên máy chủ (do người khác ghi)."
    assert result["current"]["present"] == 55
    assert not SyncedEntry.objects.exists()
    # The user keeps theirs: the phone resends the entry on that session, at the version it was shown.
    entry |= {"session": other.pk, "base": result["current"]["version"]}
    assert send(client, [entry]).json()["results"][0]["status"] == "saved"
    other.refresh_from_db()
    assert (other.present, ClassSession.objects.count()) == (40, 1)
    kept, rebuilt = recount()
    assert kept == rebuilt


def roster_with_learners(world, n=3, end=None):
    course = new_course(world, fmt=Course.Format.ROSTER, end=end)
    enrolments = [
        EnrolmentFactory(course=course, learner=LearnerFactory(centre=world.centre_a), from_date=course.start_date)
        for _ in range(n)
    ]
    return course, enrolments


def test_attendance_taken_offline_creates_the_session_and_counts_who_was_there(world, client_for):
    course, (a, b, c) = roster_with_learners(world)
    entry = {
        "key": str(uuid.uuid4()),
        "kind": "attendance",
        "course": course.pk,
        "date": datetime.date(this_year(), 3, 4).isoformat(),
        "topic": "Bài 1",
        "attended": [a.pk, c.pk],
    }
    result = send(client_for(world.staff_a), [entry]).json()["results"][0]
    assert result["status"] == "saved", result
    session = ClassSession.objects.get(course=course)
    assert (session.present, session.women) == (2, 2)
    kept, rebuilt = recount()
    assert kept == rebuilt


def test_attendance_for_someone_not_enrolled_is_refused_and_the_session_is_not_half_written(world, client_for):
    course, (a, _b, _c) = roster_with_learners(world)
    stranger = EnrolmentFactory(
        course=new_course(world, fmt=Course.Format.ROSTER), learner=LearnerFactory(centre=world.centre_a)
    )
    entry = {
        "key": str(uuid.uuid4()),
        "kind": "attendance",
        "course": course.pk,
        "date": datetime.date(this_year(), 3, 4).isoformat(),
        "attended": [a.pk, stranger.pk],
    }
    result = send(client_for(world.staff_a), [entry]).json()["results"][0]
    assert result["status"] == "refused" and "chưa ghi danh" in result["message"]
    assert not ClassSession.objects.filter(course=course).exists()


def test_attendance_changed_by_someone_else_since_the_phone_saw_it_is_a_conflict(world, client_for):
    course, (a, b, c) = roster_with_learners(world)
    session = services.class_session_create(course=course, by=world.staff_a, date=datetime.date(this_year(), 3, 4))
    services.attendance_save(course=course, presence={session.pk: {a.pk, b.pk, c.pk}}, by=world.staff_a)
    session.refresh_from_db()
    seen = session_version(session, {a.pk, b.pk, c.pk})
    # Meanwhile a colleague marks b absent on the web.
    services.attendance_save(course=course, presence={session.pk: {a.pk, c.pk}}, by=world.official)
    entry = {
        "key": str(uuid.uuid4()),
        "kind": "attendance",
        "course": course.pk,
        "session": session.pk,
        "base": seen,
        "date": session.date.isoformat(),
        "attended": [a.pk],
    }
    client = client_for(world.staff_a)
    result = send(client, [entry]).json()["results"][0]
    assert result["status"] == "conflict"
    assert "đã được người khác sửa trên máy chủ" in result["message"]
    assert result["current"]["attended"] == sorted([a.pk, c.pk])
    session.refresh_from_db()
    assert session.present == 2
    entry["base"] = result["current"]["version"]
    assert send(client, [entry]).json()["results"][0]["status"] == "saved"
    session.refresh_from_db()
    assert session.present == 1


def test_the_phone_gets_its_centres_current_classes_in_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries
):
    today = timezone.localdate()
    talk = new_course(world, end=today)
    course, enrolments = roster_with_learners(world, end=today)
    session = services.class_session_create(course=course, by=world.staff_a, date=today)
    services.attendance_save(course=course, presence={session.pk: {enrolments[0].pk}}, by=world.staff_a)
    new_course(world)  # ended months ago: not current
    new_course(world, centre=world.centre_b, end=today)  # another centre's
    client = client_for(world.staff_a)
    # session, user with their centre (merged?), classes, instructors, sessions, marks, enrolments with learners
    with django_assert_num_queries(7):
        data = client.get(DATA).json()
    assert data["csrf"]
    assert [c["id"] for c in data["classes"]] == [course.pk, talk.pk]
    roster = data["classes"][0]
    assert sorted(x["id"] for x in roster["learners"]) == sorted(e.pk for e in enrolments)
    assert roster["sessions"] == [
        {
            "id": session.pk,
            "date": today.isoformat(),
            "topic": session.topic,
            "present": 1,
            "attended": [enrolments[0].pk],
            "version": session_version(ClassSession.objects.get(pk=session.pk), {enrolments[0].pk}),
        }
    ]


def test_officials_do_not_take_classes_offline(world, client_for):
    assert client_for(world.official).get(DATA).status_code == 403


def test_anonymous_sync_goes_to_the_login_page_and_writes_nothing(world, client):
    course = new_course(world)
    response = send(client, [talk_entry(course, 2)])
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    assert not ClassSession.objects.exists()


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b'{"entries": 3}', b"\xff\xfe", b'{"entries": [' + b"[" * 5000])
def test_a_body_that_is_not_a_list_of_entries_is_a_clear_400(world, client_for, body):
    response = client_for(world.staff_a).post(SYNC, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "Dữ liệu gửi lên không đọc được."


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
entry_values = st.fixed_dictionaries(
    {},
    optional={
        "key": st.uuids().map(str) | json_values,
        "kind": st.sampled_from(["session", "attendance", "x"]) | json_values,
        "course": st.integers(-5, 10**12) | json_values,
        "date": st.dates().map(lambda d: d.isoformat()) | json_values,
        "topic": json_values,
        "instructor": json_values,
        "present": st.integers(-5, 10**7) | json_values,
        "women": st.integers(-5, 10**7) | json_values,
        "minorities": json_values,
        "attended": st.lists(st.integers(-3, 10**10), max_size=5) | json_values,
        "session": json_values,
        "base": json_values,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry_values | json_values, max_size=4))
def test_no_payload_gives_a_server_error(world, client_for, entries):
    response = client_for(world.staff_a).post(SYNC, json.dumps({"entries": entries}), content_type="application/json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == len(entries)
    assert all(r["status"] in ("saved", "refused", "conflict") and r["message"] for r in results)


@pytest.mark.usefixtures("postgres_only")
def test_the_same_entry_sent_by_two_requests_at_once_is_recorded_once(world):
    from courses import sync
    from tests.courses.test_concurrency import run_at_once

    course = new_course(world)
    raw = talk_entry(course, 2, present=40)
    answers = []

    def send_once():
        answers.append(sync.synced_entry_record(entry=sync.entry_parse(raw), by=world.staff_a))

    assert run_at_once(send_once, send_once) == []
    assert ClassSession.objects.filter(course=course).count() == 1 and SyncedEntry.objects.count() == 1
    assert [a["status"] for a in answers] == ["saved", "saved"]
    assert answers[0]["session"] == answers[1]["session"]
    kept, rebuilt = recount()
    assert kept == rebuilt
