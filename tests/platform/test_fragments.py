"""base.html's menu bar and footer kept per process (tthtcd_portal/fragments.py, portal/templatetags/chrome.py):
the bytes are the template's with the real values on the first page and on every page after it, and what differs
between requests, users and languages (the CSRF token, the path, the name, the active entry) is each page's own."""

import re

import pytest
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import escape

from tthtcd_portal.fragments import forget_fragments, kept_fragment

NAV_INPUTS = {
    "authenticated": True,
    "nav_items": (("Lớp học", "/lop-hoc/", True, None), ("Nhắc việc", "/nhac-viec/", False, 3)),
    "nav_more": (("Thư viện", "/thu-vien/", False), ("Học liệu", "/hoc-lieu/", False)),
    "more_active": False,
    "display_name": "Nguyễn Thị <Hoa>",
    "role": "Cán bộ trung tâm",
    "unit": "TTHTCĐ Xã Đông Phương",
    "is_admin": False,
}


@pytest.fixture(autouse=True)
def _cold():
    forget_fragments()
    yield
    forget_fragments()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_kept_fragment_is_the_template_with_each_requests_values(language):
    template = get_template("partials/footer.html")
    with translation.override(language):
        for token, path in [("tok1", "/lop-hoc/?q=<b>&trang=2"), ("tok2", '/tap-huan/?q="x"')]:
            per_request = {"csrf_token": token, "next_path": path, "user_pk": "17"}
            expected = template.render({"authenticated": True, **per_request})
            assert kept_fragment("partials/footer.html", {"authenticated": True}, per_request) == expected
        assert 'value="/tap-huan/?q=&quot;x&quot;"' in expected
        nav = get_template("partials/navbar.html").render({**NAV_INPUTS, "csrf_token": "tok3"})
        for _ in range(2):
            assert kept_fragment("partials/navbar.html", NAV_INPUTS, {"csrf_token": "tok3"}) == nav
        assert "Nguyễn Thị &lt;Hoa&gt;" in nav


def test_without_a_token_the_forms_carry_none_as_the_tag_does():
    html = kept_fragment("partials/footer.html", {"authenticated": False}, {"csrf_token": None, "next_path": "/"})
    assert "csrfmiddlewaretoken" not in html
    assert html == get_template("partials/footer.html").render({"authenticated": False, "next_path": "/"})


def _menu(html: str) -> str:
    return html[html.index("<nav class=") : html.index("</nav>")]


def test_each_user_page_and_language_gets_its_own_menu(world, client):
    client.force_login(world.staff_a)
    classes = client.get("/lop-hoc/").content.decode()
    again = client.get("/lop-hoc/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', again))
    assert len(tokens) == 1  # the user menu's and the footer's forms, this page's token
    assert re.sub(r'value="[^"]+"', "", _menu(classes)) == re.sub(r'value="[^"]+"', "", _menu(again))
    assert 'aria-current="page" href="/lop-hoc/"' in _menu(classes)
    assert escape(world.centre_a) in _menu(classes)
    assert 'name="next" type="hidden" value="/tap-huan/?q=a&amp;b"' in client.get("/tap-huan/?q=a&b").content.decode()

    world.staff_a.first_name, world.staff_a.last_name = "Hoa", "Nguyễn Thị"
    world.staff_a.save(update_fields=["first_name", "last_name"])
    assert "Nguyễn Thị Hoa" in _menu(client.get("/lop-hoc/").content.decode())

    client.force_login(world.reviewer_x)
    menu = _menu(client.get("/lop-hoc/").content.decode())
    assert escape(world.office_x) in menu and escape(world.centre_a) not in menu

    client.post("/ngon-ngu/", {"language": "en", "next": "/lop-hoc/"})
    english = client.get("/lop-hoc/").content.decode()
    assert "Change password" in _menu(english) and "Đổi mật khẩu" not in _menu(english)
    assert '<option value="en" selected>' in english
