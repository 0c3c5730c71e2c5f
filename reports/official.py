"""Official reports in the form officials send upward (Nghị định 30/2020/NĐ-CP): administrative header,
place and date line, bold upper-case title, the table with its totals, the signature block. A4 landscape,
fitted to the page width, Times New Roman 13. openpyxl normal mode: these tables are a few hundred rows.

Report (c), the list of centres, takes extra-column providers so the registry's board and instructor
counts plug in without changing this module's callers (docs/reports.md, "Extra columns of report (c)").
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from accounts import scoping
from courses.models import ProgrammeKind
from evaluations.models import Rating
from reports import selectors
from reports.exports import CENTRE_COLUMNS, _years, centre_list_filters, centre_row, dashboard_filters, scope_label
from reports.forms import grouping_label
from reports.xlsx import DECIMAL, NUMBER, NUMBER_FORMATS, PERCENT, TEXT, Column
from tthtcd_portal.vietnamese import by_name, sort_key

FONT = "Times New Roman"
SIZE = 13
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Header:
    parent_body: str
    issuing_body: str
    place_name: str
    signer_title: str
    signer_name: str


def header_for(user) -> Header:
    """The issuing body and signer: a district office's own for its reviewers, else the province's settings."""
    office = getattr(user, "office", None) if user.is_reviewer else None
    if office is not None and office.district_id:
        district = office.district
        settings = selectors.report_settings_for(office.province)
        return Header(
            parent_body=f"UBND {district.name.upper()}",
            issuing_body=_("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),
            place_name=settings.place_name,
            signer_title=_("TRƯỞNG PHÒNG"),
            signer_name="",
        )
    province = _province_of(user)
    settings = selectors.report_settings_for(province)
    return Header(
        settings.parent_body, settings.issuing_body, settings.place_name, settings.signer_title, settings.signer_name
    )


def _province_of(user):
    if user.is_province_official:
        return user.province
    if user.is_reviewer:
        return user.office.province
    if user.is_centre_staff:
        return user.centre.commune.province
    return scoping.visible_provinces(user).order_by("code").first()


def place_date_line(place: str, day: datetime.date) -> str:
    """ "Thái Bình, ngày 05 tháng 02 năm 2026": a zero before days under 10 and months under 3 (NĐ 30/2020)."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {"place": place, "d": d, "m": m, "y": day.year}


def _font(**kwargs) -> Font:
    return Font(name=FONT, size=kwargs.pop("size", SIZE), **kwargs)


def _put(sheet, row: int, col: int, value, *, font=None, align=None, fmt=None, border=False):
    cell = sheet.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.font = font or _font()
    if align:
        cell.alignment = align
    if fmt:
        cell.number_format = fmt
    if border:
        cell.border = BOX
    return cell


def _merged(sheet, row: int, first: int, last: int, value, **kwargs):
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return _put(sheet, row, first, value, **kwargs)


