"""Every spreadsheet the portal writes is formula-safe (issue 14, item 4).

Formula text (= + - @, a tab, a carriage return) is planted in every free-text field of every row of every
model of the project — names of centres, communes, districts, provinces, offices, people, classes,
programme kinds, topics, places, report settings, users — then every export, every official report and
the import template are written. No cell may be a formula; every planted text stays the literal text, a
string cell with Excel's quote prefix; numbers stay numbers.
"""

from __future__ import annotations

import io
import itertools

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import EXPORTS
from reports.models import ReportSettings
from reports.official import OFFICIAL_REPORTS
from tests.platform.test_list_exports_match_pages import lists  # noqa: F401 — the fixture with every kind of row

PROJECT_APPS = ["accounts", "units", "centres", "courses", "evaluations", "reports"]
PLANTS = ['=HYPERLINK("http://x.invalid","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def plant_everywhere() -> set[str]:
    """Every CharField and TextField without choices, of every row, set to formula text (unique per row and
    field). Returns what was planted."""
    planted, plants = set(), itertools.cycle(PLANTS)
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
                and not f.choices
                and not f.primary_key
                and f.name not in {"password", "code", "username", "email", "history_change_reason"}
                and not isinstance(f, models.FileField)
            ]
            for pk in model._default_manager.values_list("pk", flat=True):
                values = {}
                for f in fields:
                    text = f"{next(plants)} {model.__name__[:6]}{pk}{f.name[:6]}"[: f.max_length or 200]
                    values[f.name] = text
                    planted.add(text)
                if model.__name__ == "Learner" and "ethnicity" in values:
                    values["is_minority"] = True  # any people but the Kinh is a minority (constraint)
                if values:
                    model._default_manager.filter(pk=pk).update(**values)
    return planted


def workbook_cells(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def problems_of(name: str, content: bytes, planted: set[str]) -> tuple[list[str], int]:
    problems, seen = [], 0
    for cell in workbook_cells(content):
        if cell.data_type == "f":
            problems.append(f"{name} {cell.coordinate}: a formula {cell.value!r}")
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
            if cell.value in planted:
                seen += 1
            if cell.data_type != "s" or not cell.quotePrefix:
                problems.append(f"{name} {cell.coordinate}: {cell.value!r} is not literal text")
    return problems, seen


@pytest.mark.parametrize("persona", ["official", "reviewer_x"])
def test_no_sheet_the_portal_writes_holds_a_formula(lists, client_for, persona):  # noqa: F811
    ReportSettings.objects.create(province=lists.province)
    planted = plant_everywhere()
    client = client_for(getattr(lists, persona))
    problems, seen = [], 0
    sheets = [(f"export {code}", reverse("reports:export", args=[code])) for code in EXPORTS]
    sheets += [(f"report {code}", reverse("reports:official", args=[code])) for code in OFFICIAL_REPORTS]
    sheets += [("import template", reverse("courses:import_template"))]
    for name, url in sheets:
        response = client.get(url)
        if response.status_code == 403:  # exports this persona may not have (the audit trail for a reviewer)
            continue
        assert response.status_code == 200, (name, response.status_code)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        found, count = problems_of(name, content, planted)
        problems += found
        seen += count
    assert not problems, "\n".join(problems[:20])
    assert seen > 50  # the planted names did reach the sheets: centres, people, classes, kinds, settings…


def test_numbers_stay_numbers_next_to_literal_text(lists, client_for):  # noqa: F811
    plant_everywhere()
    response = client_for(lists.official).get(reverse("reports:export", args=["buoi-hoc"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header_row = int(sheet.freeze_panes[1:]) - 1
    headers = [c.value for c in sheet[header_row]]
    first = sheet[header_row + 1]
    assert first[headers.index("Số người dự")].data_type == "n"
    assert first[headers.index("Nội dung")].data_type == "s" and first[headers.index("Nội dung")].quotePrefix
