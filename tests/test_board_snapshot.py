"""The prepared dataset's snapshot: the same frame as a fresh read, never an outdated one."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import store
from board import data, downloads, snapshot
from board.sample import synthetic_claims


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(data.CACHE_ENV, str(folder))
    return folder


def _seeds_csv(path: Path) -> None:
    shutil.copy(data.CLAIMS_PATH, path)


def _synthetic_csv(path: Path) -> None:
    path.write_bytes(downloads.csv_bytes(synthetic_claims(2000, seed=3)))


_load_claims = data.load_claims


def _fresh(path: Path) -> pd.DataFrame:
    return data.prepare(data.load_claims(path))


def _snapshots(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{snapshot.PREFIX}*{snapshot.SUFFIX}"))


def _no_csv_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: object) -> None:
        raise AssertionError(f"read {path} although its snapshot matches")

    monkeypatch.setattr(data, "load_claims", refuse)


@pytest.mark.parametrize("write", [_seeds_csv, _synthetic_csv], ids=["seeds", "synthetic"])
def test_snapshot_gives_the_frame_of_a_fresh_read(
    write: Callable[[Path], None], tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "claims.csv"
    write(path)
    first, synthetic, first_index = data.prepared_dataset(path)
    assert not synthetic and len(_snapshots(cache)) == 1
    _no_csv_reads(monkeypatch)
    again, _, index = data.prepared_dataset(path)
    pd.testing.assert_frame_equal(again, first, check_index_type=True)
    assert isinstance(again.index, pd.RangeIndex)  # what the app's caches check in O(1)
    assert index.text == first_index.text and index.starts.tolist() == first_index.starts.tolist()
    monkeypatch.setattr(data, "load_claims", _load_claims)
    pd.testing.assert_frame_equal(again, _fresh(path))


def _touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _drop_last_row(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


def _rewrite_same_size(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("exact", "about", 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "rows_lost"), [(_touch, 0), (_drop_last_row, 1), (_rewrite_same_size, 0)]
)
def test_a_changed_file_is_read_again(
    change: Callable[[Path], None], rows_lost: int, tmp_path: Path, cache: Path
) -> None:
    path = tmp_path / "claims.csv"
    _synthetic_csv(path)
    before = data.prepared_dataset(path).df
    change(path)
    _touch(path)  # a rewrite within the clock's resolution still shows as a new mtime
    after = data.prepared_dataset(path).df
    assert len(after) == len(before) - rows_lost
    pd.testing.assert_frame_equal(after, _fresh(path))
    assert len(_snapshots(cache)) == 2


def test_the_store_is_snapshotted_by_its_version(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(store.DB_ENV, str(tmp_path / "claims.sqlite"))
    data.prepared_dataset(data.CLAIMS_PATH)  # imports the bundled data: a new version
    first = data.prepared_dataset(data.CLAIMS_PATH).df
    pd.testing.assert_frame_equal(first, data.prepare(data.load_claims()))
    with monkeypatch.context() as patched:
        _no_csv_reads(patched)
        pd.testing.assert_frame_equal(data.prepared_dataset(data.CLAIMS_PATH).df, first)
    claim = {"doc_id": "snap_1", "claim_id": "snap_1:6-9", "raw": "36个", "value": 36.0}
    with store.opened() as conn:
        document = {"doc_id": "snap_1", "text": "全市新建警务室36个。", "origin": "upload"}
        store.add_report(conn, document, [claim])
    after = data.prepared_dataset(data.CLAIMS_PATH).df
    assert "snap_1" in set(after["doc_id"]) and "snap_1" not in set(first["doc_id"])
    pd.testing.assert_frame_equal(after, data.prepare(data.load_claims()))


def test_a_corrupt_snapshot_is_ignored_and_rebuilt(
    tmp_path: Path, cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "claims.csv"
    _synthetic_csv(path)
    expected = data.prepared_dataset(path).df
    (saved,) = _snapshots(cache)
    saved.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])  # a torn write
    with caplog.at_level(logging.WARNING):
        again = data.prepared_dataset(path).df
    assert "unreadable snapshot" in caplog.text
    pd.testing.assert_frame_equal(again, expected)
    name = saved.name.removeprefix(snapshot.PREFIX).removesuffix(snapshot.SUFFIX)
    pd.testing.assert_frame_equal(snapshot.read(cache, name), expected)


def _cache_under_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    monkeypatch.setenv(data.CACHE_ENV, str(blocker / "cache"))


def _read_only_filesystem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def refuse_to_create(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_CREAT:
            raise OSError(30, "Read-only file system")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_to_create)


@pytest.mark.parametrize("block", [_cache_under_a_file, _read_only_filesystem])
def test_an_unwritable_cache_only_means_no_snapshot(
    block: Callable[[Path, pytest.MonkeyPatch], None],
    tmp_path: Path,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "claims.csv"
    _synthetic_csv(path)
    block(tmp_path, monkeypatch)
    df, synthetic, _ = data.prepared_dataset(path)
    assert not synthetic
    pd.testing.assert_frame_equal(df, _fresh(path))
    assert not _snapshots(cache) and not list(tmp_path.glob("**/*.tmp"))


def test_only_the_newest_snapshots_are_kept(tmp_path: Path) -> None:
    frame = synthetic_claims(20, seed=1)
    abandoned, live = tmp_path / ".dataset-k0.parquet.a.tmp", tmp_path / ".dataset-k9.text.b.tmp"
    abandoned.write_bytes(b"PAR1")
    live.write_bytes(b"")
    os.utime(abandoned, ns=(0, 0))
    names = [f"k{i}" for i in range(snapshot.KEEP + 2)]
    for i, name in enumerate(names):
        assert snapshot.write(tmp_path, name, frame)
        os.utime(snapshot.path_for(tmp_path, name), ns=(i * 10**9, i * 10**9))
    kept = {p.name for p in _snapshots(tmp_path)}
    assert kept == {snapshot.path_for(tmp_path, n).name for n in names[-snapshot.KEEP :]}
    assert live.exists() and not abandoned.exists()


def test_snapshot_files_get_the_umask_mode_not_a_private_one(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert snapshot.write(tmp_path, "k", synthetic_claims(5, seed=1), "text")
    finally:
        os.umask(old)
    path = snapshot.path_for(tmp_path, "k")
    for file in (path, path.with_suffix(snapshot.TEXT_SUFFIX)):
        assert file.stat().st_mode & 0o777 == 0o644


def test_a_missing_file_gives_the_synthetic_dataset_unsaved(tmp_path: Path, cache: Path) -> None:
    df, synthetic, index = data.prepared_dataset(tmp_path / "missing.csv")
    assert synthetic and len(df) == index.size and not _snapshots(cache)
    assert str(df["province"].dtype) == "category"


def _cut_text(text: str) -> bytes:
    return text[: len(text) // 2].encode()


def _bad_utf8(text: str) -> bytes:
    return text.encode()[:-1] + b"\xff"


@pytest.mark.parametrize("damage", [_cut_text, _bad_utf8, lambda text: b""])
def test_a_damaged_search_text_is_rebuilt(
    damage: Callable[[str], bytes], tmp_path: Path, cache: Path
) -> None:
    path = tmp_path / "claims.csv"
    _synthetic_csv(path)
    df, _, index = data.prepared_dataset(path)
    (saved,) = cache.glob(f"*{snapshot.TEXT_SUFFIX}")
    saved.write_bytes(damage(index.text))
    again = data.prepared_dataset(path).text
    assert again.text == index.text and again.starts.tolist() == index.starts.tolist()
    assert again.contains("警务").tolist() == index.contains("警务").tolist()
