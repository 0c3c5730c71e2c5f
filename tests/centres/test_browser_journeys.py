import re

import pytest
from playwright.sync_api import expect

from centres.models import BoardMember, Centre
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_demo_xa_adds_a_board_member_and_sees_it_in_the_board_and_its_history(page, demo_base):
    browser_login(page, "demo_xa")
    page.get_by_role("link", name="Trung tâm của tôi").first.click()
    expect(page.get_by_role("heading", name="Trung tâm học tập cộng đồng xã Bắc Đông Hưng")).to_be_visible()
    page.get_by_test_id("board-add").click()
    page.get_by_label("Họ và tên").fill("Lương Thị Hạnh")
    page.get_by_label("Giới tính").select_option(label="Nữ")
    page.get_by_label("Chức danh trong Ban Giám đốc").select_option(label="Ủy viên")
    page.get_by_label("Chức vụ chính").fill("Chủ tịch Hội Liên hiệp Phụ nữ xã")
    page.get_by_label("Bắt đầu nhiệm kỳ").fill("2026-01-05")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_text("Đã thêm Lương Thị Hạnh vào Ban Giám đốc.")).to_be_visible()
    expect(page.get_by_test_id("board").get_by_role("cell", name="Lương Thị Hạnh")).to_be_visible()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Ban Giám đốc: Lương Thị Hạnh")
    expect(history).to_contain_text("Phạm Thị Mai")  # who made the change
    member = BoardMember.objects.get(full_name="Lương Thị Hạnh")
    assert member.centre.commune.code == "12694"

    # A second Giám đốc is refused with a Vietnamese message and nothing is saved.
    page.get_by_test_id("board-add").click()
    page.get_by_label("Họ và tên").fill("Đinh Văn Phong")
    page.get_by_label("Giới tính").select_option(label="Nam")
    page.get_by_label("Chức danh trong Ban Giám đốc").select_option(label="Giám đốc")
    page.get_by_label("Bắt đầu nhiệm kỳ").fill("2026-01-05")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(re.compile("Mỗi thời điểm chỉ có một Giám đốc"))).to_be_visible()
    assert not BoardMember.objects.filter(full_name="Đinh Văn Phong").exists()


def test_demo_huyen_views_a_centre_but_cannot_edit_it(page, demo_base):
    browser_login(page, "demo_huyen")
    page.get_by_role("link", name="Trung tâm", exact=True).click()
    page.get_by_label("Tìm theo tên hoặc mã xã").fill("12694")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name="Trung tâm học tập cộng đồng xã Bắc Đông Hưng").click()
    expect(page.get_by_test_id("board")).to_contain_text("Giám đốc")
    expect(page.get_by_test_id("edit-centre")).to_have_count(0)
    expect(page.get_by_test_id("board-add")).to_have_count(0)
    expect(page.get_by_role("link", name="Sửa")).to_have_count(0)

    centre = Centre.objects.get(commune__code="12694", status="active")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{page.base_url}/trung-tam/{centre.pk}/sua/",
        form={"name": "Đổi tên", "csrfmiddlewaretoken": token},
        headers={"Referer": page.url, "X-CSRFToken": token},
    )
    assert response.status == 403
    assert "Bạn chỉ được xem, không được sửa" in response.text()
    centre.refresh_from_db()
    assert centre.name == "Trung tâm học tập cộng đồng xã Bắc Đông Hưng"
