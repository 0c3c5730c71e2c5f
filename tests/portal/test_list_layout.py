"""The list tables read on a phone without scrolling sideways, and the menu bar is one line on a desktop.

Before: at 390 px the reviewing office's evaluations list (441 px), a class page's sessions (470 px) and the
centre page's board (518 px) scrolled sideways inside their boxes (badges and a topic repeating the class's title
took the width), and at 1280 px the province's twelve menu entries wrapped the bar to two lines. Now a list table
stacks each row's cells below md (.table-stack, static/css/portal.css) and the less-used entries sit under the
bar's "Khác"."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User
from courses.models import Course
from evaluations.models import Assessment
from tests.conftest import browser_login
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
TITLE = "Lớp xóa mù chữ và giáo dục tiếp tục sau khi biết chữ cho phụ nữ dân tộc thiểu số"

# The page's width, and each list's box's scrolled width against its own (a box wider inside scrolls sideways;
# a figures table may, a list may not).
WIDTHS = """() => ({page: document.documentElement.scrollWidth,
  boxes: [...document.querySelectorAll('.table-responsive:has(> .table-stack)')].map((box) =>
    [box.querySelector('caption').textContent.trim(), box.scrollWidth, box.clientWidth])})"""


def _office_with_assessments(year: int):
    """Every status of the reviewing office's centres, with scores and ratings: the widest rows the list has."""
    office = User.objects.get(username="demo_huyen").office
    statuses = [s for s, _label in Assessment.Status.choices]
    for i, centre in enumerate(office.centres.order_by("pk")[: len(statuses) * 2]):
        Assessment.objects.create(
            centre=centre,
            year=year,
            status=statuses[i % len(statuses)],
            self_score=Decimal("98.5"),
            review_score=Decimal("89.5"),
            proposed_rating="kha",
            rating="kha" if statuses[i % len(statuses)] == "approved" else "",
        )


def _class_with_sessions(centre) -> Course:
    today = datetime.date.today()
    course = CourseFactory(
        centre=centre,
        title=TITLE,
        format=Course.Format.ROSTER,
        start_date=today.replace(month=1, day=5),
        end_date=today.replace(month=12, day=31),
    )
    EnrolmentFactory(course=course, learner=LearnerFactory(centre=centre, full_name="Hoàng Thị Phương Thảo"))
    for day in (1, 2, 3):
        SessionFactory(course=course, date=today.replace(day=day), topic=TITLE, present=1234, women=1000)
    return course


def test_the_lists_fit_a_phone_and_keep_their_columns_on_a_desktop(page, demo_base):
    year = datetime.date.today().year - 1
    _office_with_assessments(year)
    staff = User.objects.get(username="demo_xa")
    course = _class_with_sessions(staff.centre)
    pages = {
        "demo_huyen": [f"/danh-gia/?nam={year}", "/trung-tam/", "/lop-hoc/"],
        "demo_tinh": ["/bao-cao/nhat-ky/"],  # the audit trail: before, 370 px in 366, its changes 59 px wide
        "demo_xa": [
            f"/lop-hoc/{course.pk}/",
            "/lop-hoc/",
            f"/lop-hoc/hoc-vien/?trung_tam={staff.centre_id}",
            f"/trung-tam/{staff.centre_id}/",  # its board and instructors
        ],
    }
    for username, urls in pages.items():
        page.context.clear_cookies()
        browser_login(page, username)
        for url in urls:
            page.set_viewport_size({"width": PHONE, "height": 844})
            page.goto(page.base_url + url)
            widths = page.evaluate(WIDTHS)
            too_wide = [f"{name} {inner} px in {outer}" for name, inner, outer in widths["boxes"] if inner > outer]
            assert widths["page"] == PHONE and not too_wide, f"{username} {url}: {widths['page']} px, {too_wide}"
            # the heading row is out of sight (still read) and each stacked value shows its column's heading
            table = page.locator(".table-stack").first
            assert table.locator("thead").evaluate("h => h.getBoundingClientRect().height") <= 1
            labelled = table.locator("tbody td[data-label]").first
            heading = labelled.get_attribute("data-label")
            assert labelled.evaluate("td => getComputedStyle(td, '::before').content") == f'"{heading}: "'
            page.set_viewport_size({"width": DESKTOP, "height": 900})  # the desktop keeps its columns
            assert table.locator("thead").evaluate("h => h.getBoundingClientRect().height") > 10
            assert labelled.evaluate("td => getComputedStyle(td, '::before').content") == "none"

    # The sessions on a phone: a topic that only repeats the class's title is left out, the figures are labelled.
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(page.base_url + f"/lop-hoc/{course.pk}/")
    sessions = page.get_by_test_id("session-table")
    expect(sessions.locator("tbody").get_by_text(TITLE).first).to_be_hidden()
    expect(sessions.locator("tbody tr").first.get_by_role("cell", name="Có mặt: 1.234")).to_be_visible()
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    expect(sessions.locator("tbody").get_by_text(TITLE).first).to_be_visible()


