"""Issue 13.6: learners told apart, likely duplicates shown before one is created, withdrawal with a date, and an
ethnicity that never disagrees with the minority tick."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from courses import services
from courses.figures import figures_rebuild
from courses.models import Attendance, CentreYearFigure, ClassSession, Course, Enrolment, Learner
from tests.clock import this_year
from tests.courses.factories import EnrolmentFactory, LearnerFactory, kind


@pytest.fixture
def roster(world):
    year = this_year()
    return services.course_create(
        centre=world.centre_a, by=world.staff_a, programme_kind=kind("xoa-mu-chu"), title="Lớp xóa mù chữ",
        format=Course.Format.ROSTER, start_date=datetime.date(year, 3, 1), end_date=datetime.date(year, 6, 30),
    )  # fmt: skip


def test_the_enrol_list_tells_same_name_learners_apart(world, client_for, roster):
    LearnerFactory(centre=world.centre_a, full_name="Nguyễn Thị Lan", birth_year=1975, village="Thôn Đông")
    LearnerFactory(centre=world.centre_a, full_name="Nguyễn Thị Lan", birth_year=1990, village="Thôn Tây")
    page = client_for(world.staff_a).get(reverse("courses:enrol", args=[roster.pk])).content.decode()
    assert "Nguyễn Thị Lan (sinh 1975, Thôn Đông)" in page
    assert "Nguyễn Thị Lan (sinh 1990, Thôn Tây)" in page


def test_a_likely_duplicate_is_shown_before_a_new_learner_is_created(world, client_for):
    LearnerFactory(centre=world.centre_a, full_name="Nguyễn Thị Lan", birth_year=1975, village="Thôn Đông")
    client = client_for(world.staff_a)
    url = reverse("courses:learners") + f"?trung_tam={world.centre_a.pk}"
    data = {"full_name": "nguyễn  thị lan", "gender": "female", "birth_year": 1975, "ethnicity": "Kinh"}
    assert "Đây là người khác" not in client.get(url).content.decode()  # offered only once a duplicate is shown
    page = client.post(url, data).content.decode()
    assert "Có thể đã có người này" in page and "Nguyễn Thị Lan (sinh 1975, Thôn Đông)" in page
    assert "Đây là người khác, vẫn thêm người mới" in page
    assert Learner.objects.count() == 1
    client.post(url, {**data, "confirm_new": "on"})
    assert Learner.objects.count() == 2


def test_quick_add_of_a_likely_duplicate_asks_first(world, client_for, roster):
    LearnerFactory(centre=world.centre_a, full_name="Trần Văn Bình", birth_year=1980)
    client = client_for(world.staff_a)
    data = {
        "from_date": roster.start_date.isoformat(),
        "moi-TOTAL_FORMS": 1, "moi-INITIAL_FORMS": 0, "moi-MIN_NUM_FORMS": 0, "moi-MAX_NUM_FORMS": 50,
        "moi-0-full_name": "Trần Văn Bình", "moi-0-gender": "male", "moi-0-birth_year": 1980,
    }  # fmt: skip
    page = client.post(reverse("courses:enrol", args=[roster.pk]), data).content.decode()
    assert "Có thể đã có người này" in page
    assert Learner.objects.count() == 1 and not Enrolment.objects.exists()
    client.post(reverse("courses:enrol", args=[roster.pk]), {**data, "confirm_new": "on"})
    assert Learner.objects.count() == 2 and Enrolment.objects.count() == 1


def test_withdrawing_keeps_past_attendance_and_stops_counting_after(world, client_for, roster):
    year = this_year()
    stays, leaves = (
        EnrolmentFactory(course=roster, learner=LearnerFactory(centre=world.centre_a), from_date=roster.start_date)
        for _ in range(2)
    )
    days = [datetime.date(year, 3, 2), datetime.date(year, 3, 9), datetime.date(year, 3, 16)]
    sessions = [services.class_session_create(course=roster, by=world.staff_a, date=d) for d in days]
    services.attendance_save(course=roster, presence={s.pk: {stays.pk, leaves.pk} for s in sessions}, by=world.staff_a)
    response = client_for(world.staff_a).post(
        reverse("courses:withdraw", args=[leaves.pk]), {"until_date": f"{year}-03-09"}, follow=True
    )
    assert "thôi học từ sau ngày 09/03" in response.content.decode()
    leaves.refresh_from_db()
    assert leaves.until_date == datetime.date(year, 3, 9)
    assert list(ClassSession.objects.order_by("date").values_list("present", flat=True)) == [2, 2, 1]
    assert Attendance.objects.filter(enrolment=leaves).count() == 2  # the past attendance is kept
    assert CentreYearFigure.objects.get(centre=world.centre_a, year=year).participations == 5
    before = list(CentreYearFigure.objects.values_list("participations", "women", "minorities"))
    figures_rebuild()
    assert list(CentreYearFigure.objects.values_list("participations", "women", "minorities")) == before
    # The next save of the grid does not count them either.
    page = client_for(world.staff_a).get(reverse("courses:month", args=[roster.pk]), {"thang": f"{year}-03"})
    assert page.content.decode().count(f'name="a-{sessions[2].pk}-') == 1


def test_withdrawal_date_must_be_within_the_class(world, roster):
    enrolment = EnrolmentFactory(
        course=roster, learner=LearnerFactory(centre=world.centre_a), from_date=roster.start_date
    )
    with pytest.raises(ValidationError, match="Ngày thôi học"):
        services.enrolment_withdraw(enrolment=enrolment, until_date=roster.start_date - datetime.timedelta(days=1),
                                    by=world.staff_a)  # fmt: skip


def test_outsider_cannot_withdraw(world, client_for, roster):
    enrolment = EnrolmentFactory(
        course=roster, learner=LearnerFactory(centre=world.centre_a), from_date=roster.start_date
    )
    url = reverse("courses:withdraw", args=[enrolment.pk])
    assert client_for(world.staff_b).post(url, {"until_date": f"{this_year()}-03-09"}).status_code == 404
    assert client_for(world.reviewer_x).post(url, {"until_date": f"{this_year()}-03-09"}).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.until_date is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"ethnicity": "Tày"}, ("Tày", True)),
        ({"ethnicity": " kinh "}, ("Kinh", False)),
        ({"is_minority": True}, ("", True)),  # the quick-add tick: a minority, ethnicity not told
        ({}, ("Kinh", False)),
        ({"ethnicity": "Mường", "is_minority": False}, ("Mường", True)),
    ],
)
def test_ethnicity_and_the_minority_tick_never_disagree(world, fields, expected):
    learner = services.learner_create(centre=world.centre_a, by=world.staff_a, full_name="Lò Thị Mai", gender="female",
                                      allow_duplicate=True, **fields)  # fmt: skip
    learner.refresh_from_db()
    assert (learner.ethnicity, learner.is_minority) == expected


def test_the_database_refuses_a_minority_listed_as_kinh(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Learner.objects.create(
            centre=world.centre_a, full_name="X", gender="female", ethnicity="Kinh", is_minority=True
        )


def test_a_minority_without_a_named_ethnicity_is_listed_as_such(world, client_for):
    services.learner_create(centre=world.centre_a, by=world.staff_a, full_name="Lò Thị Mai", gender="female",
                            is_minority=True)  # fmt: skip
    page = client_for(world.staff_a).get(reverse("courses:learners"), {"trung_tam": world.centre_a.pk})
    html = page.content.decode()
    assert "Dân tộc thiểu số (chưa ghi rõ)" in html


# The rows as the learners page's template wrote them before they were written in Python (issue 18).
ROW_TEMPLATE = (
    "{% load i18n %}{% for l in learners %}"
    '<tr data-key="{{ l.full_name }}"><td>{{ l.full_name }}</td><td data-label="{% translate "Giới tính" %}">'
    '{{ l.get_gender_display }}</td><td data-label="{% translate "Năm sinh" %}">{{ l.birth_year|default:"—" }}</td>'
    '<td data-label="{% translate "Dân tộc" %}">{{ l.ethnicity_label }}</td>'
    '<td data-label="{% translate "Thôn, xóm" %}">{{ l.village }}</td>'
    '<td class="text-end" data-label="{% translate "Số lớp" %}">{{ l.class_count|so }}</td>{% if can_edit %}<td class="text-end"><form method="post" '
    'action="{% url \'courses:learner_delete\' l.pk %}" data-confirm="{% blocktranslate with name=l.full_name %}'
    'Xóa {{ name }} khỏi danh sách người học?{% endblocktranslate %}">{% csrf_token %}<button class="btn btn-link '
    'btn-sm p-0 text-danger" type="submit">{% translate "Xóa" %}</button></form></td>{% endif %}</tr>\n  '
    "{% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_learner_rows_are_the_row_templates_markup(world, client_for, roster, language):
    import re

    from django.template import engines
    from django.utils import translation

    LearnerFactory(centre=world.centre_a, full_name='Lò "<Thị> & Mai"', birth_year=None, village="")
    services.learner_create(centre=world.centre_a, by=world.staff_a, full_name="Lò Văn Páo", gender="male",
                            is_minority=True, birth_year=1975, village="Bản Mường")  # fmt: skip
    EnrolmentFactory(course=roster, learner=LearnerFactory(centre=world.centre_a, full_name="Nguyễn Thị Lan"))
    url = reverse("courses:learners") + f"?trung_tam={world.centre_a.pk}"
    for user, can_edit in ((world.staff_a, True), (world.reviewer_x, False)):
        client = client_for(user)
        client.cookies["django_language"] = language
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        body = response.content.decode()
        assert response.context["can_edit"] is can_edit
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
        assert len(tokens) == 1  # the rows' forms carry the page's token
        with translation.override(language):
            expected = (
                engines["django"]
                .from_string(ROW_TEMPLATE)
                .render(
                    {"learners": list(response.context["learners"]), "can_edit": can_edit, "csrf_token": tokens.pop()}
                )
            )
        assert "&lt;Thị&gt;" in expected and ("data-confirm" in expected) is can_edit
        assert f"<tbody>{expected}</tbody>" in body


def test_a_centre_without_learners_says_so(world, client_for):
    body = client_for(world.staff_b).get(reverse("courses:learners")).content.decode()
    assert '<tbody><tr><td colspan="7" class="text-muted">Chưa có người học nào.</td></tr></tbody>' in body
