"""The table exports the portal offers: what each holds, who may have it, how it reads its rows.

Each export is an ExportKind whose `build(user, params)` returns a TableSpec: a title, the title rows'
context, the columns and a row iterator. Views send it at once (reports:export) or, when it is large,
an ExportJob runs it in the background (reports.tasks). Scope always comes from accounts.scoping.
To add an export for a new list, see docs/reports.md ("Adding an export").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from centres.models import Centre
from evaluations.models import Assessment, Rating
from reports import selectors
from reports.forms import DashboardFilterForm
from reports.xlsx import DATE, DECIMAL, NUMBER, PERCENT, TEXT, Column, ExportContext

CHUNK = 2000


@dataclass
class TableSpec:
    title: str
    context: ExportContext
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    total: int | None = None  # rows expected, when known cheaply (progress bars, background decision)


@dataclass(frozen=True)
class ExportKind:
    code: str
    label: str
    allowed: Callable[[object], bool]
    build: Callable[[object, dict], TableSpec]


def scope_label(user) -> str:
    """The unit an export is for, in words (one query for the user's unit)."""
    if user.is_superuser or user.is_administrator:
        return _("Toàn hệ thống")
    if user.is_province_official:
        return user.province.name
    if user.is_reviewer:
        return user.office.name
    if user.is_centre_staff:
        return user.centre.name
    return ""


def yes_no(value: bool) -> str:
    return _("Có") if value else _("Không")


def dashboard_filters(user, params: dict):
    form = DashboardFilterForm(params, kinds=selectors.programme_kinds())
    return form, form.filters()


def _years(filters) -> str:
    if filters.year_from == filters.year_to:
        return str(filters.year_to)
    return f"{filters.year_from}–{filters.year_to}"


def dashboard_for(user, params: dict):
    """The dashboard the user's page shows for these params: by district for the province, by centre for a
    reviewer or centre staff; `huyen` narrows to one district the user sees (404 otherwise)."""
    form, filters = dashboard_filters(user, params)
    only_group = None
    unit = scope_label(user)
    district_id = params.get("huyen")
    if district_id:
        district = scoping.visible_districts(user).filter(pk=_int(district_id)).first()
        if district is None:
            from django.http import Http404

            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
        only_group = ("district", district.pk)
        unit = district.name
    by_centre = bool(only_group) or not scoping.is_province_level(user)
    board = selectors.dashboard(
        scope=scoping.centre_q(user), filters=filters, by_centre=by_centre, only_group=only_group
    )
    return form, filters, board, unit


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _context(user, unit: str, years: str, filters: list[tuple[str, str]]) -> ExportContext:
    return ExportContext(unit=unit, user=user, years=years, filters=filters, made_at=timezone.now())


def _row_label_header(board) -> str:
    return _("Trung tâm") if board.row_level == "centre" else _("Huyện / xã, phường")


def _label(entry) -> str:
    return _("Tổng cộng") if entry["is_total"] else entry["row"].label


# --- Dashboard tables -------------------------------------------------------------------------------


def build_figures(user, params: dict) -> TableSpec:
    form, filters, board, unit = dashboard_for(user, params)
    year = filters.year_to
    columns = [
        Column(_row_label_header(board), TEXT, 40),
        Column(_("Số trung tâm"), NUMBER),
        Column(_("Số lớp"), NUMBER),
        Column(_("Số buổi học"), NUMBER),
        Column(_("Lượt người học"), NUMBER, 16),
        Column(_("Lượt nữ"), NUMBER),
        Column(_("Lượt dân tộc thiểu số"), NUMBER, 16),
        Column(_("Lượt người học / trung tâm"), NUMBER, 16),
        Column(_("So với năm trước (%)"), PERCENT, 14),
        Column(_("So với năm gốc (%)"), PERCENT, 14),
    ]
    rows = [
        [
            _label(e),
            e["figures"].centres,
            e["figures"].classes,
            e["figures"].sessions,
            e["figures"].participations,
            e["figures"].women,
            e["figures"].minorities,
            e["figures"].per_centre,
            e["change_previous"],
            e["change_base"],
        ]
        for e in board.summary(year)
    ]
    return TableSpec(
        title=_("Số liệu hoạt động năm %(year)s") % {"year": year},
        context=_context(user, unit, str(year), form.described(filters)),
        columns=columns,
        rows=rows,
        total=len(rows),
    )


def build_trend(user, params: dict) -> TableSpec:
    form, filters, board, unit = dashboard_for(user, params)
    columns = [Column(_row_label_header(board), TEXT, 40), *[Column(str(y), NUMBER) for y in board.years]]
    rows = [[_label(e), *e["values"]] for e in board.participation_trend()]
    return TableSpec(
        title=_("Lượt người học theo năm"),
        context=_context(user, unit, _years(filters), form.described(filters)),
        columns=columns,
        rows=rows,
        total=len(rows),
    )


def build_rating_distribution(user, params: dict) -> TableSpec:
    form, filters, board, unit = dashboard_for(user, params)
    year = filters.year_to
    columns = [Column(_row_label_header(board), TEXT, 40), Column(_("Số trung tâm được xếp loại"), NUMBER, 16)]
    for _value, label in Rating.choices:
        columns += [Column(f"{label} ({_('số lượng')})", NUMBER), Column(f"{label} (%)", PERCENT)]
    rows = []
    for e in board.rating_table(year):
        row = [_label(e), e["rated"]]
        for count, percent in e["cells"]:
            row += [count, percent if e["rated"] else None]
        rows.append(row)
    return TableSpec(
        title=_("Kết quả xếp loại năm %(year)s") % {"year": year},
        context=_context(user, unit, str(year), form.described(filters)),
        columns=columns,
        rows=rows,
        total=len(rows),
    )


# --- Lists ------------------------------------------------------------------------------------------

CENTRE_COLUMNS = [
    Column(gettext_lazy("Huyện"), TEXT, 22),
    Column(gettext_lazy("Mã xã"), TEXT, 9),
    Column(gettext_lazy("Xã, phường, thị trấn"), TEXT, 24),
    Column(gettext_lazy("Tên trung tâm"), TEXT, 45),
    Column(gettext_lazy("Tình trạng"), TEXT, 16),
    Column(gettext_lazy("Số quyết định thành lập"), TEXT, 18),
    Column(gettext_lazy("Ngày quyết định"), DATE),
    Column(gettext_lazy("Cơ quan ra quyết định"), TEXT, 24),
    Column(gettext_lazy("Địa chỉ"), TEXT, 30),
    Column(gettext_lazy("Điện thoại"), TEXT, 14),
    Column(gettext_lazy("Thư điện tử"), TEXT, 24),
    Column(gettext_lazy("Có con dấu"), TEXT, 10),
    Column(gettext_lazy("Có tài khoản"), TEXT, 10),
    Column(gettext_lazy("Cơ sở vật chất"), TEXT, 24),
    Column(gettext_lazy("Số phòng học"), NUMBER, 10),
    Column(gettext_lazy("Số chỗ ngồi"), NUMBER, 10),
    Column(gettext_lazy("Máy tính nối mạng"), NUMBER, 10),
    Column(gettext_lazy("Số đầu sách"), NUMBER, 10),
    Column(gettext_lazy("Lượt bạn đọc/năm"), NUMBER, 12),
]


def centre_row(c: Centre) -> list:
    district = c.commune.district
    return [
        district.name if district else "",
        c.commune.code,
        c.commune.name,
        c.name,
        c.get_status_display(),
        c.decision_number,
        c.decision_date,
        c.decision_issuer,
        c.address,
        c.phone,
        c.email,
        yes_no(c.has_seal),
        yes_no(c.has_bank_account),
        c.get_building_display(),
        c.rooms,
        c.seats,
        c.computers_with_internet,
        c.library_books,
        c.library_readers_per_year,
    ]


def centre_list_filters(params: dict) -> dict:
    """The export's filters; the centres list page's names (`district`, `status`) are read too, so its
    "Xuất Excel" button carries the page's query string as it is."""
    status = params.get("tinh_trang") or params.get("status") or ""
    return {
        "district_id": _int(params.get("huyen") or params.get("district")) or None,
        "status": status if status in Centre.Status.values else "",
        "text": (params.get("q") or "").strip()[:100],
    }


def build_centres(user, params: dict) -> TableSpec:
    wanted = centre_list_filters(params)
    qs = selectors.centres_for_list(scope=scoping.centre_q(user), **wanted)
    described = [
        (_("Huyện"), str(wanted["district_id"] or "")),
        (_("Tình trạng"), str(Centre.Status(wanted["status"]).label) if wanted["status"] else ""),
        (_("Tìm"), wanted["text"]),
    ]
    return TableSpec(
        title=_("Danh sách trung tâm học tập cộng đồng"),
        context=_context(user, scope_label(user), "", described),
        columns=[Column(str(c.header), c.kind, c.width) for c in CENTRE_COLUMNS],
        rows=(centre_row(c) for c in qs.iterator(chunk_size=CHUNK)),
        total=qs.count(),
    )


def build_assessments(user, params: dict) -> TableSpec:
    """Assessments in scope over `tu_nam`–`den_nam` (the dashboard's years) or of one year `nam` (the
    evaluations overview's), optionally of one status `trang_thai` and one reviewing office `don_vi`."""
    form, filters = dashboard_filters(user, params)
    year = _int(params.get("nam"))
    if 1900 < year < 2200:
        filters = dataclasses.replace(filters, year_from=year, year_to=year)
    status = params.get("trang_thai", "")
    status = status if status in Assessment.Status.values else ""
    qs = selectors.assessments_for_list(
        scope_prefixed=scoping.centre_q(user, "centre__"),
        year_from=filters.year_from,
        year_to=filters.year_to,
        status=status,
    )
    office_id = _int(params.get("don_vi"))
    if office_id:
        qs = qs.filter(centre__review_office_id=office_id)
    columns = [
        Column(_("Năm"), NUMBER, 8),
        Column(_("Huyện"), TEXT, 22),
        Column(_("Xã, phường, thị trấn"), TEXT, 24),
        Column(_("Trung tâm"), TEXT, 45),
        Column(_("Trạng thái"), TEXT, 24),
        Column(_("Điểm tự đánh giá"), DECIMAL),
        Column(_("Điểm thẩm định"), DECIMAL),
        Column(_("Xếp loại đề xuất"), TEXT, 14),
        Column(_("Xếp loại chính thức"), TEXT, 14),
    ]

    def rows():
        for a in qs.iterator(chunk_size=CHUNK):
            district = a.centre.commune.district
            yield [
                a.year,
                district.name if district else "",
                a.centre.commune.name,
                a.centre.name,
                a.get_status_display(),
                a.self_score,
                a.review_score,
                a.get_proposed_rating_display(),
                a.get_rating_display() if a.status == Assessment.Status.APPROVED else "",
            ]

    described = [(_("Trạng thái"), str(Assessment.Status(status).label) if status else "")]
    return TableSpec(
        title=_("Danh sách đánh giá, xếp loại trung tâm"),
        context=_context(user, scope_label(user), _years(filters), described),
        columns=columns,
        rows=rows(),
        total=qs.count(),
    )


EXPORTS: dict[str, ExportKind] = {
    kind.code: kind
    for kind in [
        ExportKind("so-lieu", gettext_lazy("Số liệu hoạt động (bảng tổng hợp)"), lambda u: True, build_figures),
        ExportKind("xu-huong", gettext_lazy("Lượt người học theo năm"), lambda u: True, build_trend),
        ExportKind("xep-loai", gettext_lazy("Phân bố xếp loại"), lambda u: True, build_rating_distribution),
        ExportKind("trung-tam", gettext_lazy("Danh sách trung tâm"), scoping.is_reviewer_or_above, build_centres),
        ExportKind("danh-gia", gettext_lazy("Danh sách đánh giá, xếp loại"), lambda u: True, build_assessments),
    ]
}
