"""Exports of the evaluations: a year's results (`xep-loai-nam`: every active centre with its assessment of
the year, as the reviewer's overview and the province's page of one office list them, through
evaluations.filters.YearResultsFilter) and the assessments of several years (`danh-gia`, from the exports
page with the dashboard's years)."""

from __future__ import annotations

import dataclasses

from django.db.models import Case, CharField, DateField, F, FilteredRelation, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centres.models import Centre, Rating
from courses.selectors import kinds_for_user
from evaluations.filters import YearResultsFilter
from evaluations.models import Assessment
from evaluations.selectors import assessments_for_list
from reports.dashboard import years_label
from reports.exports.base import Export, TableSpec, everyone, export_context, headed, query_rows, unit_columns
from reports.filters import DashboardFilter
from tthtcd_portal.db_router import read_db
from tthtcd_portal.params import year_param
from tthtcd_portal.xlsx import DATE, DECIMAL, TEXT, YEAR, Column

APPROVED = Assessment.Status.APPROVED
NOT_STARTED = [("", gettext_lazy("Chưa bắt đầu"))]


def _official_rating(prefix: str = ""):
    """The rating, only once the province approved it (a proposed one is not official)."""
    return Case(
        When(**{f"{prefix}status": APPROVED}, then=F(f"{prefix}rating")),
        default=Value(""),
        output_field=CharField(choices=Rating.choices),
    )


YEAR_RESULT_COLUMNS = [
    *unit_columns(),
    Column(gettext_lazy("Đơn vị đánh giá"), TEXT, 28, "review_office__name"),
    Column(gettext_lazy("Trạng thái"), TEXT, 24, "result_status"),
    Column(gettext_lazy("Điểm tự đánh giá"), DECIMAL, None, "result__self_score"),
    Column(gettext_lazy("Điểm thẩm định"), DECIMAL, None, "result__review_score"),
    Column(gettext_lazy("Xếp loại đề xuất"), TEXT, 14, "result_proposed"),
    Column(gettext_lazy("Xếp loại chính thức"), TEXT, 14, "result_rating"),
    Column(gettext_lazy("Ngày phê duyệt"), DATE, None, "result_approved_on"),
]


def year_results(user, params: dict) -> YearResultsFilter:
    """The active centres the user sees, as the overview lists them, filtered by the page's parameters."""
    return YearResultsFilter(params, queryset=Centre.objects.visible_to(user).using(read_db()).active(), user=user)


def build_year_results(user, params: dict) -> TableSpec:
    found = year_results(user, params)
    qs = (
        found.qs.annotate(result=FilteredRelation("assessments", condition=Q(assessments__year=found.year)))
        .annotate(
            result_status=Coalesce(
                F("result__status"),
                Value(""),
                output_field=CharField(choices=[*NOT_STARTED, *Assessment.Status.choices]),
            ),
            result_proposed=F("result__proposed_rating"),
            result_rating=_official_rating("result__"),
            result_approved_on=Case(
                When(result__status=APPROVED, then=TruncDate("result__approved_at")), output_field=DateField()
            ),
        )
        .order_by("commune__district__code", "commune__code")
    )
    return TableSpec(
        title=_("Kết quả đánh giá, xếp loại trung tâm năm %(year)s") % {"year": found.year},
        context=export_context(user, years=str(found.year), described=found.described()[1:]),
        columns=headed(YEAR_RESULT_COLUMNS),
        rows=query_rows(qs, YEAR_RESULT_COLUMNS),
        total=qs.count(),
    )


ASSESSMENT_COLUMNS = [
    Column(gettext_lazy("Năm"), YEAR, 8, "year"),
    Column(gettext_lazy("Huyện"), TEXT, 22, "centre__commune__district__name"),
    Column(gettext_lazy("Xã, phường, thị trấn"), TEXT, 24, "centre__commune__name"),
    Column(gettext_lazy("Trung tâm"), TEXT, 45, "centre__name"),
    Column(gettext_lazy("Trạng thái"), TEXT, 24, "status"),
    Column(gettext_lazy("Điểm tự đánh giá"), DECIMAL, None, "self_score"),
    Column(gettext_lazy("Điểm thẩm định"), DECIMAL, None, "review_score"),
    Column(gettext_lazy("Xếp loại đề xuất"), TEXT, 14, "proposed_rating"),
    Column(gettext_lazy("Xếp loại chính thức"), TEXT, 14, "official_rating"),
]


def build_assessments(user, params: dict) -> TableSpec:
    """Assessments in scope over `tu_nam`–`den_nam` (the dashboard's years) or of one year `nam`, optionally of
    one status `trang_thai` and one reviewing office `don_vi`."""
    filters = DashboardFilter(params, kinds=list(kinds_for_user(user))).filters()
    year = year_param(params.get("nam"))
    if year:
        filters = dataclasses.replace(filters, year_from=year, year_to=year)
    status = params.get("trang_thai", "")
    status = status if status in Assessment.Status.values else ""
    qs = assessments_for_list(
        user=user, year_from=filters.year_from, year_to=filters.year_to, status=status, office=params.get("don_vi")
    ).annotate(official_rating=_official_rating())
    described = [(_("Trạng thái"), str(Assessment.Status(status).label) if status else "")]
    return TableSpec(
        title=_("Danh sách đánh giá, xếp loại trung tâm"),
        context=export_context(user, years=years_label(filters), described=described),
        columns=headed(ASSESSMENT_COLUMNS),
        rows=query_rows(qs, ASSESSMENT_COLUMNS),
        total=qs.count(),
    )


EXPORTS = [
    Export("xep-loai-nam", gettext_lazy("Kết quả đánh giá, xếp loại của năm"), everyone, build_year_results),
    Export("danh-gia", gettext_lazy("Danh sách đánh giá, xếp loại"), everyone, build_assessments),
]
