"""No 500 from a hand-edited URL (issue 14, item 7): every GET page, every query parameter of the portal's
vocabulary (docs/architecture.md, "Parameters"), values a user or an attacker types — 31/02, month 13, year
9999, a 23-digit id, year 1 — answers with a page, a message, a redirect or a 400/404, never a 500.

The pages and their URL values come from the URL walker (tests/platform/test_url_scoping.py): objects of
centre B, opened by the provincial official of its province and by an administrator (who sees every unit, so
every filter's choices are offered).
"""

from __future__ import annotations

import contextlib

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from courses.figures import figures_rebuild
from tests.factories import UserFactory
from tests.platform.test_url_scoping import checked_routes, walk
from tests.platform.url_objects import Filler

# Every query parameter a page, an export or a report reads: the vocabulary, listed once. A new parameter goes
# here (and in docs/architecture.md).
PARAMS = [
    "q", "huyen", "xa", "loai_xa", "tinh_trang", "thu_vien", "xep_loai", "trung_tam", "lop", "don_vi", "tinh",
    "nam", "tu_nam", "den_nam", "nam_goc", "so_voi", "nhom", "loai", "trang_thai", "doi_tuong", "nguoi",
    "ngay", "tu_ngay", "den_ngay", "thang", "trang", "tat_ca", "dien_thoai", "next", "vai_tro", "chu_de",
]  # fmt: skip
# Values that broke pages before (issue 14, item 7) and their neighbours, tried on every parameter.
NASTY = [
    "2026-02-31", "9999-12", "0000-00", "2026-13", "2026-00", "0001-01-01", "9999-12-31", "12345678901234567890123",
    "-12345678901234567890123", "99999999999999999999", "9223372036854775808", "-1", "0", "1e3", "abc", "",
    "<script>", "Nguyễn", "1,5", "²", "\x00", "%00", "x" * 300,
]  # fmt: skip
# The few that each break a different parser (an impossible date, a year-1 date, an id beyond 64 bits, a digit
# that int() refuses), tried on each parameter a page reads by itself.
EACH = ["2026-02-31", "0001-01-01", "1" * 23, "²"]
# Every parameter at once: these (the whole NASTY list on every route made the suite too slow for CI).
AT_ONCE = ["9999-12", "-12345678901234567890123", "\x00", "x" * 300, "<script>", ""]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.dates().map(str),
    st.text(max_size=20),
)


def get_routes():
    return checked_routes(walk())


def _url(route, world):
    filler = Filler(world, route.app, route_name=route.name)
    if any(filler.entry(k) is None for k in route.keywords):
        pytest.skip("not registered (the URL walker fails for it)")
    return reverse(route.name, kwargs=filler.kwargs(route.keywords))


@contextlib.contextmanager
def keys_read():
    """The query parameters a request reads by name (request.GET and the copies filters make of it)."""
    names: set[str] = set()
    originals = {name: getattr(MultiValueDict, name) for name in ("__getitem__", "get", "getlist", "__contains__")}

    def recording(original):
        def method(self, key, *args, **kwargs):
            # (a template's {{ request.GET.urlencode }} tries the key "urlencode" first: not a parameter)
            if isinstance(self, QueryDict) and isinstance(key, str) and not hasattr(QueryDict, key):
                names.add(key)
            return original(self, key, *args, **kwargs)

        return method

    for name, original in originals.items():
        setattr(MultiValueDict, name, recording(original))
    try:
        yield names
    finally:
        for name, original in originals.items():
            setattr(MultiValueDict, name, original)


