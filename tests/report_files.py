"""Test helpers: a Chinese report as text, .docx and hand-made PDFs; a store snapshot."""

from __future__ import annotations

from pathlib import Path

REPORT = """海南省公安厅2023年工作总结
2024年1月15日
2023年,全省公安机关共破获刑事案件1234起,同比上升12.5%。
全省新建智慧安防小区56个,投入资金3.2亿元。
"""

REPORT_PUBLISHED = "2024-01-15"


def pdf_bytes(pages: list[str], *, cjk: bool = False) -> bytes:
    """A minimal valid PDF with one text line per page (no text at all when a page is '')."""
    font = _cjk_font(pages) if cjk else ["<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    first_page = 3 + len(font)
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>",
        *font,
    ]
    for i, text in enumerate(pages):
        stream = _text_stream(text, pages, cjk)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {first_page + 2 * i + 1} 0 R >>"
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    return _assemble(objects)


def _text_stream(text: str, pages: list[str], cjk: bool) -> str:
    if not text:
        return ""
    if cjk:
        alphabet = _alphabet(pages)
        shown = "<" + "".join(f"{alphabet.index(c) + 1:04X}" for c in text) + ">"
    else:
        shown = "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return f"BT /F1 12 Tf 72 720 Td {shown} Tj ET"


def _alphabet(pages: list[str]) -> list[str]:
    return sorted(set("".join(pages)))


def _cjk_font(pages: list[str]) -> list[str]:
    """A Type0 font whose ToUnicode map turns glyph ids back into the characters written."""
    alphabet = _alphabet(pages)
    pairs = "\n".join(f"<{i + 1:04X}> <{ord(c):04X}>" for i, c in enumerate(alphabet))
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(alphabet)} beginbfchar\n{pairs}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return [
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        "/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]


def _assemble(objects: list[str]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{at:010d} 00000 n \n".encode() for at in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_docx(
    path: Path, paragraphs: list[str], table: list[list[str]] | None = None, title: str = ""
) -> Path:
    """A Word file with the paragraphs, then a table of the given rows, then a closing line."""
    import docx

    word = docx.Document()
    word.core_properties.title = title
    for text in paragraphs:
        word.add_paragraph(text)
    if table:
        grid = word.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    word.add_paragraph("(完)")
    word.save(str(path))
    return path


def store_snapshot(url: str | Path) -> dict[str, list[tuple]]:
    """Every row of every table of a store (either backend), to show that a refused change
    wrote nothing."""
    from store.backends import open_database
    from store.schema import TABLES

    db = open_database(url)
    try:
        return {
            t: sorted(db.rows(f"SELECT * FROM {t}"), key=repr) for t in TABLES if db.has_table(t)
        }
    finally:
        db.close()
