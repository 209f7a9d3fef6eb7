"""Add reports to the store: read, extract, review, save; `python -m extract add` and `export`."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

import store
from extract import refyear
from extract.batch import expand_paths
from extract.claim import COLUMNS, SPANS
from extract.cli import flag_hints, metadata_flags
from extract.documents import (
    Document,
    DocumentError,
    document_from_text,
    one_line,
    read_document,
    read_document_bytes,
)
from extract.pipeline import ExtractionTimeout
from extract.report import METADATA, extracted_claims, infer_metadata
from store.backends import Database
from store.export import export_dataset
from store.review import Review, clean_review, is_blank, review_of

DB_HELP = (
    f"store: a file, sqlite:///PATH or postgresql://USER@HOST/DB "
    f"(default ${store.DB_ENV} or data/claims.sqlite)"
)
ADDED_DEFAULTS = {"kind": "count", "approx": "exact", "direction": "", "category": ""}


class NoClaims(store.StoreError):
    """A report in which neither the extractor nor the reviewer found a claim."""


@dataclass(frozen=True)
class Prepared:
    """A report read and extracted, waiting for review; `claims` is what the reviewer sees."""

    doc: Document
    filename: str
    claims: pd.DataFrame
    metadata: dict[str, str]
    existing: dict[str, object] | None = None


@dataclass(frozen=True)
class Saved:
    """What a save stored."""

    doc_id: str
    claims: int
    review: Review

    def summary(self) -> str:
        """One line: claims stored and what the reviewer changed."""
        r = self.review
        return (
            f"{self.claims} claims of {self.doc_id} saved ({len(r.corrections)} corrected, "
            f"{len(r.dropped)} dropped, {len(r.added)} added)"
        )


def store_doc_id(doc: Document) -> str:
    """A report's id in the store: its file name and content hash, so names never collide."""
    if doc.hints.get("doc_id"):  # set on purpose in front matter: kept as written
        return doc.doc_id
    stem = re.sub(r"[^\w.-]+", "_", doc.doc_id).strip("_.")[:60] or "report"
    return f"{stem}_{doc.sha256[:8]}"


def prepare(
    conn: Database, doc: Document, filename: str = "", *, time_limit: float | None = None
) -> Prepared:
    """A report ready for review; a report already stored brings its stored claims instead."""
    doc = replace(doc, doc_id=store_doc_id(doc))
    existing = store.find_document(conn, doc.sha256)
    if existing:
        claims = store.effective_claims(conn, str(existing["doc_id"]))
        metadata = {name: str(existing[name] or "") for name in METADATA}
        return Prepared(doc, filename, claims, metadata, existing)
    # Extract with the metadata that will be stored, so a re-extraction gives the same claims.
    return with_metadata(
        Prepared(doc, filename, pd.DataFrame(columns=COLUMNS), {}),
        infer_metadata(doc),
        time_limit=time_limit,
    )


def prepare_upload(conn: Database, data: bytes, filename: str, **hints: str | None) -> Prepared:
    """An uploaded file read (same checks as files on disk) and prepared for review."""
    return prepare(conn, read_document_bytes(data, filename, **hints), filename)


def with_metadata(
    prepared: Prepared, metadata: dict[str, str], *, time_limit: float | None = None
) -> Prepared:
    """The report extracted again with the reviewer's title, date, province and city."""
    given = {k: str(v or "").strip() for k, v in metadata.items() if k in METADATA}
    doc = replace(prepared.doc, **given)
    # Inferred again: a blank field is filled in, and 海南 becomes 海南省.
    claims = extracted_claims(doc, time_limit)
    return replace(prepared, doc=doc, claims=claims, metadata=infer_metadata(doc))


def _fill_added(review: Review, prepared: Prepared) -> Review:
    """Added claims take the report's region and reference year unless the reviewer gave one."""
    meta, doc = prepared.metadata, prepared.doc
    year = refyear.reference_year(doc.report_year, meta["published"], meta["title"], doc.text)
    defaults = {
        **ADDED_DEFAULTS,
        "province": meta["province"],
        "city": meta["city"],
        "year": year,
        "period_start": year,
        "span": SPANS[0],  # the reference year alone: annual
    }
    for row in review.added:
        row.update({k: v for k, v in defaults.items() if is_blank(row.get(k))})
    return review


def document_record(prepared: Prepared, origin: str) -> dict[str, object]:
    """The documents row of a prepared report."""
    doc = prepared.doc
    return {
        **prepared.metadata,
        "doc_id": doc.doc_id,
        "sha256": doc.sha256,
        "text": doc.text,
        "report_year": doc.report_year,
        "filename": prepared.filename,
        "origin": origin,
    }


