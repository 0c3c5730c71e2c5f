"""Nothing wider than a phone (issue 13 item 11): every main page of every role at 360 px.

Before: the centre page's board table, the enrol quick-add form, the printable register and the admin-unit
import preview made the page wider than the phone, so the whole page scrolled sideways. A wide table may
scroll inside its own box (.table-responsive); the page itself must not."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from courses.models import Course
from tests.centres.factories import AssignmentFactory, BoardMemberFactory, InstructorFactory
from tests.conftest import browser_login
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.browser

WIDTH = 360
GSO = Path(__file__).resolve().parents[2] / "units" / "data" / "gso_legacy_thai_binh.csv"
SHOTS = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else None  # to look at them
LONG = "Nguyễn Thị Phương Thảo Hoàng Bảo Ngọc Trâm"


def _centre_with_work(centre):
    today = datetime.date.today()
    course = CourseFactory(
        centre=centre,
        title="Lớp xóa mù chữ và giáo dục tiếp tục sau khi biết chữ cho phụ nữ dân tộc thiểu số",
        format=Course.Format.ROSTER,
        start_date=today.replace(month=1, day=5),
        end_date=today.replace(month=12, day=31),
    )
    for i in range(3):
        EnrolmentFactory(course=course, learner=LearnerFactory(centre=centre, full_name=f"{LONG} {i}", birth_year=1990))
    SessionFactory(course=course, date=today.replace(day=1), present=3)
    for i in range(2):
        BoardMemberFactory(centre=centre, full_name=f"{LONG} {i}", main_post="Phó Chủ tịch Ủy ban nhân dân xã")
    AssignmentFactory(centre=centre, instructor=InstructorFactory(full_name=LONG, field="Trồng trọt và chăn nuôi"))
    return course


# The outermost elements that stick out of the page (inside a scrolling box is fine): what to fix.
CULPRITS = """() => {
  const out = [];
  const inScroller = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !inScroller(el) && !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1 && out.includes(el.parentElement))) {
      out.push(el);
    }
  }
  return out.slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
    " " + Math.round(el.getBoundingClientRect().right) + "px");
}"""


def _width(page, url):
    page.goto(page.base_url + url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")


def test_no_main_page_of_any_role_is_wider_than_a_phone(page, demo_base):
    staff = User.objects.get(username="demo_xa")
    centre = staff.centre
    course = _centre_with_work(centre)
    c, k = centre.pk, course.pk
    pages = {
        "demo_xa": [
            "/",
            f"/trung-tam/{c}/",
            f"/lop-hoc/?trung_tam={c}",
            f"/lop-hoc/{k}/",
            f"/lop-hoc/{k}/ghi-danh/",
            f"/lop-hoc/{k}/so-diem-danh/",
            f"/lop-hoc/{k}/diem-danh-thang/",
            "/lop-hoc/hoc-vien/",
            "/lop-hoc/nhap-excel/",
            "/danh-gia/",
            f"/bao-cao/trung-tam/{c}/",
            "/thu-vien/",
            f"/thu-vien/trung-tam/{c}/nhap/",
            "/nguon-luc/",
        ],
        "demo_huyen": [
            "/",
            "/trung-tam/",
            f"/trung-tam/{c}/",
            "/lop-hoc/",
            "/danh-gia/",
            "/bao-cao/",
            "/bao-cao/xuat/",
        ],
        "demo_tinh": [
            "/",
            "/trung-tam/",
            f"/trung-tam/{c}/",
            "/lop-hoc/",
            "/danh-gia/",
            "/danh-gia/phan-bo-xep-loai/",
            "/danh-gia/bo-tieu-chi/",
            "/danh-gia/phan-cong/",
            "/bao-cao/",
            f"/bao-cao/huyen/{centre.commune.district_id}/",
            "/bao-cao/xuat/",
            "/bao-cao/nhat-ky/",
            "/lop-hoc/loai-chuong-trinh/",
            "/thu-vien/tong-hop/",
            "/nguon-luc/tong-hop/",
        ],
        "demo_admin": ["/", "/don-vi/nhap/"],
        "demo_bo": ["/", "/bao-cao/", f"/bao-cao/?tinh={centre.commune.province_id}", "/trung-tam/", "/danh-gia/"],
    }
    page.set_viewport_size({"width": WIDTH, "height": 740})
    too_wide = []
    for username, urls in pages.items():
        page.context.clear_cookies()
        browser_login(page, username)
        for url in urls:
            width = _width(page, url)
            if SHOTS:
                page.screenshot(path=str(SHOTS / f"{username}{url.replace('/', '_')}-360.png"), full_page=True)
            if width > WIDTH:
                too_wide.append(f"{username} {url}: {width} px ({', '.join(page.evaluate(CULPRITS))})")
        if username == "demo_admin":  # the import preview, after an upload
            page.goto(page.base_url + "/don-vi/nhap/")
            page.locator("input[type=file]").set_input_files(str(GSO))
            page.locator("form[enctype] button[type=submit]").first.click()
            page.wait_for_load_state("networkidle")
            expect(page.get_by_test_id("import-preview")).to_be_visible()
            page.screenshot(path=str(SHOTS / "import-preview-360.png"), full_page=True) if SHOTS else None
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide.append(f"demo_admin import preview: {width} px")
    assert not too_wide, "\n".join(too_wide)
