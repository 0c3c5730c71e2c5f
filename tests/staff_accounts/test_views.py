"""The province keeps its own accounts (issue 16 item 7): officials create, change, deactivate and reactivate
their province's staff and reviewer accounts, one by one or from a spreadsheet, and hand out first-time
passwords that must be changed at first login. Another province's account is a 404."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from staff_accounts.models import AccountChange
from tests.factories import CentreFactory, CommuneFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"staff_accounts:{name}", args=args)


def staff_post(world, **extra):
    return {
        "username": "lan.dongphuong",
        "last_name": "Nguyễn Thị",
        "first_name": "Lan",
        "role": "centre_staff",
        "centre": world.centre_a.pk,
        "office": "",
        "position": "Phó Giám đốc",
        "phone": "0912345678",
        "email": "",
        **extra,
    }


def password_on(response) -> str:
    body = response.content.decode()
    start = body.index('data-testid="password">') + len('data-testid="password">')
    return body[start : body.index("</code>", start)]


def test_official_creates_a_staff_account_with_a_first_time_password(world, client_for, client):
    response = client_for(world.official).post(url("create"), staff_post(world))
    assert response.status_code == 200
    account = User.objects.get(username="lan.dongphuong")
    assert (account.role, account.centre, account.must_change_password) == ("centre_staff", world.centre_a, True)
    password = password_on(response)
    assert account.check_password(password) and len(password) >= 10
    change = AccountChange.objects.get(account=account)
    assert (change.action, change.by, change.province) == ("tao", world.official, world.province)
    assert change.changes["Trung tâm"] == ["", str(world.centre_a)]


def test_first_login_must_change_the_password_before_anything_else(world, client):
    account = UserFactory(username="moi", role=User.Role.CENTRE_STAFF, centre=world.centre_a)
    account.set_password("Cap-lan-dau-2026")
    account.must_change_password = True
    account.save()
    response = client.post(reverse("accounts:login"), {"username": "moi", "password": "Cap-lan-dau-2026"})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert 'data-testid="first-password"' in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Cap-lan-dau-2026", "new_password1": "Rieng-cua-toi-77", "new_password2": "Rieng-cua-toi-77"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_a_centre_or_office_of_another_province_cannot_be_given(world, client_for):
    elsewhere = CentreFactory(commune=CommuneFactory(province=world.other_province, code="12000"))
    office = OfficeFactory(province=world.other_province, district=None, kind="department", name="Sở GD&ĐT khác")
    client = client_for(world.official)
    response = client.post(url("create"), staff_post(world, centre=elsewhere.pk))
    assert response.status_code == 200 and "centre" in response.context["form"].errors
    response = client.post(url("create"), staff_post(world, role="reviewer", centre="", office=office.pk))
    assert response.status_code == 200
    assert not User.objects.filter(username="lan.dongphuong").exists()
    assert not AccountChange.objects.exists()


def test_a_taken_username_and_a_missing_centre_are_refused_in_vietnamese(world, client_for):
    client = client_for(world.official)
    body = client.post(url("create"), staff_post(world, username="STAFF_A")).content.decode()
    assert "Tên đăng nhập «STAFF_A» đã được dùng." in body
    body = client.post(url("create"), staff_post(world, centre="")).content.decode()
    assert "Chọn trung tâm của cán bộ." in body
    assert User.objects.count() == 7  # the world's own


def test_official_changes_deactivates_reactivates_and_gives_a_new_password(world, client_for, client):
    official = client_for(world.official)
    response = official.post(
        url("edit", world.staff_a.pk), staff_post(world, username="ignored", last_name="Trần Văn", first_name="Bình")
    )
    assert response.status_code == 302
    world.staff_a.refresh_from_db()
    assert (world.staff_a.username, world.staff_a.get_full_name()) == ("staff_a", "Trần Văn Bình")
    official.post(url("deactivate", world.staff_a.pk))
    world.staff_a.refresh_from_db()
    assert not world.staff_a.is_active
    official.post(url("reactivate", world.staff_a.pk))
    response = official.post(url("password", world.staff_a.pk))
    world.staff_a.refresh_from_db()
    assert world.staff_a.is_active and world.staff_a.must_change_password
    assert world.staff_a.check_password(password_on(response))
    actions = list(
        AccountChange.objects.filter(account=world.staff_a).order_by("at", "id").values_list("action", flat=True)
    )
    assert actions == ["sua", "khoa", "mo", "mat-khau"]
    change = AccountChange.objects.get(account=world.staff_a, action="sua")
    assert change.changes["Tên"] == ["Văn A", "Bình"] and change.changes["Họ"] == ["Nguyễn", "Trần Văn"]


def test_a_deactivated_account_cannot_sign_in(world, client_for, client):
    world.staff_b.set_password("Mat-khau-cu-2026")
    world.staff_b.save()
    client_for(world.official).post(url("deactivate", world.staff_b.pk))
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "staff_b", "password": "Mat-khau-cu-2026"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["edit", "deactivate", "reactivate", "password"])
def test_another_provinces_official_gets_404(world, client_for, name):
    client = client_for(world.other_official)
    method = client.get if name == "edit" else client.post
    assert method(url(name, world.staff_a.pk)).status_code == 404
    world.staff_a.refresh_from_db()
    assert world.staff_a.is_active and not world.staff_a.must_change_password


def test_officials_and_admins_are_not_managed_here(world, client_for):
    client = client_for(world.official)
    assert client.get(url("edit", world.other_official.pk)).status_code == 404
    assert client.get(url("edit", world.official.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["staff_a", "reviewer_x"])
def test_staff_and_reviewers_are_refused(world, client_for, persona):
    client = client_for(getattr(world, persona))
    for name in ("list", "create", "import"):
        assert client.get(url(name)).status_code == 403
    # An account's own pages: not found, as another unit's object is.
    assert client.post(url("password", world.staff_b.pk)).status_code == 404
    assert client.get(url("edit", world.staff_b.pk)).status_code == 404


def test_the_list_shows_the_provinces_accounts_only(world, client_for):
    body = client_for(world.official).get(url("list")).content.decode()
    for username in ("staff_a", "staff_b", "reviewer_x", "reviewer_y"):
        assert f'data-key="{username}"' in body
    assert 'data-key="other_official"' not in body and 'data-key="official"' not in body
    body = client_for(world.other_official).get(url("list")).content.decode()
    assert 'data-key="staff_a"' not in body


@pytest.mark.parametrize("n", [2, 12])
def test_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    for i in range(n):
        UserFactory(username=f"extra{i}", role=User.Role.CENTRE_STAFF, centre=world.centre_a)
    client = client_for(world.official)
    # 1 session, 2 user with their province (menu in base.html: accounts/backends.py), 3 the province ids
    # (merged provinces), 4 count, 5 the page's accounts with their centre and office
    with django_assert_num_queries(5):
        response = client.get(url("list"))
    assert len(response.context["page"].object_list) == n + 4


# --- Bulk import ----------------------------------------------------------------------------------------

HEADER = ["Tên đăng nhập", "Họ và tên đệm", "Tên", "Vai trò", "Mã xã", "Đơn vị đánh giá", "Chức vụ"]


def csv_file(rows, name="tai-khoan.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def good_rows(world):
    return [
        ["hoa.dp", "Lê Thị", "Hoa", "Cán bộ TTHTCĐ", "12694", "", "Ủy viên"],
        ["nam.tt", "Phạm Văn", "Nam", "cán bộ trung tâm", "12757", "", ""],
        ["minh.pgd", "Trần Văn", "Minh", "Chuyên viên đánh giá", "", world.office_x.name, "Chuyên viên"],
        ["staff_a", "Nguyễn Văn", "A", "Cán bộ TTHTCĐ", "12694", "", ""],  # already there: left alone
    ]


def test_import_previews_then_creates_once_with_a_printable_password_list(world, client_for):
    client = client_for(world.official)
    response = client.post(url("import"), {"file": csv_file(good_rows(world))})
    body = response.content.decode()
    assert 'data-testid="import-confirm"' in body and "Đã có" in body
    assert not User.objects.filter(username="hoa.dp").exists()  # the preview writes nothing
    response = client.post(url("import_confirm"))
    body = response.content.decode()
    assert body.count('data-testid="password"') == 3
    created = User.objects.filter(username__in=["hoa.dp", "nam.tt", "minh.pgd"])
    assert created.count() == 3 and all(u.must_change_password for u in created)
    assert User.objects.get(username="minh.pgd").office == world.office_x
    assert User.objects.get(username="nam.tt").centre == world.centre_b
    # The same file again creates nothing.
    body = client.post(url("import"), {"file": csv_file(good_rows(world))}).content.decode()
    assert 'data-testid="import-nothing"' in body and 'data-testid="import-confirm"' not in body
    assert client.post(url("import_confirm")).status_code == 302
    assert User.objects.count() == 7 + 3
    assert AccountChange.objects.filter(action="tao").count() == 3


def test_import_names_each_bad_row_and_creates_nothing(world, client_for):
    client = client_for(world.official)
    elsewhere = CentreFactory(commune=CommuneFactory(province=world.other_province, code="12001"))
    rows = [
        ["hoa.dp", "Lê Thị", "Hoa", "Cán bộ TTHTCĐ", "12694", "", ""],
        ["x1", "Lê", "X", "giáo viên", "12694", "", ""],
        ["x2", "Lê", "Y", "Cán bộ TTHTCĐ", elsewhere.commune.code, "", ""],
        ["hoa.dp", "Lê", "Z", "Cán bộ TTHTCĐ", "12694", "", ""],
        ["other_official", "Lê", "W", "Chuyên viên đánh giá", "", world.office_x.name, ""],
    ]
    body = client.post(url("import"), {"file": csv_file(rows)}).content.decode()
    assert "Dòng 3: vai trò «giáo viên» không rõ" in body
    assert "Dòng 4: không có trung tâm đang hoạt động của xã mã «12001» trong tỉnh." in body
    assert "Dòng 5: tên đăng nhập trùng với dòng 2." in body
    assert "Dòng 6: tên đăng nhập «other_official» đã được dùng." in body
    assert 'data-testid="import-confirm"' not in body
    assert client.post(url("import_confirm")).status_code == 302
    assert not User.objects.filter(username__in=["hoa.dp", "x1", "x2"]).exists()


def test_import_template_is_a_spreadsheet_with_the_columns(world, client_for):
    from openpyxl import load_workbook

    response = client_for(world.official).get(url("import_template"))
    book = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in next(book.active.iter_rows(max_row=1))]
    assert header[:4] == ["Tên đăng nhập", "Họ và tên đệm", "Tên", "Vai trò"]


def test_account_changes_are_in_the_audit_trail_of_their_province_only(world, client_for):
    client_for(world.official).post(url("create"), staff_post(world))
    body = client_for(world.official).get(reverse("reports:audit") + "?doi_tuong=tai-khoan").content.decode()
    assert "Tạo tài khoản" in body and "lan.dongphuong" in body
    body = client_for(world.other_official).get(reverse("reports:audit") + "?doi_tuong=tai-khoan").content.decode()
    assert "lan.dongphuong" not in body
