"""The needs-survey and plan Excel templates and their readers. Reads and builds files; writes nothing.

One flat sheet per file, one row per cell of the paper form: a needs row is (year, programme kind, group,
respondents), a plan row (year, programme kind, form, month, count, expected learner-participations). The
centre is chosen on the upload page. A row's natural key — centre, year, kind, group (or kind, form, month) —
tells the portal it already holds that cell: the preview says "đã có", and the import keeps it unless the user
ticks "update", so the same file twice changes nothing (docs/planning.md).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from courses.models import ProgrammeKind
from planning.models import ActivityPlan, NeedGroup, NeedTally, PlanLine
from planning.selectors import write_refusal
from tthtcd_portal.spreadsheet_cells import RowError, row_error
from tthtcd_portal.spreadsheets import read_table
from tthtcd_portal.xlsx import NUMBER, TEXT, Column, Sheet, write_workbook

MAX_ROWS = 3000
KINDS_SHEET = "Loại chương trình"
GROUPS_SHEET = "Nhóm đối tượng"
FORMS_SHEET = "Hình thức"

NEEDS_SHEET = "Nhu cầu học tập"
NEEDS_COLUMNS = ["Năm", "Loại chương trình", "Nhóm đối tượng", "Số người có nhu cầu"]
NEEDS_GUIDE = [
    "Mỗi dòng là một ô của phiếu tổng hợp khảo sát: năm, loại chương trình người dân muốn học, nhóm đối tượng và",
    "số người có nhu cầu. Mỗi người chỉ tính ở một nhóm (nhóm đầu tiên phù hợp theo thứ tự trong danh sách).",
    "Loại chương trình và nhóm đối tượng chọn trong danh sách. Một năm, một loại, một nhóm chỉ ghi một dòng.",
    "Nhập lại cùng tệp không cộng thêm: ô đã có trên cổng được giữ nguyên, trừ khi chọn cập nhật theo tệp.",
    "Ví dụ: 2026 | Khuyến nông, khuyến lâm, khuyến ngư, khuyến công | Nông dân | 120",
]
PLAN_SHEET = "Kế hoạch năm"
PLAN_COLUMNS = ["Năm", "Loại chương trình", "Hình thức", "Tháng", "Số lớp, chuyên đề", "Lượt người học dự kiến"]
PLAN_GUIDE = [
    "Mỗi dòng là các lớp học (hoặc chuyên đề) của một loại chương trình dự kiến mở trong một tháng, với số lượt",
    "người học dự kiến (cộng số người dự các buổi, như số liệu báo cáo). Hình thức: «Lớp học» hoặc «Chuyên đề,",
    "nói chuyện». Tháng từ 1 đến 12. Kế hoạch đã được UBND xã phê duyệt thì không nhập được.",
    "Ví dụ: 2026 | Chuyên đề pháp luật – chính sách | Chuyên đề, nói chuyện | 3 | 2 | 300",
]


def _kinds() -> dict[str, ProgrammeKind]:
    kinds = {}
    for kind in ProgrammeKind.objects.filter(is_active=True):
        kinds[kind.name.casefold()] = kind
        kinds[kind.code.casefold()] = kind
    return kinds


def _choices(choices) -> dict[str, str]:
    found = {}
    for value, label in choices:
        found[str(label).casefold()] = value
        found[value.casefold()] = value
    return found


def _template(title: str, columns: list[str], widths: list[int], kinds: list[str], lists: dict, guide) -> bytes:
    names = list(ProgrammeKind.objects.filter(is_active=True).values_list("name", flat=True))
    sheets = [
        Sheet(
            title=title,
            columns=[Column(h, k, w) for h, k, w in zip(columns, kinds, widths, strict=True)],
            choices={1: KINDS_SHEET, **{index: name for index, (name, _values) in lists.items()}},
            choice_rows=MAX_ROWS,
        ),
        Sheet(title=KINDS_SHEET, columns=[Column(KINDS_SHEET, TEXT, 50)], rows=[[n] for n in names]),
    ]
    sheets += [
        Sheet(title=name, columns=[Column(name, TEXT, 40)], rows=[[str(v)] for v in values])
        for name, values in lists.values()
    ]
    return write_workbook([*sheets, Sheet(title="Hướng dẫn", lines=guide)])


def needs_template() -> bytes:
    groups = [label for _v, label in NeedGroup.choices]
    return _template(NEEDS_SHEET, NEEDS_COLUMNS, [8, 44, 30, 14], [NUMBER, TEXT, TEXT, NUMBER],
                     {2: (GROUPS_SHEET, groups)}, NEEDS_GUIDE)  # fmt: skip


def plan_template() -> bytes:
    forms = [label for _v, label in PlanLine.Activity.choices]
    return _template(PLAN_SHEET, PLAN_COLUMNS, [8, 44, 22, 8, 12, 16], [NUMBER, TEXT, TEXT, NUMBER, NUMBER, NUMBER],
                     {2: (FORMS_SHEET, forms)}, PLAN_GUIDE)  # fmt: skip


def _whole(value, row: int, column: str, *, minimum: int = 0, maximum: int = 10**7, blank: int | None = None) -> int:
    if (value is None or str(value).strip() == "") and blank is not None:
        return blank
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise row_error(row, column, _("phải là số nguyên, nhận được «%(value)s».") % {"value": value}) from None
    if number != number.to_integral_value():
        raise row_error(row, column, _("phải là số nguyên, nhận được «%(value)s».") % {"value": value})
    if not minimum <= number <= maximum:
        raise row_error(row, column, _("phải từ %(min)s đến %(max)s.") % {"min": minimum, "max": maximum})
    return int(number)


def _picked(value, row: int, column: str, found: dict, what: str):
    text = "" if value is None else str(value).strip()
    if not text:
        raise row_error(row, column, _("không được để trống."))
    picked = found.get(text.casefold())
    if picked is None:
        raise row_error(
            row, column, _("«%(value)s» không có trong danh sách %(what)s.") % {"value": text, "what": what}
        )
    return picked


@dataclass
class NeedRow:
    year: int
    programme_kind: ProgrammeKind
    group: str
    respondents: int
    row: int
    existing: int | None = None  # the count the portal holds for this cell, else None
    changed: bool = False

    @property
    def group_label(self) -> str:
        return NeedGroup(self.group).label


@dataclass
class PlanRow:
    year: int
    programme_kind: ProgrammeKind
    activity: str
    month: int
    count: int
    expected: int
    row: int
    existing: tuple[int, int] | None = None  # (count, expected) the portal holds, else None
    changed: bool = False

    @property
    def activity_label(self) -> str:
        return PlanLine.Activity(self.activity).label


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(r.existing is None for r in self.rows)

    @property
    def changed_count(self) -> int:
        return sum(r.existing is not None and r.changed for r in self.rows)

    @property
    def same_count(self) -> int:
        return sum(r.existing is not None and not r.changed for r in self.rows)


def _read(fileobj, name: str, columns: list[str], result: ImportResult):
    header, rows = read_table(fileobj, name, max_rows=MAX_ROWS)
    if header[: len(columns)] != columns:
        result.errors.append(
            _("Dòng tiêu đề không đúng mẫu. Hãy tải mẫu của cổng và giữ nguyên các cột: %(columns)s.")
            % {"columns": " | ".join(columns)}
        )
        return []
    return [(n, list(cells) + [None] * (len(columns) - len(cells))) for n, cells in rows]


def _refused(refusals: dict, centre, year: int, plan=None) -> str:
    if year not in refusals:
        refusals[year] = write_refusal(centre=centre, year=year, plan=plan)
    return refusals[year]


def _finish(result: ImportResult) -> ImportResult:
    if not result.rows and not result.errors:
        result.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if result.errors:
        result.rows = []
    return result


def parse_needs(fileobj, name: str, *, centre) -> ImportResult:
    """Read the whole needs file, naming every bad row and column, then mark the cells the portal holds.
    Queries: kinds (1), one lock check per year, the centre's cells of the file's years (1)."""
    result = ImportResult()
    cols, kinds, groups = NEEDS_COLUMNS, _kinds(), _choices(NeedGroup.choices)
    seen: dict[tuple, int] = {}
    refusals: dict[int, str] = {}
    for number, cells in _read(fileobj, name, cols, result):
        try:
            year = _whole(cells[0], number, cols[0], minimum=2000, maximum=2100)
            kind = _picked(cells[1], number, cols[1], kinds, _("loại chương trình"))
            group = _picked(cells[2], number, cols[2], groups, _("nhóm đối tượng"))
            respondents = _whole(cells[3], number, cols[3], blank=0)
            key = (year, kind.pk, group)
            if key in seen:
                raise row_error(
                    number, cols[2], _("trùng với dòng %(first)s (cùng năm, loại và nhóm).") % {"first": seen[key]}
                )
            seen[key] = number
            reason = _refused(refusals, centre, year)
            if reason:
                raise row_error(number, cols[0], reason)
            result.rows.append(NeedRow(year, kind, group, respondents, number))
        except RowError as exc:
            result.errors.append(str(exc))
    if not result.errors and result.rows:
        held = {
            (t.survey.year, t.programme_kind_id, t.group): t.respondents
            for t in NeedTally.objects.filter(
                survey__centre=centre, survey__year__in={r.year for r in result.rows}
            ).select_related("survey")
        }
        for row in result.rows:
            value = held.get((row.year, row.programme_kind.pk, row.group))
            # An empty cell the portal does not hold is "already there" too: nothing to add.
            row.existing = value if value is not None or row.respondents else 0
            row.changed = row.existing is not None and row.existing != row.respondents
    return _finish(result)


def parse_plans(fileobj, name: str, *, centre) -> ImportResult:
    """Read the whole plan file, naming every bad row and column (an approved plan or a locked year refuses its
    rows), then mark the lines the portal holds. Queries: kinds (1), the centre's plans of the file's years
    (1), one lock check per year, their lines (1)."""
    result = ImportResult()
    cols, kinds, forms = PLAN_COLUMNS, _kinds(), _choices(PlanLine.Activity.choices)
    rows = _read(fileobj, name, cols, result)
    years = set()
    for number, cells in rows:
        with contextlib.suppress(RowError):
            years.add(_whole(cells[0], number, cols[0], minimum=2000, maximum=2100))
    plans = {p.year: p for p in ActivityPlan.objects.filter(centre=centre, year__in=years)}
    seen: dict[tuple, int] = {}
    refusals: dict[int, str] = {}
    for number, cells in rows:
        try:
            year = _whole(cells[0], number, cols[0], minimum=2000, maximum=2100)
            kind = _picked(cells[1], number, cols[1], kinds, _("loại chương trình"))
            activity = _picked(cells[2], number, cols[2], forms, _("hình thức"))
            month = _whole(cells[3], number, cols[3], minimum=1, maximum=12)
            count = _whole(cells[4], number, cols[4], minimum=1, maximum=1000)
            expected = _whole(cells[5], number, cols[5], blank=0)
            key = (year, kind.pk, activity, month)
            if key in seen:
                raise row_error(
                    number,
                    cols[3],
                    _("trùng với dòng %(first)s (cùng năm, loại, hình thức và tháng).") % {"first": seen[key]},
                )
            seen[key] = number
            reason = _refused(refusals, centre, year, plans.get(year))
            if reason:
                raise row_error(number, cols[0], reason)
            result.rows.append(PlanRow(year, kind, activity, month, count, expected, number))
        except RowError as exc:
            result.errors.append(str(exc))
    if not result.errors and result.rows:
        held = {
            (line.plan.year, line.programme_kind_id, line.activity, line.month): (line.count, line.expected)
            for line in PlanLine.objects.filter(plan__in=list(plans.values())).select_related("plan")
        }
        for row in result.rows:
            row.existing = held.get((row.year, row.programme_kind.pk, row.activity, row.month))
            row.changed = row.existing is not None and row.existing != (row.count, row.expected)
    return _finish(result)
