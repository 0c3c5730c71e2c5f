"""A centre uploads a learning material in a browser and the province approves it; then another centre finds it."""

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_a_centre_uploads_a_material_and_the_province_approves_it(page, demo_base):
    browser_login(page, "demo_xa")
    page.get_by_role("link", name="Học liệu").first.click()
    page.get_by_role("link", name="Tải học liệu lên").click()
    page.get_by_label("Tên học liệu").fill("Hướng dẫn trồng rau an toàn")
    page.get_by_label("Loại chương trình").select_option(label="Khuyến nông, khuyến lâm, khuyến ngư, khuyến công")
    page.get_by_label("Chủ đề").fill("trồng rau")
    page.get_by_label("Tác giả, nguồn").fill("TTHTCĐ xã Đông Phương")
    page.get_by_label("Tệp tài liệu").set_input_files(
        {"name": "rau-an-toan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 rau an toan"}
    )
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.get_by_role("alert").filter(has_text="chờ Sở duyệt")).to_be_visible()
    expect(page.get_by_test_id("material-status")).to_contain_text("Chờ Sở duyệt")
    page.context.clear_cookies()

    browser_login(page, "demo_tinh")
    page.get_by_role("link", name="Học liệu").first.click()
    page.get_by_label("Trạng thái").select_option(label="Chờ Sở duyệt")
    page.get_by_test_id("material-table").get_by_role("link", name="Hướng dẫn trồng rau an toàn").click()
    page.get_by_role("button", name="Duyệt và đăng").click()
    expect(page.get_by_role("alert").filter(has_text="Đã duyệt và đăng")).to_be_visible()
    expect(page.get_by_test_id("material-status")).to_contain_text("Đã đăng")
    with page.expect_download() as download:
        page.get_by_test_id("material-download").click()
    assert download.value.suggested_filename == "rau-an-toan.pdf"
