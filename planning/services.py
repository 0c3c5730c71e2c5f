"""Writes of the needs surveys and the annual plans: keyword-only, each in one transaction, refusing with a
Vietnamese message. Every write first asks whether the centre is still open (a merged or dissolved centre is
read-only) and whether the year is locked by the province's approval of its rating (evaluations), as the
class services do; a plan approved by the commune is read-only until the province reopens it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planning.models import ActivityPlan, NeedGroup, NeedSurvey, NeedTally, PlanLine
from planning.selectors import write_refusal
from tthtcd_portal.concurrency import version_claim

if TYPE_CHECKING:
    import datetime

    from accounts.models import User
    from centres.models import Centre
    from courses.models import ProgrammeKind


def year_writable_check(*, centre: Centre, year: int) -> None:
    """Refuse a write to a closed centre, a locked year, or a year too far ahead (planning.selectors.write_refusal
    says which). One query (the lock)."""
    reason = write_refusal(centre=centre, year=year)
    if reason:
        raise ValidationError(reason)


# --- Needs survey -----------------------------------------------------------------------------------------------


def _survey_claimed(*, centre: Centre, year: int, by: User, version: int | None) -> NeedSurvey:
    survey, created = NeedSurvey.objects.get_or_create(centre=centre, year=year, defaults={"updated_by": by})
    if not created:
        version_claim(survey, version=version)
    survey.updated_by = by
    survey.save(update_fields=["updated_by", "updated_at"])
    return survey


def _cells_write(survey: NeedSurvey, counts: dict[tuple[int, str], int]) -> int:
    """Set each (kind id, group) cell to its count (0 removes it); returns how many cells changed."""
    existing = {(t.programme_kind_id, t.group): t for t in NeedTally.objects.filter(survey=survey)}
    changed = 0
    for (kind_id, group), value in counts.items():
        if group not in NeedGroup.values:
            raise ValidationError(_("Nhóm đối tượng không hợp lệ."))
        if value < 0:
            raise ValidationError(_("Số người không được là số âm."))
        cell = existing.get((kind_id, group))
        if cell is None and value:
            NeedTally.objects.create(survey=survey, programme_kind_id=kind_id, group=group, respondents=value)
        elif cell is not None and not value:
            cell.delete()
        elif cell is not None and cell.respondents != value:
            cell.respondents = value
            cell.save(update_fields=["respondents"])
        else:
            continue
        changed += 1
    return changed


@transaction.atomic
def need_tally_save(
    *, centre: Centre, year: int, counts: dict[tuple[int, str], int], by: User, version: int | None
) -> NeedSurvey:
    """The tally grid as entered: every cell of `counts` set (0 empties it). `version` is the survey's when the
    page was opened (0 or None before the first save); a save made since is refused (StaleEdit)."""
    year_writable_check(centre=centre, year=year)
    survey = _survey_claimed(centre=centre, year=year, by=by, version=version or None)
    _cells_write(survey, counts)
    return survey


@dataclass
class ImportCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def need_tally_import(*, centre: Centre, rows: list, by: User, update: bool = False) -> ImportCounts:
    """Write a checked file (planning.spreadsheet.parse_needs), all or nothing. A cell the portal already holds
    is kept, or with `update` set to the file's count; so the same file twice changes nothing."""
    counts = ImportCounts()
    by_year: dict[int, dict] = {}
    for row in rows:
        if row.existing is None:
            counts.added += 1
        elif row.changed and update:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        by_year.setdefault(row.year, {})[(row.programme_kind.pk, row.group)] = row.respondents
    for year, cells in sorted(by_year.items()):
        year_writable_check(centre=centre, year=year)
        _cells_write(_survey_claimed(centre=centre, year=year, by=by, version=None), cells)
    return counts


# --- Annual plan ------------------------------------------------------------------------------------------------


def plan_editable_check(*, plan: ActivityPlan) -> None:
    reason = write_refusal(centre=plan.centre, year=plan.year, plan=plan)
    if reason:
        raise ValidationError(reason)


def _plan_locked(*, centre: Centre, year: int) -> ActivityPlan:
    """The centre's plan of the year, created as a draft when missing, held for this transaction."""
    year_writable_check(centre=centre, year=year)
    plan, _created = ActivityPlan.objects.get_or_create(centre=centre, year=year)
    plan = ActivityPlan.objects.select_for_update().select_related("centre").get(pk=plan.pk)
    plan_editable_check(plan=plan)
    return plan


