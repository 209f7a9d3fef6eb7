"""The bundled data into the store: an explicit step run on start (bootstrap), never a side
effect of opening a connection.

The bundled data is a list of sources, each a claims frame (COLUMNS; `reviewed` marks claims
checked by hand) and its reports' metadata: data/claims.csv with the seed reports, and the
curated national dataset when store/national.py is present. They are imported as a
re-extraction would be: new reports added, their claims replaced, reviewed work kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from extract.claim import COLUMNS, DOCUMENT_FIELDS
from extract.documents import DocumentError, read_document
from store import national
from store.backends import ROOT, Database
from store.repository import (
    StoreError,
    find_document,
    get_document,
    insert_document,
    opened,
    replace_extracted,
    transaction,
    update_document,
)
from store.review import is_blank

BUNDLED_CSV = ROOT / "data" / "claims.csv"
SEEDS_DIR = ROOT / "seeds"
FINGERPRINT_KEY = "bundled_fingerprint"
REPORT_FIELDS = (
    "sha256",
    "text",
    "filename",
    "province",
    "city",
    "report_year",
    *DOCUMENT_FIELDS,
)


@dataclass(frozen=True)
class Source:
    """One bundled dataset: its claims, the metadata of its reports (by doc_id), and where
    their texts are (`<texts_dir>/<doc_id>.txt`), if anywhere."""

    name: str
    claims: pd.DataFrame
    reports: Sequence[Mapping[str, object]] = ()
    texts_dir: Path | None = None

    def text_path(self, doc_id: str) -> Path | None:
        """The file holding a report's text, when this source has one for it."""
        path = self.texts_dir / f"{doc_id}.txt" if self.texts_dir else None
        return path if path and path.is_file() else None


def seeds_source(csv_path: Path = BUNDLED_CSV, seeds_dir: Path = SEEDS_DIR) -> Source:
    """data/claims.csv, each report's text and region from its file in seeds/."""
    claims = pd.read_csv(csv_path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return Source(str(csv_path.name), claims, texts_dir=seeds_dir)


def _text_report(source: Source, doc_id: str) -> dict[str, object]:
    """Text, hash and region of a report read from its file; nothing when it cannot be read."""
    path = source.text_path(doc_id)
    if path is None:
        return {}
    try:
        doc = read_document(path)
    except DocumentError:  # a dataset row without its report: the claims still count
        return {}
    return {
        "text": doc.text,
        "sha256": doc.sha256,
        "filename": path.name,
        "province": doc.province,
        "city": doc.city,
        "report_year": doc.report_year,
    }


def national_source() -> Source:
    """The curated national dataset (data/national/*.yaml): cited reports without text."""
    reports = [{**r, "sha256": r["text_sha256"]} for r in national.national_reports()]
    return Source("national", national.national_frame(), reports)


def default_sources() -> list[Source]:
    """Every bundled dataset this installation has."""
    return [seeds_source(), national_source()]


def fingerprint(sources: Sequence[Source]) -> str:
    """A hash of every source's claims and reports: it changes when any of them does."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.claims.to_csv(index=False).encode())
        digest.update(
            json.dumps(
                list(source.reports), sort_keys=True, default=str, ensure_ascii=False
            ).encode()
        )
        for doc_id in sorted(set(map(str, source.claims["doc_id"]))):
            if path := source.text_path(doc_id):  # the file's bytes: cheap, nothing parsed
                digest.update(doc_id.encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _meta(db: Database, key: str) -> str:
    row = db.one("SELECT value FROM meta WHERE key = ?", (key,))
    return str(row[0]) if row else ""


def bootstrap(url: str | Path | None = None, sources: Sequence[Source] | None = None) -> bool:
    """Open the store (migrations applied) and bring the bundled data in line with `sources`
    (default: every bundled dataset); True when something was imported."""
    with opened(url) as db:
        sources = default_sources() if sources is None else sources
        digest = fingerprint(sources)
        if _meta(db, FINGERPRINT_KEY) == digest:
            return False
        with transaction(db):
            db.lock_store()  # checked again under the lock: another process may have done it
            if _meta(db, FINGERPRINT_KEY) == digest:
                return False
            import_sources(db, sources)
            db.execute(
                "INSERT INTO meta VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (FINGERPRINT_KEY, digest),
            )
        return True


def import_sources(db: Database, sources: Sequence[Source]) -> None:
    """Inside a transaction: every source's reports and claims in; bundled reports that left
    every source lose their unreviewed claims."""
    seen: set[str] = set()
    for source in sources:
        missing = set(COLUMNS) - set(source.claims.columns)
        if missing:
            raise StoreError(f"{source.name}: missing columns {sorted(missing)}")
        reports = {str(r["doc_id"]): r for r in source.reports}
        groups = {str(k): rows for k, rows in source.claims.groupby("doc_id", sort=False)}
        for doc_id in [*groups, *(d for d in reports if d not in groups)]:
            rows = groups.get(doc_id, source.claims.iloc[0:0])
            seen.add(doc_id)
            first = rows.iloc[0].to_dict() if len(rows) else {}
            report = {**_text_report(source, doc_id), **reports.get(doc_id, {})}
            if _put_bundled_document(db, _bundled_document(doc_id, first, report)):
                claims = [
                    {**row, "checked": _truthy(row.get("reviewed"))}
                    for row in rows.to_dict("records")
                ]
                replace_extracted(db, doc_id, claims)
    for (doc_id,) in db.rows("SELECT doc_id FROM documents WHERE origin = 'bundled'"):
        if doc_id not in seen:
            replace_extracted(db, doc_id, [])


def _truthy(value: object) -> bool:
    """A `reviewed` cell: True, 1 or 'true' (a CSV's text) all mean checked by hand."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return not is_blank(value) and bool(value)


def _bundled_document(
    doc_id: str, first: Mapping[str, object], report: Mapping[str, object]
) -> dict[str, object]:
    """A bundled report's row: metadata from its first claim, then from its report entry."""
    document: dict[str, object] = {name: first.get(name, "") for name in DOCUMENT_FIELDS}
    document.update(
        doc_id=doc_id,
        province=first.get("province", ""),
        city="",
        url=first.get("url", ""),
        origin="bundled",
    )
    given = {name: report.get(name) for name in REPORT_FIELDS}
    document.update({name: value for name, value in given.items() if not is_blank(value)})
    return document


def _put_bundled_document(db: Database, document: dict[str, object]) -> bool:
    """Insert or update a bundled report; False when an upload already holds its id."""
    existing = get_document(db, str(document["doc_id"]))
    if existing and existing["origin"] != "bundled":
        return False
    same = find_document(db, str(document.get("sha256") or ""))
    if same and same["doc_id"] != document["doc_id"]:
        document["sha256"] = None  # uploaded before it was bundled: that copy keeps the hash
    if existing:
        update_document(db, document)
    else:
        insert_document(db, document)
    return True
