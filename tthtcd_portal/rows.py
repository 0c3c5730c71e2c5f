"""Table rows written in Python for the longest lists (issue 18), beside the templates that show them.

Django's template engine spends ~0.2 ms on a row of six cells (variable lookups, `{% url %}`, `{% translate %}`,
filters, autoescape, each through several layers): a page of 50 rows was most of a list's server time. A row
writer makes the same markup, character for character, with `escape` on every value; its template keeps the
table around it, and its test compares the two. `url_of` reverses a URL once per page instead of once per row.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_PK = 2_147_483_647  # a placeholder id in the reversed URL (never a real id's text inside a path)


def url_of(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for many pks, from one reverse: the text before and after the id."""
    before, after = reverse(viewname, args=[_PK]).split(str(_PK), 1)
    return lambda pk: f"{before}{int(pk)}{after}"
