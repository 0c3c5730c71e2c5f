"""The centre's figures by year (templates/reports/partials/centre_years.html: the centre page and the centre's
figures page), its rows written in Python: tthtcd_portal/rows.py."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import default_if_none, floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tthtcd_portal.rows import counts, text

register = template.Library()


def _ratio(value, max_value) -> str:
    """`{% widthratio value max_value 100 %}`, as Django computes it."""
    try:
        return str(round(float(value) / float(max_value) * 100))
    except ZeroDivisionError:
        return "0"
    except (ValueError, TypeError, OverflowError):
        return ""


def _average(avg: dict, name: str, digits: str) -> str:
    """`{{ r.avg.<name>|default_if_none:"–"|floatformat:digits }}` (a missing key is the engine's "")."""
    return text(floatformat(default_if_none(avg.get(name, ""), "–"), digits))


@register.simple_tag
def centre_year_rows(rows) -> str:
    """One <tr> per year (CentreComparison.year_rows), as the partial's `{% for r in rows %}` wrote them (its
    `{% empty %}` row when there are none)."""
    if not rows:
        empty = text(gettext("Chưa có số liệu trong những năm này."))
        return mark_safe(f'\n        <tr><td colspan="11">{empty}</td></tr>\n      ')
    n = counts()
    parts = []
    for r in rows:
        own, avg = r["own"], r["avg"]
        share = f"{_ratio(own.participations, avg['participations'])}%" if avg.get("participations") else "–"
        parts.append(
            "\n        <tr>\n"
            f'          <th scope="row">{text(r["year"])}</th>\n'
            f"          <td>{n(own.classes)}</td><td>{n(own.sessions)}</td><td>{n(own.participations)}</td>\n"
            f"          <td>{n(own.women)}</td><td>{n(own.minorities)}</td>\n"
            f"          <td>{share}</td>\n"
            f"          <td>{_average(avg, 'classes', '1g')}</td><td>{_average(avg, 'sessions', '1g')}</td>"
            f"<td>{_average(avg, 'participations', '0g')}</td>\n"
            f"          <td>{text(r['rating'] or '–')}</td>\n"
            "        </tr>\n      "
        )
    return mark_safe("".join(parts))
