from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from units.models import Commune

DATA = Path(__file__).resolve().parents[2] / "units" / "data"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin1", role=User.Role.ADMIN)


def upload(client, name="gso_legacy_thai_binh.csv", content=None):
    content = content if content is not None else (DATA / name).read_bytes()
    return client.post(reverse("units:import"), {"file": SimpleUploadedFile(name, content)})


def test_administrator_sees_a_preview_and_nothing_is_written_until_confirmed(client_for, admin_user):
    client = client_for(admin_user)
    response = upload(client)
    assert response.status_code == 200
    assert "Xem trước" in response.content.decode()
    assert response.context["preview"]["communes"] == {"total": 242, "new": 242, "renamed": 0}
    assert not Commune.objects.exists()

    response = client.post(reverse("units:import_confirm"), follow=True)
    assert "Đã nhập danh mục: 1 tỉnh, 8 huyện, 242 xã" in response.content.decode()
    assert Commune.objects.count() == 242


def test_a_broken_upload_names_the_problem_and_writes_nothing(client_for, admin_user):
    response = upload(client_for(admin_user), name="x.csv", content=b"Tinh,Ma\r\n1,2\r\n")
    assert "Dòng tiêu đề không đúng mẫu" in response.content.decode()
    assert not Commune.objects.exists()


def test_confirm_without_a_staged_file_says_so(client_for, admin_user):
    response = client_for(admin_user).post(reverse("units:import_confirm"), follow=True)
    assert "Không còn tệp chờ nhập" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff_a", "reviewer_x", "official"])
def test_only_administrators_may_import(client_for, world, persona):
    client = client_for(getattr(world, persona))
    assert client.get(reverse("units:import")).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(reverse("units:import_confirm")).status_code == 403
    assert not Commune.objects.filter(code="12433").exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("units:import"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