def save(
    conn: Database,
    prepared: Prepared,
    edited: pd.DataFrame | None = None,
    *,
    origin: str = "upload",
) -> Saved:
    """Store the report and the reviewer's changes in one transaction, or refuse with a reason."""
    review = review_of(prepared.claims, edited) if edited is not None else Review()
    review, problems = clean_review(_fill_added(review, prepared), prepared.claims)
    if problems:
        raise store.StoreError("; ".join(problems))
    total = len(prepared.claims) - len(review.dropped) + len(review.added)
    if prepared.existing:
        doc_id = str(prepared.existing["doc_id"])
        if not review.is_empty():
            store.apply_review(conn, doc_id, review)
        return Saved(doc_id, total, review)
    if total == 0:
        raise NoClaims("no claims found in the report; nothing stored")
    store.add_report(
        conn, document_record(prepared, origin), prepared.claims.to_dict("records"), review
    )
    return Saved(prepared.doc.doc_id, total, review)


def reextract(conn: Database, doc_id: str) -> int:
    """Run the extractor again on a stored report; corrections, drops and added claims stay."""
    row = store.get_document(conn, doc_id)
    if row is None:
        raise store.StoreError(f"no stored report {doc_id}")
    if not row["text"]:
        raise store.StoreError(f"{doc_id} has no stored text to extract from")
    hints = {name: str(row[name] or "") or None for name in METADATA}
    year = str(row["report_year"]) if row["report_year"] else None
    doc = document_from_text(str(row["text"]), doc_id=doc_id, report_year=year, **hints)
    return store.replace_extraction(conn, doc_id, extracted_claims(doc).to_dict("records"))


def add_path(
    conn: Database,
    path: Path,
    hints: dict[str, str],
    again: bool = False,
    time_limit: float | None = None,
) -> tuple[str, int]:
    """Add one file without review; the line to print and the claims it added."""
    prepared = prepare(conn, read_document(path, **hints), path.name, time_limit=time_limit)
    if prepared.existing:
        doc_id = str(prepared.existing["doc_id"])
        if again:
            return f"re-extracted {path}: {reextract(conn, doc_id)} claims of {doc_id}", 0
        return f"skipped {path}: already stored as {doc_id}", 0
    try:
        saved = save(conn, prepared, origin="cli")
    except store.DuplicateReport as err:  # another process saved it meanwhile: same outcome
        return f"skipped {path}: already stored as {err.doc_id}", 0
    return f"added {path}: {saved.claims} claims as {saved.doc_id}", saved.claims


def _add_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m extract add",
        description="Add reports (.txt, .html, .docx, .pdf) to the claims store, unreviewed.",
    )
    parser.add_argument("paths", nargs="+", help="report files or folders")
    metadata_flags(parser, "report")
    parser.add_argument("--db", help=DB_HELP)
    parser.add_argument(
        "--reextract",
        action="store_true",
        help="extract already-stored reports again (reviewed values are kept)",
    )
    return parser


def run_add(argv: Sequence[str]) -> int:
    """Add files to the store; one line per file, a bad file leaves the store untouched."""
    parser = _add_parser()
    args = parser.parse_args(argv)
    hints = flag_hints(parser, args)
    ok = failed = claims = 0
    try:
        store.bootstrap(args.db)
        with store.opened(args.db) as conn:
            for path in expand_paths(args.paths):
                try:
                    line, added = add_path(conn, path, hints, args.reextract, args.time_limit)
                except ExtractionTimeout as err:  # named by its doc_id: name the file instead
                    print(one_line(f"error: {path}: {err.reason}"), file=sys.stderr)
                    failed += 1
                except DocumentError as err:
                    print(one_line(f"error: {err}"), file=sys.stderr)
                    failed += 1
                except store.StoreError as err:
                    print(one_line(f"error: {path}: {err}"), file=sys.stderr)
                    failed += 1
                else:
                    print(one_line(line))
                    ok, claims = ok + 1, claims + added
    except store.ERRORS as err:
        print(
            f"error: cannot open the store {store.redact(args.db or store.default_url())}: {err}",
            file=sys.stderr,
        )
        return 2
    print(f"{ok} reports done ({claims} claims added), {failed} failed")
    return 0 if not failed else (1 if ok else 2)


def run_export(argv: Sequence[str]) -> int:
    """Write the whole dataset as CSV, Parquet and a data dictionary."""
    parser = argparse.ArgumentParser(
        prog="python -m extract export",
        description="Export the store's dataset: claims.csv, claims.parquet, dictionary.csv.",
    )
    parser.add_argument("folder", help="folder to write the three files into")
    parser.add_argument("--db", help=DB_HELP)
    args = parser.parse_args(argv)
    try:
        store.bootstrap(args.db)
        with store.opened(args.db) as conn:
            written = export_dataset(conn, args.folder)
            total = store.counts(conn)["claims"]
    except store.ERRORS as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"{total} claims -> {', '.join(str(p) for p in written)}")
    return 0
