"""Authentication and the security headers (issue 9, item 1): lockout, sessions, cookies, CSP, frames, CSRF."""

import re
import textwrap
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.portal.test_settings import PRODUCTION_ENV, manage

LOGIN = "/tai-khoan/dang-nhap/"
PASSWORD = "tthtcd-demo-2026"


def attempt(client, username, password="sai-mat-khau", address="10.0.0.1", **extra):
    # A real POST to the login page: django-axes needs the request (client.login() would bypass it).
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


# --- Lockout (django-axes) ------------------------------------------------------------------------


def test_five_failures_lock_the_account_from_that_address_with_a_vietnamese_page(client, world):
    for _ in range(4):
        assert attempt(client, "staff_a").status_code == 200  # the form again, with its error
    locked = attempt(client, "staff_a")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Tài khoản tạm bị khóa đăng nhập" in html and "thử lại sau 1 giờ" in html
    # Even the right password is refused now, and no session is opened.
    assert attempt(client, "staff_a", PASSWORD).status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_the_lockout_is_per_account_and_address(client, world):
    for _ in range(5):
        attempt(client, "staff_a", address="10.0.0.1")
    # The same account from another address, and another account from the same address, still log in.
    assert attempt(Client(), "staff_a", PASSWORD, address="10.0.0.2").status_code == 302
    assert attempt(Client(), "staff_b", PASSWORD, address="10.0.0.1").status_code == 302


def test_four_failures_then_success_resets_the_count(client, world):
    for _ in range(4):
        attempt(client, "staff_a")
    assert attempt(client, "staff_a", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        attempt(client, "staff_a")
    assert attempt(client, "staff_a", PASSWORD).status_code == 302


def test_behind_nginx_the_address_is_x_real_ip(client, world, settings):
    settings.TRUST_X_REAL_IP = True
    for _ in range(5):
        attempt(client, "staff_a", address="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert attempt(Client(), "staff_a", PASSWORD, address="127.0.0.1", HTTP_X_REAL_IP="203.0.113.8").status_code == 302
    assert attempt(Client(), "staff_a", PASSWORD, address="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7").status_code == 429


def test_without_a_proxy_a_forged_x_real_ip_does_not_escape_the_lockout(client, world):
    for _ in range(5):
        attempt(client, "staff_a", address="10.0.0.1", HTTP_X_REAL_IP="203.0.113.1")
    assert attempt(Client(), "staff_a", PASSWORD, address="10.0.0.1", HTTP_X_REAL_IP="203.0.113.2").status_code == 429


# --- Sessions -------------------------------------------------------------------------------------


def test_sessions_end_with_the_browser_and_after_eight_hours(client, world, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    response = attempt(client, "staff_a", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    session = Session.objects.get(session_key=cookie.value)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 8 * 3600 - 60 < remaining <= 8 * 3600


def test_an_expired_session_is_sent_back_to_login(client, world):
    response = attempt(client, "staff_a", PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    key = response.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and LOGIN in response["Location"]


# --- Production: secure cookies, HSTS, HTTPS (a subprocess with the production environment) ---------

PRODUCTION_PROBE = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    # The page's static links need no manifest for this probe (collectstatic is make serve's business).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    client = Client(SERVER_NAME="tthtcd.example.gov.vn")
    plain = client.get("/tai-khoan/dang-nhap/")
    secure = client.get("/tai-khoan/dang-nhap/", HTTP_X_FORWARDED_PROTO="https")
    csrf = secure.cookies.get("csrftoken")
    language = client.post("/ngon-ngu/", {"language": "en", "next": "/"}, HTTP_X_FORWARDED_PROTO="https")
    language_cookie = language.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    print(json.dumps({
        "language_status": language.status_code,
        "language_secure": bool(language_cookie and language_cookie["secure"]),
        "language_samesite": language_cookie["samesite"] if language_cookie else "",
        "language_httponly": bool(language_cookie and language_cookie["httponly"]),
        "session_secure": settings.SESSION_COOKIE_SECURE,
        "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
        "plain_status": plain.status_code,
        "plain_location": plain.get("Location", ""),
        "secure_status": secure.status_code,
        "hsts": secure.get("Strict-Transport-Security", ""),
        "csrf_secure": bool(csrf and csrf["secure"]),
        "csrf_httponly": bool(csrf and csrf["httponly"]),
    }))
    """
)


@pytest.mark.django_db
def test_production_cookies_are_secure_and_httponly_with_hsts_and_https_redirect(tmp_path):
    """Session, CSRF and language cookies; HSTS; plain http redirected to https."""
    import json

    # The login page needs no table, so an empty SQLite file is enough for the production process.
    env = PRODUCTION_ENV | {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = manage("shell", "-c", PRODUCTION_PROBE, env=env)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["session_secure"] and seen["session_httponly"]
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://")
    assert seen["secure_status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["csrf_secure"] and seen["csrf_httponly"]
    # The language cookie too (issue 14, item 9): Secure, SameSite=Lax, not readable by scripts.
    assert seen["language_status"] == 302
    assert seen["language_secure"] and seen["language_httponly"] and seen["language_samesite"] == "Lax"


# --- Headers on every page ------------------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(("path", "logged_in"), [(LOGIN, False), ("/", True)])
def test_content_security_policy_forbids_inline_script_and_framing(client, world, path, logged_in):
    if logged_in:
        client.force_login(world.staff_a)
    response = client.get(path)
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


ROOT = Path(__file__).resolve().parents[2]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script> (put it in <app>/static/<app>/*.js)"),
    (re.compile(r"\sstyle\s*=", re.I), 'style="" attribute (use a CSS class)'),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on…= handler (attach it in a static .js file)"),
]


def test_no_template_carries_inline_script_style_or_handlers():
    """The CSP would silently break them in the browser; catch them here instead (house rule 6)."""
    offenders = []
    for template in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert not offenders, "\n".join(offenders)


# --- CSRF on every change -------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN, {"username": "staff_a", "password": PASSWORD}).status_code == 403
    client.force_login(world.staff_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2026", "new_password2": "Mot-mat-khau-moi-2026"},
    )
    assert response.status_code == 403
    world.staff_a.refresh_from_db()
    assert world.staff_a.check_password(PASSWORD)
    assert client.post(reverse("accounts:logout")).status_code == 403


def test_a_post_with_the_token_from_the_form_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get(LOGIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(LOGIN, {"username": "staff_a", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
