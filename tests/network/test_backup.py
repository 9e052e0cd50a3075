"""Backup and restore: `make backup` (manage.py backup_database) writes a pg_dump file
that the documented pg_restore procedure turns into a database with the same rows, on
the demo network (.ci/backup_restore_check.py). PostgreSQL only; SQLite's copy is
checked too."""

import io
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import require
from tests.integration.workers import PROJECT_ROOT, test_database_url


@pytest.mark.postgres
def test_backup_restores_into_a_new_database_with_every_row(transactional_db):
    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL=postgres://...)")
    call_command("seed_demo", stdout=io.StringIO())  # committed: pg_dump sees it
    result = subprocess.run(  # noqa: S603
        [sys.executable, ".ci/backup_restore_check.py"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": test_database_url()},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Every table has the same number of rows in the restored copy." in result.stdout
    assert "trusts_person" not in result.stdout.split("restored copy.")[-1]


def test_sqlite_backup_is_a_consistent_copy(db, tmp_path, settings, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path")
    # The test database lives in memory: back up a file database of the same schema.
    source = tmp_path / "db.sqlite3"
    with sqlite3.connect(source) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
    monkeypatch.setitem(settings.DATABASES["default"], "NAME", str(source))  # restored afterwards
    out = tmp_path / "backup.sqlite3"
    call_command("backup_database", "--output", str(out), stdout=io.StringIO())
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (100,)


@pytest.mark.postgres
def test_backup_command_writes_a_pg_dump_file(db, tmp_path):
    # In the same process as the test, so what the command does is measured (the restore
    # check above runs it as a subprocess).
    require(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL=postgres://...)")
    out = tmp_path / "portal.dump"
    call_command("backup_database", "--output", str(out), stdout=io.StringIO())
    assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
