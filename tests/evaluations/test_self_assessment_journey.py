"""The self-assessment on a phone (360 px), issue 13 item 7: demo_xa types points and sees the totals and the
rating move, uploads evidence without losing what was typed, is asked before submitting and told what comes
next; demo_huyen sees the centre's notes and evidence beside each criterion and returns the sheet."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(demo_base):
    from accounts.models import User
    from evaluations import services
    from evaluations.models import Assessment, Rubric
    from tests.evaluations.factories import last_year

    staff = User.objects.get(username="demo_xa")
    # The demo's 2025 cycle is under way (demo_xa's sheet may be submitted already): start again from a draft.
    Assessment.objects.filter(centre=staff.centre, year=last_year()).delete()
    province = staff.centre.commune.province
    if not Rubric.objects.filter(province=province, year=last_year()).exists():
        services.rubric_create_default(province=province, year=last_year())
    return services.assessment_start(centre=staff.centre, year=last_year(), by=staff)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_self_assessment_on_a_phone(page, draft):
    page.set_viewport_size({"width": 360, "height": 780})
    dialogs = []

    browser_login(page, "demo_xa")
    page.goto(page.base_url + f"/danh-gia/phieu/{draft.pk}/")
    sheet = page.get_by_test_id("self-form")
    points = sheet.locator("input[data-points]")
    expect(sheet.locator('[data-group-total="1"]')).to_have_text("0")

    # Typing moves the group total, the overall total and the rating at once (no save yet).
    for i in range(4):  # the four criteria of group 1, 5 points each
        points.nth(i).fill("4.5")
    expect(sheet.locator('[data-group-total="1"]')).to_have_text("18")
    expect(sheet.locator("[data-sheet-total]")).to_have_text("18")
    expect(sheet.locator("[data-sheet-rating]")).to_have_text("Yếu")
    for i in range(4, points.count()):
        points.nth(i).fill(points.nth(i).get_attribute("max"))
    expect(sheet.locator("[data-sheet-total]")).to_have_text("98")
    expect(sheet.locator("[data-sheet-rating]")).to_have_text("Tốt")
    sheet.get_by_label("Ghi chú, minh chứng").first.fill("Quyết định thành lập số 12")
    assert page_width(page) <= 360

    # Uploading evidence keeps what was typed.
    page.get_by_label("Tệp đính kèm (PDF, JPG, PNG, DOCX, XLSX)").set_input_files(
        {"name": "quyet-dinh.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 minh chung"}
    )
    page.get_by_label("Minh chứng cho tiêu chí").select_option(index=1)
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("alert").filter(has_text="Đã đính kèm tệp")).to_be_visible()
    expect(page.get_by_test_id("attachments")).to_contain_text("quyet-dinh.pdf")
    expect(points.first).to_have_value(re.compile(r"^4\.50?$"))
    expect(sheet.locator("[data-sheet-total]")).to_have_text("98")
    expect(sheet.get_by_label("Ghi chú, minh chứng").first).to_have_value("Quyết định thành lập số 12")

    # "Lưu và nộp" asks first and says what happens next; saying no submits nothing.
    page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_test_id("self-form")).to_be_visible()
    assert "trung tâm không sửa được nữa, trừ khi bị trả lại" in dialogs[0]
    assert "Phiếu chuyển cho" in dialogs[0] and "Sở phê duyệt" in dialogs[0]
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Lưu và nộp").click()
    expect(page.get_by_role("alert").filter(has_text="Đã nộp tự đánh giá")).to_be_visible()
    expect(page.get_by_test_id("read-only")).to_contain_text("Đã nộp")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Điểm tự đánh giá: – → 98")
    expect(history).not_to_contain_text("self_score")
    assert page_width(page) <= 360
    page.context.clear_cookies()

    # The reviewer sees the centre's own words and file beside the criterion, and returns the sheet.
    browser_login(page, "demo_huyen")
    page.goto(page.base_url + f"/danh-gia/phieu/{draft.pk}/")
    own = page.get_by_test_id("centre-own").first
    expect(own).to_contain_text("Quyết định thành lập số 12")
    expect(own.get_by_role("link", name="quyet-dinh.pdf")).to_be_visible()
    expect(page.get_by_test_id("review-form").locator("[data-sheet-total]")).to_have_text("0")
    back = page.get_by_test_id("reviewer-return")
    back.get_by_label("Lý do").fill("Bổ sung biên bản họp")
    page.once("dialog", lambda d: d.accept())
    back.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_role("alert").filter(has_text="Đã trả lại cho trung tâm")).to_be_visible()
    expect(page.get_by_text("Sở trả lại với lý do:")).to_be_visible()
    assert page_width(page) <= 360
