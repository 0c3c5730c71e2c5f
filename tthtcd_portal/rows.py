"""Table rows written in Python for the longest lists (issue 18), beside the templates that show them.

Django's template engine spends ~0.1 ms on a row of six cells (variable lookups, `{% url %}`, `{% translate %}`,
filters, autoescape, each through several layers): a page of 50 rows was a quarter of a list's server time. A
row writer makes the same markup, character for character; its template keeps the table around it, and its
test compares the two. What a template does per value is done here once per page: the URL reversed once
(`url_of`), the language's number and date formats read once (`counts`, `dates`); `text` is `{{ value }}`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format

from tthtcd_portal.template_filters import so

_PK = 2_147_483_647  # a placeholder id in the reversed URL (never a real id's text inside a path)


def url_of(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for many pks, from one reverse: the text before and after the id."""
    before, after = reverse(viewname, args=[_PK]).split(str(_PK), 1)
    return lambda pk: f"{before}{int(pk)}{after}"


def text(value) -> str:
    """`{{ value }}` of a plain (unsafe) value: Django's `escape` is this, wrapped for lazy strings."""
    return html.escape(str(value))


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
