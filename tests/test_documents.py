"""Reading report files: encodings, HTML, front matter, and clear errors on bad input."""

from __future__ import annotations

import pytest

from extract.documents import MAX_BYTES, DocumentError, read_document

TEXT = "我省公安机关共办理出入境证件11.5万人次。"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", TEXT.encode("utf-8")),
        ("bom.txt", TEXT.encode("utf-8-sig")),
        ("gbk.txt", TEXT.encode("gbk")),
        ("gb18030.txt", TEXT.encode("gb18030")),
        ("utf16.txt", TEXT.encode("utf-16")),
        ("crlf.txt", (TEXT + "\r\n第二行。").encode("utf-8")),
    ],
)
def test_encodings_decode_to_the_same_text(tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text.startswith(TEXT) and "\r" not in doc.text


def test_html_gbk_page_with_title(tmp_path) -> None:
    page = (
        '<html><head><meta charset="gbk"><title>吉林公安通报</title>'
        "<script>var x = 1;</script></head><body><p>" + TEXT + "</p><p>第二段。</p></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gbk"))
    doc = read_document(path)
    assert doc.title == "吉林公安通报"
    assert doc.text == TEXT + "\n第二段。"


def test_front_matter_gives_metadata_and_hints_override(tmp_path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        "---\ntitle: 报告\nprovince: 四川省\npublished: 2024-05-29\n---\n" + TEXT, encoding="utf-8"
    )
    doc = read_document(path, province="吉林省")
    assert (doc.title, doc.published, doc.province, doc.text) == (
        "报告",
        "2024-05-29",
        "吉林省",
        TEXT,
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "no text"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        ("broken.txt", b"\xff\xfe\xfd" * 10 + b"\x81", "cannot decode"),
        ("image.png", b"\x89PNG", "unsupported file type"),
        ("bad_front.txt", "---\ncolour: red\n---\n正文".encode(), "front matter"),
    ],
)
def test_bad_input_names_the_file_and_reason(tmp_path, name, data, reason) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=reason) as err:
        read_document(path)
    assert name in str(err.value)


def test_missing_and_oversized_files(tmp_path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "absent.txt")
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(DocumentError, match="too large"):
        read_document(big)


def test_html_table_cells_stay_apart(tmp_path) -> None:
    path = tmp_path / "table.html"
    path.write_text(
        "<html><body><table><tr><td>破获案件</td><td>120起</td></tr></table></body></html>",
        encoding="utf-8",
    )
    assert read_document(path).text == "破获案件 120起"
