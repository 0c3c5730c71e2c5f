"""Enqueueing the periodic tasks that are due (`manage.py run_periodic` calls this every half minute)."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction

from background.models import PeriodicRun
from background.schedule import entries

log = logging.getLogger(__name__)

# Rows older than this are deleted: enough to see in the admin what ran last month, small enough to forget.
KEEP_RUNS = datetime.timedelta(days=30)


def periodic_runs_enqueue_due(*, now: datetime.datetime) -> list[PeriodicRun]:
    """Enqueue each PERIODIC_TASKS task whose latest slot (at or before `now`) has no PeriodicRun yet.

    Only the latest slot counts: a runner that was stopped for three days runs a daily task once when it
    starts again, not three times. The row and the queued task are written in one transaction, and the unique
    (task, slot) constraint makes a second runner's attempt fail harmlessly. Queries: one INSERT and the task's
    enqueue per due task, one DELETE of old rows when anything was enqueued; nothing else."""
    made = []
    for entry in entries():
        slot = entry.slot(now)
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(task=entry.task_path, slot=slot)
                result = entry.task.enqueue()
                run.result_id = str(result.id)[:64]
                run.save(update_fields=["result_id"])
        except IntegrityError:
            continue  # already enqueued for this slot (by this runner before a restart, or by another one)
        log.debug("enqueued %s for %s", entry.task_path, slot.isoformat())
        made.append(run)
    if made:
        PeriodicRun.objects.filter(slot__lt=now - KEEP_RUNS).delete()
    return made
