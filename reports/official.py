"""Official reports in the form officials send upward (Nghị định 30/2020/NĐ-CP), written by the one sheet
writer's document layout (tthtcd_portal.xlsx.write_document): administrative header, place and date line,
bold upper-case title, the table with its totals, the signature block.

(a) ratings by district and (b) participation by programme kind take the dashboards' filters; (c) the list of
centres takes the centres list's filter (centres.filters.CentreFilter), so it holds the centres that list
shows, with the registry's columns picked by name (reports.exports.centres) and its board and instructor
counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from centres.models import RATING_ORDER
from centres.selectors import with_board_and_instructor_counts
from courses.models import ProgrammeKind
from courses.selectors import kinds_for_user
from reports import dashboard as engine
from reports.exports import centres as centre_exports
from reports.exports.base import headed, query_rows, scope_label
from reports.filters import DashboardFilter, grouping_label
from reports.models import ReportSettings
from reports.scopes import board_scope
from tthtcd_portal.db_router import read_db
from tthtcd_portal.vietnamese import by_name, sort_key
from tthtcd_portal.xlsx import DECIMAL, NUMBER, PERCENT, TEXT, YEAR, Column, DocumentHeader, write_document

NUMBERED = Column(gettext_lazy("STT"), NUMBER, 6)


def report_settings_for(province):
    """The province's report settings, or unsaved defaults for a province that never set them. One query."""
    found = ReportSettings.objects.using(read_db()).filter(province=province).first()
    if found:
        return found
    return ReportSettings(
        province=province,
        parent_body=f"UBND {province.name.upper()}",
        place_name=province.name.removeprefix("Tỉnh ").removeprefix("Thành phố "),
    )


# The Ministry's reports go out from its department of continuing education (Vụ Giáo dục thường xuyên).
MINISTRY_HEADER = DocumentHeader(
    parent_body="BỘ GIÁO DỤC VÀ ĐÀO TẠO",
    issuing_body="VỤ GIÁO DỤC THƯỜNG XUYÊN",
    place_name="Hà Nội",
    signer_title="VỤ TRƯỞNG",
    signer_name="",
    body_code="BGDĐT",
)


