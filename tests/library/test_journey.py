"""One journey at phone width (360 px): demo_xa records last month's readers and loans, then a gift of equipment,
and finds the equipment among the centre's facilities. No page is wider than the phone."""

import pytest
from playwright.sync_api import expect

from centres.models import Equipment
from library.models import LibraryMonth
from resources.models import Contribution
from tests import clock
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_demo_xa_records_a_months_readers_and_a_contribution_on_a_phone(page, demo_base):
    page.set_viewport_size({"width": 360, "height": 780})
    browser_login(page, "demo_xa")
    last_month = clock.first_of_month(1)
    page.goto(page.base_url + f"/thu-vien/?nam={last_month.year}")
    expect(page.get_by_role("heading", name="Thư viện và đọc sách")).to_be_visible()
    _fits(page)
    page.get_by_label(f"Lượt bạn đọc {last_month:%m/%Y}").fill("240")
    page.get_by_label(f"Lượt mượn {last_month:%m/%Y}").fill("95")
    page.get_by_role("button", name="Lưu bạn đọc").click()
    expect(page.get_by_text("1 tháng mới")).to_be_visible()
    month = LibraryMonth.objects.get(year=last_month.year, month=last_month.month)
    assert (month.readers, month.loans) == (240, 95)

    page.goto(page.base_url + "/nguon-luc/")
    _fits(page)
    page.get_by_label("Ngày nhận").fill(clock.days_from_today(-1).isoformat())
    page.get_by_role("combobox", name="Nguồn").select_option(label="Doanh nghiệp")
    page.get_by_label("Hình thức").select_option(label="Thiết bị")
    page.get_by_label("Giá trị (đồng)").fill("15000000")
    page.get_by_label("Số lượng").fill("2")
    page.get_by_label("Nội dung").fill("Máy tính cho phòng đọc")
    page.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.get_by_text("Thiết bị đã được ghi vào cơ sở vật chất của trung tâm.")).to_be_visible()
    expect(page.get_by_test_id("contributions").get_by_text("15.000.000")).to_be_visible()
    _fits(page)
    gift = Contribution.objects.get(description="Máy tính cho phòng đọc")
    assert Equipment.objects.get(pk=gift.equipment_id).quantity == 2

    page.goto(page.base_url + f"/trung-tam/{gift.centre_id}/")
    expect(page.get_by_test_id("equipment").get_by_text("Máy tính cho phòng đọc (2)")).to_be_visible()
    expect(page.get_by_test_id("centre-library")).to_contain_text("240 lượt bạn đọc")
    _fits(page)
