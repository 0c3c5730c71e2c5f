"""The dashboards' filter selects (templates/reports/partials/filters.html) written in Python (issue 18): ~70
options a page, each through two `|stringformat` and the field's value in the template's loop. Same characters
as the loop wrote (tests/reports/test_filter_fields.py compares them)."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from tthtcd_portal.rows import text

register = template.Library()


@register.simple_tag
def filter_selects(form) -> str:
    """One labelled <select> per field of the dashboards' filter form, the chosen value selected."""
    parts = []
    for field in form:
        chosen, key = str(field.value()), text(field.id_for_label)
        options = "".join(
            f'\n        <option value="{text(value)}"{" selected" if str(value) == chosen else ""}>{text(label)}</option>\n        '
            for value, label in field.field.choices
        )
        parts.append(
            f'\n    <div class="col-6 col-md-4 col-lg-2">\n'
            f'      <label class="form-label small mb-1" for="{key}">{text(field.label)}</label>\n'
            f'      <select name="{text(field.html_name)}" id="{key}" class="form-select form-select-sm">\n        '
            f"{options}\n      </select>\n    </div>\n    "
        )
    return mark_safe("".join(parts))
