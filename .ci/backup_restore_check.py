#!/usr/bin/env python
"""Prove a backup restores: back up the database at DATABASE_URL (`manage.py
backup_database`, pg_dump custom format), restore it with pg_restore into a new, empty
database, compare the number of rows of every table, then drop the copy.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python .ci/backup_restore_check.py [--seed]

--seed first migrates the database and builds the demo network (seed_demo), so the check
runs on realistic data. Exit code 0 when every table has the same number of rows in the
copy, 1 otherwise (the differing tables are listed). The restore is the procedure the
README documents ("Backups"); tests/network/test_backup.py runs this script.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[1]


def tool(name: str) -> str:
    """The PostgreSQL client program's full path (Debian: postgresql-client)."""
    path = shutil.which(name)
    if path is None:
        sys.exit(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)  # noqa: S603


def row_counts(dsn: dict) -> dict[str, int]:
    with psycopg2.connect(**dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cur.fetchall()]
        counts = {}
        for table in tables:
            cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cur.fetchone()[0]
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", action="store_true", help="migrate and build the demo network first")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from network.management.commands.backup_database import pg_environment

    if connection.vendor != "postgresql":
        print("DATABASE_URL must point at PostgreSQL.", file=sys.stderr)
        return 2
    db = settings.DATABASES["default"]
    if options.seed:
        manage("migrate", "--noinput", "-v0")
        manage("seed_demo")
    source = {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"],
        "port": db["PORT"],
    }
    source = {k: v for k, v in source.items() if v}
    copy_name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    env = pg_environment(db)

    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "backup.dump"
        manage("backup_database", "--output", str(dump))
        subprocess.run([tool("createdb"), "--template=template0", copy_name], env=env, check=True)  # noqa: S603
        try:
            # The documented restore: into an empty database, without the original owner.
            subprocess.run(  # noqa: S603
                [
                    tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                    copy_name,
                    str(dump),
                ],
                env=env,
                check=True,
            )
            before = row_counts(source)
            after = row_counts({**source, "dbname": copy_name})
        finally:
            subprocess.run([tool("dropdb"), "--if-exists", copy_name], env=env, check=True)  # noqa: S603

    differ = {
        t: (before.get(t), after.get(t)) for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)
    }
    rows = sum(before.values())
    print(f"Backed up {db['NAME']} ({dump.name}), restored into {copy_name}: {len(before)} tables, {rows:,} rows.")
    if differ:
        for table, (was, now) in differ.items():
            print(f"  {table}: {was} rows before, {now} after the restore")
        return 1
    print("Every table has the same number of rows in the restored copy.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
