"""A throwaway PostgreSQL server for tests and the load test: Debian's binaries, a cluster
in a temporary folder, a unix socket inside it (no TCP port at all), removed at the end.

initdb refuses to run as root, so as root the cluster belongs to the `postgres` system user
that Debian's package creates.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SERVER_USER = "postgres"


def binaries() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(
        Path("/").glob(BIN_GLOB.lstrip("/")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    found = [p for p in found if (p / "initdb").exists() and (p / "pg_ctl").exists()]
    return found[-1] if found else None


def unavailable_reason() -> str | None:
    """Why no server can be started here, or None when one can."""
    if binaries() is None:
        return (
            "PostgreSQL server binaries not installed (Debian package `postgresql`; "
            "`make test` installs it when run as root)"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no `{SERVER_USER}` user to own the cluster"
    return None


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str], **options: object) -> None:
    subprocess.run(_as_owner(args), check=True, capture_output=True, timeout=120, **options)


@contextmanager
def throwaway_server(durable: bool = False) -> Iterator[str]:
    """Start a server; yields the URL of its `postgres` database; stops and deletes it after.
    Tests skip fsync (a crash loses nothing they need); `durable` keeps it, as a real
    deployment would, for the load test."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError(unavailable_reason())
    home = Path(tempfile.mkdtemp(prefix="pg-"))  # short: a socket path has ~100 bytes at most
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SERVER_USER)
        os.chown(home, owner.pw_uid, owner.pw_gid)
    data = home / "data"
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )
        options = f"-k {home} -c listen_addresses='' -c max_connections=200"
        if not durable:
            options += " -c fsync=off -c full_page_writes=off"
        _run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(home / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        )
        try:
            yield f"postgresql://postgres@/postgres?host={home}"
        finally:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(home, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """A new, empty store on the server: its own schema (cheaper than a database), named
    first in the search path of the URL it returns."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    return f"{server_url}&options=-csearch_path%3D{name}"
