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


def _run(args: list[str], home: Path) -> None:
    # Run from the cluster's folder: the server's user may not be allowed into the caller's.
    done = subprocess.run(_as_owner(args), capture_output=True, text=True, timeout=120, cwd=home)
    if done.returncode:
        log = home / "server.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()}\n{tail}")


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
    data, pg_ctl = str(home / "data"), str(bin_dir / "pg_ctl")
    options = f"-k {home} -c listen_addresses='' -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c full_page_writes=off"
    try:
        initdb = [str(bin_dir / "initdb"), "-D", data, "-U", "postgres", "-A", "trust"]
        _run([*initdb, "-E", "UTF8", "--locale=C", "--no-sync"], home)
        _run(
            [pg_ctl, "-D", data, "-o", options, "-l", str(home / "server.log"), "-w", "start"], home
        )
        try:
            yield f"postgresql://postgres@/postgres?host={home}"
        finally:
            _run([pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"], home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """A new, empty store on the server: its own schema (cheaper than a database), named
    first in the search path of the URL it returns."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    return f"{server_url}&options=-csearch_path%3D{name}"
