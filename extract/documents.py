"""Read report files into documents: decoding, HTML to text, YAML front matter.

Every step is bounded (extract/limits.py): a hostile file gets a clear DocumentError,
never unbounded time or memory.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract import frontmatter
from extract.decoding import decode
from extract.frontmatter import split_front_matter
from extract.limits import (
    MAX_BYTES,
    MAX_FIELD_CHARS,
    MAX_HTML_ELEMENTS,
    MAX_PACK_RATIO,
    MAX_PDF_PAGES,
    MAX_TEXT_CHARS,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    MB,
    megabytes,
)
from extract.metadata import MetadataError, check_metadata

TITLE_CHARS = MAX_FIELD_CHARS["title"]

__all__ = [  # decode and split_front_matter live in their own modules, re-exported here
    "MAX_BYTES",
    "SUFFIXES",
    "Document",
    "DocumentError",
    "decode",
    "document_from_text",
    "normalise_newlines",
    "one_line",
    "read_document",
    "read_document_bytes",
    "split_front_matter",
]
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text with control characters escaped (a newline in a file name stays on one line)."""
    return _CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)


class DocumentError(ValueError):
    """A file cannot be read as a report; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(one_line(f"{path}: {reason}"))
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


_STRAY_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _without_controls(text: str) -> str:
    """A file's text without the few stray control characters decoding lets through."""
    return _STRAY_CONTROLS.sub("", text)


def normalise_newlines(text: str) -> str:
    """One newline convention, so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _TextTarget:
    """lxml parser target: visible text, one line per block element, and the <title>.

    A target builds no tree, and libxml2 parses in linear time (the standard library's
    HTMLParser is quadratic on `<a<a<a…`); start tags are counted and capped.
    """

    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "table",
        "ul",
        "ol",
        "dd",
        "dt",
        "blockquote",
        "pre",
        "header",
        "footer",
    }
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.title: list[str] = []
        self.elements = 0
        self._skip = 0
        self._in_title = False

    def start(self, tag: str, attrib: object) -> None:
        self.elements += 1
        if self.elements > MAX_HTML_ELEMENTS:
            raise _TooManyElements
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def end(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.parts.append(" ")  # keep the cells of a table row apart
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data.strip())
        elif not self._skip:
            self.parts.append(data)

    def close(self) -> None:
        return None


class _TooManyElements(Exception):
    """Raised inside the parser to stop it at MAX_HTML_ELEMENTS."""


def html_to_text(html: str) -> tuple[str, str]:
    """The page's visible text (blank lines collapsed) and its <title>."""
    from lxml import etree  # imported here: only HTML pages need it

    target = _TextTarget()
    parser = etree.HTMLParser(
        target=target, no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
    )
    try:
        parser.feed(html)
        parser.close()
    except _TooManyElements:
        raise ValueError(f"more than {MAX_HTML_ELEMENTS:,} HTML elements") from None
    except etree.LxmlError:
        pass  # libxml2 gives up on hopeless markup: keep the text read so far
    raw_lines = "".join(target.parts).split("\n")
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in raw_lines]
    text = "\n".join(line for line in lines if line)
    return text, "".join(target.title)


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
        hints = {"title": _title_hint(title), **{k: v for k, v in hints.items() if v}}
        return document_from_text(
            normalise_newlines(text), doc_id=path.stem, path=path, sha256=sha256, **hints
        )
    is_html = suffix in HTML_SUFFIXES or data[:512].lstrip().lower().startswith(
        (b"<!doctype html", b"<html")
    )
    try:
        text = _without_controls(normalise_newlines(decode(data, html=is_html)))
    except UnicodeError as err:
        raise DocumentError(path, f"cannot decode: {err}") from None
    return document_from_text(
        text, doc_id=path.stem, is_html=is_html, path=path, sha256=sha256, **hints
    )


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise DocumentError(path, "no such file")
    if not path.is_file():
        raise DocumentError(path, "not a file")
    try:
        _check_type_and_size(path, path.stat().st_size)
        with path.open("rb") as handle:  # at most one byte past the limit, whatever stat said
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise DocumentError(path, f"cannot read ({err.strerror or err})") from None
    _check_type_and_size(path, len(data))
    return data


