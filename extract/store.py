"""The claims store: reports, extracted claims and reviewers' changes in one SQLite file.

Extracted claims are kept as the extractor wrote them; a reviewer's work lives beside them
(`corrections` per claim and field, `dropped` claim ids, claims with origin 'manual'), so a
re-extraction replaces only the machine's rows and every reviewed value survives it. The
view `effective_claims` is the dataset as it stands after review.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from extract.claim import (
    CLAIM_FIELDS,
    COLUMNS,
    DOCUMENT_FIELDS,
    INT_FIELDS,
    REAL_FIELDS,
    typed_claims,
)
from extract.documents import DocumentError, read_document
from extract.review import EDITABLE, Review, coerce, manual_claim

DB_ENV = "POLICE_METRICS_DB"  # another store file: tests, previews, a second deployment
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "data" / "claims.sqlite"
BUNDLED_CSV = ROOT / "data" / "claims.csv"
SEEDS_DIR = ROOT / "seeds"
SCHEMA_VERSION = "1"
BUSY_MS = 30_000
RETRIES = 6
CLAIM_COLUMNS = (*CLAIM_FIELDS, "indicator")
DOC_COLUMNS = ("doc_id", "sha256", *DOCUMENT_FIELDS, "province", "city", "report_year",
               "filename", "origin", "added_at", "text")
T = TypeVar("T")


class StoreError(ValueError):
    """A change the store refuses; nothing of it was written."""


class DuplicateReport(StoreError):
    """The same report (same content hash) is already stored."""

    def __init__(self, doc_id: str, title: str) -> None:
        super().__init__(f"this report is already stored as {doc_id} ({title or 'untitled'})")
        self.doc_id = doc_id


def _column_sql(name: str) -> str:
    kind = "REAL" if name in REAL_FIELDS else "INTEGER" if name in INT_FIELDS else "TEXT"
    return f'"{name}" {kind}' + (" NOT NULL DEFAULT ''" if kind == "TEXT" else "")


def _effective_view() -> str:
    picks, joins = [], []
    for name in CLAIM_COLUMNS:
        if name not in EDITABLE:
            picks.append(f'c."{name}"')
            continue
        k = f"k_{name}"
        joins.append(f"LEFT JOIN corrections {k} ON {k}.claim_id = c.claim_id "
                     f"AND {k}.field = '{name}'")
        picks.append(f'CASE WHEN {k}.claim_id IS NULL THEN c."{name}" ELSE {k}.value END'
                     f' AS "{name}"')
    reviewed = ("(c.origin = 'manual' OR EXISTS (SELECT 1 FROM corrections r "
                "WHERE r.claim_id = c.claim_id)) AS reviewed")
    return (f"CREATE VIEW effective_claims AS SELECT c.doc_id, c.claim_id, {', '.join(picks)}, "
            f"{', '.join(f'd.{n}' for n in DOCUMENT_FIELDS)}, {reviewed} "
            f"FROM claims c JOIN documents d ON d.doc_id = c.doc_id {' '.join(joins)} "
            "WHERE NOT EXISTS (SELECT 1 FROM dropped x WHERE x.claim_id = c.claim_id)")


_EDITABLE_SQL = ", ".join(f"'{name}'" for name in EDITABLE)
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"""CREATE TABLE IF NOT EXISTS documents (
        doc_id TEXT PRIMARY KEY, sha256 TEXT UNIQUE,
        {", ".join(_column_sql(n) for n in (*DOCUMENT_FIELDS, "province", "city"))},
        report_year INTEGER, filename TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL CHECK (origin IN ('bundled', 'upload', 'cli')),
        added_at TEXT NOT NULL, text TEXT NOT NULL DEFAULT '')""",
    f"""CREATE TABLE IF NOT EXISTS claims (
        claim_id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
        origin TEXT NOT NULL CHECK (origin IN ('extracted', 'manual')),
        {", ".join(_column_sql(n) for n in CLAIM_COLUMNS)}, added_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS claims_by_doc ON claims (doc_id, start)",
    # No foreign key to claims: a correction must outlive the re-extraction that replaces
    # the machine's rows. `value` has no declared type, so it keeps REAL, INTEGER or TEXT.
    f"""CREATE TABLE IF NOT EXISTS corrections (
        claim_id TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
        field TEXT NOT NULL CHECK (field IN ({_EDITABLE_SQL})), value,
        reviewed_at TEXT NOT NULL, PRIMARY KEY (claim_id, field))""",
    """CREATE TABLE IF NOT EXISTS dropped (
        claim_id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
        reviewed_at TEXT NOT NULL)""",
    "DROP VIEW IF EXISTS effective_claims",
    _effective_view(),
)


