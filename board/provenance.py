"""Where a figure came from: the sentence, highlighted, in the text of its report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from board.safe_text import inert, inert_lines

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
SAFE_DOC_ID = re.compile(r"\A[\w.-]+\Z")


@dataclass(frozen=True)
class Excerpt:
    """Text around a claim's number: before, the number, after."""

    before: str
    raw: str
    after: str


def document_body(text: str) -> str:
    """A seed file's text as the offsets index it: BOM and front matter dropped, LF newlines."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return FRONT_MATTER.sub("", text, count=1)


def document_text(doc_id: str, seeds_dir: Path) -> str | None:
    """The text of seeds/<doc_id>.txt after its front matter; None when there is none."""
    if not SAFE_DOC_ID.match(doc_id or ""):
        return None
    try:
        return document_body((Path(seeds_dir) / f"{doc_id}.txt").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _clip_start(text: str, start: int, width: int) -> int:
    lo = max(0, start - width)
    # Begin at a paragraph break when there is one in reach, so context reads whole.
    cut = text.rfind("\n", lo, start)
    return cut + 1 if cut >= 0 else lo


def _clip_end(text: str, end: int, width: int) -> int:
    hi = min(len(text), end + width)
    cut = text.find("\n", end, hi)
    return cut if cut >= 0 else hi


def excerpt(
    text: str | None, start: int | None, end: int | None, raw: str, width: int = 160
) -> Excerpt | None:
    """Up to `width` characters either side of raw in the text; None when offsets do not match."""
    if text is None or start is None or end is None or text[start:end] != raw or not raw:
        return None
    lo, hi = _clip_start(text, start, width), _clip_end(text, end, width)
    return Excerpt(text[lo:start], raw, text[end:hi])


def sentence_excerpt(sentence: str, raw: str) -> Excerpt:
    """The sentence split around the first occurrence of raw (whole sentence when absent)."""
    at = sentence.find(raw) if raw else -1
    if at < 0:
        return Excerpt(sentence, "", "")
    return Excerpt(sentence[:at], raw, sentence[at + len(raw) :])


def claim_excerpt(row: dict, text: str | None) -> tuple[Excerpt, bool]:
    """The report context of a claim if its text is at hand, else its sentence; flag: in report."""
    found = excerpt(text, row.get("start"), row.get("end"), str(row.get("raw") or ""))
    if found:
        return found, True
    return sentence_excerpt(str(row.get("sentence") or ""), str(row.get("raw") or "")), False


def highlight_html(part: Excerpt) -> str:
    """HTML of an excerpt with the number in <mark>; the report's text inert (no markup or
    markdown of it renders), paragraphs as <br>."""
    before, after = (inert_lines(s) for s in (part.before, part.after))
    mark = f"<mark>{inert(part.raw)}</mark>" if part.raw else ""
    return before + mark + after
