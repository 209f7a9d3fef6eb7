"""The store's tables, as versioned migrations applied on start, for both backends.

Migration N runs once per store, in one transaction with its record in schema_migrations;
a store made before versioning (meta.schema_version '1') takes migration 1 as a no-op,
every statement of it being IF NOT EXISTS. The view `effective_claims` is derived from
the tables and rebuilt whenever a migration ran.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from extract.claim import CLAIM_FIELDS, DOCUMENT_FIELDS
from store.backends import Database
from store.review import EDITABLE, INT_FIELDS, REAL_FIELDS

CLAIM_COLUMNS = (*CLAIM_FIELDS, "indicator")
# The document fields of migration 1, frozen: fields added since (url) have their own migration.
INITIAL_DOCUMENT_FIELDS = ("title", "published", "source", "publisher")
# Claim columns that came after migration 1, each added by its own migration below.
LATER_CLAIM_COLUMNS = ("span",)
# The fields a correction may name, as each migration that set them wrote them, frozen:
# the last is the review's EDITABLE (a test holds them equal), a new field needs a new one.
# fmt: off
INITIAL_CORRECTABLE = (
    "raw", "value", "unit", "kind", "direction", "approx", "metric", "year", "period_start",
    "province", "city", "category", "indicator",
)
# fmt: on
CORRECTABLE = (*INITIAL_CORRECTABLE, "span")
DOC_COLUMNS = (
    "doc_id",
    "sha256",
    *INITIAL_DOCUMENT_FIELDS,
    "province",
    "city",
    "report_year",
    "filename",
    "origin",
    "added_at",
    "text",
    "url",
)
TABLES = (
    "meta",
    "documents",
    "claims",
    "corrections",
    "dropped",
    "claim_moves",
    "changes",
    "schema_migrations",
)


def now() -> str:
    """The time of a change, in UTC, as the store writes it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _column(db: Database, name: str) -> str:
    kind = db.real if name in REAL_FIELDS else "INTEGER" if name in INT_FIELDS else "TEXT"
    return f'"{name}" {kind}' + (" NOT NULL DEFAULT ''" if kind == "TEXT" else "")


def _corrections_table(db: Database, name: str, fields: tuple[str, ...]) -> str:
    # No foreign key to claims: a correction must outlive the re-extraction that replaces
    # the machine's rows. `value` keeps a number or text (SQLite: untyped; PostgreSQL:
    # text, cast back in the view).
    return f"""CREATE TABLE IF NOT EXISTS {name} (
            claim_id TEXT NOT NULL,
            doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
            field TEXT NOT NULL CHECK (field IN ({", ".join(f"'{f}'" for f in fields)})),
            value {db.any}, reviewed_at TEXT NOT NULL, PRIMARY KEY (claim_id, field))"""


