import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from centres.models import Centre
from courses import services
from courses.figures import figures_rebuild
from courses.models import Attendance, AttendanceAudit, CentreYearFigure, ClassSession, Course, Learner
from evaluations.models import Assessment
from tests.clock import PINNED_TODAY
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory, kind

D = datetime.date


def talk(world, **kw):
    fields = dict(
        programme_kind=kind(),
        title="Luật Đất đai",
        format=Course.Format.TALK,
        start_date=D(2026, 1, 5),
        end_date=D(2026, 6, 30),
        planned_sessions=2,
    )
    fields.update(kw)
    return services.course_create(centre=world.centre_a, by=world.staff_a, **fields)


def figures(centre=None):
    qs = CentreYearFigure.objects.all() if centre is None else CentreYearFigure.objects.filter(centre=centre)
    return sorted(
        qs.values_list(
            "centre_id",
            "year",
            "programme_kind_id",
            "classes",
            "sessions",
            "participations",
            "women",
            "minorities",
            "last_session_date",
        )
    )


def test_creating_a_talk_and_a_session_updates_the_figures(world):
    course = talk(world)
    services.class_session_create(
        course=course, by=world.staff_a, date=D(2026, 2, 2), present=80, women=50, minorities=2
    )
    row = CentreYearFigure.objects.get(centre=world.centre_a, year=2026)
    assert (row.classes, row.sessions, row.participations, row.women, row.minorities) == (1, 1, 80, 50, 2)
    assert row.last_session_date == D(2026, 2, 2)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": D(2025, 12, 31)}, "nằm ngoài thời gian của lớp"),
        ({"date": PINNED_TODAY + datetime.timedelta(days=1)}, "chưa đến"),
        ({"present": 10, "women": 11}, r"Số nữ \(11\) không được lớn hơn số người dự \(10\)"),
        ({"present": 10, "minorities": 11}, r"dân tộc thiểu số \(11\) không được lớn hơn"),
        ({"present": -1}, "không được là số âm"),
    ],
)
def test_a_bad_session_is_refused_in_vietnamese_and_nothing_is_saved(world, fields, message):
    course = talk(world, end_date=D(PINNED_TODAY.year, 12, 31))
    data = {"date": D(2026, 2, 2), "present": 10, "women": 0, "minorities": 0} | fields
    with pytest.raises(ValidationError, match=message):
        services.class_session_create(course=course, by=world.staff_a, **data)
    assert not ClassSession.objects.exists()
    assert CentreYearFigure.objects.get(centre=world.centre_a, year=2026).sessions == 0


def test_a_locked_year_refuses_every_write(world):
    course = talk(world)
    session = services.class_session_create(course=course, by=world.staff_a, date=D(2026, 2, 2), present=5)
    Assessment.objects.create(centre=world.centre_a, year=2026, status=Assessment.Status.APPROVED, rating="tot")
    with pytest.raises(ValidationError, match="đã được Sở phê duyệt và khóa"):
        services.class_session_create(course=course, by=world.staff_a, date=D(2026, 2, 9), present=5)
    with pytest.raises(ValidationError, match="khóa"):
        services.class_session_update(session=session, by=world.staff_a, present=9)
    with pytest.raises(ValidationError, match="khóa"):
        services.course_archive(course=course, by=world.staff_a)
    with pytest.raises(ValidationError, match="khóa"):
        talk(world)
    assert ClassSession.objects.get().present == 5
    assert Course.objects.count() == 1


def test_a_merged_centre_is_read_only(world):
    course = talk(world)
    Centre.objects.filter(pk=world.centre_a.pk).update(status="dissolved", status_date=D(2026, 7, 1))
    course.centre.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.class_session_create(course=course, by=world.staff_a, date=D(2026, 2, 2), present=5)


def test_a_reviewer_cannot_write(world):
    with pytest.raises(PermissionDenied):
        services.course_create(
            centre=world.centre_a,
            by=world.reviewer_x,
            programme_kind=kind(),
            title="x",
            start_date=D(2026, 1, 5),
            end_date=D(2026, 1, 5),
        )


