"""The audit trail (issue 9 item 3): who changed what and when, with old and new values, across the change
history of the registry, the classes, the evaluations, the library and the resources mobilised — for provincial officials, within their province.

Sources: the django-simple-history tables of centres (Centre, BoardMember, Instructor, InstructorAssignment)
and courses (Course, ClassSession, Learner, Enrolment), plus courses.AttendanceAudit (counts before → after
each attendance save), evaluations.AssessmentEvent (status from → to, the changed scores), and planning's
surveys, their cells, plans and plan lines (history tables).

Cost, whatever the number of changes: one UNION ALL of every source's (kind, id, time) in scope and filtered,
each part limited to the rows a page needs (EntryKeys), reads the page's keys and counts them up to COUNTED
(docs/reports.md, "The audit trail's count"), then one UNION ALL over the kinds present on the page fetches
their rows together with each row's previous history row (a correlated subquery; `_rows`), from which the
old → new values are computed with simple_history's diff_against. So a page costs 2 queries whatever its kinds
(one more for the province ids of an official; issue 17), and the export reads it chunk by chunk the same way,
after the last key read.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import scoping
from centres.models import BoardMember, Centre, Equipment, Instructor, InstructorAssignment
from courses.models import AttendanceAudit, ClassSession, Course, Enrolment, Learner
from evaluations.history import event_changes
from evaluations.models import Assessment, AssessmentEvent
from library.models import Holding, Library, LibraryMonth, ReadingEvent
from planning.models import ActivityPlan, NeedSurvey, NeedTally, PlanLine
from resources.models import Contribution
from staff_accounts.models import AccountChange
from tthtcd_portal import rows
from tthtcd_portal.db_router import read_db
from tthtcd_portal.params import int_param

ACTIONS = {"+": gettext_lazy("Thêm mới"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}
ARCHIVED, RESTORED = gettext_lazy("Xóa (lưu trữ)"), gettext_lazy("Khôi phục")
# Fields not worth a line: bookkeeping, and the parent an object hangs off (shown in its own column). Archiving
# (tthtcd_portal.archive) shows as the action, its reason saying what went with what.
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "archived_at", "archived_by"}


@dataclass(frozen=True)
class Source:
    """One table of changes: how to scope, filter, label and diff its rows."""

    kind: str
    label: str
    model: type[models.Model]  # a historical model, or AttendanceAudit / AssessmentEvent
    centre_path: str | None  # path from a row to its Centre ("" for a centre's own history); None: see scope
    time: str
    user: str
    related: tuple[str, ...]  # select_related for the label and the centre column
    describe: Callable[[models.Model], tuple[str, Centre | None]]  # (object label, centre)
    history: bool = True
    # Rows scoped by something other than a centre (account changes: by province): the Q for a user.
    scope_q: Callable | None = None

    @property
    def pk(self) -> str:
        return "history_id" if self.history else "id"

    def scoped(self, user) -> models.QuerySet:
        qs = self.model._default_manager.using(read_db())
        if self.scope_q is not None:
            return qs.filter(self.scope_q(user))
        if self.centre_path is None:  # an instructor belongs to the centres that assign them
            teaching = scoping.scoped(user, InstructorAssignment.objects.using(read_db()), "centre")
            return qs.filter(id__in=teaching.values("instructor_id"))
        return scoping.scoped(user, qs, self.centre_path)

    def for_centre(self, qs: models.QuerySet, centre: Centre) -> models.QuerySet:
        if self.scope_q is not None:  # an account change concerns a centre through the account's centre
            return qs.filter(account__centre=centre)
        if self.centre_path is None:
            return qs.filter(id__in=InstructorAssignment.objects.filter(centre=centre).values("instructor_id"))
        return qs.filter(**{self.centre_path + ("__id" if self.centre_path else "id"): centre.pk})


def _named(obj, attr: str) -> str:
    """A parent's name, or a mark when it was hard-deleted with no history row left to name it."""
    return getattr(obj, attr) if obj is not None else _("(đã xóa)")


def _centre_of(obj):
    return getattr(obj, "centre", None) if obj is not None else None


def _session_label(record) -> str:
    if record is None:
        return _("(đã xóa)")
    return f"{_named(record.course, 'title')} – {record.date:%d/%m/%Y}"


def _need_label(record) -> str:
    """ "Khuyến nông – Nông dân (2026)": the cell of a survey."""
    survey = record.survey
    year = survey.year if survey is not None else "?"
    return f"{_named(record.programme_kind, 'name')} – {record.get_group_display()} ({year})"


def _plan_line_label(record) -> str:
    plan = record.plan
    year = plan.year if plan is not None else "?"
    kind = _named(record.programme_kind, "name")
    return _("%(kind)s, tháng %(month)s/%(year)s") % {"kind": kind, "month": record.month, "year": year}


