"""Many writers on one store, on both backends: the same report saved at once is stored once,
a review saved during a re-extraction of its report loses nothing, `add` processes at once
all succeed (issue 12; issue 11 item 8), and the dashboard's cache key moves when another
process saves."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import store
from extract.documents import document_from_text
from extract.report import extracted_claims
from store import repository
from store.review import Review
from tests.report_files import REPORT

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 3


def _document(doc_id: str, text: str = REPORT) -> tuple[dict[str, object], list[dict]]:
    doc = document_from_text(text, doc_id=doc_id, province="海南省")
    row = {"doc_id": doc_id, "text": text, "sha256": doc.sha256, "origin": "cli"}
    return row, extracted_claims(doc).to_dict("records")


def test_a_save_that_loses_the_race_is_a_duplicate_not_a_second_copy(
    store_url: str, monkeypatch
) -> None:
    document, claims = _document("first")
    with store.opened(store_url) as db:
        store.add_report(db, document, claims)
        # The loser read "not stored yet" before the winner committed: only the unique
        # content hash stands between it and a second copy.
        monkeypatch.setattr(repository, "find_document", _blind_once(repository.find_document))
        with pytest.raises(store.DuplicateReport, match="already stored as first"):
            store.add_report(db, {**document, "doc_id": "second"}, claims)
        assert store.counts(db)["documents"] == 1


def _blind_once(find):
    calls = []

    def blind(db, sha256):
        calls.append(sha256)
        return None if len(calls) == 1 else find(db, sha256)

    return blind


def test_a_review_saved_during_a_re_extraction_waits_and_both_land(store_url: str) -> None:
    document, claims = _document("r")
    with store.opened(store_url) as db:
        store.add_report(db, document, claims)
    target = next(c["claim_id"] for c in claims if c["raw"] == "1234起")
    done = threading.Event()
    errors: list[BaseException] = []

    def reviewer() -> None:
        try:
            with store.opened(store_url) as db:
                store.apply_review(db, "r", Review(corrections={target: {"value": 1300.0}}))
        except BaseException as err:  # surfaced below
            errors.append(err)
        done.set()

    moved = "海南省公安厅通报\n" + REPORT  # the re-extraction shifts every span
    with store.opened(store_url) as db, store.transaction(db):
        repository.lock_document(db, "r")
        thread = threading.Thread(target=reviewer)
        thread.start()
        time.sleep(0.5)
        assert not done.is_set()  # the review queues behind the re-extraction
        repository.replace_extracted(db, "r", _document("r", moved)[1])
    thread.join(30)
    assert done.is_set() and errors == []
    with store.opened(store_url) as db:
        claims = store.effective_claims(db, "r")
    assert len(claims) == 4  # nothing doubled
    fixed = claims[claims["raw"] == "1234起"].iloc[0]
    assert (fixed["value"], fixed["reviewed"]) == (1300.0, True)
    assert fixed["claim_id"] != target  # the re-extraction's span, the reviewer's value


def _add(path: Path, url: str) -> subprocess.Popen:
    env = {**os.environ, store.DB_ENV: url}
    return subprocess.Popen(
        [sys.executable, "-m", "extract", "add", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_add_processes_at_once(store_url: str, tmp_path: Path) -> None:
    store.bootstrap(store_url)
    with store.opened(store_url) as db:
        before = store.counts(db)["documents"]
    same = tmp_path / "same.txt"
    same.write_text(REPORT, encoding="utf-8")
    other = tmp_path / "other.txt"  # a different report, saved at the same moment
    other.write_text(REPORT.replace("1234", "2000"), encoding="utf-8")
    runs = [_add(same, store_url) for _ in range(PROCESSES)] + [_add(other, store_url)]
    outputs = [(run.wait(180), *run.communicate()) for run in runs]
    assert [code for code, _, _ in outputs] == [0] * len(runs), outputs
    lines = [out.splitlines()[0] for _, out, _ in outputs[:PROCESSES]]
    assert sum(line.startswith("added") for line in lines) == 1, lines
    assert sum("already stored as same_" in line for line in lines) == PROCESSES - 1, lines
    assert all(err == "" for _, _, err in outputs)
    with store.opened(store_url) as db:
        assert store.counts(db)["documents"] == before + 2


def test_the_dashboard_cache_key_notices_a_save_by_another_process(
    store_url: str, monkeypatch
) -> None:
    from board import data

    monkeypatch.setenv(store.DB_ENV, store_url)
    before_claims = len(data.load_claims())
    before = data.dataset_version()
    assert data.dataset_version() == before  # no change, same key: the cache holds
    saver = (
        "import store\n"
        "with store.opened() as db:\n"
        "    store.add_report(db, {'doc_id': 'elsewhere', 'text': '新建警务室3个。', "
        "'sha256': 'c' * 64, 'origin': 'upload'}, [{'doc_id': 'elsewhere', "
        "'claim_id': 'elsewhere:5-7', 'raw': '3个', 'value': 3.0, 'unit': '个'}])\n"
    )
    env = {**os.environ, store.DB_ENV: store_url}
    subprocess.run([sys.executable, "-c", saver], cwd=ROOT, env=env, check=True, timeout=120)
    assert data.dataset_version() != before
    assert len(data.load_claims()) == before_claims + 1
