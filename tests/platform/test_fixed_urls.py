"""URLs resolved once per process (tthtcd_portal/fixed_urls.py): the same as reverse() and static(), under any
script prefix, and a name that does not resolve stays an error in base.html's tag."""

import pytest
from django.template import Context, Template
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse, set_script_prefix

from tthtcd_portal.fixed_urls import fixed_static, fixed_url


def test_a_kept_url_is_the_reversed_one_and_follows_the_script_prefix():
    assert fixed_url("home") == reverse("home")
    assert fixed_url("accounts:logout") == reverse("accounts:logout")
    try:
        set_script_prefix("/tthtcd/")
        assert fixed_url("accounts:logout") == reverse("accounts:logout")
        assert fixed_url("accounts:logout").startswith("/tthtcd/")
    finally:
        set_script_prefix("/")
    assert fixed_url("accounts:logout") == reverse("accounts:logout")


def test_an_unknown_name_is_none_and_the_tag_raises():
    assert fixed_url("no-such-page") is None
    with pytest.raises(NoReverseMatch):
        Template("{% fixed_url_of 'no-such-page' %}").render(Context())


def test_a_kept_static_url_is_statics():
    assert fixed_static("css/portal.css") == static("css/portal.css")
    assert Template("{% fixed_static_of 'css/portal.css' %}").render(Context()) == static("css/portal.css")
