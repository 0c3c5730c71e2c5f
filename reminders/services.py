"""Writes of the reminders: a user's digest setting, and the daily digest e-mail.

The digest sends each user what `reminders.selectors.reminders_for` lists for them — the same function as their
home page, so never another unit's item — through Django's e-mail backend (console in development, SMTP from the
environment in production; docs/deployment.md). Users who turned it off, who have no e-mail address, or who
have nothing to be reminded of get nothing; a user already sent today's digest is not sent it again."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from reminders.models import ReminderSettings
from reminders.selectors import reminders_for


@transaction.atomic
def reminder_settings_update(*, user: User, daily_digest: bool) -> ReminderSettings:
    found, _created = ReminderSettings.objects.get_or_create(user=user)
    if found.daily_digest != daily_digest:
        found.daily_digest = daily_digest
        found.save(update_fields=["daily_digest"])
    return found


@dataclass(frozen=True)
class Digest:
    user: User
    subject: str
    body: str


def digest_for(*, user: User, today: datetime.date) -> Digest | None:
    """The digest `user` would receive today, or None (nothing to remind of). Always in Vietnamese."""
    with translation.override(settings.LANGUAGE_CODE):
        items = reminders_for(user=user, today=today)
        if not items:
            return None
        subject = _("[TTHTCĐ] %(n)s việc cần làm ngày %(date)s") % {"n": len(items), "date": today.strftime("%d/%m/%Y")}
        body = render_to_string(
            "reminders/digest.txt",
            {"user": user, "items": items, "today": today, "site": settings.PORTAL_BASE_URL.rstrip("/")},
        )
    return Digest(user=user, subject=subject, body=body)


def digest_recipients():
    """Active users with an e-mail address who have not turned the digest off, in a stable order."""
    off = ReminderSettings.objects.filter(daily_digest=False).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(pk__in=off)
        .select_related("centre", "office", "province")
        .order_by("id")
    )


def digests_send(
    *, today: datetime.date, dry_run: bool = False, users=None, show: Callable[[Digest], None] | None = None
) -> int:
    """Send today's digest to every recipient (or `users`) not yet sent it today. `dry_run`: build and show them,
    send and record nothing. Returns the number of digests sent (or shown)."""
    sent = 0
    for user in users if users is not None else digest_recipients():
        if not dry_run and ReminderSettings.objects.filter(user=user, last_digest_on__gte=today).exists():
            continue
        digest = digest_for(user=user, today=today)
        if digest is None:
            continue
        if show is not None:
            show(digest)
        if not dry_run:
            send_mail(digest.subject, digest.body, None, [user.email])
            ReminderSettings.objects.update_or_create(user=user, defaults={"last_digest_on": today})
        sent += 1
    return sent
