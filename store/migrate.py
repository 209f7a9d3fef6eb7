"""Copy a whole store into another, empty one: SQLite into PostgreSQL (or back)."""

from __future__ import annotations

from pathlib import Path

from store.backends import Database
from store.repository import StoreError, opened, transaction

# In foreign-key order; claims before the reviews that refer to them.
TABLES = ("documents", "claims", "corrections", "dropped", "claim_moves")
BATCH = 2_000


def _value(target: Database, table: str, column: str, value: object) -> object:
    # A correction's value is typed in SQLite and text in PostgreSQL (the view casts it back).
    if table == "corrections" and column == "value" and target.postgres and value is not None:
        return str(value)
    return value


def copy_table(source: Database, target: Database, table: str) -> int:
    """Every row of one table into the same table of the target; how many."""
    cursor = source.execute(f"SELECT * FROM {table}")
    names = [d[0] for d in cursor.description]
    quoted = ", ".join(f'"{name}"' for name in names)
    insert = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})"
    total = 0
    while rows := cursor.fetchmany(BATCH):
        target.executemany(
            insert,
            [
                [_value(target, table, name, value) for name, value in zip(names, row, strict=True)]
                for row in rows
            ],
        )
        total += len(rows)
    return total


def copy_store(source_url: str | Path, target_url: str | Path) -> dict[str, int]:
    """Copy reports, claims, corrections, drops and the bundled-data fingerprint into an
    empty store, in one transaction; rows copied per table."""
    with opened(source_url) as source, opened(target_url) as target, transaction(target):
        target.lock_store()
        if target.one("SELECT COUNT(*) FROM documents")[0]:  # type: ignore[index]
            raise StoreError("the target store is not empty; nothing copied")
        copied = {table: copy_table(source, target, table) for table in TABLES}
        kept = source.rows("SELECT key, value FROM meta WHERE key LIKE 'bundled%'")
        target.executemany(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            kept,
        )
    return copied
