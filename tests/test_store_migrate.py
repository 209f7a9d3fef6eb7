"""Versioned migrations on start, and `python -m store migrate` from SQLite to PostgreSQL."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

import store
from store import schema
from store.backends import locate
from store.cli import main
from store.migrate import TABLES
from store.review import EDITABLE, Review
from tests import pg_server
from tests.report_files import REPORT, store_snapshot


def _legacy_store(path: Path) -> None:
    """A store as the version before migrations wrote it: schema 1, meta.schema_version '1'."""
    db = store.backends.Database(sqlite3.connect(path, isolation_level=None), locate(path))
    for statement in schema.MIGRATIONS[0][2](db):
        db.execute(statement)
    db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    db.execute(
        "INSERT INTO documents (doc_id, sha256, title, origin, added_at, text) "
        "VALUES ('old', 'a1', '旧报告', 'upload', '2026-01-01', '破获案件12起。')"
    )
    db.execute(
        "INSERT INTO claims (claim_id, doc_id, origin, raw, value, unit, kind, start, "
        "\"end\", added_at) VALUES ('old:4-7', 'old', 'extracted', '12起', 12.0, '起', "
        "'count', 4, 7, '2026-01-01')"
    )
    db.execute("INSERT INTO corrections VALUES ('old:4-7', 'old', 'value', 13.0, '2026-01-02')")
    db.close()


def test_a_store_from_before_migrations_is_upgraded_on_start(tmp_path: Path) -> None:
    path = tmp_path / "legacy.sqlite"
    _legacy_store(path)
    with store.opened(path) as db:
        applied = sorted(row[0] for row in db.rows("SELECT version FROM schema_migrations"))
        claims = store.effective_claims(db)
    assert applied == [version for version, _, _ in schema.MIGRATIONS]
    assert claims[["claim_id", "value", "reviewed"]].values.tolist() == [["old:4-7", 13.0, True]]
    first = store.version(path)
    with store.opened(path) as db:
        store.apply_review(db, "old", Review(dropped=["old:4-7"]))
    assert store.version(path) != first


def test_corrections_name_every_editable_field_of_the_latest_migration() -> None:
    assert set(schema.CORRECTABLE) == set(EDITABLE)


def test_a_store_made_before_spans_takes_span_corrections(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store as release 3 made it (corrections CHECK without span), with a correction.
    with monkeypatch.context() as m:
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
        with store.opened(store_url) as db:
            store.add_report(
                db,
                {"doc_id": "d", "text": "破获案件12起。", "sha256": "f" * 64, "origin": "upload"},
                [
                    {
                        "doc_id": "d",
                        "claim_id": "d:4-7",
                        "raw": "12起",
                        "value": 12.0,
                        "unit": "起",
                        "kind": "count",
                        "start": 4,
                        "end": 7,
                    }
                ],
            )
            store.apply_review(db, "d", Review(corrections={"d:4-7": {"value": 13.0}}))
            with pytest.raises(store.ERRORS):
                store.apply_review(db, "d", Review(corrections={"d:4-7": {"span": "multi-year"}}))
    with store.opened(store_url) as db:  # opening applies migration 4
        store.apply_review(db, "d", Review(corrections={"d:4-7": {"span": "multi-year"}}))
        claims = store.effective_claims(db)
    assert claims[["value", "span"]].values.tolist() == [[13.0, "multi-year"]]


def test_migrations_run_once(store_url: str) -> None:
    with store.opened(store_url) as db:
        assert schema.migrate(db) == []
        stamps = db.rows("SELECT version, applied_at FROM schema_migrations")
    with store.opened(store_url) as db:
        assert db.rows("SELECT version, applied_at FROM schema_migrations") == stamps


def test_version_changes_with_every_committed_write_and_only_then(store_url: str) -> None:
    store.bootstrap(store_url)
    before = store.version(store_url)
    assert store.version(store_url) == before  # reading changes nothing
    with store.opened(store_url) as db:  # another connection, as another process would be
        store.add_report(
            db,
            {"doc_id": "u1", "text": "新建警务室3个。", "sha256": "e" * 64, "origin": "upload"},
            [],
        )
    after = store.version(store_url)
    assert after != before
    with store.opened(store_url) as db, pytest.raises(store.StoreError):
        store.apply_review(db, "no-such-report", Review(dropped=["x"]))
    assert store.version(store_url) == after  # a refused change is no change


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of the copied tables, cells normalised across backends (a correction's
    value is a number in SQLite and text in PostgreSQL)."""

    def cell(value: object) -> object:
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return value

    snapshot = store_snapshot(url)
    return {
        t: sorted((tuple(cell(v) for v in row) for row in snapshot[t]), key=repr) for t in TABLES
    }


@pytest.mark.postgres
def test_migrate_copies_every_row_into_postgres_and_back(
    tmp_path: Path, postgres_server: str
) -> None:
    source = str(tmp_path / "claims.sqlite")
    store.bootstrap(source)
    with store.opened(source) as db:
        store.add_report(
            db,
            {"doc_id": "r1", "text": REPORT, "sha256": "d" * 64, "origin": "upload"},
            [
                {
                    "doc_id": "r1",
                    "claim_id": "r1:34-39",
                    "raw": "1234起",
                    "value": 1234.0,
                    "unit": "起",
                    "start": 34,
                    "end": 39,
                }
            ],
        )
        first = store.effective_claims(db).iloc[0]
        store.apply_review(
            db,
            "r1",
            Review(
                corrections={"r1:34-39": {"value": 1300.0, "year": 2022, "metric": "破获刑事案件"}},
                added=[{"raw": "56个", "value": 56.0, "unit": "个"}],
            ),
        )
        store.apply_review(db, first["doc_id"], Review(dropped=[first["claim_id"]]))
    target = pg_server.fresh_database(postgres_server)
    assert main(["migrate", "--from", source, "--to", target]) == 0
    assert _rows(target) == _rows(source)
    with store.opened(source) as a, store.opened(target) as b:
        pd.testing.assert_frame_equal(store.effective_claims(a), store.effective_claims(b))
        assert store.counts(a) == store.counts(b)
    assert store.bootstrap(target) is False  # the bundled data came along: nothing re-imported
    back = str(tmp_path / "back.sqlite")
    assert main(["migrate", "--from", target, "--to", f"sqlite:///{back}"]) == 0
    assert _rows(back) == _rows(source)


def test_migrate_refuses_a_store_that_is_not_empty(tmp_path: Path, store_url: str, capsys) -> None:
    source = tmp_path / "source.sqlite"
    store.bootstrap(source)
    store.bootstrap(store_url)
    before = store_snapshot(store_url)
    assert main(["migrate", "--from", str(source), "--to", store_url]) == 2
    assert "not empty; nothing copied" in capsys.readouterr().err
    assert store_snapshot(store_url) == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/claims", "unknown store URL mysql://root@localhost/claims"),
        (
            "postgresql://someone:secret@/nowhere?host=/nonexistent",
            "cannot reach postgresql://someone:***@/nowhere",
        ),
    ],
)
def test_a_bad_store_url_is_one_clear_error(url: str, message: str, capsys) -> None:
    assert main(["init", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}") and "secret" not in err


def test_init_imports_the_bundled_data_once(store_url: str, capsys) -> None:
    assert main(["init", store_url]) == 0
    assert "bundled data imported" in capsys.readouterr().out
    assert main(["init", store_url]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_sqlite_url_and_a_path_name_the_same_store(tmp_path: Path) -> None:
    path = tmp_path / "same.sqlite"
    store.bootstrap(f"sqlite:///{path}")
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] > 0
