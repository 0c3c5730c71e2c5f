"""The class-list Excel template and its reader. Reads and builds files; writes nothing to the database.

One flat sheet, one row per session: the class columns (title, kind, instructors, partner, place, start and end
dates) are repeated on each row of the class; rows with the same title and start date are the same class. Every
imported class is an open talk (head counts); roster classes are entered on the portal, learner by learner.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import ClassSession, Course, ProgrammeKind
from evaluations.selectors import centre_year_is_locked, locked_year_message
from tthtcd_portal.spreadsheet_cells import RowError, cell_date, cell_text, row_error
from tthtcd_portal.spreadsheets import read_table
from tthtcd_portal.vietnamese import clean_name
from tthtcd_portal.xlsx import DATE, DECIMAL, NUMBER, TEXT, Column, Sheet, write_workbook

SHEET_TITLE = "Lớp học và buổi học"
COLUMNS = [
    "Tên lớp, chuyên đề",
    "Loại chương trình",
    "Người dạy",
    "Đơn vị phối hợp",
    "Địa điểm",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Ngày học",
    "Nội dung buổi học",
    "Số giờ",
    "Số người dự",
    "Trong đó nữ",
    "Trong đó dân tộc thiểu số",
]
MAX_ROWS = 3000


GUIDE = [
    "Mỗi dòng là một buổi học. Các cột của lớp (tên, loại chương trình, người dạy, đơn vị phối hợp, địa điểm,",
    "ngày bắt đầu, ngày kết thúc) ghi lặp lại ở mọi dòng của cùng một lớp; các dòng cùng tên lớp và ngày bắt",
    "đầu là một lớp. Ngày ghi dd/mm/yyyy. Loại chương trình chọn trong danh sách (trang «Loại chương trình»).",
    "Số nữ và số người dân tộc thiểu số không lớn hơn số người dự. Ngày học nằm trong thời gian của lớp và",
    "không sau hôm nay. Lớp nhập từ tệp là chuyên đề đếm số người dự.",
    "Ví dụ: Phòng trừ sâu bệnh hại lúa | Khuyến nông, khuyến lâm, khuyến ngư, khuyến công | Nguyễn Văn Hùng |",
    "Trạm Khuyến nông huyện | Hội trường UBND xã | 01/03/2026 | 31/03/2026 | 05/03/2026 | Sâu cuốn lá | 2 | 85 | 40 | 0",
]
KINDS_SHEET = "Loại chương trình"
WIDTHS = [36, 30, 22, 22, 22, 14, 14, 14, 30, 8, 12, 12, 14]
KINDS = [TEXT, TEXT, TEXT, TEXT, TEXT, DATE, DATE, DATE, TEXT, DECIMAL, NUMBER, NUMBER, NUMBER]


def template_workbook(kinds=None) -> bytes:
    """The empty template: the data sheet (a drop-down of programme kinds on column B: `kinds`, those the
    user's province uses, else every nationally active one), the list of kinds and how to fill it in. Written
    by the one sheet writer, so a kind's name is text, never a formula."""
    kinds = ProgrammeKind.objects.filter(is_active=True) if kinds is None else kinds
    names = list(kinds.values_list("name", flat=True))
    return write_workbook(
        [
            Sheet(
                title=SHEET_TITLE,
                columns=[Column(h, k, w) for h, k, w in zip(COLUMNS, KINDS, WIDTHS, strict=True)],
                choices={1: KINDS_SHEET},
                choice_rows=MAX_ROWS,
            ),
            Sheet(title=KINDS_SHEET, columns=[Column(KINDS_SHEET, TEXT, 50)], rows=[[name] for name in names]),
            Sheet(title="Hướng dẫn", lines=GUIDE),
        ]
    )


@dataclass
class ImportedClass:
    title: str
    programme_kind: ProgrammeKind
    instructor_names: str
    partner: str
    place: str
    start_date: datetime.date
    end_date: datetime.date
    first_row: int
    sessions: list[dict] = field(default_factory=list)
    # The class already in the portal under the same natural key (match_existing), else None.
    existing: Course | None = None

    @property
    def participations(self) -> int:
        return sum(s["present"] for s in self.sessions)

    @property
    def new_sessions(self) -> list[dict]:
        return [s for s in self.sessions if s["existing"] is None]

    @property
    def changed_sessions(self) -> list[dict]:
        return [s for s in self.sessions if s["existing"] is not None and s["changed"]]

    @property
    def same_sessions(self) -> list[dict]:
        return [s for s in self.sessions if s["existing"] is not None and not s["changed"]]


@dataclass
class ImportResult:
    classes: list[ImportedClass] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def session_count(self) -> int:
        return sum(len(c.sessions) for c in self.classes)

    @property
    def new_class_count(self) -> int:
        return sum(c.existing is None for c in self.classes)

    @property
    def new_session_count(self) -> int:
        return sum(len(c.new_sessions) for c in self.classes)

    @property
    def changed_session_count(self) -> int:
        return sum(len(c.changed_sessions) for c in self.classes)

    @property
    def same_session_count(self) -> int:
        return sum(len(c.same_sessions) for c in self.classes)


# What an import compares to recognise a row already in the portal: the one spelling of the text, any case.
def naturalcell_text(value: str) -> str:
    return clean_name(value).casefold()


def class_key(*, title: str, programme_kind_id: int, start_date: datetime.date) -> tuple:
    """A class's natural key within its centre (docs/courses.md: importing twice counts once)."""
    return (naturalcell_text(title), programme_kind_id, start_date)


def session_key(*, date: datetime.date, topic: str) -> tuple:
    """A session's natural key within its class."""
    return (date, naturalcell_text(topic))


SESSION_COUNTS = ("present", "women", "minorities", "hours")


def match_existing(classes: list[ImportedClass], *, centre) -> None:
    """Mark each class and session of the file already in the portal: `item.existing` (the class) and each
    session's "existing" (the session, else None) and "changed" (its counts or hours differ). Two sessions of
    a class with the same date and topic are matched one to one, so a file that lists both imports twice as
    once. Two queries (the centre's classes starting on the file's start dates, their sessions)."""
    for item in classes:
        for fields in item.sessions:
            fields["existing"], fields["changed"] = None, False
    if not classes:
        return
    found: dict[tuple, Course] = {}
    for course in Course.objects.filter(centre=centre, start_date__in={c.start_date for c in classes}).order_by("id"):
        key = class_key(title=course.title, programme_kind_id=course.programme_kind_id, start_date=course.start_date)
        found.setdefault(key, course)
    for item in classes:
        item.existing = found.get(
            class_key(title=item.title, programme_kind_id=item.programme_kind.pk, start_date=item.start_date)
        )
    matched = {item.existing.pk: item for item in classes if item.existing is not None}
    pool: dict[tuple, list[ClassSession]] = {}
    for session in ClassSession.objects.filter(course_id__in=list(matched)).order_by("date", "id"):
        pool.setdefault((session.course_id, *session_key(date=session.date, topic=session.topic)), []).append(session)
    for course_id, item in matched.items():
        for fields in item.sessions:
            candidates = pool.get((course_id, *session_key(date=fields["date"], topic=fields["topic"])))
            if candidates:
                existing = fields["existing"] = candidates.pop(0)
                fields["changed"] = any(getattr(existing, f) != fields[f] for f in SESSION_COUNTS)


def _count(value, row: int, column: str) -> int:
    if value is None or value == "":
        return 0
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise row_error(row, column, _("phải là số nguyên, nhận được «%(value)s».") % {"value": value}) from None
    if number != number.to_integral_value():
        raise row_error(row, column, _("phải là số nguyên, nhận được «%(value)s».") % {"value": value})
    if number < 0:
        raise row_error(row, column, _("không được là số âm."))
    return int(number)


def _hours(value, row: int, column: str) -> Decimal:
    if value is None or value == "":
        return Decimal("2.0")
    try:
        number = Decimal(str(value).strip().replace(",", ".")).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise row_error(row, column, _("phải là số, nhận được «%(value)s».") % {"value": value}) from None
    if number < 0 or number > 24:
        raise row_error(row, column, _("phải từ 0 đến 24."))
    return number


def parse_class_list(fileobj, name: str, *, centre) -> ImportResult:
    """Read the whole file and name every bad row and column, then mark what the portal already has
    (match_existing). Queries: kinds (1), locked years (1 per year), existing classes and sessions (2)."""
    header, rows = read_table(fileobj, name, max_rows=MAX_ROWS)
    result = ImportResult()
    if header[: len(COLUMNS)] != COLUMNS:
        result.errors.append(
            _("Dòng tiêu đề không đúng mẫu. Hãy tải mẫu của cổng và giữ nguyên các cột: %(columns)s.")
            % {"columns": " | ".join(COLUMNS)}
        )
        return result
    from courses.selectors import kinds_for_province

    kinds = {}
    for kind in kinds_for_province(centre.commune.province_id):  # a kind the province hides is refused
        kinds[kind.name.casefold()] = kind
        kinds[kind.code.casefold()] = kind
    today = timezone.localdate()
    classes: dict[tuple[str, datetime.date], ImportedClass] = {}  # by natural title and start date
    locked: dict[int, bool] = {}
    for number, cells in rows:
        cells = list(cells) + [None] * (len(COLUMNS) - len(cells))
        try:
            title = cell_text(cells[0], number, COLUMNS[0], required=True)
            kind_name = cell_text(cells[1], number, COLUMNS[1], required=True)
            kind = kinds.get(kind_name.casefold())
            if kind is None:
                raise row_error(
                    number,
                    COLUMNS[1],
                    _("«%(value)s» không có trong danh sách loại chương trình.") % {"value": kind_name},
                )
            start = cell_date(cells[5], number, COLUMNS[5])
            end = cell_date(cells[6], number, COLUMNS[6])
            if end < start:
                raise row_error(number, COLUMNS[6], _("ngày kết thúc trước ngày bắt đầu."))
            day = cell_date(cells[7], number, COLUMNS[7])
            if day > today:
                raise row_error(number, COLUMNS[7], _("ngày %(day)s chưa đến.") % {"day": day.strftime("%d/%m/%Y")})
            if not start <= day <= end:
                raise row_error(number, COLUMNS[7], _("ngày học nằm ngoài thời gian của lớp."))
            session = {
                "date": day,
                "topic": cell_text(cells[8], number, COLUMNS[8]),
                "hours": _hours(cells[9], number, COLUMNS[9]),
                "present": _count(cells[10], number, COLUMNS[10]),
                "women": _count(cells[11], number, COLUMNS[11]),
                "minorities": _count(cells[12], number, COLUMNS[12]),
                "row": number,
            }
            if session["women"] > session["present"]:
                raise row_error(number, COLUMNS[11], _("số nữ lớn hơn số người dự."))
            if session["minorities"] > session["present"]:
                raise row_error(number, COLUMNS[12], _("số người dân tộc thiểu số lớn hơn số người dự."))
            for year in {start.year, day.year}:
                if year not in locked:
                    locked[year] = centre_year_is_locked(centre_id=centre.pk, year=year)
                if locked[year]:
                    raise row_error(number, COLUMNS[7], locked_year_message(year))
            item = classes.get((naturalcell_text(title), start))
            if item is None:
                item = classes[(naturalcell_text(title), start)] = ImportedClass(
                    title=title,
                    programme_kind=kind,
                    instructor_names=cell_text(cells[2], number, COLUMNS[2]),
                    partner=cell_text(cells[3], number, COLUMNS[3]),
                    place=cell_text(cells[4], number, COLUMNS[4]),
                    start_date=start,
                    end_date=end,
                    first_row=number,
                )
            elif item.programme_kind != kind or item.end_date != end:
                raise row_error(
                    number,
                    COLUMNS[1] if item.programme_kind != kind else COLUMNS[6],
                    _("khác với dòng %(first)s của cùng lớp.") % {"first": item.first_row},
                )
            item.sessions.append(session)
        except RowError as exc:
            result.errors.append(str(exc))
    result.classes = list(classes.values())
    if not result.classes and not result.errors:
        result.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if not result.errors:
        match_existing(result.classes, centre=centre)
    return result
