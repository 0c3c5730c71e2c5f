"""Backups (issue 9, item 6): a pg_dump of the database restores into a new database with every record
and every figure equal. The procedure is the one docs/deployment.md documents (pg_dump -Fc, pg_restore)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import psycopg2
import pytest
from django.apps import apps
from django.db import connection

from accounts.models import User
from tests.conftest import is_postgres
from tests.factories import CentreFactory, UserFactory

PROJECT_APPS = ["accounts", "units", "centres", "library", "resources", "courses", "evaluations", "reports"]

pytestmark = pytest.mark.postgres
needs_postgres = pytest.mark.skipif(
    not is_postgres(),
    reason="pg_dump/pg_restore drill: PostgreSQL only (SQLite's backup is `sqlite3 db.sqlite3 .backup`, documented)",
)


def project_tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every concrete model of the project's apps, history tables included."""
    tables = []
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.append((model._meta.db_table, model._meta.pk.column))
    return sorted(set(tables))


def fingerprint(conn, tables) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of all rows in primary-key order, per table: equal means equal content."""
    result = {}
    with conn.cursor() as cursor:
        for table, pk in tables:
            cursor.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t.\"{pk}\")), '') FROM \"{table}\" t"
            )
            result[table] = cursor.fetchone()
    return result


def pg_env(settings_dict) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PGHOST=settings_dict["HOST"] or "127.0.0.1",
        PGPORT=str(settings_dict["PORT"] or 5432),
        PGUSER=settings_dict["USER"] or "postgres",
    )
    if settings_dict["PASSWORD"]:
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


@pytest.fixture
def seeded(transactional_db, world):
    """A little of everything there is so far: units, offices, centres, users, history rows."""
    for n in range(3):
        CentreFactory(commune__district=world.district_y, address=f"Thôn {n}", review_office=world.office_y)
    UserFactory(username="quan_tri_them", role=User.Role.ADMIN)
    world.centre_a.address = "Thôn Đông, xã Đông Phương"
    world.centre_a.save(update_fields=["address"])  # a second history row
    return world


@needs_postgres
def test_a_dump_restores_into_a_new_database_with_every_record_equal(seeded, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed (Debian: postgresql-client)")
    source = connection.settings_dict
    env = pg_env(source)
    dump = tmp_path / "tthtcd.dump"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), source["NAME"]], env=env, check=True, timeout=120)

    restored = f"{source['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        host=env["PGHOST"],
        port=env["PGPORT"],
        user=env["PGUSER"],
        password=source["PASSWORD"] or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{restored}"')
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(dump)], env=env, check=True, timeout=120
        )
        tables = project_tables()
        with connection.cursor():
            original = fingerprint(connection.connection, tables)
        copy = psycopg2.connect(
            dbname=restored,
            host=env["PGHOST"],
            port=env["PGPORT"],
            user=env["PGUSER"],
            password=source["PASSWORD"] or None,
        )
        try:
            copied = fingerprint(copy, tables)
        finally:
            copy.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        admin.close()

    assert copied == original
    # The comparison saw real data, not empty tables.
    assert original["centres_centre"][0] == 5 and original["centres_historicalcentre"][0] >= 6
    assert original["units_commune"][0] == 5 and original["accounts_user"][0] == 8  # the world's eight personas


def test_every_project_app_has_its_tables_in_the_comparison():
    tables = dict(project_tables())
    for expected in ("accounts_user", "units_commune", "centres_centre", "centres_historicalcentre"):
        assert expected in tables