def _line_check(*, month: int, count: int, expected: int, activity: str) -> None:
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Tháng phải từ 1 đến 12.")})
    if count < 1:
        raise ValidationError({"count": _("Số lớp, chuyên đề phải từ 1 trở lên.")})
    if expected < 0:
        raise ValidationError({"expected": _("Số lượt người học không được là số âm.")})
    if activity not in PlanLine.Activity.values:
        raise ValidationError({"activity": _("Hình thức không hợp lệ.")})


@transaction.atomic
def plan_line_save(
    *,
    centre: Centre,
    year: int,
    programme_kind: ProgrammeKind,
    activity: str,
    month: int,
    count: int,
    expected: int,
    by: User,
) -> PlanLine:
    """Add a line to the draft plan (made when missing), or change the line of the same kind, form and month."""
    _line_check(month=month, count=count, expected=expected, activity=activity)
    plan = _plan_locked(centre=centre, year=year)
    line, created = PlanLine.objects.get_or_create(
        plan=plan,
        programme_kind=programme_kind,
        activity=activity,
        month=month,
        defaults={"count": count, "expected": expected},
    )
    if not created and (line.count, line.expected) != (count, expected):
        line.count, line.expected = count, expected
        line.save(update_fields=["count", "expected"])
    version_claim(plan, version=None)
    return line


@transaction.atomic
def plan_line_delete(*, line: PlanLine, by: User) -> None:
    plan = _plan_locked(centre=line.plan.centre, year=line.plan.year)
    line.delete()
    version_claim(plan, version=None)


@transaction.atomic
def plan_approve(
    *,
    plan: ActivityPlan,
    decision_number: str,
    decision_date: datetime.date,
    signer: str,
    by: User,
    version: int | None,
) -> ActivityPlan:
    """Record the commune's decision approving the plan; the plan is read-only from then on."""
    locked = _plan_locked(centre=plan.centre, year=plan.year)
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("Nhập số quyết định phê duyệt của UBND xã.")})
    if decision_date is None:
        raise ValidationError({"decision_date": _("Nhập ngày quyết định.")})
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("Ngày quyết định chưa đến.")})
    if not locked.lines.exists():
        raise ValidationError(_("Kế hoạch chưa có dòng nào; thêm các lớp, chuyên đề dự kiến trước khi ghi phê duyệt."))
    version_claim(locked, version=version)
    locked.status = ActivityPlan.Status.APPROVED
    locked.decision_number, locked.decision_date, locked.signer = decision_number, decision_date, signer.strip()
    locked.approval_recorded_by = by
    locked.save(update_fields=["status", "decision_number", "decision_date", "signer", "approval_recorded_by"])
    return locked


@transaction.atomic
def plan_reopen(*, plan: ActivityPlan, by: User, version: int | None) -> ActivityPlan:
    """The province returns an approved plan to draft (a decision recorded wrongly, a plan the commune revised).
    The decision stays in the plan's history."""
    year_writable_check(centre=plan.centre, year=plan.year)
    locked = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if not locked.is_approved:
        raise ValidationError(_("Kế hoạch chưa được phê duyệt."))
    version_claim(locked, version=version)
    locked.status, locked.decision_number, locked.decision_date, locked.signer = (
        ActivityPlan.Status.DRAFT,
        "",
        None,
        "",
    )
    locked.save(update_fields=["status", "decision_number", "decision_date", "signer"])
    return locked


@transaction.atomic
def plan_import(*, centre: Centre, rows: list, by: User, update: bool = False) -> ImportCounts:
    """Write a checked plan file (planning.spreadsheet.parse_plans), all or nothing: new lines added, a line the
    portal holds kept, or with `update` set to the file's figures."""
    counts = ImportCounts()
    for row in rows:
        if row.existing is not None and not (row.changed and update):
            counts.unchanged += 1
            continue
        plan_line_save(
            centre=centre,
            year=row.year,
            programme_kind=row.programme_kind,
            activity=row.activity,
            month=row.month,
            count=row.count,
            expected=row.expected,
            by=by,
        )
        if row.existing is None:
            counts.added += 1
        else:
            counts.updated += 1
    return counts
