"""The claims store on both backends: bundled data, reviews that survive re-extraction,
duplicates, concurrency within one process, export."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

import store
from board.data import CLAIMS_PATH, load_claims, normalise
from extract.claim import COLUMNS
from extract.documents import read_document_bytes
from store import add
from store.backends import Database
from store.bundled import SEEDS_DIR, seeds_source
from store.export import DICTIONARY_PATH, data_dictionary, export_dataset
from store.national import national_frame
from store.review import Review
from tests.report_files import REPORT, store_snapshot

BUNDLED = pd.read_csv(CLAIMS_PATH, encoding="utf-8-sig", dtype=str, keep_default_na=False)
BUNDLED_REPORTS = BUNDLED["doc_id"].nunique() + national_frame()["doc_id"].nunique()
BUNDLED_CLAIMS = len(BUNDLED) + len(national_frame())


@pytest.fixture
def db(store_url: str) -> str:
    """A store on each backend with the bundled data imported, as the app starts it."""
    store.bootstrap(store_url)
    return store_url


def _prepared(conn: Database, text: str = REPORT, name: str = "hainan.txt"):
    return add.prepare(conn, read_document_bytes(text.encode(), name), name)


def _claim(frame: pd.DataFrame, raw: str) -> pd.Series:
    return frame[frame["raw"] == raw].iloc[0]


def test_opening_a_store_migrates_it_and_imports_nothing(store_url: str) -> None:
    with store.opened(store_url) as conn:
        assert store.counts(conn) == {"documents": 0, "claims": 0, "reviewed": 0}
        versions = [row[0] for row in conn.rows("SELECT version FROM schema_migrations")]
    assert sorted(versions) == [1, 2, 3, 4]
    assert store.bootstrap(store_url) is True
    assert store.bootstrap(store_url) is False  # nothing changed: nothing imported again


def test_a_sqlite_store_is_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with store.opened(f"sqlite:///{tmp_path / 'claims.sqlite'}") as conn:
        assert conn.one("PRAGMA journal_mode")[0] == "wal"
        assert conn.one("PRAGMA foreign_keys")[0] == 1


def test_bootstrap_imports_the_bundled_dataset(db: str) -> None:
    with store.opened(db) as conn:
        claims = store.effective_claims(conn)
        texts = dict(conn.rows("SELECT doc_id, text FROM documents"))
    assert list(claims.columns) == [*COLUMNS, "reviewed"]
    seeds = claims[claims["doc_id"].isin(BUNDLED["doc_id"])]
    cited = claims[~claims["doc_id"].isin(BUNDLED["doc_id"])]
    assert not seeds["reviewed"].any()
    pd.testing.assert_frame_equal(normalise(seeds), normalise(BUNDLED))
    national = national_frame()  # the national dataset: checked by hand, cited, no text kept
    assert len(cited) == len(national) and cited["reviewed"].all()
    assert set(cited["claim_id"]) == set(national["claim_id"])
    assert sorted(d for d, t in texts.items() if t) == sorted(BUNDLED["doc_id"].unique())
    for row in BUNDLED.itertuples():  # "show the sentence in its report" works from the store
        assert texts[row.doc_id][int(row.start) : int(row.end)] == row.raw


def test_a_rebuilt_bundled_dataset_is_taken_up_and_reviews_kept(
    store_url: str, tmp_path: Path
) -> None:
    csv, db = tmp_path / "claims.csv", store_url
    first, second = BUNDLED["doc_id"].unique()[:2]
    BUNDLED[BUNDLED["doc_id"].isin([first, second])].to_csv(csv, index=False)
    store.bootstrap(db, [seeds_source(csv, SEEDS_DIR)])
    with store.opened(db) as conn:
        rows = store.effective_claims(conn, first)
        fixed, dropped, rebuilt = rows["claim_id"][:3]
        store.apply_review(
            conn, first, Review(corrections={fixed: {"value": -1.0}}, dropped=[dropped])
        )
    changed = BUNDLED[BUNDLED["doc_id"] == first].copy()  # `second` left the dataset
    changed.loc[changed["claim_id"] == rebuilt, "metric"] = "重新提取的指标"
    changed.to_csv(csv, index=False)
    assert store.bootstrap(db, [seeds_source(csv, SEEDS_DIR)])
    with store.opened(db) as conn:
        claims = store.effective_claims(conn).set_index("claim_id")
    assert set(claims["doc_id"]) == {first}
    assert claims.loc[rebuilt, "metric"] == "重新提取的指标"
    assert claims.loc[fixed, "value"] == -1.0 and dropped not in claims.index
    assert len(claims) == len(changed) - 1


def test_a_report_with_corrections_drops_and_an_added_claim(db: str) -> None:
    with store.opened(db) as conn:
        prepared = _prepared(conn)
        shown = prepared.claims
        edited = shown[shown["raw"] != "56个"].copy()
        edited.loc[edited["raw"] == "1234起", ["value", "category"]] = [1300.0, "enforcement"]
        added = {
            "raw": "3.2亿元",
            "value": 3.3e8,
            "unit": "元",
            "kind": "amount",
            "metric": "资金投入",
            "category": "technology",
        }
        saved = add.save(conn, prepared, pd.concat([edited, pd.DataFrame([added])]))
        claims = store.effective_claims(conn, saved.doc_id)
    assert saved.claims == 4 and len(claims) == 4
    fixed = _claim(claims, "1234起")
    assert (fixed["value"], fixed["category"], fixed["reviewed"]) == (1300.0, "enforcement", True)
    assert "56个" not in set(claims["raw"])
    manual = claims[claims["metric"] == "资金投入"].iloc[0]
    # 3.2亿元 is in the text once and the extractor holds that span: no offsets of its own.
    assert manual["claim_id"] == f"{saved.doc_id}:manual-1" and pd.isna(manual["start"])
    assert (manual["province"], manual["year"], manual["reviewed"]) == ("海南省", 2023, True)
    assert not _claim(claims, "12.5%")["reviewed"]


def test_an_added_claim_is_anchored_to_its_number_in_the_text(db: str) -> None:
    text = REPORT + "全省共有派出所88个。\n"
    with store.opened(db) as conn:
        prepared = _prepared(conn, text)
        shown = prepared.claims[prepared.claims["raw"] != "88个"]
        prepared = add.Prepared(prepared.doc, "x.txt", shown, prepared.metadata)
        extra = pd.DataFrame([{"raw": "88个", "value": 88, "metric": "派出所"}])
        saved = add.save(conn, prepared, pd.concat([shown, extra]))
        claims = store.effective_claims(conn, saved.doc_id)
    row = _claim(claims, "88个")
    assert text[row["start"] : row["end"]] == "88个"
    assert row["claim_id"] == f"{saved.doc_id}:{row['start']}-{row['end']}"
    assert row["sentence"] == "全省共有派出所88个。"


def test_reviewed_values_survive_a_re_extraction(db: str) -> None:
    with store.opened(db) as conn:
        prepared = _prepared(conn)
        saved = add.save(conn, prepared)
        ids = dict(zip(prepared.claims["raw"], prepared.claims["claim_id"], strict=True))
        store.apply_review(
            conn,
            saved.doc_id,
            Review(
                corrections={ids["1234起"]: {"value": 1300.0, "province": "海南省", "year": 2022}},
                dropped=[ids["56个"]],
                added=[
                    {
                        "raw": "",
                        "value": 7.0,
                        "metric": "新增",
                        "kind": "count",
                        "approx": "exact",
                        "direction": "",
                    }
                ],
            ),
        )
        before = store.effective_claims(conn, saved.doc_id)
        assert add.reextract(conn, saved.doc_id) == 4
        after = store.effective_claims(conn, saved.doc_id)
        # An extractor that no longer finds a corrected claim does not lose it either.
        store.replace_extraction(conn, saved.doc_id, [])
        kept = store.effective_claims(conn, saved.doc_id)
    pd.testing.assert_frame_equal(before, after)
    assert (_claim(after, "1234起")["value"], _claim(after, "1234起")["year"]) == (1300.0, 2022)
    assert sorted(kept["raw"]) == ["", "1234起"]


def test_the_same_report_twice_is_recognised(db: str) -> None:
    with store.opened(db) as conn:
        saved = add.save(conn, _prepared(conn))
        again = _prepared(conn, name="renamed.txt")
        assert again.existing and again.existing["doc_id"] == saved.doc_id
        assert len(again.claims) == 4  # the stored claims, ready for more review
        before = store_snapshot(db)
        with pytest.raises(store.DuplicateReport, match=f"already stored as {saved.doc_id}"):
            store.add_report(conn, add.document_record(_fresh(again), "upload"), [])
    assert store_snapshot(db) == before


def _fresh(prepared: add.Prepared) -> add.Prepared:
    return add.Prepared(prepared.doc, prepared.filename, prepared.claims, prepared.metadata)


def test_a_seed_file_uploaded_again_is_a_duplicate(db: str) -> None:
    seed = CLAIMS_PATH.parent.parent / "seeds" / f"{BUNDLED['doc_id'][0]}.txt"
    with store.opened(db) as conn:
        prepared = add.prepare(conn, read_document_bytes(seed.read_bytes(), seed.name))
    assert prepared.existing["doc_id"] == BUNDLED["doc_id"][0]


def test_a_failed_change_leaves_nothing_behind(db: str) -> None:
    with store.opened(db) as conn:
        prepared = _prepared(conn)
        before = store_snapshot(db)
        bad = Review(corrections={"no-such-claim": {"value": 1.0}})
        with pytest.raises(store.StoreError, match="not claims of"):
            store.add_report(
                conn,
                add.document_record(prepared, "upload"),
                prepared.claims.to_dict("records"),
                bad,
            )
        edited = prepared.claims.assign(province="火星省")
        with pytest.raises(store.StoreError, match="'火星省' is not a province-level unit"):
            add.save(conn, prepared, edited)
        with pytest.raises(add.NoClaims):
            add.save(conn, prepared, prepared.claims.iloc[0:0])
    assert store_snapshot(db) == before


def test_place_names_are_completed_and_checked(db: str) -> None:
    with store.opened(db) as conn:
        prepared = _prepared(conn)
        edited = prepared.claims.copy()
        edited.loc[0, ["province", "city"]] = ["四川", "攀枝花"]
        saved = add.save(conn, prepared, edited)
        row = store.effective_claims(conn, saved.doc_id).iloc[0]
        assert (row["province"], row["city"]) == ("四川省", "攀枝花市")
        again = add.prepare(conn, read_document_bytes(b"x" + REPORT.encode(), "b.txt"))
        wrong = again.claims.copy()
        wrong.loc[0, ["province", "city"]] = ["海南省", "成都市"]
        with pytest.raises(store.StoreError, match="city '成都市' is not in 海南省"):
            add.save(conn, again, wrong)


def _report(i: int) -> str:
    return f"2023年,全省公安机关破获刑事案件{1000 + i}起。\n"


def test_two_writers_at_once_both_land(db: str) -> None:
    with store.opened(db) as conn:
        base = store.counts(conn)
    barrier, errors = threading.Barrier(2), []

    def writer(start: int) -> None:
        try:
            with store.opened(db) as conn:
                barrier.wait()
                for i in range(start, start + 5):
                    add.save(conn, _prepared(conn, _report(i), f"r{i}.txt"))
        except Exception as err:  # surfaced below: a thread's exception is otherwise lost
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(n,)) for n in (0, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.opened(db) as conn:
        assert store.counts(conn)["documents"] == base["documents"] + 10


def test_a_sqlite_writer_waits_for_a_held_lock_instead_of_failing(tmp_path: Path) -> None:
    db = tmp_path / "claims.sqlite"
    store.bootstrap(db)
    done = threading.Event()

    def waiting_writer() -> None:
        with store.opened(db) as conn:
            add.save(conn, _prepared(conn, _report(1), "waiting.txt"))
        done.set()

    with store.opened(db) as holder:
        with store.transaction(holder):
            thread = threading.Thread(target=waiting_writer)
            thread.start()
            time.sleep(0.3)
            assert not done.is_set()  # queued behind the holder's write lock
        thread.join(10)
        assert done.is_set()
        assert store.counts(holder)["documents"] == BUNDLED_REPORTS + 1


def test_first_use_by_several_at_once_imports_once(store_url: str) -> None:
    db = store_url
    barrier, errors = threading.Barrier(4), []

    def opener() -> None:
        barrier.wait()
        try:
            store.bootstrap(db)
        except Exception as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.opened(db) as conn:
        assert store.counts(conn)["claims"] == BUNDLED_CLAIMS


def test_load_claims_reads_the_store(db: str, monkeypatch) -> None:
    monkeypatch.setenv(store.DB_ENV, db)
    with store.opened() as conn:
        add.save(conn, _prepared(conn))
    claims = load_claims()
    assert len(claims) == BUNDLED_CLAIMS + 4
    assert "海南省" in set(claims["province"])
    assert claims.dtypes.equals(load_claims(CLAIMS_PATH).dtypes)


def test_load_claims_falls_back_to_the_csv(tmp_path: Path, monkeypatch, caplog) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(store.DB_ENV, str(blocker / "claims.sqlite"))
    claims = load_claims()
    pd.testing.assert_frame_equal(claims, normalise(BUNDLED))
    assert "claims store unavailable" in caplog.text


def test_export_csv_parquet_and_dictionary(db: str, tmp_path: Path) -> None:
    with store.opened(db) as conn:
        add.save(conn, _prepared(conn))
        paths = export_dataset(conn, tmp_path / "out")
        expected = store.effective_claims(conn)
    csv_path, parquet_path, dictionary_path = paths
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(pd.read_csv(csv_path, encoding="utf-8-sig")) == len(expected)
    pd.testing.assert_frame_equal(pd.read_parquet(parquet_path), expected)
    dictionary = pd.read_csv(dictionary_path, encoding="utf-8-sig")
    assert dictionary["column"].tolist() == [*COLUMNS, "reviewed"]
    assert dictionary.set_index("column")["type"].to_dict()["year"].startswith("integer")
    assert dictionary["meaning"].str.len().min() > 10


def test_the_dictionary_file_covers_exactly_the_columns() -> None:
    described = yaml.safe_load(DICTIONARY_PATH.read_text(encoding="utf-8"))["columns"]
    assert list(described) == [*COLUMNS, "reviewed"]
    with pytest.raises(KeyError, match="no meaning for"):
        data_dictionary(pd.DataFrame({"mystery": [1]}))


def _national(values: list[float]) -> store.Source:
    """A second bundled source shaped like the curated national dataset: checked claims
    without sentences, a URL per row, reports known by metadata and hash, without text."""
    rows = [
        {name: "" for name in COLUMNS}
        | {
            "doc_id": "nat_1",
            "claim_id": f"nat_1:row-{n}",
            "raw": f"{value:g}起",
            "value": value,
            "unit": "起",
            "kind": "count",
            "approx": "exact",
            "metric": f"指标{n}",
            "year": 2023,
            "period_start": 2023,
            "province": "全国",
            "category": "crime",
            "url": "https://example.org/report",
            "reviewed": True,
        }
        for n, value in enumerate(values)
    ]
    report = {
        "doc_id": "nat_1",
        "title": "全国公安工作报告",
        "publisher": "公安部",
        "published": "2024-01-10",
        "url": "https://example.org/report",
        "province": "全国",
        "city": "",
        "text_sha256": "ab" * 32,
    }
    reports = [{**report, "sha256": report["text_sha256"]}]
    return store.Source("national", pd.DataFrame(rows), reports)


def test_a_second_bundled_source_plugs_in(store_url: str) -> None:
    seeds = seeds_source()
    assert store.bootstrap(store_url, [seeds, _national([10.0, 20.0, 30.0])])
    with store.opened(store_url) as db:
        claims = store.effective_claims(db, "nat_1")
        document = store.get_document(db, "nat_1")
        store.apply_review(db, "nat_1", Review(dropped=["nat_1:row-1"]))
        assert store.counts(db)["documents"] == BUNDLED["doc_id"].nunique() + 1
    assert claims["reviewed"].all() and claims["value"].tolist() == [10.0, 20.0, 30.0]
    assert (document["url"], document["sha256"], document["text"]) == (
        "https://example.org/report",
        "ab" * 32,
        "",
    )
    assert store.bootstrap(store_url, [seeds, _national([10.0, 20.0, 31.0])])
    with store.opened(store_url) as db:
        claims = store.effective_claims(db, "nat_1")
    assert claims["value"].tolist() == [10.0, 31.0]  # the drop kept, the new value taken
    assert store.bootstrap(store_url, [seeds]) is True  # the national source removed
    with store.opened(store_url) as db:
        assert store.effective_claims(db, "nat_1").empty
