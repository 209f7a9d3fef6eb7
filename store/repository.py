"""The claims store: reports, extracted claims and reviewers' changes, on either backend.

Extracted claims are kept as the extractor wrote them; a reviewer's work lives beside them
(`corrections` per claim and field, `dropped` claim ids, claims with origin 'manual'), so a
re-extraction replaces only the machine's rows and every reviewed value survives it. The
view `effective_claims` is the dataset as it stands after review. Every write transaction
bumps one change counter, which other processes read to know their cache is stale.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from extract.claim import DOCUMENT_FIELDS, typed_claims
from store.backends import ERRORS, INTEGRITY_ERRORS, Database, default_url, open_database
from store.matching import plan_replacement
from store.review import Review, coerce, manual_claim
from store.schema import CLAIM_COLUMNS, DOC_COLUMNS, migrate, now


class StoreError(ValueError):
    """A change the store refuses; nothing of it was written."""


class DuplicateReport(StoreError):
    """The same report (same content hash) is already stored."""

    def __init__(self, doc_id: str, title: str) -> None:
        super().__init__(f"this report is already stored as {doc_id} ({title or 'untitled'})")
        self.doc_id = doc_id


def connect(url: str | Path | None = None) -> Database:
    """Open the store at `url` (default $POLICE_METRICS_DB or data/claims.sqlite), applying
    the migrations it lacks. The bundled data is imported by bootstrap(), not here."""
    db = open_database(url)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


@contextmanager
def opened(url: str | Path | None = None) -> Iterator[Database]:
    """connect() for a with-block; the connection is closed at its end."""
    db = connect(url)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction; its commit also moves the change counter on."""
    with db.transaction():
        yield db
        db.execute("UPDATE changes SET counter = counter + 1 WHERE id = 1")


_readers = threading.local()  # one open connection per thread and store, for version()


def version(url: str | Path | None = None) -> str:
    """The store's identity and change count: it changes with every committed write, from
    any process. Cheap: one indexed read on a kept connection."""
    cache: dict[str, Database] = _readers.__dict__.setdefault("by_url", {})
    key = str(url) if url else default_url()  # $POLICE_METRICS_DB may change (tests)
    for attempt in (1, 2):
        db = cache.get(key)
        try:
            if db is None:
                db = cache[key] = connect(url)
            store_id, counter = db.one("SELECT store_id, counter FROM changes WHERE id = 1")
            return f"{store_id}:{counter}"
        except ERRORS:
            cache.pop(key, None)
            if db is not None:
                db.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _document_row(document: Mapping[str, object]) -> dict[str, object]:
    row = {name: document.get(name) for name in DOC_COLUMNS}
    row["added_at"] = row["added_at"] or now()
    for name in (*DOCUMENT_FIELDS, "province", "city", "filename", "text"):
        row[name] = str(row[name] or "")
    row["sha256"] = row["sha256"] or None  # NULL: several text-less documents may coexist
    year = row["report_year"]
    row["report_year"] = None if year in (None, "") or pd.isna(year) else int(year)
    return row


