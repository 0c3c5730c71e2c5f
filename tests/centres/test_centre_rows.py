"""The centre page's board and instructor rows written in Python (centres/templatetags/centre_rows.py) are the
markup the partials' loops wrote, character for character, in both languages (issue 18): each partial is
rendered as it is now and as it was before, for every way centre_page.html includes it."""

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from centres.models import BoardMember, InstructorAssignment
from tests.centres.factories import AssignmentFactory, BoardMemberFactory, InstructorFactory
from tests.clock import this_year

# templates/centres/partials/board_table.html before its rows were written in Python.
OLD_BOARD = Template(
    '{% load i18n %}<div class="table-responsive">\n<table class="table table-sm align-middle table-stack" data-export="ban-giam-doc"><caption class="visually-hidden">{% translate "Ban Giám đốc" %}</caption>\n  <thead><tr>\n    <th scope="col">{% translate "Họ và tên" %}</th><th scope="col">{% translate "Chức danh" %}</th><th scope="col">{% translate "Chức vụ chính" %}</th>\n    <th scope="col" class="d-none d-md-table-cell">{% translate "Chế độ" %}</th><th scope="col" class="d-none d-md-table-cell">{% translate "Quyết định" %}</th><th scope="col">{% translate "Nhiệm kỳ" %}</th>\n    {% if can_edit %}<th scope="col"><span class="visually-hidden">{% translate "Thao tác" %}</span></th>{% endif %}\n  </tr></thead>\n  <tbody>{% translate "nay" as now_label %}{% if can_edit %}{% translate "Sửa" as edit_label %}{% translate "Kết thúc nhiệm kỳ" as end_label %}{% endif %}{# once, not once a row #}\n  {% for m in members %}\n    <tr data-key="{{ m.full_name }}">\n      <td>{{ m.full_name }}</td><td data-label="{% translate "Chức danh" %}">{{ m.get_position_display }}</td><td data-label="{% translate "Chức vụ chính" %}">{{ m.main_post|default:"—" }}</td>\n      <td class="d-none d-md-table-cell" data-label="{% translate "Chế độ" %}">{{ m.get_engagement_display }}</td><td class="d-none d-md-table-cell" data-label="{% translate "Quyết định" %}">{% if m.appointment_decision %}{{ m.appointment_decision }}{% if m.decision_date %}, {{ m.decision_date|date:"SHORT_DATE_FORMAT" }}{% endif %}{% if m.decision_signer %}<br><span class="small text-muted">{{ m.decision_signer }}</span>{% endif %}{% else %}—{% endif %}</td>\n      <td class="text-nowrap" data-label="{% translate "Nhiệm kỳ" %}">{{ m.term_start|date:"SHORT_DATE_FORMAT" }} – {% if m.term_end %}{{ m.term_end|date:"SHORT_DATE_FORMAT" }}{% else %}{{ now_label }}{% endif %}</td>\n      {% if can_edit %}<td class="text-nowrap">\n        <a class="btn btn-link btn-sm p-0 me-2" href="{% url \'centres:board_edit\' centre.pk m.pk %}">{{ edit_label }}</a>\n        {% if current and not m.term_end %}<a class="btn btn-link btn-sm p-0" href="{% url \'centres:board_end\' centre.pk m.pk %}">{{ end_label }}</a>{% endif %}\n      </td>{% endif %}\n    </tr>\n  {% empty %}\n    <tr data-key="{{ m.full_name }}"><td colspan="7" class="text-muted">{% translate "Chưa có thành viên." %}</td></tr>\n  {% endfor %}\n  </tbody>\n</table>\n</div>\n'
)

