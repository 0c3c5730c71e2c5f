"""Small builders for the planning tests: a survey's cells and a plan's lines written through the services."""

from __future__ import annotations

import csv
import io

from planning import services
from planning.models import ActivityPlan
from tests.courses.factories import kind


def tally(centre, year, by, cells: dict[tuple[str, str], int]):
    """cells: (programme kind code, group) → respondents."""
    counts = {(kind(code).pk, group): n for (code, group), n in cells.items()}
    return services.need_tally_save(centre=centre, year=year, counts=counts, by=by, version=None)


def plan_line(centre, year, by, code="phap-luat", month=3, count=2, expected=200, activity="talk"):
    return services.plan_line_save(
        centre=centre, year=year, by=by, programme_kind=kind(code), activity=activity, month=month, count=count,
        expected=expected,
    )  # fmt: skip


def approved_plan(centre, year, by, **line) -> ActivityPlan:
    plan_line(centre, year, by, **line)
    plan = ActivityPlan.objects.get(centre=centre, year=year)
    import datetime

    return services.plan_approve(
        plan=plan, decision_number="12/QĐ-UBND", decision_date=datetime.date(year, 1, 15), signer="Chủ tịch",
        by=by, version=None,
    )  # fmt: skip


def csv_file(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()
