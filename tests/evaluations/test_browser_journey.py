"""The whole cycle in a browser with the three demo roles: demo_xa fills and submits, demo_huyen scores and
proposes, demo_tinh approves; demo_xa then sees a locked rating it can no longer edit."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


@pytest.fixture
def cycle_2025(demo_base):
    from accounts.models import User
    from evaluations import services

    staff = User.objects.get(username="demo_xa")
    services.rubric_create_default(province=staff.centre.commune.province, year=2025)
    return services.assessment_start(centre=staff.centre, year=2025, by=staff)


def fill_all_points(page, form_testid: str, value: str) -> None:
    # The click that led here may not have finished loading the page: wait for the form, or .all() would find
    # no field on the page being left and the save would go in empty.
    fields = page.get_by_test_id(form_testid).locator('input[type="number"]')
    expect(fields.first).to_be_visible()
    for field in fields.all():
        field.fill(value)


def test_whole_cycle_with_the_three_demo_roles(page, cycle_2025):
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before submit, propose, approve

    # 1. The centre fills its self-assessment and submits.
    browser_login(page, "demo_xa")
    page.get_by_role("link", name="Đánh giá xếp loại").first.click()
    page.get_by_test_id("staff-assessments").get_by_role("link", name="Tự đánh giá").click()
    fill_all_points(page, "self-form", "4")
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_role("alert").filter(has_text="Đã nộp tự đánh giá")).to_be_visible()
    expect(page.get_by_text("Đã nộp, chờ thẩm định").first).to_be_visible()
    page.context.clear_cookies()

    # 2. The district reviewer scores every criterion, sees the rating the thresholds give, and proposes it.
    browser_login(page, "demo_huyen")
    page.goto(page.base_url + "/danh-gia/?nam=2025")
    page.get_by_test_id("overview").get_by_role("link", name="Xã Bắc Đông Hưng").click()
    fill_all_points(page, "review-form", "5")  # 5 on each of 14 criteria, capped by the maxima: 70 → Khá
    page.get_by_role("button", name="Lưu điểm thẩm định").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu điểm thẩm định")).to_be_visible()
    expect(page.get_by_test_id("computed-rating")).to_contain_text("Khá")
    page.get_by_role("button", name="Đề xuất", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Đã đề xuất xếp loại")).to_be_visible()
    page.context.clear_cookies()

    # 3. The province approves every proposed centre of the office at once.
    browser_login(page, "demo_tinh")
    page.goto(page.base_url + "/danh-gia/?nam=2025")
    page.get_by_test_id("province-overview").get_by_role("link", name=re.compile("Đông Hưng")).click()
    page.get_by_role("button", name=re.compile("Phê duyệt tất cả 1 trung tâm")).click()
    expect(page.get_by_role("alert").filter(has_text="Đã phê duyệt và khóa 1 trung tâm")).to_be_visible()
    page.context.clear_cookies()

    # 4. The centre sees the locked rating and no form to change it.
    browser_login(page, "demo_xa")
    page.goto(page.base_url + f"/danh-gia/phieu/{cycle_2025.pk}/")
    expect(page.get_by_test_id("locked")).to_be_visible()
    expect(page.get_by_test_id("rating")).to_contain_text("Khá")
    expect(page.get_by_test_id("self-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
