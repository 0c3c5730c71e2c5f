"""The classes list's rows (templates/courses/course_list.html), written in Python: tthtcd_portal/rows.py."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tthtcd_portal.rows import counts, dates, text, url_of

register = template.Library()


@register.simple_tag
def course_rows(page, many_centres: bool) -> str:
    """One <tr> per class of the page, as the template's `{% for course in page %}` wrote them."""
    detail, number, day = url_of("courses:detail"), counts(), dates()
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
