"""The classes list's rows (templates/courses/course_list.html), written in Python: tthtcd_portal/rows.py."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tthtcd_portal.rows import counts, dates, text, url_for

register = template.Library()


@register.simple_tag
def course_rows(page, many_centres: bool) -> str:
    """One <tr> per class of the page, as the template's `{% for course in page %}` wrote them."""
    detail, number, day = url_for("courses:detail"), counts(), dates()
    roster = f' <span class="badge text-bg-info">{text(gettext("có danh sách"))}</span>'
    parts = []
    for course in page:
        title = text(course.title)
        centre = f"<td>{text(course.centre.commune.name)}</td>" if many_centres else ""
        parts.append(
            f'\n    <tr data-key="{title}">\n'
            f'      <td><a href="{detail(course.pk)}">{title}</a>{roster if course.is_roster else ""}</td>\n'
            f"      {centre}\n"
            f"      <td>{text(course.programme_kind.name)}</td>\n"
            f"      <td>{day(course.start_date)}</td>\n"
            f'      <td class="text-end">{number(course.session_count)}</td>\n'
            f'      <td class="text-end">{number(course.participation_count)}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))


@register.simple_tag
def attendance_rows(grid, can_edit: bool) -> str:
    """The attendance grid's rows (templates/courses/partials/grid.html: one session, or a month's): per
    learner a <th> and per session a tick box, or a dash on a day they were not enrolled."""
    day = dates()
    sessions = [(str(int(s.pk)), day(s.date)) for s in grid.sessions]
    not_enrolled = f'<span class="text-muted" title="{text(gettext("Chưa ghi danh ngày này"))}">–</span>\n        '
    disabled = "" if can_edit else " disabled"
    parts = []
    for row in grid.rows:
        name, enrolment = text(row.enrolment.learner.full_name), int(row.enrolment.pk)
        cells = []
        for (session, on), (_session, state) in zip(sessions, row.cells, strict=True):
            if state is None:
                cells.append(f'<td class="text-center">\n        {not_enrolled}\n      </td>')
                continue
            key = f"a-{session}-{enrolment}"
            cells.append(
                f'<td class="text-center">\n        <input type="checkbox" class="form-check-input" id="{key}" '
                f'name="{key}" data-col="{session}"{" checked" if state else ""}{disabled}>\n'
                f'        <label class="visually-hidden" for="{key}">{name} {on}</label>\n      </td>'
            )
        parts.append(
            f'\n    <tr>\n      <th scope="row" class="sticky-col fw-normal text-nowrap">{name}</th>\n'
            f"      {''.join(cells)}\n    </tr>\n  "
        )
    return mark_safe("".join(parts))


@register.simple_tag
def recent_class_rows(courses) -> str:
    """One <tr> per recent class (templates/courses/partials/centre_classes.html: the centre page and the
    centre's figures page), as the partial's `{% for course in recent_classes %}` wrote them (its `{% empty %}`
    row when there are none)."""
    if not courses:
        empty = text(gettext("Chưa có lớp học nào."))
        return mark_safe(f'\n      <tr><td colspan="5" class="text-muted">{empty}</td></tr>\n    ')
    detail, number, day = url_for("courses:detail"), counts(), dates()
    parts = []
    for course in courses:
        parts.append(
            "\n      <tr>\n"
            f'        <td><a href="{detail(course.pk)}">{text(course.title)}</a></td>\n'
            f'        <td class="d-none d-md-table-cell">{text(course.programme_kind.name)}</td>\n'
            f"        <td>{day(course.start_date)}</td>\n"
            f'        <td class="text-end">{number(course.session_count)}</td>\n'
            f'        <td class="text-end">{number(course.participation_count)}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(parts))
