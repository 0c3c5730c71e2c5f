"""The form renderer: Django's, with the select box written in Python (issue 18).

A filter form's select of the province's centres has ~500 options; Django renders each through two template
includes (`select_option.html`, `attrs.html`), which made the class list and the audit trail spend more time
on one select than on their queries. This renderer writes `django/forms/widgets/select.html` itself — the same
markup, character for character — when the options use Django's own option template; any other template
(and any widget that changes its option template) goes through the templates as before. FORM_RENDERER.
"""

from __future__ import annotations

import html

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
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


# --- crispy's bootstrap5 field, written in Python (issue 18) -----------------------------------------
# A filter form's field through `|as_crispy_field` renders bootstrap5/field.html and its three includes: ~0.6 ms a
# field, a list page's six filter fields costing more than its rows' queries. `|as_field` (template_filters)
# writes the same characters for the common case — a labelled text input or select box, no error, no help
# text, no form helper — and hands every other field to crispy. tests/platform/test_form_renderer.py compares
# the two for every field of the list pages' forms, bound and unbound.

_FIELD_HEAD = (
    '\n\n\n    \n    <div id="div_{auto_id}" class="mb-3">\n        \n            \n            <label\n'
    '                for="{label_for}" class="form-label{required_class}">\n                {label}{star}\n'
    "            </label>\n        \n\n        \n\n        \n            \n                \n                    \n"
    "                        "
)
_SELECT_OPEN = "\n                            "
_SELECT_CLOSE = "\n                        "
_FIELD_TAIL = (
    "\n                    \n                    \n                        \n\n\n    \n\n\n\n\n    \n\n\n\n"
    "                    \n                \n            \n        \n        \n    </div>\n    \n\n"
)
_STAR = '<span class="asteriskField">*</span>'


def _crispy_classes(widget, extra: str) -> None:
    """What crispy's `{% crispy_field field 'class' extra %}` does to the widget: its class name (lowercased,
    through CRISPY_CLASS_CONVERTERS), then each class of `extra` not already there."""
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    for name in extra.split():
        if name not in css_class.split():
            css_class += f" {name}"
    widget.attrs["class"] = css_class


def crispy_field_html(bound_field) -> str | None:
    """bootstrap5/field.html through `as_crispy_field` for a plain labelled input or select, else None."""
    widget = bound_field.field.widget
    is_select = isinstance(widget, forms.Select)
    if (
        not (is_select or isinstance(widget, Input))
        or isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.FileInput | forms.CheckboxInput)
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
        or bound_field.is_hidden
        or getattr(bound_field.form, "helper", None) is not None
        or not bound_field.label
        or bound_field.help_text
        or bound_field.use_fieldset
        or bound_field.errors
        or bound_field.css_classes()
    ):
        return None
    label_for = bound_field.id_for_label
    if not label_for:
        return None
    _crispy_classes(widget, "form-select" if is_select else "form-control")
    required = bound_field.field.required
    head = _FIELD_HEAD.format(
        auto_id=conditional_escape(bound_field.auto_id),
        label_for=conditional_escape(label_for),
        required_class=" requiredField" if required else "",
        label=conditional_escape(bound_field.label),
        star=_STAR if required else "",
    )
    html = str(bound_field)
    if is_select:
        return f"{head}{_SELECT_OPEN}{html}{_SELECT_CLOSE}{_FIELD_TAIL}"
    return f"{head}{html}{_FIELD_TAIL}"
