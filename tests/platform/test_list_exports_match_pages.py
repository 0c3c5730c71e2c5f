"""A list's export holds exactly the rows its page shows (issue 15, item 1), for every page with an export.

The walker GETs every page of the project (objects from the fixture below), as the provincial official and
as a reviewer. On each page, every "Xuất Excel" button (templates/reports/partials/export_button.html) must
have a table marked data-export="<code>" whose rows carry data-key (a centre's, class's or person's name);
the export the button links to must hold the same rows: every sheet row names one of the page's keys, and
every key has a row. Then each of the page's filters (the selects and text boxes of its GET form) is tried
value by value, and the page and its exports must still agree. A button marked as a shortcut (more detail
than the page lists: the province's evaluations page) is exempt, and says so in its template.
"""

from __future__ import annotations

import datetime
import io
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Office
from centres.models import BoardMember
from library.models import Library
from tests import clock
from tests.centres.factories import AssignmentFactory, BoardMemberFactory, InstructorFactory
from tests.courses.factories import CourseFactory, LearnerFactory, SessionFactory
from tests.platform.test_url_scoping import checked_routes, walk
from tests.reports.factories import AssessmentFactory, FigureFactory

TOTAL = "Tổng cộng"


class _Page(HTMLParser):
    """Export buttons, the keyed rows of each data-export table, and the fields of the GET forms."""

    def __init__(self):
        super().__init__()
        self.buttons: list[tuple[str, str, bool]] = []  # (code, href, shortcut)
        self.keys: dict[str, set[str]] = {}  # export code → row keys of the tables that mirror it
        self.fields: dict[str, list[str]] = {}  # GET form field → values to try
        self._tables: list[list[str]] = []
        self._in_get_form = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("data-testid") or "").startswith("export-"):
            self.buttons.append((a["data-testid"][len("export-") :], a["href"], "data-export-shortcut" in a))
        elif tag == "table":
            self._tables.append((a.get("data-export") or "").split())
            for code in self._tables[-1]:
                self.keys.setdefault(code, set())  # an empty list is a list too: its export has no rows
        elif tag == "tr" and self._tables and self._tables[-1] and a.get("data-key"):
            for code in self._tables[-1]:
                self.keys.setdefault(code, set()).add(a["data-key"])
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._in_get_form = True
        elif self._in_get_form and tag == "select" and a.get("name"):
            self._select = a["name"]
            self.fields.setdefault(self._select, [])
        elif self._select and tag == "option" and a.get("value"):
            self.fields[self._select].append(a["value"])
        elif self._in_get_form and tag == "input" and a.get("name") and a.get("type") in (None, "text", "search"):
            self.fields.setdefault(a["name"], ["Đông", "12694", "zzz"])

    def handle_endtag(self, tag):
        if tag == "table" and self._tables:
            self._tables.pop()
        elif tag == "form":
            self._in_get_form = False
        elif tag == "select":
            self._select = None


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def sheet_rows(content: bytes) -> list[list]:
    """The data rows of an export or official report: below the frozen header, down to the first blank row."""
    sheet = load_workbook(io.BytesIO(content)).active
    first = int("".join(ch for ch in sheet.freeze_panes if ch.isdigit()))
    rows = []
    for row in sheet.iter_rows(min_row=first, values_only=True):
        if not any(v not in (None, "") for v in row):
            break
        rows.append([v for v in row if v not in (None, "")])
    return rows


