"""The exports of the library and resources overviews (library:overview, resources:overview): one row per centre
of the page's year, the same rows the page's table shows (selectors of those apps), columns described once; with
`nhom=today` one row per centre of today (same territory), as the page shows it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from centres.selectors import GROUP_TODAY, grouping_param
from library.models import Library
from library.selectors import library_activity, library_activity_today
from reports.exports.base import Export, TableSpec, export_context, headed, object_rows
from resources.models import Source
from resources.selectors import contributions_by_centre, contributions_by_centre_today
from tthtcd_portal.params import year_param
from tthtcd_portal.xlsx import NUMBER, TEXT, Column

KINDS = dict(Library.Kind.choices)


def _year(params: dict) -> int:
    today = timezone.localdate()
    year = year_param(params.get("nam"))
    return year if year is not None and 1990 <= year <= today.year else today.year


def _unit_columns() -> list[Column]:
    return [
        Column(gettext_lazy("Huyện"), TEXT, 22, lambda c: c.commune.district.name if c.commune.district else ""),
        Column(gettext_lazy("Mã xã"), TEXT, 9, lambda c: c.commune.code),
        Column(gettext_lazy("Xã/phường"), TEXT, 24, lambda c: c.commune.name),
        Column(gettext_lazy("Trung tâm"), TEXT, 40, lambda c: c.name),
    ]


def _today_columns() -> list[Column]:
    """The unit columns of a same-territory row (centres.selectors.TerritoryRow)."""
    return [
        Column(gettext_lazy("Mã xã"), TEXT, 9, lambda r: r.commune_code),
        Column(gettext_lazy("Xã, phường hiện nay"), TEXT, 24, lambda r: r.commune_name),
        Column(gettext_lazy("Trung tâm hiện nay"), TEXT, 40, lambda r: r.name),
        Column(gettext_lazy("Gồm số liệu của"), TEXT, 50, lambda r: "; ".join(c.name for c in r.former)),
    ]


def _today(params: dict) -> bool:
    return grouping_param(params.get("nhom")) == GROUP_TODAY


def _grouping_context(user, year: int, today: bool):
    described = [(_("Nhóm theo"), _("Cùng địa bàn: xã, phường hiện nay (mọi năm)"))] if today else []
    return export_context(user, years=str(year), described=described)


def _kind(centre) -> str:
    library = getattr(centre, "library", None)
    return str(KINDS.get(library.kind, "")) if library is not None else str(KINDS[""])


LIBRARY_FIGURES = [
    Column(gettext_lazy("Thư viện"), TEXT, 16, _kind),
    Column(gettext_lazy("Lượt bạn đọc"), NUMBER, 12, lambda c: c.readers),
    Column(gettext_lazy("Lượt mượn"), NUMBER, 12, lambda c: c.loans),
    Column(gettext_lazy("Hoạt động đọc sách"), NUMBER, 12, lambda c: c.events),
    Column(gettext_lazy("Người tham gia"), NUMBER, 12, lambda c: c.participants),
    Column(gettext_lazy("Sách"), NUMBER, 10, lambda c: c.books),
    Column(gettext_lazy("Báo"), NUMBER, 10, lambda c: c.newspapers),
    Column(gettext_lazy("Tạp chí"), NUMBER, 10, lambda c: c.magazines),
]
LIBRARY_COLUMNS = [*_unit_columns(), *LIBRARY_FIGURES]
LIBRARY_TODAY_COLUMNS = [*_today_columns(), *LIBRARY_FIGURES]


def _library(user, params: dict) -> TableSpec:
    year, today = _year(params), _today(params)
    rows = library_activity_today(user=user, year=year) if today else list(library_activity(user=user, year=year))
    columns = LIBRARY_TODAY_COLUMNS if today else LIBRARY_COLUMNS
    return TableSpec(
        title=_("Hoạt động thư viện theo xã năm %(y)s") % {"y": year},
        context=_grouping_context(user, year, today),
        columns=headed(columns),
        rows=object_rows(rows, columns),
        total=len(rows),
    )


def _source_column(index: int, source: Source) -> Column:
    return Column(source.label, NUMBER, 16, lambda c: c.totals.values()[index])


RESOURCES_FIGURES = [
    *[_source_column(i, s) for i, s in enumerate(Source)],
    Column(gettext_lazy("Cộng (đồng)"), NUMBER, 16, lambda c: c.totals.total),
    Column(gettext_lazy("Số khoản"), NUMBER, 10, lambda c: c.totals.count),
]
RESOURCES_COLUMNS = [*_unit_columns(), *RESOURCES_FIGURES]
RESOURCES_TODAY_COLUMNS = [*_today_columns(), *RESOURCES_FIGURES]


def _resources(user, params: dict) -> TableSpec:
    year, today = _year(params), _today(params)
    if today:
        rows = contributions_by_centre_today(user=user, year=year)
    else:
        rows = contributions_by_centre(user=user, year=year)
    columns = RESOURCES_TODAY_COLUMNS if today else RESOURCES_COLUMNS
    return TableSpec(
        title=_("Huy động nguồn lực theo xã năm %(y)s (đồng)") % {"y": year},
        context=_grouping_context(user, year, today),
        columns=headed(columns),
        rows=object_rows(rows, columns),
        total=len(rows),
    )


EXPORTS = [
    Export("thu-vien", gettext_lazy("Hoạt động thư viện theo xã"), scoping.is_reviewer_or_above, _library),
    Export("nguon-luc", gettext_lazy("Huy động nguồn lực theo xã"), scoping.is_reviewer_or_above, _resources),
]
