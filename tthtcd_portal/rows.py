"""A big list's rows written in Python (issue 18): what the template engine did per row, once per request.

Rendering 50 rows through `{% for %}` cost ~120 µs a row in variable lookups, `{% url %}`, `{% translate %}`
and filters — more than the page's queries. A list page whose rows are its main cost builds them with these
helpers (the same characters the template wrote: each page's tests compare them with the template's markup)
and the template prints them with `{{ rows }}`. `text` is `{{ value }}` with autoescape; `url_for` is
`{% url name pk %}` reversed once and then formatted per row.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape

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


def url_for(name: str) -> Callable[[int], str]:
    """`{% url name pk %}` for many pks: the URL reversed once, then the pk put in its place."""
    head, tail = reverse(name, args=[_SENTINEL]).split(str(_SENTINEL))
    head, tail = str(conditional_escape(head)), str(conditional_escape(tail))
    return lambda pk: f"{head}{int(pk)}{tail}"
