"""Writes of the library app: the library's kind, holdings, monthly readers and loans, reading events.

Every write refuses a user who may not change the centre (403; a merged or dissolved centre says so) and a year
the province has locked (centres.year_lock: evaluations' rule, registered by evaluations). Entries are archived,
never destroyed (tthtcd_portal.archive); each change is a history row read by the audit trail.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import require_centre_edit
from centres.year_lock import year_lock_refusal
from library.models import Holding, Library, LibraryMonth, ReadingEvent
from tthtcd_portal.concurrency import version_claim


def _guard(*, by, centre, years: Iterable[int]) -> None:
    """403 for a user who may not change the centre; a Vietnamese refusal for a locked year. One query per year."""
    require_centre_edit(by, centre)
    refusal = year_lock_refusal(centre_id=centre.pk, years=years)
    if refusal:
        raise ValidationError(refusal)


def _save(obj, by, reason: str, update_fields: list[str] | None = None) -> None:
    obj._history_user = by
    obj._change_reason = reason
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(update_fields=update_fields)


def _archive(obj, by, reason: str) -> None:
    obj.archived_at, obj.archived_by = timezone.now(), by
    _save(obj, by, reason, update_fields=["archived_at", "archived_by"])


def _check_not_future(day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(what)s: ngày %(day)s chưa đến.") % {"what": what, "day": day.strftime("%d/%m/%Y")})


@transaction.atomic
def library_save(*, centre, kind: str, place: str, by, version: int | None = None) -> Library:
    """Say what the centre has (a library, a bookshelf, a reading point, or none) and where. The registry's
    current record, not a year's figure: a locked year does not stop it; a merged centre does."""
    require_centre_edit(by, centre)
    library = Library.objects.filter(centre=centre).first()
    if library is None:
        library = Library(centre=centre)
    else:
        version_claim(library, version=version)
    library.kind, library.place = kind, place.strip()
    _save(library, by, _("Sửa thư viện của trung tâm"))
    return library


@transaction.atomic
def holding_record(
    *, centre, as_of: datetime.date, books: int, newspapers: int, magazines: int, by
) -> tuple[Holding, bool]:
    """Record the holdings counted on a day; the same day again updates that count. Returns (row, created)."""
    _guard(by=by, centre=centre, years=[as_of.year])
    _check_not_future(as_of, _("Vốn tài liệu"))
    holding = Holding.objects.select_for_update().filter(centre=centre, as_of=as_of).first()
    created = holding is None
    if created:
        holding = Holding(centre=centre, as_of=as_of)
    holding.books, holding.newspapers, holding.magazines = books, newspapers, magazines
    _save(holding, by, _("Ghi vốn tài liệu"))
    return holding, created


@transaction.atomic
def holding_archive(*, holding: Holding, by) -> None:
    _guard(by=by, centre=holding.centre, years=[holding.as_of.year])
    _archive(holding, by, _("Xóa vốn tài liệu"))


@dataclass
class MonthCounts:
    added: int = 0
    updated: int = 0
    cleared: int = 0
    unchanged: int = 0


def _month_write(*, centre, year: int, month: int, figures, existing: LibraryMonth | None, by, counts) -> None:
    if figures is None:
        if existing is not None:
            _archive(existing, by, _("Xóa số liệu bạn đọc của tháng"))
            counts.cleared += 1
        return
    readers, loans = figures
    if existing is None:
        _save(LibraryMonth(centre=centre, year=year, month=month, readers=readers, loans=loans), by, _("Ghi bạn đọc"))
        counts.added += 1
    elif (existing.readers, existing.loans) != (readers, loans):
        existing.readers, existing.loans = readers, loans
        _save(existing, by, _("Sửa số liệu bạn đọc"), update_fields=["readers", "loans"])
        counts.updated += 1
    else:
        counts.unchanged += 1


def _check_months(year: int, months: Iterable[int]) -> None:
    today = timezone.localdate()
    for month in months:
        if not 1 <= month <= 12:
            raise ValidationError(_("Tháng %(m)s không hợp lệ.") % {"m": month})
        if (year, month) > (today.year, today.month):
            raise ValidationError(_("Tháng %(m)s/%(y)s chưa đến.") % {"m": month, "y": year})


@transaction.atomic
def library_months_save(*, centre, year: int, figures: dict[int, tuple[int, int] | None], by) -> MonthCounts:
    """The month grid of a year: month → (readers, loans), or None for a month left blank (its row, if any, is
    archived). Months not in `figures` are left alone. Queries: lock (1), the year's rows (1), one write each."""
    _guard(by=by, centre=centre, years=[year])
    _check_months(year, [m for m, f in figures.items() if f is not None])
    existing = {row.month: row for row in LibraryMonth.objects.select_for_update().filter(centre=centre, year=year)}
    counts = MonthCounts()
    for month in sorted(figures):
        _month_write(
            centre=centre, year=year, month=month, figures=figures[month], existing=existing.get(month), by=by,
            counts=counts,
        )  # fmt: skip
    return counts


@transaction.atomic
def library_months_import(*, centre, rows: Iterable, by, update: bool = False) -> MonthCounts:
    """A checked import (library.spreadsheet.parse_months), all or nothing. A month the portal already has is
    left alone, or, with `update`, its figures are replaced by the file's; so the same file twice adds nothing."""
    rows = list(rows)
    _guard(by=by, centre=centre, years={r.year for r in rows})
    counts = MonthCounts()
    for row in rows:
        existing = (
            LibraryMonth.objects.select_for_update().filter(centre=centre, year=row.year, month=row.month).first()
        )
        if existing is not None and not update:
            counts.unchanged += 1
            continue
        _month_write(
            centre=centre, year=row.year, month=row.month, figures=(row.readers, row.loans), existing=existing,
            by=by, counts=counts,
        )  # fmt: skip
    return counts


@transaction.atomic
def reading_event_record(*, centre, date: datetime.date, title: str, participants: int, by) -> ReadingEvent:
    _guard(by=by, centre=centre, years=[date.year])
    _check_not_future(date, _("Hoạt động đọc sách"))
    event = ReadingEvent(centre=centre, date=date, title=title.strip(), participants=participants)
    _save(event, by, _("Ghi hoạt động đọc sách"))
    return event


@transaction.atomic
def reading_event_archive(*, event: ReadingEvent, by) -> None:
    _guard(by=by, centre=event.centre, years=[event.date.year])
    _archive(event, by, _("Xóa hoạt động đọc sách"))