def write_official(
    *,
    header: Header,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence],
    totals: Sequence | None = None,
    notes: Sequence[str] = (),
    today: datetime.date | None = None,
) -> bytes:
    """The workbook's bytes. `rows` and `totals` follow `columns`; percent values are in percent (55.2)."""
    today = today or timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    n = len(columns)
    split = max(2, n // 2)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    _merged(sheet, 1, 1, split, header.parent_body.upper(), align=center)
    _merged(sheet, 1, split + 1, n, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), font=_font(bold=True), align=center)
    _merged(sheet, 2, 1, split, header.issuing_body.upper(), font=_font(bold=True), align=center)
    _merged(sheet, 2, split + 1, n, _("Độc lập - Tự do - Hạnh phúc"), font=_font(bold=True), align=center)
    _merged(sheet, 4, split + 1, n, place_date_line(header.place_name, today), font=_font(italic=True), align=center)
    _merged(sheet, 6, 1, n, title.upper(), font=_font(bold=True, size=14), align=center)
    _merged(sheet, 7, 1, n, subtitle, font=_font(italic=True), align=center)

    top = 9
    for index, column in enumerate(columns, start=1):
        _put(sheet, top, index, column.header, font=_font(bold=True), align=center, border=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width or (30 if column.kind == TEXT else 12)
    sheet.row_dimensions[top].height = 48
    r = top
    for values in [*rows, *([totals] if totals else [])]:
        r += 1
        is_total = totals is not None and values is totals
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            if column.kind == PERCENT and value is not None:
                value = float(value) / 100
            fmt = NUMBER_FORMATS.get(column.kind)
            _put(
                sheet,
                r,
                index,
                value,
                font=_font(bold=is_total),
                fmt=fmt,
                border=True,
                align=Alignment(wrap_text=column.kind == TEXT, vertical="center"),
            )
    r += 1
    for note in notes:
        r += 1
        _merged(sheet, r, 1, n, note, font=_font(italic=True), align=Alignment(wrap_text=True))
    r += 2
    _put(sheet, r, 1, _("Nơi nhận:"), font=_font(bold=True, italic=True, size=12))
    _merged(sheet, r, split + 1, n, header.signer_title.upper(), font=_font(bold=True), align=center)
    _put(sheet, r + 1, 1, _("- Như trên;"), font=_font(size=11))
    _put(sheet, r + 2, 1, _("- Lưu: VT."), font=_font(size=11))
    _merged(sheet, r + 5, split + 1, n, header.signer_name, font=_font(bold=True), align=center)

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.print_title_rows = f"{top}:{top}"
    sheet.freeze_panes = f"A{top + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class OfficialReport:
    code: str
    label: object
    build: Callable[[object, dict], tuple[str, bytes]]  # (title, workbook bytes)


# --- (a) Annual rating summary by district ----------------------------------------------------------


def rating_summary(user, params: dict) -> tuple[str, bytes]:
    form, filters = dashboard_filters(user, params)
    year, base = filters.year_to, filters.base_year
    board = selectors.dashboard(
        scope=scoping.centre_q(user),
        filters=selectors.DashboardFilters(year, year, None, base, filters.grouping),
    )
    columns = [Column(_("STT"), NUMBER, 6), Column(_("Đơn vị"), TEXT, 28), Column(_("Số TT xếp loại"), NUMBER, 11)]
    for _value, label in Rating.choices:
        columns += [Column(f"{label}\n({_('số TT')})", NUMBER, 10), Column(f"{label}\n(%)", PERCENT, 10)]
    if base:
        columns += [
            Column(_("Tỷ lệ Tốt năm %(y)s (%%)") % {"y": base}, PERCENT, 13),
            Column(_("Tăng, giảm tỷ lệ Tốt (điểm %)"), DECIMAL, 13),
        ]

    def line(number, label, row):
        f = row.at(year)
        values = [number, label, f.rated]
        for count, percent in zip(f.rating_counts, f.rating_percents, strict=True):
            values += [count, percent if f.rated else None]
        if base:
            then = row.at(base)
            values += [
                then.tot_share,
                (f.tot_share - then.tot_share) if None not in (f.tot_share, then.tot_share) else None,
            ]
        return values

    rows = [line(i, r.label, r) for i, r in enumerate(board.rows, start=1)]
    total_label = _("Toàn tỉnh") if scoping.is_province_level(user) else _("Tổng cộng")
    totals = line(None, total_label, board.totals)
    title = _("Tổng hợp kết quả xếp loại trung tâm học tập cộng đồng năm %(year)s") % {"year": year}
    subtitle = _("Đơn vị: %(unit)s. Nhóm theo %(grouping)s.") % {
        "unit": scope_label(user),
        "grouping": grouping_label(filters.grouping),
    }
    notes = [_("Tỷ lệ phần trăm làm tròn theo phương pháp phần dư lớn nhất, tổng mỗi dòng bằng 100,0%.")]
    return title, write_official(
        header=header_for(user), title=title, subtitle=subtitle, columns=columns, rows=rows, totals=totals, notes=notes
    )


# --- (b) Learner participation by district, year and programme kind ---------------------------------


def participation_report(user, params: dict) -> tuple[str, bytes]:
    form, filters = dashboard_filters(user, params)
    kinds = list(ProgrammeKind.objects.order_by("order", by_name()))
    data = selectors.participation_by_kind(scope=scoping.centre_q(user), filters=filters)
    columns = [Column(_("Đơn vị"), TEXT, 24), Column(_("Năm"), NUMBER, 7)]
    columns += [Column(k.name, NUMBER, 13) for k in kinds]
    columns += [
        Column(_("Tổng lượt người học"), NUMBER, 14),
        Column(_("Trong đó nữ"), NUMBER, 12),
        Column(_("Tỷ lệ nữ (%)"), PERCENT, 9),
        Column(_("Trong đó DTTS"), NUMBER, 12),
    ]
    grand: dict[int, selectors.Figures] = {}
    grand_total = selectors.Figures()

    def line(label, year, by_kind):
        total = selectors.Figures()
        for f in by_kind.values():
            total.add(f)
        values = [label, year, *[by_kind[k.id].participations if k.id in by_kind else 0 for k in kinds]]
        pct = (total.women * 100 / total.participations) if total.participations else None
        return values + [total.participations, total.women, pct, total.minorities], total

    rows = []
    for group in sorted(data, key=lambda g: (g[0] != "district", sort_key(g[2]))):
        for year in filters.years:
            by_kind = data[group].get(year, {})
            values, total = line(group[2], year, by_kind)
            rows.append(values)
            for kind_id, f in by_kind.items():
                grand.setdefault(kind_id, selectors.Figures()).add(f)
            grand_total.add(total)
    totals, _total = line(_("Tổng cộng"), None, grand)
    title = _("Tổng hợp lượt người học theo loại chương trình")
    subtitle = _("Đơn vị: %(unit)s. Năm: %(years)s. Nhóm theo %(grouping)s.") % {
        "unit": scope_label(user),
        "years": _years(filters),
        "grouping": grouping_label(filters.grouping),
    }
    return title, write_official(
        header=header_for(user), title=title, subtitle=subtitle, columns=columns, rows=rows, totals=totals
    )


# --- (c) Centres with their boards and instructors --------------------------------------------------


@dataclass(frozen=True)
class ExtraColumns:
    """Columns another app adds to report (c): `values(centre_ids)` returns {centre_id: [value per column]}
    in one query (e.g. board members and instructors counted with annotate). Missing centres get blanks."""

    columns: Sequence[Column]
    values: Callable[[list[int]], dict[int, Sequence]]


# The registry (centres app) appends its providers here at merge, e.g. in CentresConfig.ready():
#     from reports.official import CENTRE_REPORT_EXTRA_COLUMNS, ExtraColumns
#     CENTRE_REPORT_EXTRA_COLUMNS.append(ExtraColumns([Column("Ban giám đốc", NUMBER)], board_counts))
CENTRE_REPORT_EXTRA_COLUMNS: list[ExtraColumns] = []

_CENTRE_REPORT_FIELDS = [0, 2, 3, 5, 6, 8, 9]  # district, commune, name, decision no. and date, address, phone


def centre_list_report(user, params: dict, extra: Sequence[ExtraColumns] | None = None) -> tuple[str, bytes]:
    extra = CENTRE_REPORT_EXTRA_COLUMNS if extra is None else extra
    centres = list(selectors.centres_for_list(scope=scoping.centre_q(user), **centre_list_filters(params)))
    ids = [c.id for c in centres]
    columns = [Column(_("STT"), NUMBER, 6), *[CENTRE_COLUMNS[i] for i in _CENTRE_REPORT_FIELDS]]
    columns = [Column(str(c.header), c.kind, c.width) for c in columns]
    provided = []
    for provider in extra:
        columns += [Column(str(c.header), c.kind, c.width) for c in provider.columns]  # lazy headers
        provided.append((len(provider.columns), provider.values(ids)))
    rows = []
    for number, centre in enumerate(centres, start=1):
        full = centre_row(centre)
        values = [number, *[full[i] for i in _CENTRE_REPORT_FIELDS]]
        for width, found in provided:
            values += list(found.get(centre.id, [None] * width))
        rows.append(values)
    totals = None
    if provided:
        totals = [None, _("Tổng cộng"), *[None] * (len(_CENTRE_REPORT_FIELDS) - 1)]
        for position in range(len(totals), len(columns)):
            totals.append(sum(r[position] or 0 for r in rows) if columns[position].kind == NUMBER else None)
    title = _("Danh sách trung tâm học tập cộng đồng")
    subtitle = _("Đơn vị: %(unit)s. Số trung tâm: %(n)s.") % {"unit": scope_label(user), "n": len(rows)}
    return title, write_official(
        header=header_for(user), title=title, subtitle=subtitle, columns=columns, rows=rows, totals=totals
    )


OFFICIAL_REPORTS: dict[str, OfficialReport] = {
    r.code: r
    for r in [
        OfficialReport("bc-xep-loai", gettext_lazy("Báo cáo tổng hợp xếp loại theo huyện"), rating_summary),
        OfficialReport(
            "bc-nguoi-hoc", gettext_lazy("Báo cáo lượt người học theo loại chương trình"), participation_report
        ),
        OfficialReport("bc-trung-tam", gettext_lazy("Báo cáo danh sách trung tâm"), centre_list_report),
    ]
}
