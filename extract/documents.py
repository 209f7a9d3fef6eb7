"""Read report files into documents: decoding, HTML to text, YAML front matter."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES
FRONT_MATTER_KEYS = {
    "title", "published", "province", "city", "source", "publisher", "report_year",
    "original_sha256", "url", "doc_id",
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


class DocumentError(ValueError):
    """A file cannot be read as a report; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class Document:
    """A report's text (front matter removed) and what is known about it."""

    doc_id: str
    text: str
    title: str = ""
    published: str = ""
    province: str = ""
    city: str = ""
    source: str = ""
    publisher: str = ""
    report_year: int | None = None
    sha256: str = ""
    hints: dict[str, str] = field(default_factory=dict, compare=False)


def decode(data: bytes, *, html: bool = False) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else the HTML's charset, else GB18030."""
    if _looks_binary(data):
        raise UnicodeError("binary content, not text")
    candidates = ["utf-8-sig"]
    if html and (match := _HTML_CHARSET.search(data[:4096])):
        candidates.append(match.group(1).decode("ascii").lower())
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates.insert(0, "utf-16")
    candidates.append("gb18030")  # a superset of GBK and GB2312
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnicodeError("not UTF-8, UTF-16 or GB18030/GBK text")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return b"\x00" in sample or controls > len(sample) * 0.05


def normalise_newlines(text: str) -> str:
    """One newline convention, so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split optional YAML front matter from the body; unknown keys are an error."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = yaml.safe_load(match.group(1)) or {}
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    unknown = set(meta) - FRONT_MATTER_KEYS
    if unknown:
        raise ValueError(f"unknown front matter keys {sorted(unknown)}")
    return {k: "" if v is None else str(v) for k, v in meta.items()}, text[match.end():]


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, one line per block element."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
              "article", "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "header", "footer"}
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.parts.append(" ")  # keep the cells of a table row apart
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data.strip()
        elif not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """The page's visible text (blank lines collapsed) and its <title>."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    raw_lines = "".join(parser.parts).split("\n")
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in raw_lines]
    text = "\n".join(line for line in lines if line)
    return text, parser.title


def read_document(path: str | Path, **hints: str | None) -> Document:
    """Read one .txt, .html, .docx or .pdf report; keyword hints override front matter."""
    path = Path(path)
    data = _read_bytes(path)
    return _document_from_bytes(data, path, **hints)


def read_document_bytes(data: bytes, filename: str, **hints: str | None) -> Document:
    """Read an uploaded report from its bytes, with the checks and messages of read_document."""
    path = Path(Path(filename or "upload").name)
    _check_type_and_size(path, len(data))
    return _document_from_bytes(data, path, **hints)


def _document_from_bytes(data: bytes, path: Path, **hints: str | None) -> Document:
    suffix = path.suffix.lower()
    sha256 = hashlib.sha256(data).hexdigest()
    if suffix in DOCX_SUFFIXES | PDF_SUFFIXES:
        text, title = docx_text(data, path) if suffix in DOCX_SUFFIXES else pdf_text(data, path)
        hints = {"title": title, **{k: v for k, v in hints.items() if v}}
        return document_from_text(normalise_newlines(text), doc_id=path.stem, path=path,
                                  sha256=sha256, **hints)
    is_html = suffix in HTML_SUFFIXES or data[:512].lstrip().lower().startswith(
        (b"<!doctype html", b"<html")
    )
    try:
        text = normalise_newlines(decode(data, html=is_html))
    except UnicodeError as err:
        raise DocumentError(path, f"cannot decode: {err}") from None
    return document_from_text(text, doc_id=path.stem, is_html=is_html, path=path,
                              sha256=sha256, **hints)


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise DocumentError(path, "no such file")
    if not path.is_file():
        raise DocumentError(path, "not a file")
    _check_type_and_size(path, path.stat().st_size)
    return path.read_bytes()


def _check_type_and_size(path: Path, size: int) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise DocumentError(
            path, f"unsupported file type {path.suffix!r} (use .txt, .html, .docx or .pdf)"
        )
    if size > MAX_BYTES:
        limit = f"limit {MAX_BYTES / 1e6:.0f} MB"
        raise DocumentError(path, f"too large ({size / 1e6:.1f} MB, {limit})")
    if size == 0:
        raise DocumentError(path, "empty file")


def docx_text(data: bytes, path: str | Path) -> tuple[str, str]:
    """A Word file's paragraphs and table rows (cells tab-separated) in order, and its title."""
    from docx import Document as open_docx  # imported here: only Word uploads need it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError) as err:
        # lxml's XMLSyntaxError is a SyntaxError: a damaged part inside the zip.
        raise DocumentError(path, f"not a readable Word .docx file ({err})") from None
    lines = _docx_lines(word.iter_inner_content())
    return "\n".join(lines), (word.core_properties.title or "").strip()


def _docx_lines(blocks: Iterable[Any]) -> list[str]:
    """One line per paragraph and per table row, nested tables flattened into their cell."""
    from docx.table import Table

    lines: list[str] = []
    for block in blocks:
        if not isinstance(block, Table):
            lines.append(block.text)
            continue
        for row in block.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell repeats in every column it spans
                    continue
                seen.add(id(cell._tc))
                cells.append(" ".join(_docx_lines(cell.iter_inner_content())).strip())
            lines.append("\t".join(c for c in cells if c))
    return lines


def pdf_text(data: bytes, path: str | Path) -> tuple[str, str]:
    """The text layer of a PDF, page by page, and its title; scanned pages have none."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise DocumentError(path, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = [] if locked else [page.extract_text() or "" for page in reader.pages]
        title = "" if locked else str((reader.metadata or {}).get("/Title") or "")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        # Damaged files surface as any of these from deep inside pypdf's parser.
        raise DocumentError(path, f"not a readable PDF ({type(err).__name__}: {err})") from None
    if locked:
        raise DocumentError(path, "PDF is password-protected")
    text = "\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise DocumentError(path, "PDF has no text layer (scanned?)")
    return text, title.strip()


def document_from_text(text: str, *, doc_id: str, is_html: bool = False,
                       path: str | Path | None = None, sha256: str = "",
                       **hints: str | None) -> Document:
    """Build a Document from decoded text: front matter, HTML stripping, hints."""
    where = path or doc_id
    try:
        meta, body = split_front_matter(text)
    except (ValueError, yaml.YAMLError) as err:
        raise DocumentError(where, f"bad front matter: {err}") from None
    if is_html:
        body, page_title = html_to_text(body)
        meta.setdefault("title", page_title)
    meta.update({k: str(v) for k, v in hints.items() if v})
    if not body.strip():
        raise DocumentError(where, "no text in the document")
    return Document(
        doc_id=meta.get("doc_id") or doc_id,
        text=body,
        title=meta.get("title", ""),
        published=meta.get("published", ""),
        province=meta.get("province", ""),
        city=meta.get("city", ""),
        source=meta.get("source", "") or meta.get("url", ""),
        publisher=meta.get("publisher", ""),
        report_year=_year_or_none(meta.get("report_year", "")),
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        hints=meta,
    )


def _year_or_none(value: str) -> int | None:
    return int(value) if re.fullmatch(r"\d{4}", value.strip()) else None
