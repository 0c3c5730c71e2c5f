"""What concerns each user now: the reminders of their home page, their menu's count and their daily digest.
One function for all three (`reminders_for`), so the e-mail says what the page says. Every item is read
through accounts.scoping: never another unit's. Each role runs a fixed number of queries (docstrings).

- centre staff: their self-assessment's deadline (within REMIND_DAYS, or overdue) while not submitted; their
  assessment returned for changes; their centre with no session for IDLE_DAYS days;
- reviewers: the assessments of their centres waiting for their review, with the deadline; their centres with no
  session for IDLE_DAYS days;
- provincial officials: ratings proposed and waiting for approval, with the deadline; centre materials waiting
  for approval; the province's centres with no session for IDLE_DAYS days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import scoping
from centres.models import Centre
from courses.models import CentreYearFigure
from evaluations.models import Assessment
from evaluations.selectors import user_cycle
from materials.selectors import pending_count

REMIND_DAYS = 14
IDLE_DAYS = 30
COUNT_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class Reminder:
    kind: str  # "deadline", "returned", "idle", "approval", "materials"
    text: str
    url: str
    urgent: bool = False


def _d(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _deadline(due: datetime.date, today: datetime.date) -> tuple[str, bool]:
    """ "hạn 31/03/2026, còn 5 ngày" or "quá hạn từ 31/03/2026"; and whether it is overdue."""
    if today > due:
        return _("quá hạn từ %(date)s") % {"date": _d(due)}, True
    left = (due - today).days
    return ngettext("hạn %(date)s, còn %(n)s ngày", "hạn %(date)s, còn %(n)s ngày", left) % {
        "date": _d(due),
        "n": left,
    }, False


def _idle_centres(user, today: datetime.date) -> int:
    """Active centres the user sees with no session in the last IDLE_DAYS days. One query, reading only those
    centres' figure rows of this year and last (an anti-join on the figures' (centre, year, kind) index): a
    `pk IN (every centre's recent rows)` read the whole country's rows for a commune's page (issue 17 item 4)."""
    since = today - datetime.timedelta(days=IDLE_DAYS)
    recent = CentreYearFigure.objects.filter(
        centre_id=OuterRef("pk"), year__gte=since.year, last_session_date__gte=since
    )
    return Centre.objects.visible_to(user).active().exclude(Exists(recent)).count()


UNREAD = object()  # reminders_for: the caller has not read this


def reminders_for(*, user, today: datetime.date, cycle=UNREAD, assessment=UNREAD) -> list[Reminder]:
    """The user's reminders, most urgent kinds first. Queries: staff 3, reviewers 3, provincial officials 4 (plus
    the merged provinces, once per request), administrators and others 0. A caller that has already read the
    cycle year's deadlines of the user's province (`cycle`, None when unset) or, for staff, their centre's
    assessment of that year (`assessment`, None when there is none) passes them: one query less each."""
    if not user.is_authenticated or not (user.is_centre_staff or user.is_reviewer or user.is_province_official):
        return []
    cycle_year = today.year - 1  # centres assess year Y early in Y+1 (reports.dashboard.current_cycle_year)
    if cycle is UNREAD:
        cycle = user_cycle(user=user, year=cycle_year)  # the deadlines of the user's province
    items: list[Reminder] = []
    if user.is_centre_staff:
        if assessment is UNREAD:
            assessment = Assessment.objects.filter(centre_id=user.centre_id, year=cycle_year).first()
        if assessment is not None and assessment.status == Assessment.Status.RETURNED:
            items.append(
                Reminder(
                    "returned",
                    _("Phiếu tự đánh giá năm %(year)s bị trả lại để sửa: %(reason)s")
                    % {"year": cycle_year, "reason": assessment.return_reason or "—"},
                    reverse("evaluations:detail", args=[assessment.pk]),
                    urgent=True,
                )
            )
        waiting = assessment is None or assessment.status in (Assessment.Status.DRAFT, Assessment.Status.RETURNED)
        if cycle is not None and waiting and (cycle.self_assessment_due - today).days <= REMIND_DAYS:
            when, overdue = _deadline(cycle.self_assessment_due, today)
            items.append(
                Reminder(
                    "deadline",
                    _("Nộp tự đánh giá năm %(year)s: %(when)s.") % {"year": cycle_year, "when": when},
                    reverse("evaluations:home"),
                    urgent=overdue,
                )
            )
        if _idle_centres(user, today):
            items.append(
                Reminder(
                    "idle",
                    _("Trung tâm chưa ghi buổi học nào trong %(days)s ngày qua.") % {"days": IDLE_DAYS},
                    reverse("courses:list"),
                )
            )
        return items
    scope = scoping.centre_q(user, "centre__")
    status = Assessment.Status.SUBMITTED if user.is_reviewer else Assessment.Status.PROPOSED
    waiting = Assessment.objects.filter(scope, year=cycle_year, status=status).count()
    if waiting:
        if user.is_reviewer:
            due = cycle.review_due if cycle else None
            text = ngettext(
                "%(n)s phiếu tự đánh giá năm %(year)s chờ thẩm định",
                "%(n)s phiếu tự đánh giá năm %(year)s chờ thẩm định",
                waiting,
            )
        else:
            due = cycle.approval_due if cycle else None
            text = ngettext(
                "%(n)s trung tâm chờ phê duyệt xếp loại năm %(year)s",
                "%(n)s trung tâm chờ phê duyệt xếp loại năm %(year)s",
                waiting,
            )
        text = text % {"n": waiting, "year": cycle_year}
        when, overdue = _deadline(due, today) if due else ("", False)
        text = _("%(what)s (%(when)s).") % {"what": text, "when": when} if when else f"{text}."
        items.append(Reminder("approval", text, reverse("evaluations:home"), urgent=overdue))
    if user.is_province_official:
        materials = pending_count(user=user)
        if materials:
            items.append(
                Reminder(
                    "materials",
                    ngettext(
                        "%(n)s học liệu của trung tâm chờ duyệt.", "%(n)s học liệu của trung tâm chờ duyệt.", materials
                    )
                    % {"n": materials},
                    reverse("materials:list") + "?trang_thai=pending",
                )
            )
    idle = _idle_centres(user, today)
    if idle:
        items.append(
            Reminder(
                "idle",
                ngettext(
                    "%(n)s trung tâm chưa ghi buổi học nào trong %(days)s ngày qua.",
                    "%(n)s trung tâm chưa ghi buổi học nào trong %(days)s ngày qua.",
                    idle,
                )
                % {"n": idle, "days": IDLE_DAYS},
                reverse("reports:dashboard"),
            )
        )
    return items


def _count_key(user) -> str:
    return f"reminders:count:{user.pk}"


def remember_count(user, items: list[Reminder]) -> None:
    """Keep the number for the menu: the menu reads it from the cache and never queries (docs/training.md)."""
    cache.set(_count_key(user), len(items), COUNT_CACHE_SECONDS)


def remembered_count(user) -> int | None:
    """The menu's count, as last computed for this user (None when not known). No query."""
    return cache.get(_count_key(user))


def digest_wanted(user) -> bool:
    """Whether `user` wants the daily digest (the default). One query."""
    from reminders.models import ReminderSettings

    found = ReminderSettings.objects.filter(user=user).values_list("daily_digest", flat=True).first()
    return True if found is None else found
