import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_login_page_is_in_vietnamese(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="vi"' in html
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html


def test_a_user_logs_in_and_reaches_home(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "staff_a", "password": "tthtcd-demo-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Xin chào" in response.content.decode()


def test_a_wrong_password_says_so_in_vietnamese(client, world):
    response = client.post(reverse("accounts:login"), {"username": "staff_a", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_logout_needs_a_post(client_for, world):
    client = client_for(world.staff_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_change_keeps_the_user_logged_in(client_for, world):
    client = client_for(world.staff_a)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "tthtcd-demo-2026",
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu" in response.content.decode()
    world.staff_a.refresh_from_db()
    assert world.staff_a.check_password("Mot-mat-khau-moi-2026")


def test_a_weak_new_password_is_refused_in_vietnamese(client_for, world):
    response = client_for(world.staff_a).post(
        reverse("accounts:password_change"),
        {"old_password": "tthtcd-demo-2026", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "Mật khẩu" in response.content.decode()
    world.staff_a.refresh_from_db()
    assert world.staff_a.check_password("tthtcd-demo-2026")


def test_the_database_refuses_a_role_without_its_unit(world):
    with pytest.raises(IntegrityError):
        UserFactory(role=User.Role.CENTRE_STAFF, centre=None)


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator():
    user = User.objects.create_superuser("root", "root@example.org", "x-very-long-password")
    assert user.role == User.Role.ADMIN


def test_admin_site_is_for_administrators_only(client_for, world):
    world.official.is_staff = True
    world.official.save(update_fields=["is_staff"])
    response = client_for(world.official).get(reverse("admin:index"))
    assert response.status_code == 302  # sent to the admin login, not let in


@pytest.mark.django_db
def test_pages_not_found_are_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_session_signed_in_before_the_portal_backend_stays_signed_in(client, world):
    """Sessions made before accounts.backends.PortalBackend name Django's ModelBackend: after the upgrade the
    user is still signed in (settings keep that backend last), and a new login is made by PortalBackend."""
    client.force_login(world.staff_a, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "staff_a", "password": "tthtcd-demo-2026"})
    assert client.session["_auth_user_backend"] == "accounts.backends.PortalBackend"
