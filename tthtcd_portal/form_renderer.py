"""The form renderer: Django's, with the select box written in Python (issue 18).

A filter form's select of the province's centres has ~500 options; Django renders each through two template
includes (`select_option.html`, `attrs.html`), which made the class list and the audit trail spend more time
on one select than on their queries. This renderer writes `django/forms/widgets/select.html` itself — the same
markup, character for character — when the options use Django's own option template; any other template
(and any widget that changes its option template) goes through the templates as before. FORM_RENDERER.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _escape(value) -> str:
    """conditional_escape(str(value)) for an option's value or label, with plain text and numbers (all but a
    few of a province's ~500 options) escaped directly (issue 18: conditional_escape's lazy-string wrapper
    was a third of the select)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int:
        return str(value)
    return conditional_escape(str(value)) if not hasattr(value, "__html__") else conditional_escape(value)


def _attrs(attrs: dict) -> str:
    """attrs.html: False leaves the attribute out, True writes its name alone, anything else name="value"."""
    if not attrs:
        return ""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        )
    return "".join(out)


def select_html(widget: dict) -> str | None:
    """select.html for a widget context, or None when an option uses another template."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_escape(option['label'])}</option>\n"  # the option template's last line break
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and "widget" in context:
            html = select_html(context["widget"])
            if html is not None:
                return mark_safe(html.strip())
        return super().render(template_name, context, request=request)
