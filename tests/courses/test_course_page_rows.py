"""The class page's sessions and learners written in Python (courses/templatetags/course_rows.py: `session_rows`,
`enrolment_items`) are the markup the template's loops wrote, character for character, in both languages, for
staff who may edit (the withdraw and delete forms, each with the page's CSRF token) and a reviewer who reads
(issue 18)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from courses.models import Course, Learner
from tests.centres.factories import InstructorFactory
from tests.clock import this_year
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory

# The loops as templates/courses/course_detail.html had them before they were written in Python.
SESSION_LOOP = Template(
    "{% load i18n %}{% for s in sessions %}\n"
    '    <tr data-key="{{ course.title }}">\n'
    '      <td>{{ s.date|date:"SHORT_DATE_FORMAT" }}</td><td{% if s.topic == course.title %} class="d-none '
    'd-md-table-cell"{% endif %}>{{ s.topic }}</td><td class="d-none d-md-table-cell" data-label="'
    '{% translate "Người dạy" %}">{{ s.instructor_label|default:"—" }}</td>'
    '<td class="text-end" data-label="{% translate "Giờ" %}">{{ s.hours|floatformat:"1g" }}</td>\n'
    '      <td class="text-end" data-label="{% translate "Có mặt" %}">{{ s.present|so }}</td>'
    '<td class="text-end" data-label="{% translate "Nữ" %}">{{ s.women|so }}</td>'
    '<td class="text-end" data-label="{% translate "DTTS" %}">{{ s.minorities|so }}</td>\n'
    '      <td class="text-end text-nowrap">\n'
    '        {% if course.is_roster %}<a href="{% url \'courses:attendance\' s.pk %}">{% translate "Điểm danh" %}'
    "</a>{% endif %}\n"
    '        {% if can_edit %}<a class="ms-2" href="{% url \'courses:session_edit\' s.pk %}">{% translate "Sửa" %}'
    "</a>{% endif %}\n"
    "      </td>\n"
    "    </tr>\n"
    "  {% endfor %}"
)
ENROLMENT_LOOP = Template(
    '{% load i18n %}{% for e in enrolments %}<li class="col">{{ e.learner.full_name }} <span class="text-muted">('
    "{{ e.learner.get_gender_display }}{% if e.learner.birth_year %}, {{ e.learner.birth_year }}{% endif %})</span>\n"
    '    {% if e.until_date %}<span class="badge text-bg-light border" data-testid="withdrawn">{% blocktranslate with '
    'day=e.until_date|date:"SHORT_DATE_FORMAT" %}thôi học sau {{ day }}{% endblocktranslate %}</span>\n'
    '    {% elif can_edit %}<details class="d-inline-block"><summary class="small">{% translate "Thôi học" %}</summary>\n'
    '      <form method="post" action="{% url \'courses:withdraw\' e.pk %}" class="d-flex flex-wrap gap-1 '
    'align-items-end my-1">{% csrf_token %}\n'
    '        <div><label class="form-label small mb-0" for="thoi-hoc-{{ e.pk }}">{% blocktranslate with '
    "name=e.learner.full_name %}{{ name }} học đến ngày{% endblocktranslate %}</label>\n"
    '        <input type="date" class="form-control form-control-sm" name="until_date" id="thoi-hoc-{{ e.pk }}" '
    "required min=\"{{ e.from_date|date:'Y-m-d' }}\" max=\"{{ course.end_date|date:'Y-m-d' }}\"></div>\n"
    '        <button type="submit" class="btn btn-sm btn-outline-danger">{% translate "Cho thôi học" %}</button>\n'
    "      </form></details>{% endif %}\n"
    '    {% if can_edit %}<form method="post" action="{% url \'courses:enrolment_delete\' e.pk %}" '
    'class="d-inline" data-confirm="{% blocktranslate with name=e.learner.full_name %}Xóa {{ name }} khỏi danh '
    'sách học viên của lớp?{% endblocktranslate %}">{% csrf_token %}<button class="btn btn-link btn-sm p-0 ms-1 '
    'text-danger" type="submit" aria-label="{% blocktranslate with name=e.learner.full_name %}Xóa {{ name }} khỏi '
    'lớp{% endblocktranslate %}">{% translate "Xóa" %}</button></form>{% endif %}</li>\n'
    "  {% endfor %}"
)


@pytest.fixture
def odd_roster(world):
    course = CourseFactory(centre=world.centre_a, title="Lớp \"A\" <b>&</b> 'x'", format=Course.Format.ROSTER)
    teacher = InstructorFactory(full_name="Lê <Văn> & Tư")
    SessionFactory(course=course, instructor=teacher, hours=Decimal("1.5"), present=1234, women=1000, minorities=7)
    SessionFactory(course=course, instructor_name='Ông "Ba"', topic="<script>x</script>", hours=Decimal("2"))
    SessionFactory(course=course, date=datetime.date(this_year(), 3, 9), hours=Decimal("12.0"))
    EnrolmentFactory(
        course=course,
        learner=LearnerFactory(centre=world.centre_a, full_name='Đỗ "Tí" <Nhỏ> & O\'Hara', birth_year=1958),
    )
    EnrolmentFactory(
        course=course,
        learner=LearnerFactory(centre=world.centre_a, full_name="Bùi Văn Nam", gender=Learner.Gender.MALE),
        until_date=datetime.date(this_year(), 2, 28),
    )
    EnrolmentFactory(course=course, learner=LearnerFactory(centre=world.centre_a, full_name="Cao Thị Mai"))
    return course


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("who", ["staff_a", "reviewer_x"])
def test_sessions_and_learners_are_the_templates_markup(client_for, world, odd_roster, language, who):
    client = client_for(getattr(world, who))
    client.cookies["django_language"] = language
    response = client.get(reverse("courses:detail", args=[odd_roster.pk]))
    body = response.content.decode()
    context = Context({key: response.context[key] for key in ("course", "sessions", "enrolments", "can_edit")})
    context["csrf_token"] = response.context["csrf_token"]
    with translation.override(language):
        sessions = SESSION_LOOP.render(context)
        learners = ENROLMENT_LOOP.render(context)
    assert response.context["can_edit"] is (who == "staff_a")
    assert sessions.count("<tr ") == 3 and "&lt;script&gt;" in sessions
    assert learners.count("<li ") == 3 and "&lt;Nhỏ&gt;" in learners and 'data-testid="withdrawn"' in learners
    assert ("csrfmiddlewaretoken" in learners) is (who == "staff_a")
    assert f"<tbody>\n  {sessions}\n  </tbody>" in body
    assert f'data-testid="enrolment-list">\n  {learners}\n</ul>' in body


def test_a_class_without_sessions_or_learners_says_so(client_for, world):
    course = CourseFactory(centre=world.centre_a, format=Course.Format.ROSTER)
    body = client_for(world.staff_a).get(reverse("courses:detail", args=[course.pk])).content.decode()
    assert (
        '<tbody>\n  \n    <tr><td colspan="8" class="text-muted">Chưa có buổi học nào.</td></tr>\n  \n  </tbody>'
        in body
    )
    assert '<li class="col text-muted">Chưa ghi danh ai.</li>\n</ul>' in body
