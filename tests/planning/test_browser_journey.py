"""On a phone (360 px), a centre's staff member enters this year's plan line by line and then the needs survey's
tally, and sees both saved, no page wider than the screen."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_staff_enter_the_plan_and_the_needs_tally_on_a_phone(page, demo_base):
    page.set_viewport_size({"width": 360, "height": 780})
    year = timezone.localdate().year
    browser_login(page, "demo_xa")
    page.locator("#main").get_by_role("link", name="Nhu cầu, kế hoạch").click()  # the home page's menu
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kế hoạch hoạt động năm {year}")
    _fits(page)

    form = page.get_by_test_id("plan-line-form")
    form.get_by_label("Loại chương trình").select_option(label="Chuyên đề pháp luật – chính sách")
    form.get_by_label("Hình thức").select_option(label="Chuyên đề, nói chuyện")
    form.get_by_label("Tháng").select_option(label="Tháng 3")
    form.get_by_label("Số lớp, chuyên đề").fill("2")
    form.get_by_label("Lượt người học dự kiến").fill("300")
    form.get_by_role("button", name="Lưu dòng kế hoạch").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu dòng kế hoạch")).to_be_visible()
    expect(page.get_by_test_id("plan-lines")).to_contain_text("Chuyên đề pháp luật – chính sách")
    expect(page.get_by_test_id("plan-actual")).to_contain_text("300")
    _fits(page)

    page.get_by_role("link", name=f"Nhu cầu học tập năm {year}").click()
    page.get_by_label("Khuyến nông, khuyến lâm, khuyến ngư, khuyến công – Nông dân").fill("45")
    page.get_by_label("Tin học, ngoại ngữ – Thanh niên (16–30 tuổi)").fill("20")
    _fits(page)
    page.get_by_test_id("tally-save").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu kết quả khảo sát")).to_be_visible()
    expect(page.get_by_test_id("tally-grid").locator("tfoot")).to_contain_text("65")
    # No class yet this year: both kinds asked for are the gaps.
    expect(page.get_by_test_id("needs-gaps")).to_contain_text("Tin học, ngoại ngữ")
    _fits(page)
