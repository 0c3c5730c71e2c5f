"""A big list's rows written in Python (issue 18): what the template engine did per row, once per request.

Django's template engine spends ~0.1 ms on a row of six cells (variable lookups, `{% url %}`, `{% translate %}`,
filters, autoescape, each through several layers): a page of 50 rows was a quarter of a list's server time. A
list page whose rows are its main cost builds them with these helpers (the same characters the template wrote:
each page's tests compare them with the template's markup) and the template prints them. What a template does
per value is done here once per page: the URL reversed once (`url_for`: `{% url name pk %}`), the language's
number and date formats read once (`counts`, `dates`); `text` is `{{ value }}` with autoescape.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape

from tthtcd_portal.template_filters import so

_SENTINEL = 918273645


def text(value) -> str:
    """`{{ value }}` in an autoescaped template: numbers and dates localized, None as "None", safe strings as they
    are, the rest escaped (django.utils.html.escape is html.escape; called directly, it skips the lazy-string
    checks that were a third of a row's cost)."""
    if isinstance(value, str):
        return str(value.__html__()) if hasattr(value, "__html__") else html.escape(value)
    if value is None:
        return "None"
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(localize(value)))


def url_for(name: str, *before) -> Callable[[int], str]:
    """`{% url name pk %}` for many pks: the URL reversed once, then the pk put in its place; `before` are the
    arguments ahead of the pk that are the same on every row (`{% url name centre.pk pk %}`)."""
    head, tail = reverse(name, args=[*before, _SENTINEL]).split(str(_SENTINEL))
    head, tail = str(conditional_escape(head)), str(conditional_escape(tail))
    return lambda pk: f"{head}{int(pk)}{tail}"


def counts() -> Callable[[object], str]:
    """`|so` for the values of one page, the language's grouping read once: integers written here, anything
    else (a Decimal, None, text) through `so` itself."""
    separator, grouping = get_format("THOUSAND_SEPARATOR"), get_format("NUMBER_GROUPING")
    if grouping != 3:
        return so

    def write(value) -> str:
        return f"{value:,}".replace(",", separator) if type(value) is int else so(value)

    return write


# Django's date format characters that are plain numbers of the date, as Python formats them
# (django.utils.dateformat: d "%02d", j, m "%02d", n, Y "%04d").
_DATE_PARTS = {"d": "{0.day:02d}", "j": "{0.day}", "m": "{0.month:02d}", "n": "{0.month}", "Y": "{0.year:04d}"}


def dates(format_name: str = "SHORT_DATE_FORMAT") -> Callable[[object], str]:
    """`|date:"<format_name>"` for the dates of one page, the language's format read once; a format of day,
    month and year numbers between separators (dd/mm/yyyy in both languages) is written without Django's
    DateFormat (a regular expression and an object per date), any other through it."""
    pattern = get_format(format_name)
    if all(ch in _DATE_PARTS or not (ch.isalpha() or ch == "\\") for ch in pattern):
        return "".join(_DATE_PARTS.get(ch) or ch.replace("{", "{{").replace("}", "}}") for ch in pattern).format
    return lambda day: dateformat.format(day, pattern)


def labels(model, field_name: str) -> Callable[[object], object]:
    """`obj.get_<field_name>_display()` for the rows of one table, each label translated once: Django's own
    method hashes the field's whole list of choices on every call, which translates every lazy label again
    (a table of 18 instructors' three choices was ~220 translations). An unknown value is itself, as there."""
    known = {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
    return lambda value: known.get(value, value)
