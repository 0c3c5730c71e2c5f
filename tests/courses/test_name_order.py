"""Lists of people in a class or a centre are in Vietnamese order, by given name as official lists are."""

from django.urls import reverse

from courses.models import Course
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory

# In order: by given name (An, Ánh, Bình, Dũng, Đức, Ơn), then family name.
PEOPLE = ["Nguyễn Văn An", "Trần Văn An", "Vũ Thị Ánh", "Đỗ Thị Bình", "Lê Văn Dũng", "Phạm Văn Đức", "Bùi Thị Ơn"]


def positions(page: str, names) -> list[int]:
    return [page.index(name) for name in names]


def test_the_centres_learners_are_listed_by_given_name_in_vietnamese_order(client_for, world):
    for name in reversed(PEOPLE):
        LearnerFactory(centre=world.centre_a, full_name=name)
    page = client_for(world.staff_a).get(reverse("courses:learners")).content.decode()
    at = positions(page, PEOPLE)
    assert at == sorted(at)


def test_a_class_roster_and_its_printed_register_follow_the_same_order(client_for, world):
    course = CourseFactory(centre=world.centre_a, title="Lớp xóa mù chữ", format=Course.Format.ROSTER)
    for name in reversed(PEOPLE):
        EnrolmentFactory(course=course, learner=LearnerFactory(centre=world.centre_a, full_name=name))
    client = client_for(world.staff_a)
    for url in (reverse("courses:detail", args=[course.pk]), reverse("courses:register", args=[course.pk])):
        page = client.get(url).content.decode()
        at = positions(page, PEOPLE)
        assert at == sorted(at), url


def test_an_outsider_sees_none_of_the_learners(client_for, world):
    LearnerFactory(centre=world.centre_a, full_name="Đỗ Thị Bình")
    response = client_for(world.staff_b).get(reverse("courses:learners"), {"trung_tam": world.centre_a.pk})
    assert response.status_code == 404
