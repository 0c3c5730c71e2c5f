"""The PERIODIC_TASKS setting: which django-tasks tasks run when.

    PERIODIC_TASKS = [
        {"task": "reports.tasks.prune_export_files", "at": "02:30"},    # every day at 02:30 local time
        {"task": "reports.tasks.fail_stale_export_jobs", "every": 5},    # every 5 minutes
    ]

`task` is the dotted path of a function decorated with django_tasks' `@task()` that takes no arguments. `at` is a
local time (settings.TIME_ZONE) "HH:MM"; `every` a whole number of minutes (slots start on multiples of it since
the epoch, so a 5-minute task runs at :00, :05, …). Each entry has exactly one of them, and each task is listed
once. `manage.py run_periodic` enqueues a task once per slot (background/services.py); the worker runs it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Periodic:
    task_path: str
    at: datetime.time | None = None
    every: int | None = None  # minutes

    @property
    def task(self):
        return import_string(self.task_path)

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The latest moment at or before `now` when the task was due (aware)."""
        if self.every is not None:
            seconds = self.every * 60
            start = int(now.timestamp()) // seconds * seconds
            return datetime.datetime.fromtimestamp(start, tz=datetime.UTC)
        zone = timezone.get_default_timezone()
        local = timezone.localtime(now, zone)
        due = datetime.datetime.combine(local.date(), self.at, tzinfo=zone)
        if due > local:
            due = datetime.datetime.combine(local.date() - datetime.timedelta(days=1), self.at, tzinfo=zone)
        return due

    def describe(self) -> str:
        return f"{self.task_path} every {self.every} min" if self.every else f"{self.task_path} at {self.at:%H:%M}"


def problems(entries) -> list[str]:
    """What is wrong with a PERIODIC_TASKS value (empty when nothing is); the system check reports these."""
    if not isinstance(entries, list | tuple):
        return ["PERIODIC_TASKS must be a list of {'task': …, 'at': 'HH:MM'} or {'task': …, 'every': minutes}."]
    found, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"PERIODIC_TASKS[{number - 1}]"
        if not isinstance(entry, dict) or set(entry) - {"task", "at", "every"} or "task" not in entry:
            found.append(f"{where} must be a dict with 'task' and one of 'at' or 'every' (got {entry!r}).")
            continue
        path = entry["task"]
        if path in seen:
            found.append(f"{where}: {path} is listed twice.")
        seen.add(path)
        if ("at" in entry) == ("every" in entry):
            found.append(f"{where}: give exactly one of 'at' (a daily local time 'HH:MM') or 'every' (minutes).")
        elif "at" in entry and not (isinstance(entry["at"], str) and _AT.match(entry["at"])):
            found.append(f"{where}: 'at' must be a time 'HH:MM' such as '02:30' (got {entry['at']!r}).")
        elif "every" in entry and not (type(entry["every"]) is int and 1 <= entry["every"] <= 24 * 60):
            found.append(f"{where}: 'every' must be a whole number of minutes from 1 to 1440 (got {entry['every']!r}).")
        try:
            task = import_string(path)
        except ImportError as exc:
            found.append(f"{where}: cannot import {path}: {exc}")
            continue
        if not callable(getattr(task, "enqueue", None)):
            found.append(f"{where}: {path} is not a django-tasks task (decorate it with @task()).")
    return found


def entries() -> list[Periodic]:
    """PERIODIC_TASKS parsed; ImproperlyConfigured when it is wrong (the system check says so earlier)."""
    value = getattr(settings, "PERIODIC_TASKS", [])
    wrong = problems(value)
    if wrong:
        raise ImproperlyConfigured(" ".join(wrong))
    parsed = []
    for entry in value:
        if "at" in entry:
            hour, minute = map(int, entry["at"].split(":"))
            parsed.append(Periodic(task_path=entry["task"], at=datetime.time(hour, minute)))
        else:
            parsed.append(Periodic(task_path=entry["task"], every=entry["every"]))
    return parsed