SOURCES: dict[str, Source] = {
    s.kind: s
    for s in [
        Source(
            "trung-tam",
            gettext_lazy("Trung tâm"),
            Centre.history.model,
            "",
            "history_date",
            "history_user",
            ("history_user", "commune"),
            lambda r: (r.name, r),
        ),
        Source(
            "ban-giam-doc",
            gettext_lazy("Ban Giám đốc"),
            BoardMember.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (r.full_name, r.centre),
        ),
        Source(
            "giang-vien",
            gettext_lazy("Giảng viên"),
            Instructor.history.model,
            None,
            "history_date",
            "history_user",
            ("history_user",),
            lambda r: (r.full_name, None),
        ),
        Source(
            "phan-cong",
            gettext_lazy("Giảng viên tại trung tâm"),
            InstructorAssignment.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre", "instructor"),
            lambda r: (_named(r.instructor, "full_name"), r.centre),
        ),
        Source(
            "lop-hoc",
            gettext_lazy("Lớp học"),
            Course.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (r.title, r.centre),
        ),
        Source(
            "buoi-hoc",
            gettext_lazy("Buổi học"),
            ClassSession.history.model,
            "course__centre",
            "history_date",
            "history_user",
            ("history_user", "course__centre"),
            lambda r: (_session_label(r), _centre_of(r.course)),
        ),
        Source(
            "nguoi-hoc",
            gettext_lazy("Người học"),
            Learner.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (r.full_name, r.centre),
        ),
        Source(
            "ghi-danh",
            gettext_lazy("Ghi danh"),
            Enrolment.history.model,
            "course__centre",
            "history_date",
            "history_user",
            ("history_user", "course__centre", "learner"),
            lambda r: (f"{_named(r.learner, 'full_name')} – {_named(r.course, 'title')}", _centre_of(r.course)),
        ),
        Source(
            "diem-danh",
            gettext_lazy("Điểm danh"),
            AttendanceAudit,
            "session__course__centre",
            "at",
            "by",
            ("by", "session__course__centre"),
            lambda r: (_session_label(r.session), _centre_of(r.session.course)),
            history=False,
        ),
        Source(
            "danh-gia",
            gettext_lazy("Đánh giá xếp loại"),
            AssessmentEvent,
            "assessment__centre",
            "at",
            "actor",
            ("actor", "assessment__centre"),
            lambda r: (_("Đánh giá năm %(year)s") % {"year": r.assessment.year}, r.assessment.centre),
            history=False,
        ),
        Source(
            "khao-sat",
            gettext_lazy("Khảo sát nhu cầu học tập"),
            NeedSurvey.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (_("Khảo sát nhu cầu năm %(year)s") % {"year": r.year}, r.centre),
        ),
        Source(
            "nhu-cau",
            gettext_lazy("Số người có nhu cầu học"),
            NeedTally.history.model,
            "survey__centre",
            "history_date",
            "history_user",
            ("history_user", "survey__centre", "programme_kind"),
            lambda r: (_need_label(r), _centre_of(r.survey)),
        ),
        Source(
            "ke-hoach",
            gettext_lazy("Kế hoạch hoạt động năm"),
            ActivityPlan.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (_("Kế hoạch năm %(year)s") % {"year": r.year}, r.centre),
        ),
        Source(
            "dong-ke-hoach",
            gettext_lazy("Dòng kế hoạch"),
            PlanLine.history.model,
            "plan__centre",
            "history_date",
            "history_user",
            ("history_user", "plan__centre", "programme_kind"),
            lambda r: (_plan_line_label(r), _centre_of(r.plan)),
        ),
        Source(
            "thiet-bi",
            gettext_lazy("Thiết bị"),
            Equipment.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (r.name, r.centre),
        ),
        Source(
            "thu-vien",
            gettext_lazy("Thư viện"),
            Library.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (r.get_kind_display(), r.centre),
        ),
        Source(
            "von-tai-lieu",
            gettext_lazy("Vốn tài liệu"),
            Holding.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (f"{r.as_of:%d/%m/%Y}", r.centre),
        ),
        Source(
            "ban-doc",
            gettext_lazy("Bạn đọc theo tháng"),
            LibraryMonth.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (f"{r.month:02d}/{r.year}", r.centre),
        ),
        Source(
            "doc-sach",
            gettext_lazy("Hoạt động đọc sách"),
            ReadingEvent.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (r.title, r.centre),
        ),
        Source(
            "nguon-luc",
            gettext_lazy("Huy động nguồn lực"),
            Contribution.history.model,
            "centre",
            "history_date",
            "history_user",
            ("history_user", "centre"),
            lambda r: (r.description, r.centre),
        ),
        Source(
            "tai-khoan",
            gettext_lazy("Tài khoản"),
            AccountChange,
            None,
            "at",
            "by",
            ("by", "account__centre", "account__office"),
            lambda r: (f"{r.account.display_name} ({r.account.username})", r.account.centre),
            history=False,
            scope_q=scoping.account_changes_q,
        ),
    ]
}
KIND_CHOICES = [(s.kind, s.label) for s in SOURCES.values()]