def test_database_constraints_hold(world):
    course = CourseFactory(centre=world.centre_a)
    for bad in ({"women": 5, "present": 4}, {"minorities": 5, "present": 4}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SessionFactory(course=course, **bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseFactory(centre=world.centre_a, start_date=D(2026, 2, 1), end_date=D(2026, 1, 1))
    learner = LearnerFactory(centre=world.centre_a)
    EnrolmentFactory(course=course, learner=learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(course=course, learner=learner)
    session = SessionFactory(course=course)
    enrolment = course.enrolments.get()
    Attendance.objects.create(session=session, enrolment=enrolment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session, enrolment=enrolment)


def roster(world, size=3):
    course = talk(world, format=Course.Format.ROSTER, title="Lớp xóa mù chữ", programme_kind=kind("xoa-mu-chu"))
    learners = [
        LearnerFactory(centre=world.centre_a, gender="female" if i % 2 == 0 else "male", is_minority=i == 1)
        for i in range(size)
    ]
    enrolments = services.enrolment_create_many(course=course, learners=learners, by=world.staff_a)
    return course, enrolments


def test_attendance_derives_the_session_counts_and_audits_the_save(world):
    course, enrolments = roster(world)
    session = services.class_session_create(course=course, by=world.staff_a, date=D(2026, 2, 2))
    services.attendance_save(course=course, presence={session.pk: {e.pk for e in enrolments}}, by=world.staff_a)
    session.refresh_from_db()
    assert (session.present, session.women, session.minorities) == (3, 2, 1)
    services.attendance_save(course=course, presence={session.pk: {enrolments[0].pk}}, by=world.staff_a)
    session.refresh_from_db()
    assert (session.present, session.women, session.minorities) == (1, 1, 0)
    audit = AttendanceAudit.objects.order_by("id").last()
    assert (audit.by, audit.present_before, audit.present_after) == (world.staff_a, 3, 1)
    assert CentreYearFigure.objects.get(centre=world.centre_a, year=2026).participations == 1


def test_attendance_for_someone_not_enrolled_saves_nothing(world):
    course, enrolments = roster(world)
    other, _ = roster(world)
    session = services.class_session_create(course=course, by=world.staff_a, date=D(2026, 2, 2))
    with pytest.raises(ValidationError, match="chưa ghi danh"):
        services.attendance_save(course=course, presence={session.pk: {enrolments[0].pk, _[0].pk}}, by=world.staff_a)
    assert not Attendance.objects.exists()


def test_only_learners_of_the_centre_are_enrolled(world):
    course, _ = roster(world)
    stranger = LearnerFactory(centre=world.centre_b)
    with pytest.raises(ValidationError, match="của trung tâm này"):
        services.enrolment_create_many(course=course, learners=[stranger], by=world.staff_a)


def test_course_dates_must_keep_their_sessions(world):
    course = talk(world)
    services.class_session_create(course=course, by=world.staff_a, date=D(2026, 3, 2), present=3)
    with pytest.raises(ValidationError, match="phải bao gồm các buổi này"):
        services.course_update(course=course, by=world.staff_a, end_date=D(2026, 2, 1))


def test_rebuilt_figures_equal_incremental_after_random_writes(world):
    rng = random.Random(4)
    kinds = [kind("phap-luat"), kind("khuyen-nong"), kind("suc-khoe")]
    courses, sessions = [], []
    roster_course, enrolments = roster(world, size=6)
    for _step in range(120):
        action = rng.random()
        if action < 0.15 or not courses:
            year = rng.choice([2024, 2025, 2026])
            courses.append(
                talk(
                    world,
                    title=f"Lớp {_step}",
                    programme_kind=rng.choice(kinds),
                    start_date=D(year, 1, 1),
                    end_date=D(year, 11, 1),
                )
            )
        elif action < 0.55:
            course = rng.choice(courses)
            present = rng.randint(0, 150)
            day = D(course.start_date.year, rng.randint(1, 10), rng.randint(1, 28))
            sessions.append(
                services.class_session_create(
                    course=course, by=world.staff_a, date=day, present=present, women=rng.randint(0, present)
                )
            )
        elif action < 0.65 and sessions:
            session = sessions.pop(rng.randrange(len(sessions)))
            services.class_session_archive(session=session, by=world.staff_a)
        elif action < 0.75 and sessions:
            session = rng.choice(sessions)
            session.refresh_from_db()
            course = session.course
            services.class_session_update(
                session=session,
                by=world.staff_a,
                date=D(course.start_date.year, rng.randint(1, 10), 15),
                present=rng.randint(20, 40),
                women=rng.randint(0, 20),
            )
        elif action < 0.82:
            course = rng.choice(courses)
            course.refresh_from_db()
            services.course_update(course=course, by=world.staff_a, programme_kind=rng.choice(kinds))
        elif action < 0.86 and len(courses) > 1:
            course = courses.pop(rng.randrange(len(courses)))
            services.course_archive(course=course, by=world.staff_a)
            sessions = [s for s in sessions if s.course_id != course.pk]
        else:
            session = services.class_session_create(
                course=roster_course, by=world.staff_a, date=D(2026, rng.randint(1, 6), rng.randint(1, 28))
            )
            chosen = {e.pk for e in enrolments if rng.random() < 0.7}
            services.attendance_save(course=roster_course, presence={session.pk: chosen}, by=world.staff_a)
    incremental = figures()
    assert incremental, "the random writes produced figures"
    figures_rebuild()
    assert figures() == incremental


def test_rebuild_command_recomputes_from_records(world):
    from django.core.management import call_command

    course = talk(world)
    services.class_session_create(course=course, by=world.staff_a, date=D(2026, 2, 2), present=7)
    CentreYearFigure.objects.update(participations=999, women=0, minorities=0)
    call_command("rebuild_figures", verbosity=0)
    assert CentreYearFigure.objects.get().participations == 7


def test_learner_needs_a_name(world):
    with pytest.raises(ValidationError):
        services.learner_create(centre=world.centre_a, by=world.staff_a, full_name=" ", gender="male")
    assert not Learner.objects.exists()
