"""The task worker does not die of database errors, and an export finishes while users write (issue 14, item 5).

Before, on SQLite a "database is locked" while the worker recorded a job killed the worker and left the job
"running" for ever. Now (background/management/commands/db_worker.py, background/resilience.py,
reports.services.export_job_run):
  - both databases: transient errors injected where the worker claims a task, where the export records its
    progress and end, and where the task's result is saved — the worker goes through all of them;
  - SQLite, for real: a worker process exports from a database file while another connection holds the write
    lock for longer than the busy timeout; the worker meets "database is locked", waits, and finishes;
  - PostgreSQL, for real: a user's transaction holds the job's row while the worker starts it (lock timeout),
    then the worker's connection is terminated by the server between two jobs; it reconnects and runs the next.
"""

from __future__ import annotations

import datetime
import io
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.backends.signals import connection_created
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from background.management.commands.db_worker import ResilientWorker
from courses.figures import figures_rebuild
from courses.models import ClassSession, Course
from courses.services import class_session_create
from reports import services
from reports.models import ExportJob
from tests.clock import this_year
from tests.conftest import is_postgres
from tests.courses.factories import CourseFactory

ROOT = Path(__file__).resolve().parents[2]
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker(**options) -> ResilientWorker:
    values = {
        "queue_names": ["*"],
        "interval": 0.02,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    return ResilientWorker(**(values | options))


def sessions_of_b(world, count: int) -> Course:
    """A talk of centre B in the pinned year with `count` sessions (written directly, figures recounted)."""
    course = CourseFactory(
        centre=world.centre_b,
        start_date=datetime.date(this_year(), 1, 1),
        end_date=datetime.date(this_year(), 10, 31),
    )
    days = [datetime.date(this_year(), 1, 1) + datetime.timedelta(days=i % 300) for i in range(count)]
    ClassSession.objects.bulk_create(
        [ClassSession(course=course, date=day, topic=f"Buổi {i}", present=20, women=11) for i, day in enumerate(days)],
        batch_size=2000,
    )
    figures_rebuild()
    return course


class Faults:
    """An execute_wrapper that fails the first n statements containing a marker with a transient error."""

    def __init__(self, rules: dict[str, tuple[int, str]]) -> None:
        self.left = {marker: count for marker, (count, _message) in rules.items()}
        self.messages = {marker: message for marker, (_count, message) in rules.items()}

    def __call__(self, execute, sql, params, many, context):
        for marker, left in self.left.items():
            if left and marker in sql:
                self.left[marker] -= 1
                raise OperationalError(self.messages[marker])
        return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
def test_the_worker_goes_through_database_errors_and_the_export_still_finishes(world, settings, monkeypatch):
    settings.TASKS = DB_BACKEND
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    monkeypatch.setattr("background.resilience.time.sleep", lambda seconds: None)
    job, created = services.export_job_start(
        kind="trung-tam", title="Danh sách trung tâm", params={}, rows_total=2, by=world.official
    )
    assert created and job.status == ExportJob.Status.QUEUED  # waits for the worker now
    faults = Faults(
        {
            # Claiming the task: PostgreSQL restarting (the original worker re-raised this and died).
            'FROM "django_tasks_database_dbtaskresult"': (1, "server closed the connection unexpectedly"),
            # The export's start, progress and end: SQLite busy beyond its timeout.
            'UPDATE "reports_exportjob"': (3, "database is locked"),
            # Saving the task's result, more often than django-tasks-db's own three tries.
            '"return_value" =': (4, "database is locked"),
        }
    )
    with connection.execute_wrapper(faults):
        worker().run()  # batch mode: returns when the queue is empty, and only then
    assert all(left == 0 for left in faults.left.values()), faults.left
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.rows_done == 2 and job.file
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_an_export_that_fails_of_a_database_error_is_marked_failed_not_left_running(world, settings, monkeypatch):
    settings.TASKS = DB_BACKEND
    monkeypatch.setattr("background.resilience.time.sleep", lambda seconds: None)
    job, _ = services.export_job_start(kind="trung-tam", title="x", params={}, rows_total=2, by=world.official)
    # The export's own read fails, and the first attempt to record the failure too.
    faults = Faults({'FROM "centres_centre"': (1, "server closed the connection unexpectedly")})
    record = Faults({'"error" =': (1, "database is locked")})
    with connection.execute_wrapper(faults), connection.execute_wrapper(record):
        worker().run()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "server closed" in job.error
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"  # the task ran to its end: the job says what failed


# --- SQLite: a worker process and a writer holding the lock ----------------------------------------------------

ROWS = 2000


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_worker_waits_out_a_writer_holding_the_lock_and_finishes(world, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's file locks; PostgreSQL has its own test below")
    settings.TASKS = DB_BACKEND
    course = sessions_of_b(world, ROWS)
    job, _ = services.export_job_start(
        kind="buoi-hoc", title="Buổi học", params={"lop": str(course.pk)}, rows_total=ROWS, by=world.official
    )
    # The tests' in-memory database, copied to a file the processes share (WAL, as in production).
    database = tmp_path / "db.sqlite3"
    copy = sqlite3.connect(database)
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))} | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "SQLITE_BUSY_TIMEOUT": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.05",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines, met_the_lock = [], threading.Event()

    def read_output():
        for line in process.stdout:
            lines.append(line)
            if "database is locked" in line:
                met_the_lock.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    writer = sqlite3.connect(database, timeout=30, isolation_level=None)
    try:
        deadline = time.monotonic() + 60
        while writer.execute("SELECT status FROM reports_exportjob WHERE id = ?", (job.pk,)).fetchone()[0] == "queued":
            assert time.monotonic() < deadline and process.poll() is None, "the worker never started the job"
            time.sleep(0.005)
        # A user's write transaction holds the lock until the worker has met it (longer than its busy timeout,
        # 1 s), then two more short ones while it goes on.
        for first in (True, False, False):
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE courses_classsession SET topic = topic || '.' WHERE course_id = ?", (course.pk,))
            if first:
                met_the_lock.wait(timeout=20)
            else:
                time.sleep(0.2)
            writer.execute("COMMIT")
        process.wait(timeout=60)
        reader.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        writer.close()
    output = "".join(lines)
    assert process.returncode == 0, output
    assert met_the_lock.is_set(), output  # it met the lock, and went on
    status, file_name, rows_done = writer_read(database, job.pk)
    assert (status, rows_done) == ("done", ROWS), output
    sheet = load_workbook(io.BytesIO((tmp_path / "media" / file_name).read_bytes()), read_only=True).active
    assert ROWS < sum(1 for _ in sheet.iter_rows(values_only=True)) < ROWS + 10  # every session, and the title block
    with sqlite3.connect(database) as check:
        topics = check.execute("SELECT topic FROM courses_classsession WHERE course_id = ? LIMIT 1", (course.pk,))
        assert topics.fetchone()[0].endswith("...")  # every write of the user was kept


