"""The classes list's rows written in Python (courses/templatetags/course_rows.py) are the markup the template's
loop wrote, character for character, in both languages (issue 18)."""

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from courses.models import Course
from courses.selectors import COURSE_ROW_FIELDS, centre_recent_courses, course_list
from courses.templatetags.course_rows import course_rows
from tests.clock import this_year
from tests.courses.factories import CourseFactory, SessionFactory

# The loop as templates/courses/course_list.html had it before the rows were written in Python.
TEMPLATE_LOOP = Template(
    "{% load i18n %}{% for course in page %}\n"
    '    <tr data-key="{{ course.title }}">\n'
    "      <td><a href=\"{% url 'courses:detail' course.pk %}\">{{ course.title }}</a>{% if course.is_roster %}"
    ' <span class="badge text-bg-info">{% translate "có danh sách" %}</span>{% endif %}</td>\n'
    "      {% if many_centres %}<td data-label=\"{% translate 'Trung tâm' %}\">{{ course.centre.commune.name }}</td>"
    "{% endif %}\n"
    "      <td data-label=\"{% translate 'Loại' %}\">{{ course.programme_kind.name }}</td>\n"
    '      <td data-label="{% translate \'Bắt đầu\' %}">{{ course.start_date|date:"SHORT_DATE_FORMAT" }}</td>\n'
    '      <td class="text-end" data-label="{% translate \'Buổi\' %}">{{ course.session_count|so }}</td>\n'
    '      <td class="text-end" data-label="{% translate \'Lượt người học\' %}">{{ course.participation_count|so }}'
    "</td>\n"
    "    </tr>\n"
    "  {% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("many_centres", [True, False])
def test_rows_are_the_templates_markup(world, language, many_centres):
    roster = CourseFactory(centre=world.centre_a, title="Lớp \"A\" <b>&</b> 'x'", format=Course.Format.ROSTER)
    for _ in range(3):
        SessionFactory(course=roster, present=1234)
    CourseFactory(
        centre=world.centre_b,
        title="Chuyên đề",
        start_date=datetime.date(this_year() - 1, 12, 31),
        end_date=datetime.date(this_year(), 1, 9),
    )
    page = list(course_list(user=world.official).only(*COURSE_ROW_FIELDS))
    assert len(page) == 2
    with translation.override(language):
        expected = TEMPLATE_LOOP.render(Context({"page": page, "many_centres": many_centres}))
        written = course_rows(page, many_centres)
    assert written == expected
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in written and reverse("courses:detail", args=[roster.pk]) in written


def test_the_list_shows_a_roster_class_with_its_badge(client_for, world):
    CourseFactory(centre=world.centre_a, title="Lớp xóa mù chữ", format=Course.Format.ROSTER)
    page = client_for(world.official).get(reverse("courses:list")).content.decode()
    assert 'Lớp xóa mù chữ</a> <span class="badge text-bg-info">có danh sách</span>' in page


def test_an_empty_list_says_so(client_for, world):
    page = client_for(world.staff_a).get(reverse("courses:list")).content.decode()
    assert "Chưa có lớp học nào." in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_row_helpers_write_what_the_filters_write(language):
    from django.template.defaultfilters import date as date_filter
    from django.utils.html import escape

    from tthtcd_portal.rows import counts, dates, text
    from tthtcd_portal.template_filters import so

    with translation.override(language):
        number, day = counts(), dates()
        for value in (0, 7, 999, 1000, -1234567, 10**12, None, "", "12a"):
            assert number(value) == so(value), value
        for value in (datetime.date(2026, 1, 5), datetime.date(987, 12, 31)):
            assert day(value) == date_filter(value, "SHORT_DATE_FORMAT")
            assert dates("YEAR_MONTH_FORMAT")(value) == date_filter(value, "YEAR_MONTH_FORMAT")
            assert dates("DATE_FORMAT")(value) == date_filter(value, "DATE_FORMAT")
        assert dates("DATETIME_FORMAT")(timezone_now := datetime.datetime(2026, 1, 5, 7, 8)) == date_filter(
            timezone_now, "DATETIME_FORMAT"
        )  # H and i: through Django's DateFormat
        for value in ("a \"b\" <c> & 'd'", 5, "Đông Hưng"):
            assert text(value) == escape(value)


GRID_LOOP = Template(
    "{% load i18n %}{% for row in grid.rows %}\n"
    "    <tr>\n"
    '      <th scope="row" class="sticky-col fw-normal text-nowrap">{{ row.name }}</th>\n'
    '      {% for s, state in row.cells %}<td class="text-center">\n'
    '        {% if state is None %}<span class="text-muted" title="{% translate \'Chưa ghi danh ngày này\' %}">–</span>\n'
    '        {% else %}<input type="checkbox" class="form-check-input" id="a-{{ s.pk }}-{{ row.enrolment_id }}" '
    'name="a-{{ s.pk }}-{{ row.enrolment_id }}" data-col="{{ s.pk }}"{% if state %} checked{% endif %}'
    "{% if not can_edit %} disabled{% endif %}>\n"
    '        <label class="visually-hidden" for="a-{{ s.pk }}-{{ row.enrolment_id }}">'
    '{{ row.name }} {{ s.date|date:"SHORT_DATE_FORMAT" }}</label>{% endif %}\n'
    "      </td>{% endfor %}\n"
    "    </tr>\n"
    "  {% endfor %}"
)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("can_edit", [True, False])
def test_grid_rows_are_the_templates_markup(world, language, can_edit):
    from courses import selectors
    from courses.templatetags.course_rows import attendance_rows
    from tests.courses.factories import EnrolmentFactory, LearnerFactory

    course = CourseFactory(centre=world.centre_a, format=Course.Format.ROSTER)
    first = SessionFactory(course=course, date=datetime.date(this_year(), 2, 2))
    second = SessionFactory(course=course, date=datetime.date(this_year(), 3, 2))
    EnrolmentFactory(course=course, learner=LearnerFactory(centre=world.centre_a, full_name='Lò Thị "Ánh" <b>'))
    late = EnrolmentFactory(course=course, learner=LearnerFactory(centre=world.centre_a, full_name="Vàng A Páo"))
    late.from_date = datetime.date(this_year(), 3, 1)  # not enrolled on the first day: a dash
    late.save()
    from courses.models import Attendance

    Attendance.objects.create(session=second, enrolment=late, present=False)  # saved: absent
    grid = selectors.attendance_grid(course, [first, second])
    assert {state for row in grid.rows for _, state in row.cells} == {None, True, False}
    with translation.override(language):
        expected = GRID_LOOP.render(Context({"grid": grid, "can_edit": can_edit}))
        assert attendance_rows(grid, can_edit) == expected


# templates/courses/partials/centre_classes.html before its rows were written in Python.
OLD_RECENT_CLASSES = Template(
    '{% load i18n %}\n{% comment %}A centre\'s latest classes with links to them and to all its classes. Context: centre,\nrecent_classes (courses.selectors.centre_recent_courses), can_add_class (optional).{% endcomment %}\n<div class="d-flex flex-wrap justify-content-between align-items-end gap-2 mb-2">\n  <h2 class="h5 mb-0" id="classes-h">{% translate "Lớp học gần đây" %}</h2>\n  <div class="d-flex flex-wrap gap-2">\n    {% if can_add_class %}<a class="btn btn-primary btn-sm" href="{% url \'courses:create\' %}?trung_tam={{ centre.pk }}">{% translate "Thêm lớp" %}</a>{% endif %}\n    <a class="btn btn-outline-secondary btn-sm" href="{% url \'courses:list\' %}?trung_tam={{ centre.pk }}" data-testid="all-classes">{% translate "Tất cả lớp học của trung tâm" %}</a>\n  </div>\n</div>\n<div class="table-responsive">\n  <table class="table table-sm table-hover align-middle" data-testid="centre-classes"><caption class="visually-hidden">{% translate "Lớp học" %}</caption>\n    <thead><tr>\n      <th scope="col">{% translate "Lớp, chuyên đề" %}</th>\n      <th scope="col" class="d-none d-md-table-cell">{% translate "Loại" %}</th>\n      <th scope="col">{% translate "Bắt đầu" %}</th>\n      <th scope="col" class="text-end">{% translate "Buổi" %}</th>\n      <th scope="col" class="text-end">{% translate "Lượt người học" %}</th>\n    </tr></thead>\n    <tbody>\n    {% for course in recent_classes %}\n      <tr>\n        <td><a href="{% url \'courses:detail\' course.pk %}">{{ course.title }}</a></td>\n        <td class="d-none d-md-table-cell">{{ course.programme_kind.name }}</td>\n        <td>{{ course.start_date|date:"SHORT_DATE_FORMAT" }}</td>\n        <td class="text-end">{{ course.session_count|so }}</td>\n        <td class="text-end">{{ course.participation_count|so }}</td>\n      </tr>\n    {% empty %}\n      <tr><td colspan="5" class="text-muted">{% translate "Chưa có lớp học nào." %}</td></tr>\n    {% endfor %}\n    </tbody>\n  </table>\n</div>\n'
)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("with_classes", [True, False])
def test_recent_class_rows_are_the_partials_markup(world, language, with_classes):
    """The centre page's and the centre's figures page's latest classes (recent_class_rows), character for
    character as the partial's loop wrote them, with the classes as centre_recent_courses reads them."""
    if with_classes:
        course = CourseFactory(centre=world.centre_a, title="Lớp \"A\" <b>&</b> 'x'")
        for _ in range(3):
            SessionFactory(course=course, present=1234)
        CourseFactory(centre=world.centre_a, start_date=datetime.date(this_year() - 1, 12, 31))
    recent = centre_recent_courses(user=world.staff_a, centre=world.centre_a)
    assert len(recent) == (2 if with_classes else 0)
    context = {"recent_classes": recent, "centre": world.centre_a, "can_add_class": True}
    with translation.override(language):
        expected = OLD_RECENT_CLASSES.render(Context(context))
        written = get_template("courses/partials/centre_classes.html").render(context)
    assert written == expected
