"""Exports of the province's needs and plan overviews (planning:needs, planning:plans): exactly the centres
the page lists for its year, through the same selectors (planning.selectors.needs_overview, plans_overview)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from planning.selectors import needs_overview, overview_year, plans_overview
from reports.exports.base import Export, TableSpec, export_context, headed, object_rows
from tthtcd_portal.xlsx import NUMBER, PERCENT, TEXT, Column

NEEDS_COLUMNS = [
    Column(gettext_lazy("Mã xã"), TEXT, 9, lambda r: r.centre.commune.code),
    Column(gettext_lazy("Trung tâm"), TEXT, 40, lambda r: r.centre.name),
    Column(gettext_lazy("Số người có nhu cầu"), NUMBER, 14, lambda r: r.respondents),
    Column(gettext_lazy("Số lớp đã mở"), NUMBER, 12, lambda r: r.classes),
    Column(gettext_lazy("Có nhu cầu nhưng chưa mở lớp"), TEXT, 50, lambda r: "; ".join(k.name for k in r.gaps)),
]

PLAN_COLUMNS = [
    Column(gettext_lazy("Mã xã"), TEXT, 9, lambda r: r.centre.commune.code),
    Column(gettext_lazy("Trung tâm"), TEXT, 40, lambda r: r.centre.name),
    Column(gettext_lazy("Trạng thái"), TEXT, 22, lambda r: r.plan.get_status_display()),
    Column(gettext_lazy("Số quyết định"), TEXT, 14, lambda r: r.plan.decision_number),
    Column(gettext_lazy("Lớp kế hoạch"), NUMBER, 12, lambda r: r.figures.planned),
    Column(gettext_lazy("Lớp thực hiện"), NUMBER, 12, lambda r: r.figures.actual),
    Column(gettext_lazy("Tỷ lệ hoàn thành số lớp (%)"), PERCENT, 12, lambda r: r.figures.done),
    Column(gettext_lazy("Lượt người học kế hoạch"), NUMBER, 14, lambda r: r.figures.expected),
    Column(gettext_lazy("Lượt người học thực hiện"), NUMBER, 14, lambda r: r.figures.participations),
    Column(gettext_lazy("Tỷ lệ hoàn thành lượt người học (%)"), PERCENT, 12, lambda r: r.figures.participations_done),
]


def build_needs(user, params: dict) -> TableSpec:
    overview = needs_overview(user=user, year=overview_year(params))
    return TableSpec(
        title=_("Nhu cầu học tập và lớp đã mở theo xã"),
        context=export_context(user, years=str(overview.year)),
        columns=headed(NEEDS_COLUMNS),
        rows=object_rows(overview.centres, NEEDS_COLUMNS),
        total=len(overview.centres),
    )


def build_plans(user, params: dict) -> TableSpec:
    overview = plans_overview(user=user, year=overview_year(params))
    return TableSpec(
        title=_("Kế hoạch / thực hiện theo xã"),
        context=export_context(user, years=str(overview.year)),
        columns=headed(PLAN_COLUMNS),
        rows=object_rows(overview.centres, PLAN_COLUMNS),
        total=len(overview.centres),
    )


EXPORTS = [
    Export("nhu-cau", gettext_lazy("Nhu cầu học tập theo xã"), scoping.is_reviewer_or_above, build_needs),
    Export("ke-hoach", gettext_lazy("Kế hoạch / thực hiện theo xã"), scoping.is_reviewer_or_above, build_plans),
]