def insert_document(db: Database, document: Mapping[str, object]) -> None:
    """Insert a report's row (inside a transaction)."""
    row = _document_row(document)
    names = ", ".join(row)
    db.execute(
        f"INSERT INTO documents ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )


def update_document(db: Database, document: Mapping[str, object]) -> None:
    """Rewrite a report's metadata and text; its origin and first-added time stay."""
    row = _document_row(document)
    names = [n for n in row if n not in ("doc_id", "origin", "added_at")]
    db.execute(
        f"UPDATE documents SET {', '.join(f'{n} = ?' for n in names)} WHERE doc_id = ?",
        [*(row[n] for n in names), row["doc_id"]],
    )


def insert_claims(db: Database, claims: Iterable[Mapping[str, object]], origin: str) -> None:
    """Insert claim rows (inside a transaction); a true `checked` marks one verified by hand."""
    names = ("claim_id", "doc_id", "origin", *CLAIM_COLUMNS, "checked", "added_at")
    stamp = now()
    rows = [
        [
            str(claim["claim_id"]),
            str(claim["doc_id"]),
            origin,
            *(coerce(n, claim.get(n)) for n in CLAIM_COLUMNS),
            int(bool(claim.get("checked"))),
            stamp,
        ]
        for claim in claims
    ]
    quoted = ", ".join(f'"{n}"' for n in names)
    db.executemany(f"INSERT INTO claims ({quoted}) VALUES ({', '.join('?' * len(names))})", rows)


def find_document(db: Database, sha256: str) -> dict[str, object] | None:
    """The stored report with this content hash, without its text; None if there is none."""
    return _document_where(db, "sha256 = ?", sha256)


def get_document(db: Database, doc_id: str) -> dict[str, object] | None:
    """The stored report with this id, text included; None if there is none."""
    return _document_where(db, "doc_id = ?", doc_id, with_text=True)


def _document_where(
    db: Database, where: str, value: str, with_text: bool = False
) -> dict[str, object] | None:
    names = [n for n in DOC_COLUMNS if with_text or n != "text"]
    row = db.one(f"SELECT {', '.join(names)} FROM documents WHERE {where}", (value,))
    return dict(zip(names, row, strict=True)) if row else None


def add_report(
    db: Database,
    document: Mapping[str, object],
    claims: Iterable[Mapping[str, object]],
    review: Review | None = None,
) -> None:
    """Store a new report, its extracted claims and the reviewer's changes in one transaction.
    The same content saved by two processes at once is stored once: the unique content hash
    refuses the second, which gets DuplicateReport like one that came later."""
    sha256 = str(document.get("sha256") or "")
    try:
        with transaction(db):
            if sha256 and (same := find_document(db, sha256)):
                raise DuplicateReport(str(same["doc_id"]), str(same["title"]))
            if get_document(db, str(document["doc_id"])):
                raise StoreError(f"doc_id {document['doc_id']} is already used by another report")
            insert_document(db, document)
            insert_claims(db, claims, origin="extracted")
            if review:
                _apply_review(db, str(document["doc_id"]), review)
    except INTEGRITY_ERRORS as err:
        # Lost the race to a concurrent save of the same report: its row is committed now.
        if sha256 and (same := find_document(db, sha256)):
            raise DuplicateReport(str(same["doc_id"]), str(same["title"])) from err
        if get_document(db, str(document["doc_id"])):
            raise StoreError(
                f"doc_id {document['doc_id']} is already used by another report"
            ) from err
        raise StoreError(f"the store refused the report: {err}") from err


def lock_document(db: Database, doc_id: str) -> dict[str, object]:
    """Inside a transaction: the report's row, locked against other writers of that report
    (PostgreSQL; SQLite's write lock already covers the file). StoreError if none."""
    row = db.one(f"SELECT doc_id, text FROM documents WHERE doc_id = ?{db.for_update}", (doc_id,))
    if row is None:
        raise StoreError(f"no stored report {doc_id}")
    return {"doc_id": row[0], "text": row[1]}


def apply_review(db: Database, doc_id: str, review: Review) -> None:
    """Record a reviewer's corrections, drops and added claims of a stored report, atomically."""
    with transaction(db):
        lock_document(db, doc_id)
        _apply_review(db, doc_id, review)


def _claim_ids(db: Database, doc_id: str, origin: str = "%") -> set[str]:
    rows = db.rows(
        "SELECT claim_id FROM claims WHERE doc_id = ? AND origin LIKE ?", (doc_id, origin)
    )
    return {row[0] for row in rows}


def _correction_value(db: Database, name: str, value: object) -> object:
    value = coerce(name, value)
    return str(value) if db.postgres and value is not None else value  # PostgreSQL: text


def _follow_moves(db: Database, doc_id: str, review: Review, taken: set[str]) -> Review:
    """The review with ids a re-extraction moved since the reviewer saw them replaced by
    where those claims are now (claim_moves), so the review and the re-extraction both stay."""
    asked = (set(review.corrections) | set(review.dropped)) - taken
    if not asked:
        return review
    moves = dict(db.rows("SELECT claim_id, moved_to FROM claim_moves WHERE doc_id = ?", (doc_id,)))
    now_at: dict[str, str] = {}
    for claim_id in asked:
        current, hops = claim_id, 0
        while current not in taken and current in moves and hops < len(moves):
            current, hops = moves[current], hops + 1
        now_at[claim_id] = current
    return Review(
        corrections={now_at.get(c, c): f for c, f in review.corrections.items()},
        dropped=[now_at.get(c, c) for c in review.dropped],
        added=review.added,
    )


def _apply_review(db: Database, doc_id: str, review: Review) -> None:
    taken, stamp = _claim_ids(db, doc_id), now()
    review = _follow_moves(db, doc_id, review, taken)
    unknown = (set(review.corrections) | set(review.dropped)) - taken
    if unknown:
        raise StoreError(f"not claims of {doc_id}: {', '.join(sorted(unknown))}")
    db.executemany(
        "INSERT INTO corrections (claim_id, doc_id, field, value, reviewed_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (claim_id, field) "
        "DO UPDATE SET value = excluded.value, reviewed_at = excluded.reviewed_at",
        [
            (claim_id, doc_id, name, _correction_value(db, name, value), stamp)
            for claim_id, fields in review.corrections.items()
            for name, value in fields.items()
        ],
    )
    db.executemany(
        "INSERT INTO dropped VALUES (?, ?, ?) ON CONFLICT (claim_id) DO NOTHING",
        [(claim_id, doc_id, stamp) for claim_id in review.dropped],
    )
    text = str(get_document(db, doc_id)["text"]) if review.added else ""  # type: ignore[index]
    for row in review.added:
        claim = manual_claim(row, doc_id, text, taken)
        taken.add(str(claim["claim_id"]))
        insert_claims(db, [claim], origin="manual")


def replace_extraction(db: Database, doc_id: str, claims: Iterable[Mapping[str, object]]) -> int:
    """Swap a report's extracted claims for a new extraction (reviewed work stays); a count."""
    with transaction(db):
        lock_document(db, doc_id)
        return replace_extracted(db, doc_id, list(claims))


_MATCH_FIELDS = (
    "claim_id",
    "origin",
    "raw",
    "value",
    "unit",
    "metric",
    "sentence",
    "start",
    "year",
    "province",
    "city",
)


def replace_extracted(db: Database, doc_id: str, claims: list[Mapping[str, object]]) -> int:
    """Inside a transaction: the new extraction in, old claims matched to new ones by content
    (value, unit, metric, nearby text), so a reviewed claim is neither duplicated nor
    resurrected when its span moved; reviewed claims no longer found stay. A count."""
    quoted = ", ".join(f'"{n}"' for n in _MATCH_FIELDS)
    rows = db.rows(f"SELECT {quoted} FROM claims WHERE doc_id = ?", (doc_id,))
    old = [dict(zip(_MATCH_FIELDS, row, strict=True)) for row in rows]
    reviewed = db.rows(
        "SELECT claim_id FROM corrections WHERE doc_id = ? UNION "
        "SELECT claim_id FROM dropped WHERE doc_id = ?",
        (doc_id, doc_id),
    )
    plan = plan_replacement(doc_id, old, {r[0] for r in reviewed}, claims)
    for old_id, new_id in plan.aside.items():
        db.execute("UPDATE claims SET claim_id = ? WHERE claim_id = ?", (new_id, old_id))
    _move_review(db, plan.moves)
    db.executemany(
        "INSERT INTO claim_moves VALUES (?, ?, ?, ?) ON CONFLICT (claim_id) "
        "DO UPDATE SET moved_to = excluded.moved_to, moved_at = excluded.moved_at",
        [(o, doc_id, n, now()) for o, n in plan.moves.items()],
    )
    spare = f"AND claim_id NOT IN ({', '.join('?' * len(plan.keep))})" if plan.keep else ""
    db.execute(
        f"DELETE FROM claims WHERE doc_id = ? AND origin = 'extracted' {spare}",
        (doc_id, *sorted(plan.keep)),
    )
    insert_claims(db, plan.fresh, origin="extracted")
    return len(plan.fresh)


def _move_review(db: Database, renames: Mapping[str, str]) -> None:
    """Corrections and drops follow their claim to its new id (all read before any is
    written, so ids that swap places do not collide)."""
    if not renames:
        return
    marks = ", ".join("?" * len(renames))
    olds = list(renames)
    fixes = db.rows(
        f"SELECT claim_id, doc_id, field, value, reviewed_at FROM corrections "
        f"WHERE claim_id IN ({marks})",
        olds,
    )
    drops = db.rows(
        f"SELECT claim_id, doc_id, reviewed_at FROM dropped WHERE claim_id IN ({marks})", olds
    )
    db.execute(f"DELETE FROM corrections WHERE claim_id IN ({marks})", olds)
    db.execute(f"DELETE FROM dropped WHERE claim_id IN ({marks})", olds)
    db.executemany(
        "INSERT INTO corrections VALUES (?, ?, ?, ?, ?) ON CONFLICT (claim_id, field) "
        "DO UPDATE SET value = excluded.value, reviewed_at = excluded.reviewed_at",
        [(renames[r[0]], *r[1:]) for r in fixes],
    )
    db.executemany(
        "INSERT INTO dropped VALUES (?, ?, ?) ON CONFLICT (claim_id) DO NOTHING",
        [(renames[r[0]], *r[1:]) for r in drops],
    )


def effective_claims(db: Database, doc_id: str | None = None) -> pd.DataFrame:
    """The dataset after review: COLUMNS plus `reviewed`, dropped claims left out."""
    where, params = ("WHERE doc_id = ?", (doc_id,)) if doc_id else ("", ())
    cursor = db.execute(f"SELECT * FROM effective_claims {where}", params)
    names = [d[0] for d in cursor.description]
    frame = pd.DataFrame(cursor.fetchall(), columns=names)
    # Sorted here, not in SQL: both backends then give the same order whatever the collation.
    frame["_at"] = pd.to_numeric(frame["start"], errors="coerce")
    frame = frame.sort_values(["doc_id", "_at", "claim_id"], na_position="last", kind="stable")
    return typed_claims(frame, strip=False)


def counts(db: Database) -> dict[str, int]:
    """How many reports, effective claims and reviewed claims the store holds."""
    documents = db.one("SELECT COUNT(*) FROM documents")[0]  # type: ignore[index]
    claims, reviewed = db.one(  # type: ignore[misc]
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN reviewed THEN 1 ELSE 0 END), 0) "
        "FROM effective_claims"
    )
    return {"documents": int(documents), "claims": int(claims), "reviewed": int(reviewed)}
