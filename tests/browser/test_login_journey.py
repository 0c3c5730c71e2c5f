import re

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_demo_xa_logs_in_in_vietnamese_and_reaches_home(page, demo_base):
    page.goto(page.base_url + "/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    browser_login(page, "demo_xa")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
    expect(page.get_by_text("Trung tâm học tập cộng đồng xã Bắc Đông Hưng").first).to_be_attached()


def test_all_four_demo_accounts_log_in(page, demo_base):
    for username in ("demo_tinh", "demo_huyen", "demo_xa", "demo_admin"):
        browser_login(page, username)
        expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()
        page.context.clear_cookies()
