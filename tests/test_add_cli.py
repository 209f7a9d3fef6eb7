"""`python -m extract add FILE...` and `python -m extract export FOLDER` against a private
store on each backend."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import store
from extract import documents
from extract.cli import main
from store.review import Review
from tests.report_files import REPORT, pdf_bytes, store_snapshot, write_docx

ROOT = Path(__file__).resolve().parent.parent
LINES = REPORT.strip().split("\n")


@pytest.fixture
def db(store_url: str) -> str:
    """A store on each backend with the bundled data in, as `add` leaves it on first use."""
    store.bootstrap(store_url)
    return store_url


def _claims(db: str) -> pd.DataFrame:
    with store.opened(db) as conn:
        return store.effective_claims(conn)


def test_adds_text_word_and_pdf_reports(tmp_path: Path, db: str, capsys) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    write_docx(tmp_path / "b.docx", [line.replace("1234", "2234") for line in LINES])
    (tmp_path / "c.pdf").write_bytes(
        pdf_bytes([line.replace("1234", "3234") for line in LINES], cjk=True)
    )
    before = len(_claims(db))
    assert (
        main(
            [
                "add",
                str(tmp_path / "a.txt"),
                str(tmp_path / "b.docx"),
                str(tmp_path / "c.pdf"),
                "--db",
                str(db),
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [
        f"added {tmp_path / name}" for name in ("a.txt", "b.docx", "c.pdf")
    ]
    assert lines[-1] == "3 reports done (12 claims added), 0 failed"
    claims = _claims(db)
    assert len(claims) == before + 12
    assert {1234.0, 2234.0, 3234.0} <= set(claims["value"])


def test_hints_set_the_region_and_date(tmp_path: Path, db: str) -> None:
    path = tmp_path / "report.txt"
    path.write_text(LINES[2] + "\n", encoding="utf-8")
    assert (
        main(
            [
                "add",
                str(path),
                "--province",
                "四川",
                "--city",
                "成都",
                "--published",
                "2022-03-01",
                "--db",
                str(db),
            ]
        )
        == 0
    )
    added = _claims(db).query("doc_id.str.startswith('report_')")
    assert set(added["province"]) == {"四川省"} and set(added["city"]) == {"成都市"}
    assert set(added["published"]) == {"2022-03-01"}


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", bytes(range(256)) * 8, "cannot decode: binary content, not text"),
        ("latin.txt", b"abc\xff\xffdef", "cannot decode: not UTF-8"),
        ("scan.pdf", pdf_bytes([""]), "PDF has no text layer (scanned?)"),
        (
            "quiet.txt",
            "海南省公安厅工作简报。今年工作平稳有序。".encode(),
            "no claims found in the report; nothing stored",
        ),
        ("big.txt", REPORT.encode() * 40, "too large"),
    ],
)
def test_a_bad_file_gets_one_line_and_leaves_the_store_untouched(
    tmp_path: Path, db: str, capsys, monkeypatch, name: str, data: bytes, reason: str
) -> None:
    monkeypatch.setattr(documents, "MAX_BYTES", 4000)
    path = tmp_path / name
    path.write_bytes(data)
    before = store_snapshot(db)
    assert main(["add", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: {path}: {reason}")
    assert store_snapshot(db) == before


@pytest.mark.parametrize(
    ("name", "data", "line"),
    [
        ("bad\nname.txt", b"", "error: {tmp}/bad\\nname.txt: empty file"),
        ("tab\tname.txt", REPORT.encode(), "added {tmp}/tab\\tname.txt: 4 claims as tab_name_"),
    ],
)
def test_a_control_character_in_a_file_name_keeps_one_line_per_file(
    tmp_path: Path, db: str, capsys, name: str, data: bytes, line: str
) -> None:
    (tmp_path / name).write_bytes(data)
    main(["add", str(tmp_path / name), "--db", db])
    out = capsys.readouterr()
    lines = (out.err or out.out).splitlines()
    assert lines[0].startswith(line.format(tmp=tmp_path)), lines


def test_good_files_still_land_beside_a_bad_one(tmp_path: Path, db: str, capsys) -> None:
    (tmp_path / "bad.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text(REPORT, encoding="utf-8")
    assert main(["add", str(tmp_path), "--db", str(db)]) == 1
    out = capsys.readouterr()
    assert out.err.count("error:") == 1 and "added" in out.out


def test_the_same_report_twice_is_skipped(tmp_path: Path, db: str, capsys) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(REPORT, encoding="utf-8")
    assert main(["add", str(tmp_path / "a.txt"), "--db", str(db)]) == 0
    before = store_snapshot(db)
    assert main(["add", str(tmp_path / "copy.txt"), "--db", str(db)]) == 0
    assert f"skipped {tmp_path / 'copy.txt'}: already stored as a_" in capsys.readouterr().out
    assert store_snapshot(db) == before


def test_reextract_keeps_the_reviewers_values(tmp_path: Path, db: str, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(REPORT, encoding="utf-8")
    main(["add", str(path), "--db", str(db)])
    claims = _claims(db)
    target = claims[claims["raw"] == "1234起"].iloc[0]
    with store.opened(db) as conn:
        store.apply_review(
            conn,
            target["doc_id"],
            Review(corrections={target["claim_id"]: {"value": 1300.0, "metric": "刑事案件破案"}}),
        )
    assert main(["add", str(path), "--reextract", "--db", str(db)]) == 0
    assert "re-extracted" in capsys.readouterr().out
    after = _claims(db).set_index("claim_id").loc[target["claim_id"]]
    assert (after["value"], after["metric"], after["reviewed"]) == (1300.0, "刑事案件破案", True)


def test_export_writes_three_files(tmp_path: Path, db: str, capsys) -> None:
    assert main(["export", str(tmp_path / "out"), "--db", str(db)]) == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["claims.csv", "claims.parquet", "dictionary.csv"]
    assert capsys.readouterr().out.startswith(f"{len(_claims(db))} claims -> ")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("{tmp}/a-file/claims.sqlite", "{tmp}/a-file/claims.sqlite"),  # a file as folder
        (
            "postgresql://someone:secret@/nowhere?host=/nonexistent",
            "postgresql://someone:***@/nowhere?host=/nonexistent",
        ),
        ("mysql://root@localhost/claims", "mysql://root@localhost/claims"),
    ],
)
def test_an_unusable_store_is_one_clear_error(tmp_path: Path, capsys, url: str, shown: str) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    db = url.format(tmp=tmp_path)
    assert main(["add", str(tmp_path / "a.txt"), "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot open the store {shown.format(tmp=tmp_path)}: ")
    assert len(err.splitlines()) == 1 and "secret" not in err


def test_module_entry_point_uses_the_env_store(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    env_db = tmp_path / "env.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "extract", "add", str(tmp_path / "a.txt")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", store.DB_ENV: str(env_db)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"added {tmp_path / 'a.txt'}: 4 claims")
    assert env_db.exists()
