"""Exports of the dashboards' tables (reports:dashboard, reports:district): the summary, the participation
trend and the rating distribution, row for row as the page shows them, from the same dashboard (the engine
caches it, so the export costs one query more than nothing). Columns take their values from the table rows
the dashboard computes (Dashboard.summary(), …)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from centres.models import RATING_ORDER
from courses.selectors import kinds_for_user
from reports import dashboard as engine
from reports.exports.base import Export, TableSpec, everyone, export_context, headed, object_rows
from reports.filters import DashboardFilter
from reports.scopes import board_scope
from tthtcd_portal.params import id_param
from tthtcd_portal.xlsx import NUMBER, PERCENT, TEXT, Column


def dashboard_for(user, params: dict):
    """The dashboard the user's page shows for these params: by province for the Ministry (`tinh`: one
    province's, reports/scopes.py), by district for the province, by centre for a reviewer or centre staff;
    `huyen` narrows to one district the user sees (404 otherwise)."""
    form = DashboardFilter(params, kinds=list(kinds_for_user(user)))
    filters = form.filters()
    if params.get("huyen") not in (None, ""):
        district = scoping.visible_districts(user).filter(pk=id_param(params.get("huyen")) or 0).first()
        if district is None:
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
        board = engine.dashboard(
            scope=scoping.centre_q(user), filters=filters, by_centre=True, only_group=("district", district.pk)
        )
        return form, filters, board, district.name
    chosen = board_scope(user, params)
    return form, filters, chosen.board(filters), chosen.unit


def _row_label(board) -> Column:
    if board.row_level == "province":
        header = _("Tỉnh, thành phố")
    elif board.row_level == "centre":
        header = _("Trung tâm")
    elif board.filters.grouping == engine.GROUP_TODAY:
        header = _("Xã, phường hiện nay")
    else:
        header = _("Huyện / xã, phường")
    return Column(header, TEXT, 40, lambda e: _("Tổng cộng") if e["is_total"] else e["row"].label)


def _figure(header, name: str, width=None) -> Column:
    return Column(header, NUMBER, width, lambda e: getattr(e["figures"], name))


PREVIOUS = Column(gettext_lazy("So với năm trước (%)"), PERCENT, 14, lambda e: e["change_previous"])
SUMMARY_COLUMNS = [
    _figure(gettext_lazy("Số trung tâm"), "centres"),
    _figure(gettext_lazy("Số lớp"), "classes"),
    _figure(gettext_lazy("Số buổi học"), "sessions"),
    _figure(gettext_lazy("Lượt người học"), "participations", 16),
    _figure(gettext_lazy("Lượt nữ"), "women"),
    _figure(gettext_lazy("Lượt dân tộc thiểu số"), "minorities", 16),
    _figure(gettext_lazy("Lượt người học / trung tâm"), "per_centre", 16),
    PREVIOUS,
    Column(gettext_lazy("So với năm gốc (%)"), PERCENT, 14, lambda e: e["change_base"]),
]


def _spec(user, title, board, unit, years, form, filters, columns, entries) -> TableSpec:
    columns = [_row_label(board), *columns]
    rows = object_rows(entries, columns)
    return TableSpec(
        title=title,
        context=export_context(user, unit=unit, years=years, described=form.described(filters)),
        columns=headed(columns),
        rows=rows,
        total=len(rows),
    )


def build_figures(user, params: dict) -> TableSpec:
    form, filters, board, unit = dashboard_for(user, params)
    year = filters.year_to
    title = _("Số liệu hoạt động năm %(year)s") % {"year": board.year_label(year)}
    columns = SUMMARY_COLUMNS
    if board.in_progress(year):
        # The year in progress is compared with the same days of the year before, as the page says.
        columns = [
            Column(_("So với cùng kỳ năm trước (%)"), PERCENT, 14, lambda e: e["change_previous"])
            if c is PREVIOUS
            else c
            for c in SUMMARY_COLUMNS
        ]
    return _spec(user, title, board, unit, board.year_label(year), form, filters, columns, board.summary(year))


def build_trend(user, params: dict) -> TableSpec:
    form, filters, board, unit = dashboard_for(user, params)
    columns = [Column(str(y), NUMBER, None, lambda e, i=i: e["values"][i]) for i, y in enumerate(board.years)]
    return _spec(
        user,
        _("Lượt người học theo năm"),
        board,
        unit,
        engine.years_label(filters),
        form,
        filters,
        columns,
        board.participation_trend(),
    )


def build_rating_distribution(user, params: dict) -> TableSpec:
    form, filters, board, unit = dashboard_for(user, params)
    year = filters.year_to
    columns = [Column(_("Số trung tâm được xếp loại"), NUMBER, 16, lambda e: e["rated"])]
    for i, rating in enumerate(RATING_ORDER):
        columns += [
            Column(f"{rating.label} ({_('số lượng')})", NUMBER, None, lambda e, i=i: e["cells"][i][0]),
            Column(f"{rating.label} (%)", PERCENT, None, lambda e, i=i: e["cells"][i][1] if e["rated"] else None),
        ]
    title = _("Kết quả xếp loại năm %(year)s") % {"year": year}
    return _spec(user, title, board, unit, str(year), form, filters, columns, board.rating_table(year))


EXPORTS = [
    Export("so-lieu", gettext_lazy("Số liệu hoạt động (bảng tổng hợp)"), everyone, build_figures),
    Export("xu-huong", gettext_lazy("Lượt người học theo năm"), everyone, build_trend),
    Export("xep-loai", gettext_lazy("Phân bố xếp loại"), everyone, build_rating_distribution),
]
