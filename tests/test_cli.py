"""The command line: extraction to each format, bad files, the scorer."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from extract.claim import COLUMNS
from extract.cli import main

ROOT = Path(__file__).parent.parent
SEED = ROOT / "seeds" / "000_d2ab64f43d8cd3ad.txt"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_extract_writes_every_column(tmp_path, suffix: str, capsys) -> None:
    out = tmp_path / f"claims{suffix}"
    assert main([str(SEED), "-o", str(out)]) == 0
    if suffix == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads Chinese
        frame = pd.read_csv(out, encoding="utf-8-sig")
    elif suffix == ".jsonl":
        frame = pd.DataFrame([json.loads(line) for line in out.read_text().splitlines()])
    else:
        frame = pd.read_parquet(out)
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) > 20 and frame["claim_id"].is_unique
    assert "claims from 1 documents" in capsys.readouterr().out


def test_bad_files_are_reported_and_the_rest_go_through(tmp_path, capsys) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00" * 100)
    out = tmp_path / "out.csv"
    code = main(
        [
            str(SEED),
            str(tmp_path / "empty.txt"),
            str(tmp_path / "binary.txt"),
            str(tmp_path / "missing.txt"),
            "-o",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1 and out.exists()
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert any("empty.txt: empty file" in e for e in errors)
    assert any("missing.txt: no such file" in e for e in errors)
    assert "(3 failed)" in captured.out


def test_nothing_readable_writes_nothing(tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.csv"
    assert main([str(tmp_path / "empty.txt"), "-o", str(out)]) == 2
    assert not out.exists()


def test_unknown_output_format_is_refused(tmp_path, capsys) -> None:
    assert main([str(SEED), "-o", str(tmp_path / "out.xls")]) == 2
    assert "must end in" in capsys.readouterr().err


def test_hints_apply_to_every_document(tmp_path) -> None:
    out = tmp_path / "out.csv"
    main([str(SEED), "-o", str(out), "--province", "吉林省", "--published", "2015-01-01"])
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert set(frame["province"]) == {"吉林省"}
    assert set(frame["published"]) == {"2015-01-01"}


def test_evaluate_prints_scores(tmp_path, capsys) -> None:
    out = tmp_path / "pred.csv"
    main([str(ROOT / "seeds"), "-o", str(out)])
    capsys.readouterr()
    assert main(["evaluate", str(ROOT / "tests" / "gold"), str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("detection  precision")
    for field in ("unit", "kind", "metric", "year", "category"):
        assert field in printed


def test_evaluate_counts_misses_and_extras(tmp_path) -> None:
    from extract.evaluate import load_gold, score

    gold = load_gold(ROOT / "tests" / "gold")
    one_doc = gold[gold["doc_id"] == gold["doc_id"].iloc[0]]
    predicted = one_doc.iloc[1:].copy()
    predicted.loc[predicted.index[0], "value"] = 1e12  # wrong value: a miss and an extra
    result = score(one_doc, predicted)
    assert result.false_neg == 2 and result.false_pos == 1
    assert result.true_pos == len(one_doc) - 2


def test_progress_bar_shows_for_many_files() -> None:
    import io

    from extract.batch import PARALLEL_FROM, progress_bar

    stream = io.StringIO()
    show = progress_bar(stream)
    show(1, 3)
    assert stream.getvalue() == ""  # a handful of files needs no bar
    for done in range(1, PARALLEL_FROM + 1):
        show(done, PARALLEL_FROM)
    assert stream.getvalue().endswith(f"] {PARALLEL_FROM}/{PARALLEL_FROM} files\n")


def test_many_files_run_in_parallel_with_the_same_result(tmp_path) -> None:
    from extract.batch import PARALLEL_FROM, extract_files

    for i in range(PARALLEL_FROM):
        (tmp_path / f"r{i}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    serial = extract_files([tmp_path], workers=1).claims
    parallel = extract_files([tmp_path], workers=2).claims
    assert len(serial) == len(parallel) > 0
    assert serial["claim_id"].tolist() == parallel["claim_id"].tolist()


def test_read_claims_names_the_file_even_with_a_colon_in_its_path(tmp_path) -> None:
    from extract import DocumentError, read_claims

    path = tmp_path / "a: b.txt"
    with pytest.raises(DocumentError) as err:
        read_claims([path])
    assert (err.value.path, err.value.reason) == (str(path), "no such file")
