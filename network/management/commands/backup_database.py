"""Back up the database to one file (`make backup`).

    python manage.py backup_database                 # var/backups/portal-YYYYmmdd-HHMMSS.dump
    python manage.py backup_database --output FILE

PostgreSQL: `pg_dump --format=custom` (compressed; restored with `pg_restore`, table by
table, into an empty database: see the README, "Backups"). SQLite (a first local run):
a consistent copy through SQLite's online backup. Uploaded files (MEDIA_ROOT) are not in
the database: back them up beside it.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def pg_environment(db: dict) -> dict:
    """libpq's variables for the configured database (the password never on argv)."""
    env = {**os.environ}
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


class Command(BaseCommand):
    help = "Back up the database to one file (PostgreSQL: pg_dump custom format; SQLite: a copy)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The file to write (default: var/backups/portal-<date>-<time>.dump).")

    def handle(self, *args, output=None, **options):
        db = settings.DATABASES["default"]
        stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
        suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
        path = Path(output or settings.BASE_DIR / "var" / "backups" / f"portal-{stamp}.{suffix}")
        path.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "postgresql":
            pg_dump = shutil.which("pg_dump")
            if pg_dump is None:
                raise CommandError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
            result = subprocess.run(  # noqa: S603  (arguments from settings, not from a user)
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--file", str(path), db["NAME"]],
                env=pg_environment(db),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                path.unlink(missing_ok=True)
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            source = sqlite3.connect(db["NAME"])
            target = sqlite3.connect(path)
            with target:
                source.backup(target)
            source.close()
            target.close()
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        self.stdout.write(f"{path} ({path.stat().st_size / 1024 / 1024:.1f} MB)")