def default_path() -> Path:
    """The store's file: $POLICE_METRICS_DB, else data/claims.sqlite."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_PATH)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _retry(action: Callable[[], T]) -> T:
    """Run a statement again while another writer holds the lock past the busy timeout."""
    for attempt in range(RETRIES):
        try:
            return action()
        except sqlite3.OperationalError as err:
            contended = "locked" in str(err) or "busy" in str(err)
            if not contended or attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction; BEGIN IMMEDIATE takes the write lock first, so writers queue."""
    _retry(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
        _retry(lambda: conn.execute("COMMIT"))
    except BaseException:
        if conn.in_transaction:  # nothing of a failed change stays, not even on this connection
            conn.execute("ROLLBACK")
        raise


def connect(path: str | Path | None = None, *, seed_csv: Path | None = BUNDLED_CSV,
            seeds_dir: Path = SEEDS_DIR) -> sqlite3.Connection:
    """Open the store, creating it and filling it from the bundled dataset on first use."""
    path = Path(path) if path else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit mode: transactions are explicit, one per change (see transaction()).
    conn = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _retry(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        _ensure_schema(conn, seed_csv, seeds_dir)
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def opened(path: str | Path | None = None, **options: Any) -> Iterator[sqlite3.Connection]:
    """connect() for a with-block; the connection is closed at its end."""
    conn = connect(path, **options)
    try:
        yield conn
    finally:
        conn.close()


def _meta(conn: sqlite3.Connection, key: str) -> str:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # no meta table: a new, empty file
        return ""
    return row[0] if row else ""


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def _stamp(path: Path | None) -> str:
    """Size and modification time of the bundled dataset: cheap to compare on every open."""
    try:
        info = Path(path).stat()  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}"


def _ensure_schema(conn: sqlite3.Connection, seed_csv: Path | None, seeds_dir: Path) -> None:
    """Create the tables on first use; load the bundled dataset then and whenever it changes."""
    stamp = _stamp(seed_csv)
    if _meta(conn, "schema_version") == SCHEMA_VERSION and _meta(conn, "bundled_stamp") == stamp:
        return
    with transaction(conn):
        # Checked again under the write lock: another process may have done it meanwhile.
        if _meta(conn, "schema_version") != SCHEMA_VERSION:
            for statement in SCHEMA:
                conn.execute(statement)
            _set_meta(conn, "schema_version", SCHEMA_VERSION)
            _set_meta(conn, "created_at", _now())
        if stamp and _meta(conn, "bundled_stamp") != stamp:
            _sync_bundled(conn, Path(seed_csv), Path(seeds_dir))  # type: ignore[arg-type]
        _set_meta(conn, "bundled_stamp", stamp)


def _sync_bundled(conn: sqlite3.Connection, csv_path: Path, seeds_dir: Path) -> None:
    """Bring the bundled reports in line with data/claims.csv as a re-extraction would: new
    reports added, their claims replaced, reviewed work kept."""
    data = csv_path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if _meta(conn, "bundled_sha256") == digest:  # touched, not changed
        return
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise StoreError(f"{csv_path}: missing columns {sorted(missing)}")
    for doc_id, rows in frame.groupby("doc_id", sort=False):
        if _put_bundled_document(conn, _bundled_document(str(doc_id), rows.iloc[0], seeds_dir)):
            _replace_extracted(conn, str(doc_id), rows.to_dict("records"))
    gone = conn.execute("SELECT doc_id FROM documents WHERE origin = 'bundled'").fetchall()
    for (doc_id,) in gone:
        if doc_id not in set(frame["doc_id"]):
            _replace_extracted(conn, doc_id, [])
    _set_meta(conn, "bundled_sha256", digest)


def _bundled_document(doc_id: str, first: pd.Series, seeds_dir: Path) -> dict[str, object]:
    """A bundled report's row: metadata from the dataset, text and region from its seed."""
    document: dict[str, object] = {name: first[name] for name in DOCUMENT_FIELDS}
    document.update(doc_id=doc_id, province=first["province"], city="", origin="bundled")
    path = seeds_dir / f"{doc_id}.txt"
    try:
        doc = read_document(path)
    except DocumentError:  # a dataset row without its report: the claims still count
        return document
    seeded = {"text": doc.text, "sha256": doc.sha256, "filename": path.name,
              "province": doc.province, "city": doc.city, "report_year": doc.report_year}
    document.update({name: value for name, value in seeded.items() if value})
    return document


def _put_bundled_document(conn: sqlite3.Connection, document: dict[str, object]) -> bool:
    """Insert or update a bundled report; False when an upload already holds its id."""
    existing = get_document(conn, str(document["doc_id"]))
    if existing and existing["origin"] != "bundled":
        return False
    same = find_document(conn, str(document.get("sha256") or ""))
    if same and same["doc_id"] != document["doc_id"]:
        document["sha256"] = None  # uploaded before it was bundled: that copy keeps the hash
    if not existing:
        _insert_document(conn, document)
        return True
    row = _document_row(document)
    names = [n for n in row if n not in ("doc_id", "origin", "added_at")]
    conn.execute(f"UPDATE documents SET {', '.join(f'{n} = ?' for n in names)} WHERE doc_id = ?",
                 [*(row[n] for n in names), row["doc_id"]])
    return True


def _document_row(document: Mapping[str, object]) -> dict[str, object]:
    row = {name: document.get(name) for name in DOC_COLUMNS}
    row["added_at"] = row["added_at"] or _now()
    for name in (*DOCUMENT_FIELDS, "province", "city", "filename", "text"):
        row[name] = str(row[name] or "")
    row["sha256"] = row["sha256"] or None  # NULL: several text-less documents may coexist
    return row


def _insert_document(conn: sqlite3.Connection, document: Mapping[str, object]) -> None:
    row = _document_row(document)
    names = ", ".join(row)
    conn.execute(f"INSERT INTO documents ({names}) VALUES ({', '.join('?' * len(row))})",
                 list(row.values()))


def _insert_claims(conn: sqlite3.Connection, claims: Iterable[Mapping[str, object]],
                   origin: str) -> None:
    names = ("claim_id", "doc_id", "origin", *CLAIM_COLUMNS, "added_at")
    now = _now()
    rows = [[claim["claim_id"], claim["doc_id"], origin,
             *(coerce(n, claim.get(n)) for n in CLAIM_COLUMNS), now] for claim in claims]
    quoted = ", ".join(f'"{n}"' for n in names)
    conn.executemany(f"INSERT INTO claims ({quoted}) VALUES ({', '.join('?' * len(names))})",
                     rows)


def find_document(conn: sqlite3.Connection, sha256: str) -> dict[str, object] | None:
    """The stored report with this content hash, without its text; None if there is none."""
    return _document_where(conn, "sha256 = ?", sha256)


def get_document(conn: sqlite3.Connection, doc_id: str) -> dict[str, object] | None:
    """The stored report with this id, text included; None if there is none."""
    return _document_where(conn, "doc_id = ?", doc_id, with_text=True)


def _document_where(conn: sqlite3.Connection, where: str, value: str,
                    with_text: bool = False) -> dict[str, object] | None:
    names = [n for n in DOC_COLUMNS if with_text or n != "text"]
    row = conn.execute(f"SELECT {', '.join(names)} FROM documents WHERE {where}",
                       (value,)).fetchone()
    return dict(zip(names, row, strict=True)) if row else None


def add_report(conn: sqlite3.Connection, document: Mapping[str, object],
               claims: Iterable[Mapping[str, object]], review: Review | None = None) -> None:
    """Store a new report, its extracted claims and the reviewer's changes in one transaction."""
    with transaction(conn):
        if document.get("sha256") and (same := find_document(conn, str(document["sha256"]))):
            raise DuplicateReport(str(same["doc_id"]), str(same["title"]))
        if get_document(conn, str(document["doc_id"])):
            raise StoreError(f"doc_id {document['doc_id']} is already used by another report")
        _insert_document(conn, document)
        _insert_claims(conn, claims, origin="extracted")
        if review:
            _apply_review(conn, str(document["doc_id"]), review)


def apply_review(conn: sqlite3.Connection, doc_id: str, review: Review) -> None:
    """Record a reviewer's corrections, drops and added claims of a stored report, atomically."""
    with transaction(conn):
        if not get_document(conn, doc_id):
            raise StoreError(f"no stored report {doc_id}")
        _apply_review(conn, doc_id, review)


def _claim_ids(conn: sqlite3.Connection, doc_id: str, origin: str = "%") -> set[str]:
    rows = conn.execute("SELECT claim_id FROM claims WHERE doc_id = ? AND origin LIKE ?",
                        (doc_id, origin))
    return {row[0] for row in rows}


def _apply_review(conn: sqlite3.Connection, doc_id: str, review: Review) -> None:
    taken, now = _claim_ids(conn, doc_id), _now()
    unknown = (set(review.corrections) | set(review.dropped)) - taken
    if unknown:
        raise StoreError(f"not claims of {doc_id}: {', '.join(sorted(unknown))}")
    conn.executemany(
        "INSERT INTO corrections (claim_id, doc_id, field, value, reviewed_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (claim_id, field) "
        "DO UPDATE SET value = excluded.value, reviewed_at = excluded.reviewed_at",
        [(claim_id, doc_id, name, coerce(name, value), now)
         for claim_id, fields in review.corrections.items() for name, value in fields.items()],
    )
    conn.executemany("INSERT OR REPLACE INTO dropped VALUES (?, ?, ?)",
                     [(claim_id, doc_id, now) for claim_id in review.dropped])
    text = str(get_document(conn, doc_id)["text"]) if review.added else ""  # type: ignore[index]
    for row in review.added:
        claim = manual_claim(row, doc_id, text, taken)
        taken.add(str(claim["claim_id"]))
        _insert_claims(conn, [claim], origin="manual")


def replace_extraction(conn: sqlite3.Connection, doc_id: str,
                       claims: Iterable[Mapping[str, object]]) -> int:
    """Swap a report's extracted claims for a new extraction (reviewed work stays); a count."""
    with transaction(conn):
        return _replace_extracted(conn, doc_id, list(claims))


def _replace_extracted(conn: sqlite3.Connection, doc_id: str,
                       claims: list[Mapping[str, object]]) -> int:
    manual = _claim_ids(conn, doc_id, origin="manual")
    corrected = {row[0] for row in conn.execute(
        "SELECT DISTINCT claim_id FROM corrections WHERE doc_id = ?", (doc_id,))}
    # A corrected claim the new extraction misses stays: a reviewer vouched for it.
    keep = corrected - {str(c["claim_id"]) for c in claims}
    conn.execute(f"DELETE FROM claims WHERE doc_id = ? AND origin = 'extracted' "
                 f"AND claim_id NOT IN ({', '.join('?' * len(keep))})", (doc_id, *keep))
    # A number first added by hand and now found by the extractor stays the reviewer's.
    fresh = [c for c in claims if c["claim_id"] not in manual]
    _insert_claims(conn, fresh, origin="extracted")
    return len(fresh)


def effective_claims(conn: sqlite3.Connection, doc_id: str | None = None) -> pd.DataFrame:
    """The dataset after review: COLUMNS plus `reviewed`, dropped claims left out."""
    where, params = ("WHERE doc_id = ?", (doc_id,)) if doc_id else ("", ())
    frame = pd.read_sql_query(
        f"SELECT * FROM effective_claims {where} "
        "ORDER BY doc_id, start IS NULL, start, claim_id", conn, params=params)
    return typed_claims(frame)


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many reports, effective claims and reviewed claims the store holds."""
    documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    claims, reviewed = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(reviewed), 0) FROM effective_claims").fetchone()
    return {"documents": documents, "claims": claims, "reviewed": reviewed}
