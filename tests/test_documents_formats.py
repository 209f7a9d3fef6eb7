"""Word and PDF reports, uploads from bytes, and the messages for files that cannot be read."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from extract import documents
from extract.documents import DocumentError, read_document, read_document_bytes
from extract.pipeline import extract_document
from tests.report_files import REPORT, pdf_bytes, write_docx

LINES = REPORT.strip().split("\n")


def test_docx_paragraphs_and_table_rows_in_order(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "报告.docx",
        LINES[:2],
        [["指标", "数值"], ["破获刑事案件", "1234起"]],
        title="海南公安工作总结",
    )
    doc = read_document(path)
    assert doc.text.split("\n") == [*LINES[:2], "指标\t数值", "破获刑事案件\t1234起", "(完)"]
    assert doc.title == "海南公安工作总结"
    assert doc.doc_id == "报告"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    claim = next(c for c in extract_document(doc) if c.raw == "1234起")
    assert (claim.value, claim.unit, claim.province) == (1234, "起", "海南省")


def test_docx_merged_cell_is_read_once(tmp_path: Path) -> None:
    import docx

    rows = [["全省合计", ""], ["发案", "56起"]]
    path = write_docx(tmp_path / "merged.docx", ["合并单元格"], rows)

    word = docx.Document(str(path))
    table = word.tables[0]
    table.cell(0, 0).merge(table.cell(0, 1))
    word.save(str(path))
    assert read_document(path).text.split("\n")[1:3] == ["全省合计", "发案\t56起"]


def test_hints_override_the_docx_title(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "a.docx", LINES, title="原标题")
    assert read_document(path, title="新标题").title == "新标题"


def test_pdf_text_layer_page_by_page() -> None:
    doc = read_document_bytes(pdf_bytes(["Page one 2023", "Page (two)"]), "report.pdf")
    assert doc.text == "Page one 2023\nPage (two)"
    assert doc.doc_id == "report"


def test_pdf_with_chinese_text_gives_claims() -> None:
    doc = read_document_bytes(pdf_bytes(LINES, cjk=True), "海南.pdf")
    assert doc.text.split("\n") == LINES
    raws = [c.raw for c in extract_document(doc)]
    assert raws == ["1234起", "12.5%", "56个", "3.2亿元"]


def test_pdf_without_text_layer_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"PDF has no text layer \(scanned\?\)"):
        read_document_bytes(pdf_bytes(["", ""]), "scan.pdf")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\n", "no text in the document"),
        ("binary.txt", bytes(range(256)) * 8, "cannot decode: binary content, not text"),
        (
            "latin.txt",
            b"abc\xff\xffdef",
            "cannot decode: not UTF-8, UTF-16, UTF-32, GB18030/GBK or Big5 text",
        ),
        ("report.exe", b"MZ", "unsupported file type '.exe' (use .txt, .html, .docx or .pdf)"),
        ("fake.pdf", "一份文本".encode(), "not a PDF file (no %PDF header)"),
        ("fake.docx", "一份文本".encode(), "not a readable Word .docx file"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << >>\n", "not a readable PDF"),
    ],
)
def test_bad_input_has_a_clear_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError) as from_bytes:
        read_document_bytes(data, name)
    assert from_bytes.value.reason.startswith(reason)
    assert str(from_bytes.value).startswith(f"{name}: ")
    (tmp_path / name).write_bytes(data)
    with pytest.raises(DocumentError) as from_disk:
        read_document(tmp_path / name)
    assert from_disk.value.reason == from_bytes.value.reason


def test_docx_zip_without_a_document_part(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(DocumentError, match="not a readable Word .docx file"):
        read_document_bytes(buffer.getvalue(), "odd.docx")


def test_size_limit_applies_to_uploads_and_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(documents, "MAX_BYTES", 1000)
    data = REPORT.encode() * 10
    with pytest.raises(DocumentError, match=r"too large \(0\.0 MB, limit 0\.0 MB\)"):
        read_document_bytes(data, "big.txt")
    (tmp_path / "big.txt").write_bytes(data)
    with pytest.raises(DocumentError, match="too large"):
        read_document(tmp_path / "big.txt")


def test_upload_and_file_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "海南.txt"
    path.write_text(REPORT, encoding="gb18030")
    on_disk = read_document(path, province="海南")
    uploaded = read_document_bytes(path.read_bytes(), "C:/fakepath/海南.txt", province="海南")
    assert uploaded == on_disk  # same text, id and content hash: a re-upload is recognised


def test_html_upload_keeps_the_page_title() -> None:
    page = f"<html><head><title>工作总结</title></head><body><p>{LINES[2]}</p></body></html>"
    doc = read_document_bytes(page.encode("utf-8"), "page.html")
    assert (doc.title, doc.text) == ("工作总结", LINES[2])
