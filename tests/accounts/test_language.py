"""Vietnamese unless the user chooses English (issue 13 item 10).

Before: a browser set to English (Accept-Language: en) got the English interface, the admin site and Django's
own messages in English, and a user's choice lived only in one browser's cookie."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tthtcd_portal.numbers import megabytes
from tthtcd_portal.spreadsheets import SpreadsheetError, check_upload

ENGLISH_BROWSER = {"accept-language": "en-US,en;q=0.9"}


def test_an_english_browser_gets_the_vietnamese_login_page():
    page = Client(headers=ENGLISH_BROWSER).get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi"' in page and "Đăng nhập" in page


def test_a_signed_in_user_with_an_english_browser_reads_vietnamese(world):
    client = Client(headers=ENGLISH_BROWSER)
    client.force_login(world.staff_a)
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="vi"' in page


def test_django_s_own_messages_and_the_admin_site_are_vietnamese(db):
    client = Client(headers=ENGLISH_BROWSER)
    page = client.post(reverse("accounts:login"), {"username": "", "password": ""}).content.decode()
    assert "Trường này là bắt buộc." in page and "This field is required." not in page
    admin = client.get(reverse("admin:login")).content.decode()
    assert '<html lang="vi"' in admin and "Log in" not in admin
    assert "/static/js/portal.js" in admin  # the admin's forms leave validation to the server too


def test_the_choice_of_english_is_kept_with_the_user_and_applied_at_the_next_login(world):
    client = Client()
    client.force_login(world.official)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    world.official.refresh_from_db()
    assert world.official.language == "en"
    # Another browser, no cookie, a Vietnamese Accept-Language: the user's choice wins once signed in.
    other = Client(headers={"accept-language": "vi"})
    other.force_login(world.official)
    assert '<html lang="en"' in other.get(reverse("home")).content.decode()
    # Back to Vietnamese.
    other.post(reverse("set_language"), {"language": "vi", "next": "/"})
    world.official.refresh_from_db()
    assert world.official.language == "vi"
    assert '<html lang="vi"' in other.get(reverse("home")).content.decode()


def test_a_choice_made_in_this_browser_serves_until_the_user_has_one_of_their_own(db):
    user = UserFactory(username="lan", role=User.Role.ADMIN, language="vi")
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get(reverse("accounts:login")).content.decode()
    client.force_login(user)
    assert '<html lang="vi"' in client.get(reverse("home")).content.decode()  # the user chose Vietnamese


def test_forms_leave_validation_to_the_server_so_bubbles_are_never_in_the_browser_s_language():
    script = (settings.BASE_DIR / "static" / "js" / "portal.js").read_text()
    assert "noValidate = true" in script


def test_sizes_read_the_vietnamese_way(settings):
    settings.MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    assert megabytes(20 * 1024 * 1024) == "20,0"
    big = SimpleUploadedFile("lop.xlsx", b"x" * (6 * 1024 * 1024 + 200_000))
    try:
        check_upload(big)
    except SpreadsheetError as exc:
        assert str(exc) == "Tệp quá lớn (6,2 MB); giới hạn là 5,0 MB."
    else:
        raise AssertionError("a file above the limit was accepted")