def _check_type_and_size(path: Path, size: int) -> None:
    if path.suffix.lower() not in SUFFIXES:
        raise DocumentError(
            path, f"unsupported file type {path.suffix!r} (use .txt, .html, .docx or .pdf)"
        )
    if size > MAX_BYTES:
        raise DocumentError(path, f"too large ({size / MB:.1f} MB, limit {megabytes(MAX_BYTES)})")
    if size == 0:
        raise DocumentError(path, "empty file")


def docx_text(data: bytes, path: str | Path) -> tuple[str, str]:
    """A Word file's paragraphs and table rows (cells tab-separated) in order, and its title."""
    from docx import Document as open_docx  # imported here: only Word uploads need it
    from docx.opc.exceptions import PackageNotFoundError

    _check_zip(data, path)
    try:
        word = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError) as err:
        # lxml's XMLSyntaxError is a SyntaxError: a damaged part inside the zip.
        raise DocumentError(path, f"not a readable Word .docx file ({err})") from None
    text = "\n".join(_docx_lines(word.iter_inner_content()))
    _check_text_size(text, path)
    return text, (word.core_properties.title or "").strip()


def _check_zip(data: bytes, path: str | Path) -> None:
    """Refuse a zip bomb from its directory, before anything is inflated."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as err:
        raise DocumentError(path, f"not a readable Word .docx file ({err})") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise DocumentError(
            path, f"not a Word file: {len(members):,} parts in the zip (limit {MAX_ZIP_MEMBERS:,})"
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(
            path,
            f"too large unpacked ({unpacked / MB:,.0f} MB, limit {megabytes(MAX_UNPACKED_BYTES)})",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > MAX_PACK_RATIO:
            raise DocumentError(
                path,
                f"zip bomb: {member.filename} unpacks {ratio:,.0f} times "
                f"its size (limit {MAX_PACK_RATIO})",
            )


def _title_hint(title: str) -> str:
    """A title the file itself carries: cut to length and onto one line, not refused."""
    return _CONTROLS.sub(" ", title).strip()[:TITLE_CHARS]


def _check_text_size(text: str, path: str | Path) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise DocumentError(
            path, f"too much text ({len(text):,} characters, limit {MAX_TEXT_CHARS:,})"
        )


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
        pages = [] if locked else _pdf_pages(reader, path)
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


def _pdf_pages(reader: Any, path: str | Path) -> list[str]:
    """Each page's text, refusing more pages or characters than the limits allow."""
    count = len(reader.pages)
    if count > MAX_PDF_PAGES:
        raise DocumentError(path, f"too many pages ({count:,}, limit {MAX_PDF_PAGES:,})")
    pages, total = [], 0
    for page in reader.pages:
        pages.append(page.extract_text() or "")
        total += len(pages[-1])
        if total > MAX_TEXT_CHARS:
            raise DocumentError(path, f"too much text (over {MAX_TEXT_CHARS:,} characters)")
    return pages


def document_from_text(
    text: str,
    *,
    doc_id: str,
    is_html: bool = False,
    path: str | Path | None = None,
    sha256: str = "",
    **hints: str | None,
) -> Document:
    """Build a Document from decoded text: front matter, HTML stripping, hints."""
    where = path or doc_id
    _check_text_size(text, where)
    try:
        meta, body = split_front_matter(text)
    except frontmatter.FrontMatterError as err:
        raise DocumentError(where, f"bad front matter: {err}") from None
    if is_html:
        try:
            body, page_title = html_to_text(body)
        except ValueError as err:
            raise DocumentError(where, f"HTML refused: {err}") from None
        meta.setdefault("title", _title_hint(page_title))
    meta.update({k: str(v) for k, v in hints.items() if v})
    try:
        check_metadata(meta)
    except MetadataError as err:
        raise DocumentError(where, f"bad metadata: {err}") from None
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