@pytest.mark.parametrize("username", ["demo_tinh", "demo_bo", "demo_xa", "demo_admin"])
def test_the_menu_bar_is_one_line_on_a_desktop_and_every_entry_is_reachable(page, demo_base, username):
    browser_login(page, username)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    nav = page.locator("nav.navbar")
    brand = page.locator(".navbar-brand")
    # one line: the bar is no taller than its brand's line and its padding
    height, brand_height = nav.evaluate("n => n.offsetHeight"), brand.evaluate("b => b.offsetHeight")
    assert height <= brand_height + 20, f"the menu bar is {height} px high (a line is {brand_height})"
    more = page.get_by_test_id("nav-more")
    more.focus()
    page.keyboard.press("Enter")  # the keyboard opens "Khác" and walks into it
    page.keyboard.press("ArrowDown")
    expect(page.locator(".dropdown-menu.show .dropdown-item").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/thu-vien/"))
    expect(page.get_by_test_id("nav-more")).to_have_class(re.compile(r"\bactive\b"))  # the page is under "Khác"

    # On a phone the collapsed menu holds the same entries, "Khác" opening in place.
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.get_by_role("button", name="Mở menu").click()
    expect(page.locator("#mainNav")).to_have_class("navbar-collapse collapse show")  # done sliding open
    page.get_by_test_id("nav-more").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name="Học liệu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Học liệu")


# A figures table's box: how far it scrolls, and where its first body row's name cell is and how wide.
NAME_CELL = """(table) => { const box = table.parentElement, cell = table.querySelector('tbody tr > :first-child');
  const b = box.getBoundingClientRect(), c = cell.getBoundingClientRect();
  return {scrolls: box.scrollWidth - box.clientWidth, left: Math.round(c.left - b.left), width: c.width}; }"""


def test_a_figures_table_keeps_its_row_names_in_view_as_its_figures_scroll_on_a_phone(page, demo_base):
    # Before: at 390 px the province's assessments by office squeezed the offices' names into a 72 px column
    # (seven lines each), and scrolling the resources by commune sideways left the figures without their commune.
    browser_login(page, "demo_tinh")
    year = datetime.date.today().year - 1
    for url, testid in [
        (f"/danh-gia/?nam={year}", "province-overview"),
        ("/nguon-luc/tong-hop/", "resources-communes"),
    ]:
        page.set_viewport_size({"width": PHONE, "height": 844})
        page.goto(page.base_url + url)
        table = page.get_by_test_id(testid)
        before = table.evaluate(NAME_CELL)
        assert before["scrolls"] > 100, f"{url}: the table fits; this test needs one that scrolls"
        assert before["width"] >= 8 * 16, f"{url}: the name column is {before['width']} px"
        table.evaluate("t => { t.parentElement.scrollLeft = t.parentElement.scrollWidth; }")
        after = table.evaluate(NAME_CELL)
        assert after["left"] == before["left"] == 0, f"{url}: the name moved to {after['left']} px"
        assert page.evaluate("document.documentElement.scrollWidth") == PHONE
        # on a desktop the table is a plain one: the name scrolls with its row
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        assert table.evaluate("t => getComputedStyle(t.querySelector('tbody td, tbody th')).position") == "static"