# templates/centres/partials/instructor_table.html before its rows were written in Python.
OLD_INSTRUCTORS = Template(
    '{% load i18n %}<div class="table-responsive">\n<table class="table table-sm align-middle table-stack" data-export="giang-vien"><caption class="visually-hidden">{% translate "Giảng viên" %}</caption>\n  <thead><tr>\n    <th scope="col">{% translate "Họ và tên" %}</th><th scope="col" class="d-none d-md-table-cell">{% translate "Giới tính" %}</th><th scope="col" class="d-none d-md-table-cell">{% translate "Năm sinh" %}</th>\n    <th scope="col" class="d-none d-md-table-cell">{% translate "Dân tộc" %}</th><th scope="col">{% translate "Loại" %}</th><th scope="col" class="d-none d-md-table-cell">{% translate "Chế độ" %}</th>\n    <th scope="col">{% translate "Lĩnh vực" %}</th><th scope="col" class="d-none d-md-table-cell">{% translate "Nơi công tác" %}</th><th scope="col">{% translate "Điện thoại" %}</th>\n    {% if can_edit %}<th scope="col"><span class="visually-hidden">{% translate "Thao tác" %}</span></th>{% endif %}\n  </tr></thead>\n  <tbody>{% if can_edit %}{% translate "Sửa" as edit_label %}{% endif %}{# once, not once a row #}\n  {% for link in links %}{% with p=link.instructor %}\n    <tr data-key="{{ p.full_name }}">\n      <td>{{ p.full_name }}</td><td class="d-none d-md-table-cell" data-label="{% translate "Giới tính" %}">{{ p.get_gender_display }}</td><td class="d-none d-md-table-cell" data-label="{% translate "Năm sinh" %}">{{ p.birth_year|default:"—" }}</td>\n      <td class="d-none d-md-table-cell" data-label="{% translate "Dân tộc" %}">{{ p.ethnicity }}</td><td data-label="{% translate "Loại" %}">{{ link.get_kind_display }}</td><td class="d-none d-md-table-cell" data-label="{% translate "Chế độ" %}">{{ link.get_engagement_display }}</td>\n      <td data-label="{% translate "Lĩnh vực" %}">{{ p.field|default:"—" }}</td><td class="d-none d-md-table-cell" data-label="{% translate "Nơi công tác" %}">{{ p.workplace|default:"—" }}</td>\n      <td class="text-nowrap" data-label="{% translate "Điện thoại" %}">{% if p.phone %}<a href="tel:{{ p.phone }}">{{ p.phone }}</a>{% else %}—{% endif %}</td>\n      {% if can_edit %}<td><a class="btn btn-link btn-sm p-0" href="{% url \'centres:instructor_edit\' centre.pk link.pk %}">{{ edit_label }}</a></td>{% endif %}\n    </tr>\n  {% endwith %}{% empty %}\n    <tr data-key="{{ link.instructor.full_name }}"><td colspan="10" class="text-muted">{% translate "Chưa có giảng viên." %}</td></tr>\n  {% endfor %}\n  </tbody>\n</table>\n</div>\n'
)


def _board(centre):
    year = this_year()
    return [
        BoardMemberFactory(
            centre=centre,
            full_name="Lò Văn \"A\" <b>&</b> 'x'",
            main_post="",
            appointment_decision="12/QĐ-UBND <i>",
            decision_date=datetime.date(year - 1, 3, 4),
            decision_signer="Chủ tịch UBND & xã",
        ),
        BoardMemberFactory(
            centre=centre,
            position=BoardMember.Position.PHO_GIAM_DOC,
            appointment_decision="7/QĐ",
            term_start=datetime.date(year - 2, 1, 1),
            term_end=datetime.date(year, 12, 31),
        ),
        BoardMemberFactory(centre=centre, appointment_decision="8/QĐ", decision_signer="Bí thư"),
    ]


def _instructors(centre):
    return [
        AssignmentFactory(
            centre=centre,
            instructor=InstructorFactory(
                full_name='Vàng Thị <Mỷ> & "Dính"', phone="0912 345 678", workplace="Trạm y tế & xã", birth_year=None
            ),
        ),
        AssignmentFactory(
            centre=centre,
            kind=InstructorAssignment.Kind.CONG_TAC_VIEN,
            instructor=InstructorFactory(field="", ethnicity="H'Mông"),
        ),
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("current", [True, False])
@pytest.mark.parametrize("empty", [True, False])
def test_board_rows_are_the_templates_markup(world, language, can_edit, current, empty):
    centre = world.centre_a
    members = [] if empty else _board(centre)
    context = {"members": members, "centre": centre, "can_edit": can_edit, "current": current}
    with translation.override(language):
        expected = OLD_BOARD.render(Context(context))
        written = get_template("centres/partials/board_table.html").render(context)
    assert written == expected
    if not empty:
        assert "&lt;b&gt;&amp;&lt;/b&gt;" in written and (f"/ban-giam-doc/{members[0].pk}/" in written) == can_edit


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("empty", [True, False])
def test_instructor_rows_are_the_templates_markup(world, language, can_edit, empty):
    centre = world.centre_a
    links = [] if empty else _instructors(centre)
    context = {"links": links, "centre": centre, "can_edit": can_edit}
    with translation.override(language):
        expected = OLD_INSTRUCTORS.render(Context(context))
        written = get_template("centres/partials/instructor_table.html").render(context)
    assert written == expected
    if not empty:
        assert "Vàng Thị &lt;Mỷ&gt; &amp; &quot;Dính&quot;" in written and 'href="tel:0912 345 678"' in written