def mismatches(client, page_url: str, code: str, href: str, keys: set[str]) -> list[str]:
    response = client.get(href)
    if response.status_code != 200:
        return [f"{page_url}: export {code} ({href}) answered {response.status_code}"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    found, problems = set(), []
    for row in sheet_rows(content):
        named = keys & {str(v) for v in row}
        if not named and TOTAL in row and TOTAL not in keys:
            continue  # an official report's totals row: the page shows no totals
        if not named:
            problems.append(f"{page_url}: export {code} has a row the page does not show: {row[:6]}")
        found |= named
    for key in sorted(keys - found):
        problems.append(f"{page_url}: the page shows «{key}» but export {code} ({href}) has no row of it")
    return problems


def check_page(client, url: str) -> tuple[list[str], set[str]]:
    """Problems of one page and of its filters; the export codes it links (shortcuts aside)."""
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return [], set()
    page = parse(response.content.decode())
    buttons = [(code, href) for code, href, shortcut in page.buttons if not shortcut]
    problems, codes = [], {code for code, _href in buttons}
    for code, href in buttons:
        if code not in page.keys:
            problems.append(f'{url}: button for export {code} but no table marked data-export="{code}"')
            continue
        problems += mismatches(client, url, code, href, {k for k in page.keys[code] if k})
    return problems, codes


def filtered_urls(client, url: str, per_field: int = 3) -> list[str]:
    """The page with each of its filters set, one at a time, to its first, middle and last values (a select of
    twenty years need not be tried twenty times to show that the export follows it)."""
    page = parse(client.get(url).content.decode())
    base = dict(parse_qsl(urlsplit(url).query))
    path = urlsplit(url).path
    urls = []
    for name, values in page.fields.items():
        tried = sorted({values[0], values[len(values) // 2], values[-1]}) if len(values) > per_field else values
        urls += [f"{path}?{urlencode({**base, name: value})}" for value in tried]
    return urls


@pytest.fixture
def lists(world):
    """Every kind of row a list shows, in both districts, each parent with children (a board member, an
    instructor, a session) so that every row of a page has its rows in the exports. Names are distinct."""
    today = clock.today()
    year = clock.this_year()
    Library.objects.create(centre=world.centre_b, kind=Library.Kind.TU_SACH)
    for centre, who in ((world.centre_a, "Lan"), (world.centre_b, "Huệ")):
        BoardMemberFactory(centre=centre, full_name=f"Giám đốc {who}", position=BoardMember.Position.GIAM_DOC)
        AssignmentFactory(centre=centre, instructor=InstructorFactory(full_name=f"Giáo viên {who}"))
        for n, start in enumerate((datetime.date(year - 1, 3, 1), datetime.date(year, 2, 1))):
            course = CourseFactory(
                centre=centre, title=f"Lớp {who} {n}", start_date=start, end_date=min(start.replace(day=28), today)
            )
            SessionFactory(course=course, date=start, present=20 + n)
        LearnerFactory(centre=centre, full_name=f"Học viên {who}")
        FigureFactory(centre=centre, year=year - 1)
    AssessmentFactory(centre=world.centre_a, year=year - 1, rating="tot")
    return world


PAGE_OBJECTS = {
    # URL keyword values for the pages that take one (objects the official and reviewer_x see).
    "centres:detail": lambda w: {"pk": w.centre_a.pk},
    "courses:detail": lambda w: {"pk": w.centre_a.courses.first().pk},
    "reports:district": lambda w: {"pk": w.district_x.pk},
    "reports:centre": lambda w: {"pk": w.centre_a.pk},
    "evaluations:office": lambda w: {"office_id": Office.objects.get(district=w.district_x).pk},
}
PAGE_QUERIES = {"courses:learners": lambda w: {"trung_tam": w.centre_a.pk}}


def page_urls(world) -> list[str]:
    urls = []
    for route in checked_routes(walk()):
        if route.namespace.startswith("admin") or not route.name:
            continue
        if route.keywords and route.name not in PAGE_OBJECTS:
            continue  # a page of one object without a list (its form, its sheet)
        url = reverse(route.name, kwargs=PAGE_OBJECTS[route.name](world) if route.keywords else None)
        if route.name in PAGE_QUERIES:
            url += "?" + urlencode(PAGE_QUERIES[route.name](world))
        urls.append(url)
    return urls


def test_every_list_export_holds_exactly_the_rows_its_page_shows(lists):
    problems, linked = [], set()
    for persona in ("official", "reviewer_x"):
        client = Client()
        client.force_login(getattr(lists, persona))
        for url in page_urls(lists):
            found, codes = check_page(client, url)
            problems += found
            linked |= codes
            if codes and persona == "official":
                for filtered in filtered_urls(client, url):
                    problems += check_page(client, filtered)[0]
    assert not problems, "\n".join(problems[:30])
    # The walk reached every export a list page links (the dashboards' tables, the registry, classes,
    # learners, a year's results, the audit trail) and official report (c).
    assert {"trung-tam", "ban-giam-doc", "giang-vien", "bc-trung-tam", "lop-hoc", "buoi-hoc", "hoc-vien"} <= linked
    assert {"xep-loai-nam", "nhat-ky", "so-lieu", "xu-huong", "xep-loai"} <= linked


def test_the_check_catches_an_export_that_ignores_a_filter(lists, client_for):
    """The page filtered by library shows B only; an export of every centre would name A too."""
    client = client_for(lists.official)
    url = reverse("centres:list") + "?thu_vien=1"
    keys = parse(client.get(url).content.decode()).keys["trung-tam"]
    assert keys == {lists.centre_b.name}
    unfiltered = reverse("reports:export", args=["trung-tam"])
    assert any("does not show" in p for p in mismatches(client, url, "trung-tam", unfiltered, keys))
    assert mismatches(client, url, "trung-tam", unfiltered + "?thu_vien=1", keys) == []