def _initial(db: Database) -> list[str]:
    return [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"""CREATE TABLE IF NOT EXISTS documents (
            doc_id TEXT PRIMARY KEY, sha256 TEXT UNIQUE,
            {", ".join(_column(db, n) for n in (*INITIAL_DOCUMENT_FIELDS, "province", "city"))},
            report_year INTEGER, filename TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL CHECK (origin IN ('bundled', 'upload', 'cli')),
            added_at TEXT NOT NULL, text TEXT NOT NULL DEFAULT '')""",
        f"""CREATE TABLE IF NOT EXISTS claims (
            claim_id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
            origin TEXT NOT NULL CHECK (origin IN ('extracted', 'manual')),
            {", ".join(_column(db, n) for n in CLAIM_COLUMNS if n not in LATER_CLAIM_COLUMNS)},
            added_at TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS claims_by_doc ON claims (doc_id, start)",
        _corrections_table(db, "corrections", INITIAL_CORRECTABLE),
        """CREATE TABLE IF NOT EXISTS dropped (
            claim_id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
            reviewed_at TEXT NOT NULL)""",
    ]


def _shared(db: Database) -> list[str]:
    """A change counter for caches in other processes; a report's URL; checked claims; where
    a re-extraction moved a claim (a review made on the old ids still finds it)."""
    return [
        """CREATE TABLE changes (id INTEGER PRIMARY KEY CHECK (id = 1),
            store_id TEXT NOT NULL, counter BIGINT NOT NULL)""",
        f"INSERT INTO changes VALUES (1, '{uuid.uuid4().hex}', 0)",
        "ALTER TABLE documents ADD COLUMN url TEXT NOT NULL DEFAULT ''",
        # Claims imported as already checked by hand (the curated national dataset).
        "ALTER TABLE claims ADD COLUMN checked INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE claim_moves (
            claim_id TEXT PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
            moved_to TEXT NOT NULL, moved_at TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS corrections_by_doc ON corrections (doc_id)",
        "CREATE INDEX IF NOT EXISTS dropped_by_doc ON dropped (doc_id)",
    ]


def _span(db: Database) -> list[str]:
    """How much time a claim's figure covers (annual, part-year, multi-year; CLAIMS.md §5)."""
    return [f"ALTER TABLE claims ADD COLUMN {_column(db, 'span')}"]


def _span_corrections(db: Database) -> list[str]:
    """Corrections may name the span: the table is rebuilt with the wider CHECK (SQLite
    cannot alter a constraint), every correction kept."""
    return [
        _corrections_table(db, "corrections_4", CORRECTABLE),
        "INSERT INTO corrections_4 (claim_id, doc_id, field, value, reviewed_at) "
        "SELECT claim_id, doc_id, field, value, reviewed_at FROM corrections",
        "DROP TABLE corrections",
        "ALTER TABLE corrections_4 RENAME TO corrections",
        "CREATE INDEX IF NOT EXISTS corrections_by_doc ON corrections (doc_id)",
    ]


# (version, what it does, its statements for a backend); append only, never edit one.
MIGRATIONS: tuple[tuple[int, str, Callable[[Database], list[str]]], ...] = (
    (1, "reports, claims, corrections, dropped claims", _initial),
    (2, "change counter, report URL, checked claims, claim moves", _shared),
    (3, "the span of a claim's period", _span),
    (4, "corrections of a claim's span", _span_corrections),
)
LATEST = MIGRATIONS[-1][0]


def _effective_view(db: Database) -> str:
    picks, joins = [], []
    for name in CLAIM_COLUMNS:
        if name not in EDITABLE:
            picks.append(f'c."{name}"')
            continue
        k = f"k_{name}"
        joins.append(
            f"LEFT JOIN corrections {k} ON {k}.claim_id = c.claim_id AND {k}.field = '{name}'"
        )
        kind = db.real if name in REAL_FIELDS else "INTEGER" if name in INT_FIELDS else ""
        corrected = f"CAST({k}.value AS {kind})" if kind else f"{k}.value"
        picks.append(
            f'CASE WHEN {k}.claim_id IS NULL THEN c."{name}" ELSE {corrected} END AS "{name}"'
        )
    reviewed = (
        "(c.origin = 'manual' OR c.checked <> 0 OR EXISTS (SELECT 1 FROM corrections r "
        "WHERE r.claim_id = c.claim_id)) AS reviewed"
    )
    return (
        f"CREATE VIEW effective_claims AS SELECT c.doc_id, c.claim_id, {', '.join(picks)}, "
        f"{', '.join(f'd.{n}' for n in DOCUMENT_FIELDS)}, {reviewed} "
        f"FROM claims c JOIN documents d ON d.doc_id = c.doc_id {' '.join(joins)} "
        "WHERE NOT EXISTS (SELECT 1 FROM dropped x WHERE x.claim_id = c.claim_id)"
    )


def applied(db: Database) -> set[int]:
    """The versions already applied to this store."""
    if not db.has_table("schema_migrations"):
        return set()
    return {row[0] for row in db.rows("SELECT version FROM schema_migrations")}


def migrate(db: Database) -> list[int]:
    """Apply the migrations this store lacks, in order; the versions applied."""
    if applied(db) >= {version for version, _, _ in MIGRATIONS}:
        return []
    with db.transaction():
        db.lock_store()  # checked again under the lock: another process may have done it
        done = applied(db)
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "summary TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        todo = [(v, summary, statements) for v, summary, statements in MIGRATIONS if v not in done]
        if todo:  # rebuilt below; PostgreSQL refuses to drop a table a view depends on
            db.execute("DROP VIEW IF EXISTS effective_claims")
        for version, summary, statements in todo:
            for statement in statements(db):
                db.execute(statement)
            db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, summary, now()))
        if todo:
            db.execute(_effective_view(db))
            upsert = (
                "INSERT INTO meta VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
            db.execute(upsert, ("schema_version", str(LATEST)))
            if "created_at" not in dict(db.rows("SELECT key, value FROM meta")):
                db.execute(upsert, ("created_at", now()))
    return [version for version, _, _ in todo]