def header_for(user) -> DocumentHeader:
    """The issuing body and signer: the Ministry's for its officials, a district office's own for its reviewers,
    else the province's settings."""
    if scoping.is_ministry(user):
        return MINISTRY_HEADER
    office = getattr(user, "office", None) if user.is_reviewer else None
    if office is not None and office.district_id:
        district = office.district
        settings = report_settings_for(office.province)
        return DocumentHeader(
            parent_body=f"UBND {district.name.upper()}",
            issuing_body=_("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),
            place_name=settings.place_name,
            signer_title=_("TRƯỞNG PHÒNG"),
            signer_name="",
            body_code="PGDĐT",
        )
    province = _province_of(user)
    settings = report_settings_for(province)
    return DocumentHeader(
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


@dataclass(frozen=True)
class OfficialReport:
    code: str
    label: object
    build: Callable[[object, dict], tuple[str, bytes]]  # (title, workbook bytes)


# --- (a) Annual rating summary by district ----------------------------------------------------------


def _dashboard_filters(user, params: dict) -> engine.DashboardFilters:
    """The dashboard's filters, with the programme kinds the user's province uses (as the page offers)."""
    return DashboardFilter(params, kinds=list(kinds_for_user(user))).filters()


def rating_summary(user, params: dict) -> tuple[str, bytes]:
    filters = _dashboard_filters(user, params)
    year, base = filters.year_to, filters.base_year
    chosen = board_scope(user, params)  # the Ministry: by province (one province's with `tinh`)
    board = chosen.board(engine.DashboardFilters(year, year, None, base, filters.grouping), by_unit=True)
    columns = [headed([NUMBERED])[0], Column(_("Đơn vị"), TEXT, 28), Column(_("Số TT xếp loại"), NUMBER, 11)]
    for rating in RATING_ORDER:
        columns += [Column(f"{rating.label}\n({_('số TT')})", NUMBER, 10), Column(f"{rating.label}\n(%)", PERCENT, 10)]
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

    shown = [r for r in board.rows if board.rated_shown(r, year)]  # no line for a unit with no centre rated that year
    rows = [line(i, r.label, r) for i, r in enumerate(shown, start=1)]
    total_label = _("Toàn quốc") if chosen.national else _("Toàn tỉnh") if chosen.province_level else _("Tổng cộng")
    totals = line(None, total_label, board.totals)
    title = _("Tổng hợp kết quả xếp loại trung tâm học tập cộng đồng năm %(year)s") % {"year": year}
    subtitle = _("Đơn vị: %(unit)s. Nhóm theo %(grouping)s.") % {
        "unit": chosen.unit,
        "grouping": grouping_label(filters.grouping),
    }
    notes = [
        _("Tính trên %(rated)s/%(total)s trung tâm đã được phê duyệt xếp loại năm %(year)s.")
        % {"rated": board.totals.at(year).rated, "total": len(board.centres_in(year)), "year": year},
        _("Tỷ lệ phần trăm làm tròn theo phương pháp phần dư lớn nhất, tổng mỗi dòng bằng 100,0%."),
    ]
    if chosen.national:
        notes.append(
            _(
                "Mỗi tỉnh, thành phố xếp loại theo bộ tiêu chí và ngưỡng điểm của chính tỉnh đó; số liệu toàn quốc "
                "là tổng các kết quả ấy."
            )
        )
    return title, write_document(
        header=header_for(user), title=title, subtitle=subtitle, columns=columns, rows=rows, totals=totals, notes=notes
    )


# --- (b) Learner participation by district, year and programme kind ---------------------------------


def participation_report(user, params: dict) -> tuple[str, bytes]:
    filters = _dashboard_filters(user, params)
    kinds = list(ProgrammeKind.objects.order_by("order", by_name()))
    chosen = board_scope(user, params)
    scope = chosen.scope
    if not chosen.province_level:
        scope = engine.history_scope(scope)  # a reviewer's centres with their predecessors, as on the dashboard
    data = engine.participation_by_kind(scope=scope, filters=filters, by_province=chosen.national)
    columns = [Column(_("Đơn vị"), TEXT, 24), Column(_("Năm"), YEAR, 7)]
    columns += [Column(k.name, NUMBER, 13) for k in kinds]
    columns += [
        Column(_("Tổng lượt người học"), NUMBER, 14),
        Column(_("Trong đó nữ"), NUMBER, 12),
        Column(_("Tỷ lệ nữ (%)"), PERCENT, 9),
        Column(_("Trong đó DTTS"), NUMBER, 12),
    ]
    grand: dict[int, engine.Figures] = {}
    grand_total = engine.Figures()

    def line(label, year, by_kind):
        total = engine.Figures()
        for f in by_kind.values():
            total.add(f)
        values = [label, year, *[by_kind[k.id].participations if k.id in by_kind else 0 for k in kinds]]
        pct = (total.women * 100 / total.participations) if total.participations else None
        return values + [total.participations, total.women, pct, total.minorities], total

    rows = []
    for group in sorted(data, key=lambda g: (g[0] != "district", sort_key(g[2]))):
        for year in filters.years:
            by_kind = data[group].get(year)
            if not by_kind:
                continue  # no line of zeros for a unit that had no centre (or no figures) that year
            values, total = line(group[2], year, by_kind)
            rows.append(values)
            for kind_id, f in by_kind.items():
                grand.setdefault(kind_id, engine.Figures()).add(f)
            grand_total.add(total)
    totals, _total = line(_("Tổng cộng"), None, grand)
    title = _("Tổng hợp lượt người học theo loại chương trình")
    subtitle = _("Đơn vị: %(unit)s. Năm: %(years)s. Nhóm theo %(grouping)s.") % {
        "unit": chosen.unit,
        "years": engine.years_label(filters),
        "grouping": grouping_label(filters.grouping),
    }
    return title, write_document(
        header=header_for(user), title=title, subtitle=subtitle, columns=columns, rows=rows, totals=totals
    )


# --- (c) Centres with their boards and instructors --------------------------------------------------

CENTRE_REPORT_COLUMNS = [
    centre_exports.DISTRICT,
    centre_exports.COMMUNE,
    centre_exports.NAME,
    centre_exports.DECISION_NUMBER,
    centre_exports.DECISION_DATE,
    centre_exports.ADDRESS,
    centre_exports.PHONE,
    Column(gettext_lazy("Thành viên Ban Giám đốc"), NUMBER, 14, "board_count"),
    Column(gettext_lazy("Giáo viên, báo cáo viên"), NUMBER, 14, "teaching_count"),
]


def centre_list_report(user, params: dict) -> tuple[str, bytes]:
    """The centres the centres list shows for these parameters, with their board and instructor counts."""
    found = centre_exports.filtered_centres(user, params)
    centres = with_board_and_instructor_counts(found.qs, day=timezone.localdate())
    rows = [[number, *row] for number, row in enumerate(query_rows(centres, CENTRE_REPORT_COLUMNS), start=1)]
    columns = headed([NUMBERED, *CENTRE_REPORT_COLUMNS])
    totals = [None, _("Tổng cộng")] + [
        sum(r[i] or 0 for r in rows) if column.kind == NUMBER and column.value else None
        for i, column in enumerate(columns)
        if i >= 2
    ]
    title = _("Danh sách trung tâm học tập cộng đồng")
    subtitle = _("Đơn vị: %(unit)s. Số trung tâm: %(n)s.") % {"unit": scope_label(user), "n": len(rows)}
    return title, write_document(
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
