"""Bad input never breaks a page (issue 9, item 4): every page that takes a POST, posted hypothesis-made values
for the fields its own form shows, by a user allowed to use it, answers with a page or a redirect — never a
500 — and a refused form writes nothing it should not (the services validate inside one transaction).

The pages and their URL values come from the URL walker (tests/platform/test_url_scoping.py): objects of
centre B, used by the provincial official of its province, who may change everything there; pages without
ids (create forms, filters, imports) are posted by the same official.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.figures import figures_rebuild
from tests.platform.test_url_scoping import checked_routes, walk
from tests.platform.url_objects import Filler

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"[^>]*>', re.IGNORECASE)
# What officials type, and what an attacker types: numbers of every sign and size, dates in both orders,
# Vietnamese text, formulas, markup, very long and empty strings.
VALUES = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", " ", "0", "-1", "1,5", "1.500.000", "31/02/2025", "2025-13-40", "01/07/2025", "2025-07-01",
                     "=HYPERLINK(\"x\")", "<script>alert(1)</script>", "Nguyễn Thị Ánh", "on", "x" * 5000,
                     "999999999999999999999", "NaN", "\x00", "'; DROP TABLE x; --"]),
    st.text(max_size=60),
)  # fmt: skip


def post_routes():
    """Every page of the project the walker checks (the admin site and public pages aside)."""
    return checked_routes(walk())


@pytest.mark.parametrize("route", post_routes(), ids=lambda r: r.name)
def test_no_posted_value_breaks_a_page(route, world):
    filler = Filler(world, route.app, route_name=route.name)
    if any(filler.entry(k) is None for k in route.keywords):
        pytest.skip("not registered (the URL walker fails for it)")
    url = reverse(route.name, kwargs=filler.kwargs(route.keywords))
    # The registry's factories write rows directly; recount the figures as the services would have kept them.
    figures_rebuild()
    client = Client()
    client.force_login(world.official)
    page = client.get(url)
    html = "" if page.streaming else page.content.decode(errors="replace")
    names = sorted({n for n in FIELD.findall(html) if n != "csrfmiddlewaretoken"})
    if page.status_code == 405:
        names = names or ["version", "reason", "nam", "file"]

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.fixed_dictionaries({name: VALUES for name in names}) if names else st.just({}))
    def post(data):
        response = client.post(url, data)
        assert response.status_code < 500, f"{route.name} POST {data!r} → {response.status_code}"

    post()


def test_an_id_beyond_64_bits_is_an_invalid_choice_not_a_500(world, client_for):
    response = client_for(world.official).post(
        reverse("evaluations:assign_offices"), {"office": "9" * 21, "centres": ["9" * 21]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
