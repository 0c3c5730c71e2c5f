"""The province runs a training course end to end in a browser: creates it, invites a centre, records who
attended, and sees that they no longer appear among those never trained."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_the_province_runs_a_training_course_end_to_end(page, demo_base):
    from accounts.models import User
    from centres.models import BoardMember

    centre = User.objects.get(username="demo_xa").centre
    director = BoardMember.objects.filter(centre=centre).on_date(timezone.localdate()).order_by("position").first()
    today = timezone.localdate().isoformat()

    browser_login(page, "demo_tinh")
    page.get_by_role("link", name="Tập huấn").first.click()
    page.get_by_role("link", name="Người chưa tập huấn").click()
    page.get_by_label("Trung tâm").select_option(label=centre.commune.name)
    expect(page.get_by_test_id("untrained-table")).to_contain_text(director.full_name)

    page.get_by_role("link", name="Tập huấn").first.click()
    page.get_by_role("link", name="Thêm lớp tập huấn").click()
    page.get_by_label("Tên lớp tập huấn").fill("Tập huấn kỹ năng tự đánh giá TTHTCĐ")
    page.get_by_label("Nội dung, chủ đề").fill("Bộ tiêu chí đánh giá xếp loại năm nay")
    page.get_by_label("Đơn vị tổ chức").select_option(label="Sở GD&ĐT")
    page.get_by_label("Địa điểm").fill("Hội trường Sở GD&ĐT")
    page.get_by_label("Ngày bắt đầu").fill(today)
    page.get_by_label("Ngày kết thúc").fill(today)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").filter(has_text="Đã tạo lớp tập huấn")).to_be_visible()

    page.get_by_test_id("invite-centres").get_by_label(centre.commune.name, exact=False).first.check()
    page.get_by_role("button", name="Mời").click()
    expect(page.get_by_role("alert").filter(has_text="Đã mời thêm 1 trung tâm")).to_be_visible()

    page.get_by_test_id("invitation-table").get_by_role("link", name="Ghi người dự").click()
    page.get_by_test_id("attendance-people").get_by_label(director.full_name, exact=False).check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").filter(has_text="Đã ghi 1 người")).to_be_visible()
    expect(page.get_by_test_id("attendance-table")).to_contain_text(director.full_name)

    page.get_by_role("link", name="Tập huấn").first.click()
    page.get_by_role("link", name="Người chưa tập huấn").click()
    page.get_by_label("Trung tâm").select_option(label=centre.commune.name)
    expect(page.get_by_test_id("untrained-table")).not_to_contain_text(director.full_name)
