"""The classes list's rows (templates/courses/course_list.html), written in Python: tthtcd_portal/rows.py."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tthtcd_portal.rows import url_of
from tthtcd_portal.template_filters import so

register = template.Library()


@register.simple_tag
def course_rows(page, many_centres: bool) -> str:
    """One <tr> per class of the page, as the template's `{% for course in page %}` wrote them."""
    detail = url_of("courses:detail")
    roster = f' <span class="badge text-bg-info">{escape(gettext("có danh sách"))}</span>'
    parts = []
    for course in page:
        title = escape(course.title)
        centre = f"<td>{escape(course.centre.commune.name)}</td>" if many_centres else ""
        parts.append(
            f'\n    <tr data-key="{title}">\n'
            f'      <td><a href="{detail(course.pk)}">{title}</a>{roster if course.is_roster else ""}</td>\n'
            f"      {centre}\n"
            f"      <td>{escape(course.programme_kind.name)}</td>\n"
            f"      <td>{date_format(course.start_date, 'SHORT_DATE_FORMAT')}</td>\n"
            f'      <td class="text-end">{so(course.session_count)}</td>\n'
            f'      <td class="text-end">{so(course.participation_count)}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))
