import datetime

import factory
from django.utils import timezone

from tests.factories import UserFactory
from training.models import TrainingCourse, TrainingInvitation


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    title = factory.Sequence(lambda n: f"Tập huấn kỹ năng quản lý trung tâm {n}")
    topic = "Kỹ năng quản lý, lập kế hoạch hoạt động"
    organiser = TrainingCourse.Organiser.DEPARTMENT
    audience = TrainingCourse.Audience.BOTH
    place = "Hội trường Sở GD&ĐT"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=1))
    created_by = factory.SubFactory(UserFactory)


def invited(course, *centres):
    for centre in centres:
        TrainingInvitation.objects.create(course=course, centre=centre)
    return course
