"""Reuse a seeded benchmark database: `pg_dump` it once after seeding, `pg_restore` it
when the database is missing (a new machine, or `--fresh` without `--reseed`). Seeding
scale 10 with its years of history takes minutes on 2 cores; a restore takes seconds.
After a restore the benchmark still runs `migrate` and `seed_demo` (which tops up what a
newer tree or a later day adds), so a dump from an older tree stays usable."""

import subprocess
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def dump_path(url: str) -> Path:
    return ROOT / "var" / f"bench-{urlparse(url).path.lstrip('/')}.dump"


def _args(url: str) -> list[str]:
    parsed = urlparse(url)
    args = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
    return args + (["-U", parsed.username] if parsed.username else [])


def restore(url: str) -> bool:
    """Fill an empty database from its dump; False if there is no dump."""
    path = dump_path(url)
    if not path.exists():
        return False
    name = urlparse(url).path.lstrip("/")
    subprocess.run(["pg_restore", *_args(url), "--no-owner", "-j", "2", "-d", name, str(path)], check=True)
    return True


def save(url: str):
    path = dump_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    name = urlparse(url).path.lstrip("/")
    subprocess.run(["pg_dump", *_args(url), "-Fc", "-Z", "1", "-f", str(path), name], check=True)