@dataclass(frozen=True)
class AuditFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    user_text: str = ""
    kind: str = ""
    centre: Centre | None = None
    kinds: tuple[str, ...] = ()  # several kinds at once (the centre page's history); `kind` wins when set


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: datetime.datetime
    who: str
    kind_label: str
    object_label: str
    centre: str
    action: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""

    @property
    def changes_html(self) -> str:
        """The entry's changes, old → new, and its reason, as HTML (the audit trail's rows and the centre page's
        history, through reports/partials/audit_changes.html): written here, not by a template included per row,
        which was a third of the audit trail's rendering (issue 18)."""
        out = []
        if self.changes:
            out.append('<ul class="list-unstyled mb-0">')
            for c in self.changes:
                old = f"<del>{conditional_escape(c.old)}</del> → " if c.old else ""
                new = conditional_escape(c.new) if c.new else "—"
                out.append(
                    f'<li><span class="text-muted">{conditional_escape(c.field)}:</span> {old}<strong>{new}</strong></li>'
                )
            out.append("</ul>")
        out.append("\n")
        if self.reason:
            reason = _("Lý do: %(reason)s") % {"reason": conditional_escape(self.reason)}
            out.append(f'<div class="text-muted">{reason}</div>')
        return mark_safe("".join(out))  # noqa: S308 — every value above is escaped


