"""Enqueue the PERIODIC_TASKS when they are due (background/schedule.py); the task worker runs them.

    python manage.py run_periodic            # keeps running: checks every 30 seconds (systemd: tthtcd-periodic)
    python manage.py run_periodic --once     # one check, then exit (cron, or to see what is due)

Each task is enqueued once per slot, recorded in background.PeriodicRun: a restart, or a second runner on
another machine, does not enqueue it again. Database errors (SQLite busy, PostgreSQL restarting) are logged and
waited out; the runner never dies of them.
"""

from __future__ import annotations

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from background.resilience import TRANSIENT, Backoff, reset_connection
from background.schedule import entries
from background.services import periodic_runs_enqueue_due

log = logging.getLogger("background.periodic")


class Command(BaseCommand):
    help = "Enqueue the PERIODIC_TASKS that are due, once per slot (docs/architecture.md)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks (default 30).")

    def handle(self, *, once: bool, interval: float, verbosity: int, **options):
        self.running = True
        schedule = entries()
        if verbosity:
            for entry in schedule:
                self.stdout.write(f"periodic: {entry.describe()}")
        if once:
            self.check_once(verbosity)
            return
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        backoff = Backoff()
        while self.running:
            close_old_connections()
            try:
                self.check_once(verbosity)
            except TRANSIENT as exc:
                log.warning("periodic runner: database error (%s); waiting", exc)
                reset_connection()
                backoff.wait()
                continue
            backoff.reset()
            self.sleep(interval)

    def check_once(self, verbosity: int) -> None:
        for run in periodic_runs_enqueue_due(now=timezone.now()):
            if verbosity:
                self.stdout.write(f"enqueued {run.task} ({timezone.localtime(run.slot):%d/%m/%Y %H:%M})")

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self.running and time.monotonic() < end:
            time.sleep(min(1.0, end - time.monotonic()))

    def stop(self, signum, frame) -> None:
        self.running = False
