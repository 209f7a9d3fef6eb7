"""A fast .xlsx writer: each column's cells are made once per distinct value and the rows
joined and compressed in blocks, so 100,000 claims take about 1.5 s where openpyxl's
write-only mode takes over 30 (bench/bench_downloads.py), and a sheet is never whole in memory.

Sheets have a bold, frozen, filtered header row and column widths fitted to their text;
numbers are written as numbers, text once in a shared-string table.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from board import cells
from board.formatting import display_width

MAX_SHEET_ROWS = 1_048_575  # Excel's row limit less the header
MAX_WIDTH, MIN_WIDTH = 60, 6
# Shared strings are escaped and compressed this many at a time: memory stays flat.
STRING_BATCH = 200_000

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>{sheets}</Types>'
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# XML 1.0 refuses these control characters; they carry no meaning in a report.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SEP = "\ue000"  # a private-use character joining texts that are escaped together
ITEM_OPEN = '<si><t xml:space="preserve">'
_XML_TABLE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"} | {
    c: None for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)
}


def _escape(text: str) -> str:
    """Text fit for XML: markup characters escaped, characters XML 1.0 refuses dropped."""
    return text.translate(_XML_TABLE)


class _Strings:
    """The workbook's shared-string table: each distinct text stored and escaped once."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def cells(self, series: pd.Series) -> _Column:
        """The column as codes into the <c> elements of its distinct texts."""
        codes, texts = cells.text_codes(series)
        index = self.index
        new = [t for t in dict.fromkeys(texts) if t not in index]
        index.update(zip(new, range(len(index), len(index) + len(new)), strict=True))
        ids = np.fromiter(map(index.__getitem__, texts), dtype=np.int64, count=len(texts))
        ids[ids == index.get("", -1)] = -1  # the empty text is stored, never shown
        # Few distinct texts: their cells made once; many: made block by block, as needed.
        few = len(texts) * 4 < len(codes)
        return _Column(codes, ids, _shared_cells(ids) if few else None)

    def xml(self) -> Iterator[str]:
        """sharedStrings.xml, in pieces of STRING_BATCH items."""
        yield (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://'
            f'schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{len(self.index)}">'
        )
        strings = list(self.index)
        for start in range(0, len(strings), STRING_BATCH):
            yield _items(strings[start : start + STRING_BATCH])
        yield "</sst>"


def _items(strings: list[str]) -> str:
    """The <si> items of the strings, escaped in one pass over their joined text."""
    joined = SEP.join(strings)
    if joined.count(SEP) != max(len(strings) - 1, 0):  # a text holds SEP itself: one by one
        return "".join(f"{ITEM_OPEN}{_escape(t)}</t></si>" for t in strings)
    joined = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    joined = ILLEGAL_XML.sub("", joined).replace(SEP, f"</t></si>{ITEM_OPEN}")
    return f"{ITEM_OPEN}{joined}</t></si>" if strings else ""


class _Column(NamedTuple):
    """A text column: per row, a code into its distinct texts, each a shared-string id
    (-1 for an empty cell) and, when made ahead, a <c> element."""

    codes: np.ndarray
    ids: np.ndarray
    shown: np.ndarray | None

    def rows(self, start: int, stop: int) -> list[str]:
        if self.shown is not None:
            return self.shown[self.codes[start:stop]].tolist()
        return _shared_cells(self.ids[self.codes[start:stop]]).tolist()


def _shared_cells(ids: np.ndarray) -> np.ndarray:
    """The <c> element of each shared-string id; <c/> for -1."""
    shown = '<c t="s"><v>' + ids.astype(str).astype(object) + "</v></c>"
    shown[ids < 0] = "<c/>"
    return shown


class _Numbers(NamedTuple):
    """A number column, written block by block: whole numbers without a decimal point
    when every value of the column is whole."""

    values: np.ndarray
    whole: bool

    @classmethod
    def of(cls, series: pd.Series) -> _Numbers:
        if pd.api.types.is_bool_dtype(series):
            series = series.astype("Int64")
        values = pd.to_numeric(series.astype("Float64"), errors="coerce")
        values = values.to_numpy("float64", na_value=np.nan)
        finite = values[np.isfinite(values)]
        return cls(values, bool(np.array_equal(finite, np.round(finite))))

    def rows(self, start: int, stop: int) -> list[str]:
        codes, values = cells.distinct_floats(self.values[start:stop])
        finite = np.isfinite(values)
        text = np.where(finite, values, 0).astype(np.int64) if self.whole else values
        shown = "<c><v>" + text.astype(str).astype(object) + "</v></c>"
        shown[~finite] = "<c/>"
        return shown[codes].tolist()


def _width(header: str, values: pd.Series) -> float:
    sample = [header, *values.head(300).astype(str).tolist()]
    longest = max(display_width(s) for s in sample)
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))


def sheet_xml(df: pd.DataFrame, strings: _Strings) -> Iterator[str]:
    """A worksheet, in pieces of ROW_BATCH rows: bold header frozen and filtered, widths
    fitted, one row per record."""
    df = df.head(MAX_SHEET_ROWS).reset_index(drop=True)
    n_cols = max(len(df.columns), 1)
    head = "".join(
        f'<c s="1" t="inlineStr"><is><t>{_escape(str(c))}</t></is></c>' for c in df.columns
    )
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{_width(str(c), df.iloc[:, i])}" '
        'customWidth="1"/>'
        for i, c in enumerate(df.columns)
    )
    last = f"{column_letter(n_cols - 1)}{len(df) + 1}"
    yield (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        + (f"<cols>{cols}</cols>" if cols else "")
        # Cells carry no `r`: they follow in order, and an empty one is an empty <c/>.
        + f"<sheetData><row>{head}</row>"
    )
    # Text columns take their shared strings column by column over the whole sheet first.
    columns = [
        _Numbers.of(df.iloc[:, i])
        if cells.is_number(df.iloc[:, i])
        else strings.cells(df.iloc[:, i])
        for i in range(len(df.columns))
    ]
    for start, stop in cells.blocks(len(df)):
        block = [column.rows(start, stop) for column in columns]
        yield "<row>" + "</row><row>".join(map("".join, zip(*block, strict=True))) + "</row>"
    yield f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'


def _workbook(names: list[str]) -> tuple[str, str]:
    sheets = "".join(
        f'<sheet name="{_escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {_NS}>'
        f"<sheets>{sheets}</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    n = len(names)
    styles = (
        f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    )
    return workbook, (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="'
        f'http://schemas.openxmlformats.org/package/2006/relationships">{rels}{styles}'
        "</Relationships>"
    )


def workbook_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per entry (sheet name -> rows), in order."""
    names = [_sheet_name(n) for n in sheets] or ["Sheet1"]
    frames = list(sheets.values()) or [pd.DataFrame()]
    workbook, rels = _workbook(names)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        types = "".join(_SHEET_TYPE.format(n=i) for i in range(1, len(names) + 1))
        z.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=types))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/styles.xml", _STYLES)
        strings = _Strings()
        for i, frame in enumerate(frames, 1):
            _write(z, f"xl/worksheets/sheet{i}.xml", sheet_xml(frame, strings))
        _write(z, "xl/sharedStrings.xml", strings.xml())
    return buf.getvalue()


def _write(z: zipfile.ZipFile, name: str, pieces: Iterable[str]) -> None:
    """A zip member written piece by piece, so no sheet is ever whole in memory."""
    with z.open(name, "w", force_zip64=True) as member:
        for piece in pieces:
            member.write(piece.encode())


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", str(name))[:31] or "Sheet"