@pytest.mark.parametrize("route", get_routes(), ids=lambda r: r.name)
def test_no_query_parameter_breaks_a_page(route, world):
    url = _url(route, world)
    figures_rebuild()
    admin = UserFactory(username="admin_fuzz", role=User.Role.ADMIN)
    clients = {}
    for user in (world.official, admin):
        clients[user.username] = Client(raise_request_exception=False)
        clients[user.username].force_login(user)
    with keys_read() as read:
        first = clients["admin_fuzz"].get(url, dict.fromkeys(PARAMS, "1"))
    if first.status_code == 405:
        pytest.skip("takes no GET")
    read -= {"csrfmiddlewaretoken"}
    unknown = read - set(PARAMS)
    assert not unknown, f"{route.name} reads {sorted(unknown)}: add them to PARAMS (and to docs/architecture.md)"
    # Each nasty value in each parameter the page reads, alone (another's refusal must not hide it); then in
    # every parameter at once (reads the recorder cannot see: a dict made of the query); then mixtures.
    # (One parameter alone as the administrator, who is offered every choice; all at once as both.)
    # On PostgreSQL (CI's second run, where time is short) the values that reach SQL, each alone and all at once as
    # the administrator; the users' mixtures and the fuzzing exercise the pages' Python, the same on both databases,
    # and run on SQLite.
    postgres = connection.vendor == "postgresql"
    tried = [("admin_fuzz", {name: value}) for name in sorted(read) for value in EACH]
    tried += [
        (user, dict.fromkeys(PARAMS, value))
        for value in AT_ONCE
        for user in clients
        if not postgres or user == "admin_fuzz"
    ]
    broken = [
        f"GET {url}?{params if len(params) == 1 else '…=' + repr(next(iter(params.values())))} as {user} "
        f"→ {response.status_code}"
        for user, params in tried
        for response in [clients[user].get(url, params)]
        if response.status_code >= 500
    ]
    assert not broken, "\n".join(broken)

    @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.dictionaries(st.sampled_from(sorted(read) or PARAMS), VALUES, max_size=6))
    def fuzz(params):
        for client in clients.values():
            response = client.get(url, params)
            assert response.status_code < 500, f"GET {url} {params!r} → {response.status_code}"

    if not postgres:
        fuzz()


# --- The hand-edited URLs of the issue, each answered with a message, a 404 or the page without the value ------


def test_an_impossible_date_on_the_centre_page_shows_today_with_a_message(world, client_for):
    response = client_for(world.official).get(
        reverse("centres:detail", args=[world.centre_a.pk]), {"ngay": "2026-02-31"}
    )
    assert response.status_code == 200
    assert "Ngày “2026-02-31” không hợp lệ" in response.content.decode()


def test_a_month_beyond_the_calendar_on_the_month_grid_is_a_404(world, client_for):
    from tests.courses.factories import CourseFactory

    course = CourseFactory(centre=world.centre_a)
    for month in ("9999-12", "2026-13", "0000-01"):
        assert (
            client_for(world.official).get(reverse("courses:month", args=[course.pk]), {"thang": month}).status_code
            == 404
        )


@pytest.mark.parametrize("name", ["nam", "trung_tam"])
@pytest.mark.parametrize("page", ["courses:list", "reports:dashboard", "evaluations:home", "centres:list"])
def test_a_23_digit_year_or_centre_is_no_500(world, client_for, page, name):
    response = client_for(world.official).get(reverse(page), {name: "1" * 23})
    assert response.status_code in (200, 404)


def test_year_one_on_the_audit_trail_is_a_message_on_its_filter(world, client_for):
    response = client_for(world.official).get(reverse("reports:audit"), {"tu_ngay": "0001-01-01"})
    assert response.status_code == 200
    assert "Ngày phải trong khoảng 01/01/1900–31/12/2200." in response.content.decode()


def test_a_huge_office_on_the_assignment_page_shows_every_centre(world, client_for):
    response = client_for(world.official).get(reverse("evaluations:assign_offices"), {"don_vi": "9" * 23})
    assert response.status_code == 200
    assert {world.centre_a, world.centre_b} <= set(response.context["centres"])


def test_text_for_the_province_of_the_report_settings_shows_the_users_own(world, client_for):
    response = client_for(world.official).get(reverse("reports:settings"), {"tinh": "abc"})
    assert response.status_code == 200 and response.context["province"] == world.province
