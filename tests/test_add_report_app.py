"""The Add report page through AppTest: upload, review in the editor, save; bad input refused.

AppTest drives st.file_uploader directly; the data editor's cell edits are given as its edit
state (edited_rows, added_rows, deleted_rows), which is what the browser sends on an edit.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import store
from board.data import CLAIMS_PATH
from extract import documents
from store.national import national_frame
from tests.report_files import REPORT, pdf_bytes, store_snapshot


def shown_text(element) -> str:
    """A message as the reader sees it: report text in it is entity-encoded (inert)."""
    return html.unescape(element.value)


SCRIPT = "from app.pages.add_report import render_add_report\nrender_add_report('zh')\n"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "claims.sqlite"
    monkeypatch.setenv(store.DB_ENV, str(path))
    store.bootstrap(path)
    return path


def _upload(name: str, data: bytes) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    at.file_uploader[0].upload(name, data, "application/octet-stream")
    return at.run()


def _edit(at: AppTest, **state: object) -> AppTest:
    editor = at.data_editor[0]
    at.session_state[editor.key] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [],
        **state,
    }
    return at.run()


def _button(at: AppTest, text: str):
    return next(b for b in at.button if b.label == text)


def _stored(db: Path) -> pd.DataFrame:
    with store.opened(db) as conn:
        return store.effective_claims(conn)


def test_upload_review_and_save(db: Path) -> None:
    at = _upload("hainan.txt", REPORT.encode())
    assert not at.exception and not at.error
    fields = {t.label: t.value for t in at.text_input}
    assert fields["标题"] == "海南省公安厅2023年工作总结" and fields["发布日期"] == "2024-01-15"
    assert at.selectbox[0].value == "海南省"
    shown = at.data_editor[0].value
    assert shown["raw"].tolist() == ["1234起", "12.5%", "56个", "3.2亿元"]
    assert at.data_editor[0].editing_mode == "dynamic"
    _edit(
        at,
        edited_rows={0: {"value": 1300.0, "category": "enforcement"}},
        deleted_rows=[2],
        added_rows=[{"raw": "7起", "value": 7, "metric": "命案", "category": "crime"}],
    )
    _button(at, "保存到数据库").click().run()
    assert not at.exception and not at.error
    assert shown_text(at.success[0]).startswith("已保存:hainan_")
    assert "更正 1 条,删除 1 条,新增 1 条" in shown_text(at.success[0])
    assert at.file_uploader[0].value is None  # a fresh page for the next report
    claims = _stored(db)
    added = claims[claims["doc_id"].str.startswith("hainan_")].set_index("raw")
    assert sorted(added.index) == ["12.5%", "1234起", "3.2亿元", "7起"]
    assert added.loc["1234起", ["value", "category"]].tolist() == [1300.0, "enforcement"]
    assert added.loc["7起", "province"] == "海南省" and added.loc["7起", "reviewed"]
    assert added.loc["3.2亿元", "title"] == "海南省公安厅2023年工作总结"


def test_edited_metadata_extracts_again(db: Path) -> None:
    at = _upload("report.txt", REPORT.replace("海南省", "").encode())
    at.selectbox[0].set_value("四川省")
    next(t for t in at.text_input if t.label == "城市(可空)").set_value("成都")
    _button(at, "按此重新提取").click().run()
    shown = at.data_editor[0].value
    assert set(shown["province"]) == {"四川省"} and set(shown["city"]) == {"成都市"}
    _button(at, "保存到数据库").click().run()
    report = _stored(db).query("doc_id.str.startswith('report_')")
    assert len(report) == 4 and set(report["city"]) == {"成都市"}


def test_a_report_already_stored_is_recognised(db: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    at = _upload("copy.txt", seed.read_bytes())
    assert f"已在数据库中(编号 {seed.stem}" in shown_text(at.info[0])
    shown = at.data_editor[0].value
    assert len(shown) == (_stored(db)["doc_id"] == seed.stem).sum()
    _edit(at, edited_rows={0: {"metric": "人工更正的指标"}})
    before = len(_stored(db))
    _button(at, "保存更正").click().run()
    assert "更正 1 条" in shown_text(at.success[0])
    claims = _stored(db)
    assert len(claims) == before  # corrected, not duplicated
    assert claims.set_index("claim_id").loc[shown["claim_id"][0], "metric"] == "人工更正的指标"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", bytes(range(256)) * 8, "binary content, not text"),
        ("latin.txt", b"abc\xff\xffdef", "cannot decode"),
        ("scan.pdf", pdf_bytes([""]), "PDF has no text layer (scanned?)"),
        ("big.txt", REPORT.encode() * 40, "too large"),
    ],
)
def test_bad_input_is_refused_and_the_store_untouched(
    db: Path, monkeypatch, name: str, data: bytes, reason: str
) -> None:
    monkeypatch.setattr(documents, "MAX_BYTES", 4000)
    before = store_snapshot(db)
    at = _upload(name, data)
    assert not at.exception
    assert reason in shown_text(at.error[0]) and "数据库未作任何改动" in shown_text(at.error[0])
    assert not at.data_editor
    assert store_snapshot(db) == before


def test_a_report_without_claims_is_not_stored(db: Path) -> None:
    before = store_snapshot(db)
    at = _upload("quiet.txt", "海南省公安厅工作简报。今年工作平稳有序。".encode())
    assert "未在这份报告中找到指标" in shown_text(at.warning[0])
    _button(at, "保存到数据库").click().run()
    assert "没有可保存的指标" in shown_text(at.error[0])
    assert store_snapshot(db) == before


def test_invalid_edits_are_listed_and_nothing_is_saved(db: Path) -> None:
    before = store_snapshot(db)
    at = _upload("hainan.txt", REPORT.encode())
    _edit(
        at,
        edited_rows={0: {"province": "火星省"}, 1: {"year": 1800}},
        added_rows=[{"metric": "没有数值"}],
    )
    _button(at, "保存到数据库").click().run()
    message = shown_text(at.error[0])
    assert "'火星省' is not a province-level unit" in message
    assert "year 1800 is not a year" in message and "value is missing" in message
    assert store_snapshot(db) == before


def test_the_page_offers_the_whole_dataset(db: Path) -> None:
    at = AppTest.from_string(SCRIPT, default_timeout=30).run()
    seeds, national = pd.read_csv(CLAIMS_PATH, encoding="utf-8-sig"), national_frame()
    reports = seeds["doc_id"].nunique() + national["doc_id"].nunique()
    claims = len(seeds) + len(national)
    assert f"{reports} 份报告、{claims} 条指标,其中 {len(national)} 条经人工审核" in (
        at.caption[-1].value
    )
    assert [b.label for b in at.get("download_button")] == [
        "下载完整数据集(CSV + Parquet + 数据字典)"
    ]
