"""Hardening (issue 14, item 9): the password change is throttled like the login, production refuses a published
secret key, signed-in pages are never stored by a cache, and an oversized upload is refused from its
Content-Length before its body is read. (The language cookie's flags are in test_auth_security's production
probe.)"""

from __future__ import annotations

import io
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.platform.test_url_scoping import checked_routes, walk
from tests.platform.url_objects import Filler
from tests.portal.test_settings import manage
from tthtcd_portal.secret_key import published_in

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "tthtcd-demo-2026"
NEW_PASSWORD = "Mot-mat-khau-moi-2026"


# --- The current password is throttled like a login -----------------------------------------------------------


def change_password(client, old, address="10.0.0.1"):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=address,
    )


def test_five_wrong_current_passwords_lock_the_account_and_end_the_session(client, world):
    client.force_login(world.staff_a)
    for _ in range(4):
        response = change_password(client, "doan-mo-mat-khau")
        assert response.status_code == 200
        assert "Mật khẩu cũ không chính xác" in response.content.decode()
    locked = change_password(client, "doan-mo-mat-khau")
    assert locked.status_code == 429
    assert "Tài khoản tạm bị khóa đăng nhập" in locked.content.decode()
    # The session that could not prove it knows the password is over, and the password did not change.
    assert client.get(reverse("home")).status_code == 302
    world.staff_a.refresh_from_db()
    assert world.staff_a.check_password(PASSWORD)
    # The account is locked from that address for logins too, even with the right password.
    login = Client().post(
        reverse("accounts:login"), {"username": "staff_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert login.status_code == 429


def test_the_right_current_password_still_changes_it_after_a_few_mistakes(client, world):
    client.force_login(world.staff_a)
    for _ in range(3):
        change_password(client, "doan-mo-mat-khau")
    response = change_password(client, PASSWORD)
    assert response.status_code == 302
    world.staff_a.refresh_from_db()
    assert world.staff_a.check_password(NEW_PASSWORD)


# --- Production refuses any secret key that appears in the repository ----------------------------------------


def test_debug_off_refuses_a_key_copied_from_the_repository():
    # Any 20 consecutive characters of a tracked file make a key published: here a line of the README.
    line = next(line for line in (ROOT / "README.md").read_text().splitlines() if len(line) > 70)
    key = line[:40] + secrets.token_urlsafe(30)
    result = manage("check", env={"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": key, "DJANGO_ALLOWED_HOSTS": "x"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is published" in result.stderr and "README.md" in result.stderr


def test_the_development_key_is_published_and_a_random_key_is_not(settings):
    assert published_in(settings.DEV_SECRET_KEY, ROOT) == ROOT / "tthtcd_portal" / "settings.py"
    assert published_in(secrets.token_urlsafe(50), ROOT) is None


def test_without_git_the_scan_walks_the_tree_but_not_the_generated_key_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no git: the fallback walk
    key = secrets.token_urlsafe(50)
    (tmp_path / ".secret_key").write_text(key)
    (tmp_path / "notes.md").write_text("nothing here\n")
    assert published_in(key, tmp_path) is None
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "setup.md").write_text(f"DJANGO_SECRET_KEY={key[5:30]}\n")
    assert published_in(key, tmp_path) == tmp_path / "docs" / "setup.md"


def test_make_serve_makes_a_private_key_once_and_production_accepts_it(tmp_path):
    key_file = tmp_path / "secret_key"
    make = ["make", "-s", "-C", str(ROOT), "secret-key", f"SECRET_KEY_FILE={key_file}", f"PYTHON={sys.executable}"]
    subprocess.run(make, check=True, capture_output=True, timeout=60)
    key = key_file.read_text().strip()
    assert len(key) >= 50 and stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    subprocess.run(make, check=True, capture_output=True, timeout=60)
    assert key_file.read_text().strip() == key  # kept: sessions survive a restart of make serve
    assert ".secret_key" in (ROOT / ".gitignore").read_text().splitlines()  # never committed
    result = manage("check", env={"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": key, "DJANGO_ALLOWED_HOSTS": "x"})
    assert result.returncode == 0, result.stderr


# --- Signed-in pages are never stored -------------------------------------------------------------------------


def test_every_page_a_signed_in_user_opens_says_no_store(world):
    """Every GET page of the project (centre B's objects, opened by the official who sees them) and the
    exports: the answer tells every cache not to store it."""
    client = Client()
    client.force_login(world.official)
    seen = 0
    for route in checked_routes(walk()):
        filler = Filler(world, route.app, route_name=route.name)
        if any(filler.entry(k) is None for k in route.keywords):
            continue
        response = client.get(reverse(route.name, kwargs=filler.kwargs(route.keywords)))
        if response.status_code == 405:
            continue
        seen += 1
        assert "no-store" in response.get("Cache-Control", ""), (route.name, response.status_code)
        assert "private" in response["Cache-Control"]
    assert seen > 30


# --- An oversized body is refused from its Content-Length -----------------------------------------------------


class UnreadableBody(io.BytesIO):
    """A request body that records any attempt to read it."""

    def __init__(self) -> None:
        super().__init__(b"")
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        return super().read(*args)

    def readline(self, *args):
        self.reads += 1
        return super().readline(*args)


@pytest.mark.parametrize("url_name", ["courses:import", "units:import"])
def test_an_upload_above_the_limit_is_refused_before_its_body_is_read(world, settings, url_name):
    settings.MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    admin = world.official
    if url_name == "units:import":
        from accounts.models import User
        from tests.factories import UserFactory

        admin = UserFactory(username="admin", role=User.Role.ADMIN)
    client = Client()
    client.force_login(admin)
    body = UnreadableBody()
    declared = 12 * 1024 * 1024
    response = client.generic(
        "POST",
        reverse(url_name),
        **{
            "wsgi.input": body,
            "CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy",
            "CONTENT_LENGTH": str(declared),
            "HTTP_REFERER": "http://testserver/lop-hoc/nhap-excel/",
        },
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "Tệp quá lớn, chưa được tải lên" in html
    assert "khoảng 12,0 MB" in html and "đến 5,0 MB" in html  # sizes the Vietnamese way (issue 13.10)
    assert 'href="http://testserver/lop-hoc/nhap-excel/"' in html  # back to the form the user came from
    assert body.reads == 0
    assert "no-store" in response["Cache-Control"]


def test_a_form_body_above_the_form_limit_is_refused_too(world, settings, client_for):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = UnreadableBody()
    response = client_for(world.staff_a).generic(
        "POST",
        reverse("courses:learners"),
        **{"wsgi.input": body, "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": "4096"},
    )
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
    assert body.reads == 0


def test_an_upload_within_the_limit_reaches_the_form(world, settings, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_BYTES = 2000
    client = client_for(world.staff_a)
    small = SimpleUploadedFile("lop.csv", b"x" * 1500, content_type="text/csv")
    response = client.post(reverse("courses:import"), {"centre": world.centre_a.pk, "file": small})
    assert response.status_code == 200  # the import page with its own verdict on the file
    big = SimpleUploadedFile("lop.csv", b"x" * 2500, content_type="text/csv")
    response = client.post(reverse("courses:import"), {"centre": world.centre_a.pk, "file": big})
    # Within the multipart allowance, so the form's own check names the size (nothing staged either way).
    assert response.status_code == 200 and "Tệp quá lớn" in response.content.decode()
