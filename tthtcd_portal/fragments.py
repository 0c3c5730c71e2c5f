"""Fragments of every page rendered once per process for each set of inputs, then only filled in (issue 18).

base.html's menu bar and footer cost ~2.5 ms a page through the template engine (loops over the menu and the
languages, twenty `{% translate %}`, a variable lookup per attribute), yet for one user in one language they come
out the same on every page but for the CSRF token and the page's own path. `kept_fragment(name, inputs,
per_request)` renders the template `name` from `inputs` alone (no request, no context processors: the template
sees only what is passed, so the inputs are the whole cache key), with a marker in place of each per-request
value; the text between the markers is kept, and each later call joins it with that request's values, escaped as
`{{ value }}` would escape them. The bytes are those of rendering the template with the real values
(tests/platform/test_fragments.py).

The key also holds the active language (the fragment's translations) and the URL configuration and script prefix
(its `{% fixed_url_of %}` links). A per-request value that is None is left out of the context (so that, say,
`{% csrf_token %}` renders nothing, as it does without a token) and the key says which were None.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tthtcd_portal.bounded import Bounded

# Letters and digits only: no escaping, filter or tag in a fragment changes them.
_MARK = "kept" + secrets.token_hex(8)
_MARKS = re.compile(_MARK + r"(\d+)x")

# Per process; a few entries per signed-in user (one for each menu entry they are on). Emptied when full.
_kept: Bounded = Bounded(5000)


def kept_fragment(template_name: str, inputs: dict, per_request: dict[str, object | None]) -> SafeString:
    """The template rendered with inputs and per_request: every input must be hashable (str, numbers, tuples)."""
    names = tuple(per_request)
    missing = tuple(name for name in names if per_request[name] is None)
    key = (
        template_name,
        get_language(),
        str(get_urlconf() or settings.ROOT_URLCONF),
        get_script_prefix(),
        tuple(sorted(inputs.items())),
        names,
        missing,
    )
    try:
        texts, order = _kept[key]
    except KeyError:
        context = dict(inputs)
        for index, name in enumerate(names):
            if per_request[name] is not None:
                context[name] = f"{_MARK}{index}x"
        pieces = _MARKS.split(get_template(template_name).render(context))
        texts, order = tuple(pieces[0::2]), tuple(int(index) for index in pieces[1::2])
        _kept.keep(key, (texts, order))
    values = [conditional_escape(per_request[names[index]]) for index in order]
    out = [texts[0]]
    for value, text in zip(values, texts[1:], strict=True):
        out.append(value)
        out.append(text)
    return mark_safe("".join(out))  # noqa: S308 - the template's own output and escaped values


def forget_fragments() -> None:
    """Empty the kept fragments (tests that change a template's inputs behind its back)."""
    _kept.clear()