def writer_read(database: Path, job_id: int):
    with sqlite3.connect(database) as check:
        return check.execute("SELECT status, file, rows_done FROM reports_exportjob WHERE id = ?", (job_id,)).fetchone()


# --- PostgreSQL: a row lock, then a terminated connection ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_worker_goes_through_a_lock_timeout_and_a_terminated_connection(world, settings, caplog):
    if not is_postgres():
        pytest.skip("PostgreSQL's lock timeout and pg_terminate_backend")
    settings.TASKS = DB_BACKEND
    course = sessions_of_b(world, 300)
    backend_pids, errors = [], []
    runner = worker(batch=False)

    def on_connect(sender, connection, **kwargs):
        if threading.current_thread().name == "worker":
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
                cursor.execute("SELECT pg_backend_pid()")
                backend_pids.append(cursor.fetchone()[0])

    def run():
        try:
            runner.run()
        except BaseException as exc:  # the test fails on any
            errors.append(exc)
        finally:
            connections.close_all()

    def wait_for(job, status):
        deadline = time.monotonic() + 30
        while ExportJob.objects.get(pk=job.pk).status != status:
            assert time.monotonic() < deadline and not errors, (status, errors)
            time.sleep(0.05)

    connection_created.connect(on_connect)
    thread = threading.Thread(target=run, name="worker", daemon=True)
    try:
        first, _ = services.export_job_start(
            kind="buoi-hoc", title="Buổi học", params={"lop": str(course.pk)}, rows_total=300, by=world.official
        )
        # A user's transaction holds the job's row (and writes a session) while the worker starts the job: the
        # worker's UPDATE runs into the lock timeout, waits and tries again.
        with transaction.atomic():
            ExportJob.objects.select_for_update().get(pk=first.pk)
            class_session_create(course=course, by=world.official, date=datetime.date(this_year(), 10, 30), present=5)
            thread.start()
            time.sleep(1.2)
        wait_for(first, "done")
        deadline = time.monotonic() + 30
        while DBTaskResult.objects.filter(status="RUNNING").exists():  # the task's result is recorded too
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # The server ends the worker's connection (a restart, an administrator) while it waits for work.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pids[-1]])
        second, _ = services.export_job_start(
            kind="trung-tam", title="Trung tâm", params={}, rows_total=2, by=world.official
        )
        wait_for(second, "done")
    finally:
        runner.running = False
        thread.join(timeout=30)
        connection_created.disconnect(on_connect)
    assert not errors and not thread.is_alive()
    assert any("lock timeout" in r.getMessage() for r in caplog.records)  # met the user's lock, waited it out
    assert len(backend_pids) >= 2  # its first connection, and a new one after the termination
    assert ExportJob.objects.get(pk=first.pk).rows_done == 301  # with the session the user wrote meanwhile
    assert ClassSession.objects.filter(course=course).count() == 301  # the user's write was kept
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