def rows_html(entries: list[AuditEntry]) -> str:
    """The audit trail's table rows, the characters its template's loop wrote (tthtcd_portal/rows.py, issue 18;
    tests/reports/test_audit.py compares them)."""
    day, write = rows.dates(), rows.text
    # On a phone the rows stack (.table-stack): the time and the user after their headings, the object and the
    # changes each a line of its own.
    when_label, who_label = write(_("Thời điểm")), write(_("Người thực hiện"))
    out = []
    for e in entries:
        when = timezone.localtime(e.when) if timezone.is_aware(e.when) else e.when
        centre = write(e.centre)
        nearby = f'<span class="d-md-none"> · {centre}</span>' if e.centre else ""
        out.append(
            f'\n    <tr data-key="{write(e.object_label)}">\n      <td class="text-nowrap" data-label="{when_label}">'
            f'{day(when)}<div class="small text-muted stack-inline"> {when.hour:02d}:{when.minute:02d}</div></td>\n'
            f'      <td data-label="{who_label}">{write(e.who)}</td>\n      <td><span'
            f' class="badge text-bg-light">{write(e.kind_label)}</span> {write(e.object_label)}<div class="small'
            f' text-muted">{write(e.action)}{nearby}</div></td>\n      <td class="d-none d-md-table-cell small">'
            f'{centre if e.centre else "—"}</td>\n      <td class="small">\n        {write(e.changes_html)}\n      </td>'
            "\n    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 — every value is escaped (rows.text)


def _filtered(source: Source, user, filters: AuditFilters) -> models.QuerySet:
    qs = source.scoped(user)
    if filters.centre is not None:
        qs = source.for_centre(qs, filters.centre)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=zone)
        qs = qs.filter(**{f"{source.time}__gte": start})
    if filters.date_to:
        end = datetime.datetime.combine(filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        qs = qs.filter(**{f"{source.time}__lt": end})
    if filters.user_text:
        text = filters.user_text
        qs = qs.filter(
            Q(**{f"{source.user}__username__icontains": text})
            | Q(**{f"{source.user}__last_name__icontains": text})
            | Q(**{f"{source.user}__first_name__icontains": text})
        )
    return qs


# The SQL of the key slices read lately (EntryKeys.__getitem__), oldest first out.
_COMPILED: dict[tuple, tuple[str, tuple]] = {}
_COMPILED_LOCK = threading.Lock()
COMPILED_KEPT = 500
_STATEMENT_NUMBERS = itertools.count(1)
# The statements each database session (connection, backend process) has prepared; DEALLOCATE ALL past this many,
# and forget every session past SESSIONS_KEPT (closed ones stay in the dict until then).
_PREPARED: dict[tuple[int, int], set[str]] = {}
PREPARED_KEPT = 50
SESSIONS_KEPT = 1000


class EntryKeys:
    """(kind, id, time) of every change the user may see, newest first (time, then id, descending; then kind):
    one UNION ALL of the sources' rows in scope and filtered, read a slice at a time.

    A slice [a:b] asks each source for its own first b rows in that order (`ORDER BY time DESC, id DESC LIMIT
    b` inside each part, an index scan backwards on each table's time index) and keeps rows a..b of their
    union: PostgreSQL never sorts a table's whole history for a page. `count()` is one query too (the sum of
    the parts' counts). `after(key, n)` reads the n keys after a key (keyset: the export, chunk by chunk)."""

    def __init__(self, user, filters: AuditFilters):
        self.user, self.filters = user, filters
        if filters.kind in SOURCES:
            self.sources = [SOURCES[filters.kind]]
        else:
            self.sources = [SOURCES[k] for k in filters.kinds if k in SOURCES] or list(SOURCES.values())

    @cached_property
    def parts(self) -> list[models.QuerySet]:
        return [
            _filtered(s, self.user, self.filters)
            .order_by()
            .annotate(k=Value(s.kind, output_field=CharField()), key=F(s.pk), t=F(s.time))
            .values_list("k", "key", "t")
            for s in self.sources
        ]

    def count(self) -> int:
        first, *rest = self.parts
        return first.union(*rest, all=True).count() if rest else first.count()

    def _union(self, parts: list[models.QuerySet], start: int, stop: int) -> models.QuerySet:
        limited = connections[parts[0].db].features.supports_slicing_ordering_in_compound
        if limited and len(parts) > 1:
            parts = [p.order_by("-t", "-key")[:stop] for p in parts]
        first, *rest = parts
        union = first.union(*rest, all=True) if rest else first
        return union.order_by("-t", "-key", "k")[start:stop]

    def _read(self, parts: list[models.QuerySet], start: int, stop: int) -> list[tuple]:
        return list(self._union(parts, start, stop))

    def _cache_key(self, alias: str, start: int, stop: int) -> tuple:
        """Everything the SQL of a slice depends on: the database, the user's scope (as accounts.scoping
        states it), the filters, the slice."""
        f = self.filters
        scope = (repr(scoping.centre_q(self.user)), repr(scoping.account_changes_q(self.user)))
        wanted = (f.date_from, f.date_to, f.user_text, f.kind, f.centre.pk if f.centre else None, f.kinds)
        return (alias, str(timezone.get_current_timezone()), scope, wanted, start, stop)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None or index.start is None or index.stop is None:
            raise TypeError("EntryKeys reads slices [start:stop] only")
        if index.stop <= index.start:
            return []
        alias = read_db()
        connection = connections[alias]
        if connection.vendor != "postgresql":
            return self._read(self.parts, index.start, index.stop)
        # Building and compiling the 21 parts' querysets cost more than running them: the SQL of a slice is
        # kept per process (a few hundred kinds of request) and run as it is, rows as values_list gives them.
        key = self._cache_key(alias, index.start, index.stop)
        compiled = _COMPILED.get(key)
        if compiled is None:
            query = self._union(self.parts, index.start, index.stop).query
            sql, params = query.get_compiler(using=alias).as_sql()
            with _COMPILED_LOCK:  # the web server's threads share it
                if len(_COMPILED) >= COMPILED_KEPT:
                    _COMPILED.pop(next(iter(_COMPILED)))
                compiled = _COMPILED[key] = (sql, params, f"audit_keys_{next(_STATEMENT_NUMBERS)}")
        sql, params, name = compiled
        connection.ensure_connection()
        # Planning the union of 21 parts cost more than running it (4–5 ms on a quiet machine, 25 ms and more
        # under load): each database session prepares a slice's statement once (in the same round trip as its
        # first run) and runs the kept plan after. The statement holds its values, so the plan is exact for them.
        # A session this process knows nothing of (new, or forgotten), or one that prepared many, starts again
        # from none (DEALLOCATE ALL: nothing else in the portal prepares statements); so does one whose last run
        # failed, which may have left its statement prepared (PREPARE is not undone by an error or a rollback).
        raw = connection.connection
        if len(_PREPARED) > SESSIONS_KEPT:
            _PREPARED.clear()
        prepared = _PREPARED.setdefault((id(raw), raw.info.backend_pid), set())
        try:
            with connection.cursor() as cursor:
                if name in prepared:
                    cursor.execute(f"EXECUTE {name}")
                else:
                    reset = "DEALLOCATE ALL; " if not prepared or len(prepared) >= PREPARED_KEPT else ""
                    if reset:
                        prepared.clear()
                    cursor.execute(f"{reset}PREPARE {name} AS {sql}; EXECUTE {name}", params)
                    prepared.add(name)
                return [tuple(row) for row in cursor.fetchall()]
        except Exception:
            prepared.clear()
            raise

    def after(self, last: tuple | None, n: int) -> list[tuple]:
        """The n keys after `last` (a key read before), or the first n."""
        if last is None:
            return self._read(self.parts, 0, n)
        kind, pk, when = last[:3]
        parts = []
        for source, part in zip(self.sources, self.parts, strict=True):
            later = Q(t__lt=when) | Q(t=when, key__lt=pk)
            if source.kind > kind:  # same time and id in another table: the kinds' order breaks the tie
                later |= Q(t=when, key=pk)
            parts.append(part.filter(later))
        return self._read(parts, 0, n)


# The page counts the changes exactly up to this many; above, it says "more than" (docs/reports.md, "The audit
# trail's count"): one query reads the first COUNTED + 1 keys, which gives both the count and the page.
COUNTED = 1000


@dataclass
class UncountedPages:
    """The `paginator` of a page whose changes number more than COUNTED: no total, no last page."""

    per_page: int
    counted: int
    count = None
    num_pages = None


@dataclass
class UncountedPage:
    """A page (the attributes partials/pager.html reads) of a list longer than COUNTED."""

    object_list: list
    number: int
    paginator: UncountedPages
    next_exists: bool

    def has_next(self) -> bool:
        return self.next_exists

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def keys_page(keys: EntryKeys, page_param, per_page: int):
    """The page `page_param` (`?trang=`) of `keys`: a Django Page, exactly counted, when there are at most
    COUNTED changes, else an UncountedPage. One query for any page among the first COUNTED keys (their count and
    the page's own), one for a page beyond them; a page past the end is the last (one more query for the count,
    as tthtcd_portal.pagination.paginate)."""
    number = int_param(page_param)
    if number is None:  # missing or not a number: the first page
        number = 1
    if number < 1:  # the last, as Django's Paginator.get_page
        return Paginator(keys, per_page).get_page(number)
    start = (number - 1) * per_page
    if start + per_page <= COUNTED:
        first = keys[0 : COUNTED + 1]
        if len(first) <= COUNTED:
            return Paginator(first, per_page).get_page(number)
        return UncountedPage(first[start : start + per_page], number, UncountedPages(per_page, COUNTED), True)
    rows = keys[start : start + per_page + 1]
    if rows:
        return UncountedPage(rows[:per_page], number, UncountedPages(per_page, COUNTED), len(rows) > per_page)
    return Paginator(keys, per_page).get_page(number)  # past the end: the last page


def entry_keys(user, filters: AuditFilters) -> EntryKeys:
    """(kind, id, time) of every change the user may see, newest first: sliced (and counted) by the caller."""
    return EntryKeys(user, filters)


def entries_for(keys: list[tuple]) -> list[AuditEntry]:
    """The entries of these (kind, id, ...) keys, in the keys' order: one query whatever the kinds among them
    (issue 17; `_rows`), none for no keys."""
    by_kind: dict[str, list[int]] = {}
    for kind, pk, *_rest in keys:
        by_kind.setdefault(kind, []).append(pk)
    rows = _rows(by_kind)
    found: dict[tuple[str, int], AuditEntry] = {}
    for kind, pks in by_kind.items():
        source = SOURCES[kind]
        for pk, entry in _resolve(source, set(pks), rows.get(kind, {})):
            found[(kind, pk)] = entry
    return [found[(kind, pk)] for kind, pk, *_rest in keys if (kind, pk) in found]


# --- The rows of a page's entries, every kind in one query (issue 17) ---------------------------------------
# Each kind's rows (and, for a history table, each row's previous history row) are one part of a UNION ALL that
# returns (kind, id, one JSON array of the row's columns and those of the related rows its label and centre
# need: what select_related joined); the arrays are turned back into model instances here. A page's query count
# is then the same whatever kinds its entries are of (it was one query per kind present).

_ARRAY_CHUNK = 90  # PostgreSQL's functions take at most 100 arguments: a model's columns, an array per 90


class _Decimals(json.JSONDecoder):
    """JSON numbers with a fraction as Decimal (a DecimalField's value as the database holds it)."""

    def __init__(self, *args, **kwargs):
        kwargs["parse_float"] = decimal.Decimal
        super().__init__(*args, **kwargs)


class _Columns(models.Func):
    """JSON_ARRAY(a, b, …) (JSONB_BUILD_ARRAY on PostgreSQL), columns kept as the database writes them in JSON
    and JSON nulls kept: a row's columns, read back by `_Layout.instance`."""

    function = "JSON_ARRAY"
    output_field = models.JSONField(decoder=_Decimals)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_BUILD_ARRAY", **extra_context)


def _converter(model_field, vendor: str):
    """What turns a column's JSON value back into the value the database backend returns, or None (as it is)."""
    kind = model_field.get_internal_type()
    if kind == "DateTimeField":
        utc = settings.USE_TZ

        def when(value):
            if value is None:
                return None
            moment = parse_datetime(value)
            return moment.replace(tzinfo=datetime.UTC) if utc and moment.tzinfo is None else moment

        return when
    if kind == "DateField":
        return lambda value: None if value is None else datetime.date.fromisoformat(value[:10])
    if kind == "DecimalField":
        step = decimal.Decimal(1).scaleb(-model_field.decimal_places)
        return lambda value: None if value is None else decimal.Decimal(value).quantize(step)
    if kind == "JSONField" and vendor != "postgresql":  # SQLite keeps the text of the JSON
        return lambda value: None if value is None else json.loads(value, cls=model_field.decoder)
    if kind == "BooleanField" and vendor != "postgresql":  # SQLite's 0 and 1
        return lambda value: None if value is None else bool(value)
    return None


@dataclass
class _Layout:
    """The columns of one kind's rows in `_rows`' JSON array: the model's, then each related model's (by path)."""

    source: Source
    segments: list[tuple[str, type[models.Model], int, list]]  # (path, model, a not-null column, converters)
    expressions: list

    @classmethod
    def of(cls, source: Source, vendor: str) -> _Layout:
        segments, expressions, seen = [], [], set()
        paths = [""]
        for path in source.related:
            steps = path.split("__")
            paths += ["__".join(steps[: n + 1]) for n in range(len(steps))]
        for path in paths:
            if path in seen:
                continue
            seen.add(path)
            model = source.model
            for step in path.split("__") if path else []:
                model = model._meta.get_field(step).related_model
            fields = model._meta.concrete_fields
            # Whether the related row joined: a column it cannot hold null (its pk would be the referring row's
            # own column, which Django reads instead of joining).
            present = next((n for n, f in enumerate(fields) if not f.null and not f.primary_key), 0)
            segments.append((path, model, present, [_converter(f, vendor) for f in fields]))
            names = [f"{path}__{f.attname}" if path else f.attname for f in fields]
            for start in range(0, len(names), _ARRAY_CHUNK):
                expressions.append(_Columns(*[F(name) for name in names[start : start + _ARRAY_CHUNK]]))
        return cls(source, segments, expressions)

    def instance(self, chunks: list[list], alias: str) -> models.Model:
        """The row as a model instance, its related rows in its select_related cache (None when they joined to
        nothing), as select_related leaves them."""
        values = [value for chunk in chunks for value in chunk]
        made: dict[str, models.Model | None] = {}
        at = 0
        for path, model, present, converters in self.segments:
            row = values[at : at + len(converters)]
            at += len(converters)
            row = [value if convert is None else convert(value) for value, convert in zip(row, converters, strict=True)]
            obj = None if path and row[present] is None else model.from_db(alias, None, row)
            made[path] = obj
            if path:
                parent, _sep, name = path.rpartition("__")
                holder = made[parent]
                if holder is not None:
                    holder._state.fields_cache[name] = obj
        return made[""]


_LAYOUTS: dict[tuple[str, str], _Layout] = {}


def _layout(kind: str, vendor: str) -> _Layout:
    layout = _LAYOUTS.get((kind, vendor))
    if layout is None:
        layout = _LAYOUTS[(kind, vendor)] = _Layout.of(SOURCES[kind], vendor)
    return layout


def _part(kind: str, alias: str, pks: list[int]) -> models.QuerySet:
    """One kind's part of `_rows`' union: (kind, id, the JSON array of the columns `_Layout` reads back)."""
    source = SOURCES[kind]
    layout = _layout(kind, connections[alias].vendor)
    manager = source.model._default_manager.using(alias)
    if source.history:
        previous = Subquery(
            source.model._default_manager.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        previous_ids = manager.filter(history_id__in=pks).annotate(p=previous).values("p")
        qs = manager.filter(Q(history_id__in=pks) | Q(history_id__in=previous_ids))
    else:
        qs = manager.filter(id__in=pks)
    return (
        qs.order_by()
        .annotate(k=Value(kind, output_field=CharField()), key=F(source.pk), d=_Columns(*layout.expressions))
        .values_list("k", "key", "d")
    )


# PostgreSQL: each kind's part compiled once per process, its ids a parameter (`= ANY(%s)`, an array): building
# and compiling a part's ~80 columns cost more than running it.
_PART_SQL: dict[tuple[str, str], tuple[str, tuple, list[int]]] = {}
_IDS = -918273645  # stands for the ids while a part is compiled


def _part_sql(kind: str, alias: str) -> tuple[str, tuple, list[int]]:
    """The SQL of `kind`'s part, its parameters, and where in them the ids go."""
    kept = _PART_SQL.get((kind, alias))
    if kept is None:
        sql, params = _part(kind, alias, [_IDS]).query.get_compiler(using=alias).as_sql()
        pieces = sql.split("%s")
        slots = [n for n, value in enumerate(params) if value == _IDS]
        for n in slots:
            if not (pieces[n].endswith(" IN (") and pieces[n + 1].startswith(")")):
                raise ValueError(f"unexpected SQL for the ids of {kind}: {sql}")
            pieces[n] = pieces[n][: -len(" IN (")] + " = ANY("
        kept = _PART_SQL[(kind, alias)] = ("%s".join(pieces), tuple(params), slots)
    return kept


def _rows(by_kind: dict[str, list[int]]) -> dict[str, dict[int, models.Model]]:
    """The rows of `by_kind`'s (kind → ids) and, for a history table, each one's previous history row: one
    UNION ALL of a part per kind, whatever the kinds."""
    if not by_kind:
        return {}
    alias = read_db()
    connection = connections[alias]
    layouts = {kind: _layout(kind, connection.vendor) for kind in by_kind}
    if connection.vendor == "postgresql":
        statements, params = [], []
        for kind, pks in by_kind.items():
            sql, part_params, slots = _part_sql(kind, alias)
            values = list(part_params)
            for n in slots:
                values[n] = list(pks)
            statements.append(f"({sql})")
            params += values
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(statements), params)
            fetched = [(kind, pk, json.loads(d, cls=_Decimals) if isinstance(d, str) else d) for kind, pk, d in cursor]
    else:
        first, *rest = [_part(kind, alias, pks) for kind, pks in by_kind.items()]
        fetched = first.union(*rest, all=True) if rest else first
    found: dict[str, dict[int, models.Model]] = {}
    for kind, pk, chunks in fetched:
        found.setdefault(kind, {})[pk] = layouts[kind].instance(chunks, alias)
    return found


def _resolve(source: Source, pks: set[int], rows: dict[int, models.Model]) -> Iterator[tuple[int, AuditEntry]]:
    if not source.history:
        for pk, row in rows.items():
            yield pk, _plain_entry(source, row)
        return
    _stand_in_removed_parents(source, rows.values())
    latest_before: dict[int, models.Model] = {}
    for record in sorted(rows.values(), key=lambda r: r.history_id):
        before = latest_before.get(record.id)
        latest_before[record.id] = record
        if record.history_id in pks:
            yield record.history_id, _history_entry(source, record, before)


def _stand_in_removed_parents(source: Source, records) -> None:
    """A history row whose parent (the class of a session, the learner of an enrolment, …) was hard-deleted
    joins to nothing: put the parent's last history row in its place, so the entry still names it. One query
    per parent relation with missing rows (none when nothing was hard-deleted)."""
    records = list(records)
    for path in source.related:
        name, _sep, rest = path.partition("__")
        if name == source.user:
            continue
        model_field = source.model._meta.get_field(name)
        missing = {getattr(r, model_field.attname) for r in records if getattr(r, name) is None}
        missing.discard(None)
        if not missing or not hasattr(model_field.related_model, "history"):
            continue
        history = model_field.related_model.history.using(read_db()).filter(id__in=missing).order_by("history_id")
        latest = {row.id: row for row in (history.select_related(rest) if rest else history)}
        for record in records:
            if getattr(record, name) is None and getattr(record, model_field.attname) in latest:
                # The select_related cache: the descriptor would refuse a historical instance.
                record._state.fields_cache[name] = latest[getattr(record, model_field.attname)]


def _history_entry(source: Source, record, before) -> AuditEntry:
    label, centre = source.describe(record)
    changes = []
    action = ACTIONS.get(record.history_type, record.history_type)
    was, now = getattr(before, "archived_at", None), getattr(record, "archived_at", None)
    if record.history_type == "~" and (was is None) != (now is None):
        action = ARCHIVED if now is not None else RESTORED
    elif record.history_type == "~" and before is not None:
        delta = record.diff_against(before, excluded_fields=SKIPPED_FIELDS)
        changes = [_change(record, c.field, c.old, c.new) for c in delta.changes]
    elif record.history_type == "+":
        # A new object's own values; its parents (centre, class, learner) are in their own columns.
        fields = [
            f for f in record.instance_type._meta.concrete_fields if f.name not in SKIPPED_FIELDS and not f.is_relation
        ]
        values = [(f.name, getattr(record, f.attname)) for f in fields]
        changes = [_change(record, name, None, value) for name, value in values if value not in (None, "")]
    return AuditEntry(
        when=record.history_date,
        who=person(record.history_user),
        kind_label=str(source.label),
        object_label=label,
        centre=centre.name if centre else "",
        action=str(action),
        changes=changes,
        reason=record.history_change_reason or "",
    )


def _plain_entry(source: Source, row) -> AuditEntry:
    label, centre = source.describe(row)
    if isinstance(row, AccountChange):
        changes = [Change(capfirst(name), old, new) for name, (old, new) in row.changes.items()]
        unit = centre.name if centre else (row.account.office.name if row.account.office else "")
        return AuditEntry(row.at, person(row.by), str(source.label), label, unit, row.get_action_display(), changes)
    if isinstance(row, AttendanceAudit):
        changes = [
            Change(str(_("Số người dự")), _text(row.present_before), _text(row.present_after)),
            Change(str(_("Trong đó nữ")), _text(row.women_before), _text(row.women_after)),
            Change(str(_("Trong đó dân tộc thiểu số")), _text(row.minorities_before), _text(row.minorities_after)),
        ]
        changes = [c for c in changes if c.old != c.new] or changes[:1]
        return AuditEntry(
            row.at, person(row.by), str(source.label), label, centre.name if centre else "", str(_("Lưu điểm danh")),
            changes,
        )  # fmt: skip
    statuses = dict(Assessment.Status.choices)
    changes = []
    if row.from_status != row.to_status:
        changes.append(
            Change(
                str(_("Trạng thái")),
                str(statuses.get(row.from_status, row.from_status)),
                str(statuses.get(row.to_status, row.to_status)),
            )
        )
    changes += [Change(c.label, c.old, c.new) for c in event_changes(row)]
    return AuditEntry(
        row.at,
        person(row.actor),
        str(source.label),
        label,
        centre.name if centre else "",
        _choice_label(AssessmentEvent.Action, row.action),
        changes,
        row.reason,
    )


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """get_FOO_display() without its per-call rebuilding of the choices: the label, else the value itself."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _change(record, name: str, old, new) -> Change:
    model_field = record.instance_type._meta.get_field(name)
    return Change(capfirst(str(model_field.verbose_name)), _shown(model_field, old), _shown(model_field, new))


def _shown(model_field, value) -> str:
    if value is None or value == "":
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, models.Model):
        value = value.pk
    if model_field.is_relation:
        return f"#{value}"
    if _is_identifier(model_field.name):
        return str(value)  # a year, code or phone number, never grouped like a quantity ("1.990")
    return _text(value)


def _is_identifier(name: str) -> bool:
    return name == "year" or name.endswith(("_year", "code", "phone", "number"))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float) or hasattr(value, "as_tuple"):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def person(user) -> str:
    """Who made a change: the user's name (accounts.User.display_name), "Hệ thống" for a command."""
    return _("Hệ thống") if user is None else user.display_name


def recent_entries(*, user, filters: AuditFilters, limit: int) -> list[AuditEntry]:
    """The latest `limit` entries, newest first: one query for the keys, one for their rows."""
    return entries_for(entry_keys(user, filters)[0:limit])


def all_entries(user, filters: AuditFilters, *, chunk: int = 2000) -> Iterator[AuditEntry]:
    """Every entry, newest first, read `chunk` keys at a time after the last one read (the export): 2 queries a
    chunk."""
    keys = entry_keys(user, filters)
    last = None
    while True:
        batch = keys.after(last, chunk)
        yield from entries_for(batch)
        if len(batch) < chunk:
            return
        last = batch[-1]


# --- The page's form and the export -------------------------------------------------------------------


def filter_form(user, params):
    """The filter form bound to `params` and the filters it yields. A centre outside the user's scope is a
    404 (as everywhere); other invalid values are reported by the form and ignored."""
    from django.http import Http404

    from reports.filters import AuditFilter

    form = AuditFilter(
        params or None,
        # Same commune code (a centre and those it took in): the newer record, today's centre, first.
        centres=Centre.objects.visible_to(user).select_related("commune").order_by("commune__code", "-id"),
        kinds=KIND_CHOICES,
    )
    if not form.is_bound:
        return form, AuditFilters()
    form.is_valid()
    if "trung_tam" in form.errors:
        raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem."))
    data = {name: value for name, value in getattr(form, "cleaned_data", {}).items() if name not in form.errors}
    return form, AuditFilters(
        date_from=data.get("tu_ngay") if "den_ngay" not in form.errors else None,
        date_to=data.get("den_ngay"),
        user_text=(data.get("nguoi") or "").strip(),
        kind=data.get("doi_tuong") or "",
        centre=data.get("trung_tam"),
    )
