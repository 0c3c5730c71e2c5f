"""django-tasks-db's `db_worker`, made to survive database errors. Same options; started by `make run`
(`db_worker --queue-name "*"`) and by the tthtcd-worker systemd unit.

The original dies when the database answers with anything but "locked" while it claims a task (a PostgreSQL
restart, a dropped connection), and when recording a task's result fails (SQLite busy beyond its retries); the
task then stays "running" for ever. Here:
  - the claiming loop catches transient database errors (background/resilience.py), drops the connection,
    waits (1, 2, 4 … 60 s) and goes on;
  - a task's result is recorded with patient retries (five attempts over about six seconds, on top of SQLite's
    busy timeout); if even that fails, the loop goes on and the task's own record tells (an export job without
    a heartbeat is marked failed by reports.tasks.fail_stale_export_jobs).
This app is listed before django_tasks_db in INSTALLED_APPS so that this command replaces the original, as
whitenoise's runserver replaces staticfiles'.
"""

from __future__ import annotations

import logging
import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as original

from background.resilience import TRANSIENT, Backoff, call_with_retry, reset_connection

log = logging.getLogger("django_tasks_db")


class ResilientWorker(original.Worker):
    def run(self) -> None:
        backoff = Backoff()
        while True:
            try:
                return super().run()
            except TRANSIENT as exc:
                if not self.running:
                    return None
                log.warning("worker %s: database error (%s); waiting before going on", self.worker_id, exc)
                reset_connection()
                backoff.wait()

    def run_task(self, db_task_result) -> None:
        for name in ("set_successful", "set_failed"):
            mark = getattr(db_task_result, name)
            setattr(db_task_result, name, _patient(mark, what=f"task {db_task_result.id} {name}"))
        super().run_task(db_task_result)


def _patient(mark, *, what: str):
    def call(*args, **kwargs):
        return call_with_retry(lambda: mark(*args, **kwargs), what=what, attempts=5, delay=0.4)

    return call


class Command(original.Command):
    help = "Run the background task worker (django-tasks-db's db_worker, surviving database errors)."

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options) -> None:  # fmt: skip
        self.configure_logging(verbosity)
        if reload and batch:
            log.warning("Warning: --reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise original.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
