"""The periodic runner (issue 14, item 5): PERIODIC_TASKS lists django-tasks tasks with a daily local time or an
interval; `manage.py run_periodic` enqueues each one once per slot, recorded in the database, so that a restart or
a second runner does not run it twice; a bad entry is a system check error; database errors do not stop it."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import OperationalError

from background import schedule
from background.checks import check_periodic_tasks
from background.models import PeriodicRun
from background.services import periodic_runs_enqueue_due
from tests.background import tasks
from tests.clock import moment

DAILY = {"task": "tests.background.tasks.record_daily", "at": "02:30"}
EVERY = {"task": "tests.background.tasks.record_every", "every": 15}


@pytest.fixture
def periodic(settings):
    settings.PERIODIC_TASKS = [DAILY, EVERY]
    tasks.CALLS.clear()
    yield
    tasks.CALLS.clear()


def test_a_daily_task_is_due_at_its_local_time_and_an_interval_task_on_its_multiples():
    daily, every = schedule.Periodic("x", at=datetime.time(2, 30)), schedule.Periodic("x", every=15)
    assert daily.slot(moment("2026-11-16 06:30")) == moment("2026-11-16 02:30")
    assert daily.slot(moment("2026-11-16 02:29")) == moment("2026-11-15 02:30")  # not yet today: yesterday's
    assert daily.slot(moment("2026-11-16 02:30")) == moment("2026-11-16 02:30")
    assert every.slot(moment("2026-11-16 06:44:59")) == moment("2026-11-16 06:30")
    assert every.slot(moment("2026-11-16 06:45")) == moment("2026-11-16 06:45")


def test_each_task_is_enqueued_once_per_slot(db, periodic):
    now = moment("2026-11-16 06:31")
    assert sorted(r.task for r in periodic_runs_enqueue_due(now=now)) == sorted([DAILY["task"], EVERY["task"]])
    assert sorted(tasks.CALLS) == ["daily", "every"]  # the tests' immediate backend runs what is enqueued
    # Again in the same slots (a restart, or a second runner): nothing.
    assert periodic_runs_enqueue_due(now=now + datetime.timedelta(minutes=10)) == []
    # The next 15 minutes: only the interval task; the next day at 02:30: the daily one too.
    assert [r.task for r in periodic_runs_enqueue_due(now=moment("2026-11-16 06:46"))] == [EVERY["task"]]
    assert len(periodic_runs_enqueue_due(now=moment("2026-11-17 02:31"))) == 2
    assert tasks.CALLS.count("daily") == 2 and PeriodicRun.objects.count() == 5


def test_a_slot_another_runner_took_is_left_to_it(db, periodic):
    now = moment("2026-11-16 06:31")
    PeriodicRun.objects.create(task=DAILY["task"], slot=moment("2026-11-16 02:30"))
    assert [r.task for r in periodic_runs_enqueue_due(now=now)] == [EVERY["task"]]
    assert tasks.CALLS == ["every"]


def test_a_runner_stopped_for_days_runs_a_daily_task_once_not_once_per_missed_day(db, periodic):
    periodic_runs_enqueue_due(now=moment("2026-11-12 03:00"))
    tasks.CALLS.clear()
    periodic_runs_enqueue_due(now=moment("2026-11-16 06:31"))
    assert sorted(tasks.CALLS) == ["daily", "every"]


def test_run_periodic_once_enqueues_what_is_due_and_says_so(db, periodic, capsys):
    call_command("run_periodic", "--once")
    out = capsys.readouterr().out
    assert "periodic: tests.background.tasks.record_daily at 02:30" in out
    assert "enqueued tests.background.tasks.record_every" in out
    assert sorted(tasks.CALLS) == ["daily", "every"]
    call_command("run_periodic", "--once")
    assert len(tasks.CALLS) == 2


def test_the_runner_waits_out_a_database_error_and_goes_on(db, periodic, monkeypatch):
    from background.management.commands import run_periodic

    calls = []

    def flaky(*, now):
        calls.append(now)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        command.running = False
        return []

    command = run_periodic.Command()
    monkeypatch.setattr(run_periodic, "periodic_runs_enqueue_due", flaky)
    monkeypatch.setattr(run_periodic.Backoff, "wait", lambda self: 0)
    monkeypatch.setattr(run_periodic.signal, "signal", lambda *a: None)
    command.handle(once=False, interval=0.01, verbosity=0)
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"task": "tests.background.tasks.record_daily", "at": "25:00"}, "'at' must be a time 'HH:MM'"),
        ({"task": "tests.background.tasks.record_daily", "at": "02:30", "every": 5}, "exactly one of"),
        ({"task": "tests.background.tasks.record_daily"}, "exactly one of"),
        ({"task": "tests.background.tasks.record_daily", "every": 0}, "'every' must be a whole number"),
        ({"task": "tests.background.tasks.nothing_here", "every": 5}, "cannot import"),
        ({"task": "tests.background.tasks.not_a_task", "every": 5}, "is not a django-tasks task"),
        ({"task": "x", "at": "02:30", "when": "daily"}, "must be a dict with 'task'"),
    ],
)
def test_a_wrong_entry_is_a_system_check_error(settings, entry, message):
    settings.PERIODIC_TASKS = [entry]
    errors = check_periodic_tasks()
    assert len(errors) >= 1 and errors[0].id == "background.E001"
    assert message in errors[0].msg


def test_the_projects_own_schedule_passes_the_check():
    assert check_periodic_tasks() == []
    assert {e.task_path for e in schedule.entries()} >= {
        "reports.tasks.prune_export_files",
        "reports.tasks.fail_stale_export_jobs",
        "tthtcd_portal.tasks.prune_staged_uploads",
    }
