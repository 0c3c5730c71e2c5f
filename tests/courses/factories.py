import datetime

import factory

from courses.models import ClassSession, Course, Enrolment, Learner, ProgrammeKind
from tests.clock import this_year
from tests.factories import programme_kind


def kind(code: str = "phap-luat") -> ProgrammeKind:
    return programme_kind(code)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Chuyên đề pháp luật {n}")
    programme_kind = factory.LazyFunction(kind)
    format = Course.Format.TALK
    # The first half of the pinned year: over by "today", so sessions may be recorded on any of its days.
    start_date = factory.LazyFunction(lambda: datetime.date(this_year(), 1, 5))
    end_date = factory.LazyFunction(lambda: datetime.date(this_year(), 6, 30))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassSession

    course = factory.SubFactory(CourseFactory)
    date = factory.LazyFunction(lambda: datetime.date(this_year(), 2, 2))
    topic = "Buổi 1"


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Học Viên {n}")
    gender = Learner.Gender.FEMALE
    is_minority = False
    # The ethnicity and the tick agree (constraint learner_minority_matches_ethnicity).
    ethnicity = factory.LazyAttribute(lambda o: "Tày" if o.is_minority else "Kinh")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    from_date = factory.LazyFunction(lambda: datetime.date(this_year(), 1, 5))


def roster_with_session(centre, *, by, learners: int, gender=lambda i: "female"):
    """A roster class of `learners` enrolled learners ("Người 0", …) and one session of it, early in the pinned
    year: (class, enrolments, session)."""
    from courses import services

    course = CourseFactory(centre=centre, format=Course.Format.ROSTER)
    people = Learner.objects.bulk_create(
        [Learner(centre=centre, full_name=f"Người {i}", gender=gender(i)) for i in range(learners)]
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(course=course, learner=person, from_date=course.start_date) for person in people]
    )
    session = services.class_session_create(course=course, by=by, date=datetime.date(this_year(), 2, 2))
    return course, enrolments, session
