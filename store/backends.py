"""The two backends behind one small interface: SQLite (a file) and PostgreSQL (a server).

SQL is written once, with `?` placeholders and types both databases accept; a `Database`
turns it into the driver's dialect. Transactions are explicit (autocommit otherwise).
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors

DB_ENV = "POLICE_METRICS_DB"  # a store file or URL: tests, previews, a shared deployment
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "data" / "claims.sqlite"
POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
SQLITE_SCHEME = "sqlite:///"
BUSY_MS = 30_000
RETRIES = 6
# What a caller catches as "the store cannot be reached or refused the statement".
ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, psycopg.Error, OSError)
INTEGRITY_ERRORS = (sqlite3.IntegrityError, pg_errors.IntegrityError)
T = TypeVar("T")


class StoreUnavailable(OSError):
    """The store cannot be opened (no server, bad URL, unwritable folder)."""


@dataclass(frozen=True)
class Location:
    """Where a store lives: the backend and the path (SQLite) or conninfo URL (PostgreSQL)."""

    dialect: str
    target: str

    def __str__(self) -> str:
        return self.target if self.dialect == "sqlite" else redact(self.target)


def default_url() -> str:
    """$POLICE_METRICS_DB, else data/claims.sqlite."""
    return os.environ.get(DB_ENV) or str(DEFAULT_PATH)


def locate(url: str | Path | None = None) -> Location:
    """The store a URL names: `postgresql://…`, `sqlite:///path`, or a plain file path."""
    text = str(url) if url else default_url()
    if text.startswith(POSTGRES_SCHEMES):
        return Location("postgresql", "postgresql://" + text.split("://", 1)[1])
    if text.startswith(SQLITE_SCHEME):
        return Location("sqlite", text[len(SQLITE_SCHEME) :])
    if re.match(r"^[a-z][a-z0-9+.-]*://", text):
        raise StoreUnavailable(
            f"unknown store URL {redact(text)}: use a file path, sqlite:///PATH or postgresql://…"
        )
    return Location("sqlite", text)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    return sql.replace("?", "%s")


class Database:
    """One connection to either backend."""

    def __init__(self, raw: Any, location: Location) -> None:
        self.raw = raw
        self.location = location
        self.dialect = location.dialect
        self.postgres = self.dialect == "postgresql"
        # Column types that differ: SQLite keeps any value in an untyped column.
        self.real = "DOUBLE PRECISION" if self.postgres else "REAL"
        self.any = "TEXT" if self.postgres else ""
        self.for_update = " FOR UPDATE" if self.postgres else ""

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        """Run one statement; the cursor (iterable over rows)."""
        if self.postgres:
            return self.raw.execute(_pg_sql(sql), list(params) if params else None)
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        """Run one statement per row."""
        rows = list(rows)
        if not rows:
            return
        if self.postgres:
            with self.raw.cursor() as cursor:
                cursor.executemany(_pg_sql(sql), rows)
        else:
            self.raw.executemany(sql, rows)

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Every row of a query."""
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[object] = ()) -> tuple | None:
        """The first row of a query, or None."""
        return self.execute(sql, params).fetchone()

    def has_table(self, name: str) -> bool:
        """True when the table exists (in the connection's schema)."""
        if self.postgres:
            sql = (
                "SELECT 1 FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_name = ?"
            )
        else:
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self.one(sql, (name,)) is not None

    @property
    def in_transaction(self) -> bool:
        """True inside BEGIN … COMMIT."""
        if self.postgres:
            return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE
        return self.raw.in_transaction

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction. SQLite takes the write lock first (BEGIN IMMEDIATE), so
        writers queue; PostgreSQL locks rows as they are written (see lock_store)."""
        begin = "BEGIN" if self.postgres else "BEGIN IMMEDIATE"
        self._retry(lambda: self.execute(begin))
        try:
            yield self
            self._retry(lambda: self.execute("COMMIT"))
        except BaseException:
            if self.in_transaction:  # nothing of a failed change stays
                self.execute("ROLLBACK")
            raise

    def lock_store(self) -> None:
        """Inside a transaction: one process at a time past this point (schema, bundled data).
        SQLite's BEGIN IMMEDIATE has already done it."""
        if self.postgres:
            self.execute("SELECT pg_advisory_xact_lock(?)", (0x706F6C6963,))

    def _retry(self, action: Callable[[], T]) -> T:
        """SQLite: run a statement again while another writer holds the lock past the busy
        timeout. PostgreSQL waits for row locks itself."""
        for attempt in range(RETRIES):
            try:
                return action()
            except sqlite3.OperationalError as err:
                contended = "locked" in str(err) or "busy" in str(err)
                if not contended or attempt == RETRIES - 1:
                    raise
                time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()


def open_database(url: str | Path | None = None) -> Database:
    """A connection to the store at `url`, without touching its schema."""
    location = locate(url)
    if location.dialect == "postgresql":
        try:
            raw = psycopg.connect(location.target, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as err:
            reason = " ".join(str(err).split())  # libpq's message spans lines: one line
            raise StoreUnavailable(f"cannot reach {location}: {reason}") from err
        return Database(raw, location)
    path = Path(location.target)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit mode: transactions are explicit, one per change.
    raw = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    db = Database(raw, location)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        db._retry(lambda: db.execute("PRAGMA journal_mode = WAL"))
    except BaseException:
        raw.close()
        raise
    return db
