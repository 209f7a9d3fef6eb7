"""The reference year of a report: the year it reviews (CLAIMS.md §5).

Front matter `report_year`; else the year the title names (in any form) when not later than
the publication; else the year the opening paragraph reviews; else the publication year,
or the year before it for a January-March report whose figures are 全年/去年.
"""

from __future__ import annotations

import re
from functools import cache

from extract import lexicon
from extract.years import (
    Clock,
    latest_year_named,
    published_date,
    time_refs,
    title_year,
    year_and_month,
)

_PROSE = re.compile(r"[，,。；]")
_OPENING_SENTENCES = re.compile(r"[^。！？!?]*[。！？!?]?")
# Kinds of expression that name the reviewed year, and those that only frame a period.
_POINT_KINDS = ("year", "range", "compare")
_FRAME_KINDS = ("since", "since_month", "span", "plan", "event", "milestone", "this_since")


def opening_paragraph(text: str, title: str = "") -> tuple[int, str]:
    """Offset and text of the first prose paragraph (not the title, dateline or furniture)."""
    offset = 0
    for line in text.split("\n"):
        body = line.strip()
        if len(body) >= 30 and _PROSE.search(body) and body != title.strip():
            return offset + line.index(body), body
        offset += len(line) + 1
    return 0, ""


def opening_head(paragraph: str) -> str:
    """The first two sentences of a paragraph: where a lede states the year it reviews."""
    sentences = [s for s in _OPENING_SENTENCES.findall(paragraph) if s]
    return "".join(sentences[:2])


def clock_for(report_year: int | None, published: str, title: str, text: str) -> Clock:
    """The document's clock: reference year, year of writing, month of publication."""
    pub, month = year_and_month(published or published_date(text))
    if report_year:
        return Clock(report_year, report_year, month if pub == report_year else None)
    if pub is None:
        latest = latest_year_named(f"{title}\n{text}")
        return Clock(latest, latest, None)
    ref = _named_year(title, text, Clock(pub, pub, month)) or _review_year(text, pub, month)
    return Clock(ref, pub, month)


def reference_year(report_year: int | None, published: str, title: str, text: str) -> int | None:
    """The year a report reviews (see the module docstring)."""
    return clock_for(report_year, published, title, text).ref


def _named_year(title: str, text: str, clock: Clock) -> int | None:
    """The reviewed year as the title or the opening paragraph names it, if not later."""
    refs = time_refs(title, clock)
    if any(r.kind in _FRAME_KINDS for r in refs):
        return None
    points = [r.time.year for r in refs if r.kind in _POINT_KINDS and r.time.year]
    year = points[0] if points else title_year(title)
    if year and year <= (clock.now or year):
        return year
    for ref in time_refs(opening_head(opening_paragraph(text, title)[1]), clock):
        if not ref.wide or ref.kind in ("months", "part", "whole", "base", "base_of"):
            continue
        if ref.kind in _POINT_KINDS + ("last",) and ref.time.year <= (clock.now or 0):
            return ref.time.year
        return None
    return None


@cache
def _review_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = lexicon.load("time.yaml")
    same = "|".join(words["same_period"])
    review = "|".join(re.escape(w) for w in words["review_words"])
    current = "|".join(re.escape(w) for w in words["current_words"])
    return re.compile(rf"(?:{review})(?!{same})"), re.compile(current)


def _review_year(text: str, pub: int, month: int | None) -> int:
    """A January-March report whose figures are 全年/去年 reviews the year before."""
    if month is None or month > 3:
        return pub
    review, current = _review_patterns()
    if review.search(text) and not current.search(text):
        return pub - 1
    return pub
