"""What every page shows, read as a user reads it (issue 13 item 4, issue 15 item 8).

The walker opens every page of the URLconf as each insider of centre B (staff, reviewer, provincial
official), in Vietnamese and in English, with centre B holding a class whose learner was born in 1990 and an
instructor born in 1985. It fails on:
  - a year printed as a quantity ("2.026", "1.990"; "2,026" in English) anywhere in the text of a page;
  - a data table without a <caption> (visually hidden where the heading already says it) or with a <th>
    that does not say whether it heads a column or a row (scope).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.centres.factories import AssignmentFactory, InstructorFactory
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory
from tests.platform.test_url_scoping import checked_routes, walk
from tests.platform.url_objects import Filler

INSIDERS = ["staff_b", "reviewer_y", "official"]
# A year (1900–2099) grouped like a quantity, not part of a longer number (a date 01.12.2026 or 1.990.000).
GROUPED_YEAR = re.compile(r"(?<![\d.,])(?:1[.,]9\d\d|2[.,]0\d\d)(?![\d.,]?\d)")


class PageText(HTMLParser):
    """The visible text of a page (attributes and scripts left out) and its data tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.skip = 0
        self.tables: list[dict] = []  # open and closed tables: {"caption": bool, "bad_th": [...], "rows": int}
        self.open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "table":
            table = {"caption": False, "bad_th": 0, "th": 0, "testid": attrs.get("data-testid") or attrs.get("id")}
            self.open.append(table)
            self.tables.append(table)
        elif tag == "caption" and self.open:
            self.open[-1]["caption"] = True
        elif tag == "th" and self.open:
            self.open[-1]["th"] += 1
            if attrs.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                self.open[-1]["bad_th"] += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        elif tag == "table" and self.open:
            self.open.pop()

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def _centre_b_with_people(world):
    course = CourseFactory(centre=world.centre_b)
    learner = LearnerFactory(centre=world.centre_b, birth_year=1990)
    EnrolmentFactory(course=course, learner=learner)
    SessionFactory(course=course)
    AssignmentFactory(centre=world.centre_b, instructor=InstructorFactory(birth_year=1985))


def rendered_pages(world, language: str):
    """(persona, url, html) for every page every insider of centre B opens with 200 and HTML."""
    _centre_b_with_people(world)
    for persona in INSIDERS:
        client = Client(headers={"accept-language": language})
        client.force_login(getattr(world, persona))
        client.cookies["django_language"] = language
        for route in checked_routes(walk()):
            if route.name in ("reports:export", "reports:official"):
                continue  # spreadsheets: tests/reports/test_xlsx.py
            filler = Filler(world, route.app, route_name=route.name)
            if any(filler.entry(k) is None for k in route.keywords):
                continue  # the URL walker fails for it
            url = reverse(route.name, kwargs=filler.kwargs(route.keywords))
            response = client.get(url)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                yield persona, url, response.content.decode()


def _parsed(html: str) -> PageText:
    parser = PageText()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_page_prints_a_year_as_a_quantity(world, language):
    problems, opened = [], 0
    for persona, url, html in rendered_pages(world, language):
        opened += 1
        text = " ".join(_parsed(html).text)
        for match in GROUPED_YEAR.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 20].replace("\n", " ")
            problems.append(f"{url} as {persona}: {match.group()!r} in …{around}…")
    assert opened > 40
    assert not problems, "\n".join(sorted(set(problems)))


def test_every_data_table_has_a_caption_and_scoped_headings(world):
    problems, tables = [], 0
    for _persona, url, html in rendered_pages(world, "vi"):
        for table in _parsed(html).tables:
            tables += 1
            name = table["testid"] or "a table"
            if not table["caption"]:
                problems.append(f"{url}: {name} has no <caption>")
            if table["bad_th"]:
                problems.append(f"{url}: {name} has {table['bad_th']} <th> without scope")
    assert tables > 20
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_scan_catches_a_grouped_year():
    assert GROUPED_YEAR.findall("năm 2.026, Nữ, 1.990; in English 2,021") == ["2.026", "1.990", "2,021"]
    assert not GROUPED_YEAR.findall("năm 2026, 1.990.000 đồng, 01.12.2026, 12.500, 55,2%")
