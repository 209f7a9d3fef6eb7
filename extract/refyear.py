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
    is_date,
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
_SKIP_KINDS = ("months", "part", "whole", "base", "base_of", "base_back", "year_on_year", "bound")
_REVIEW_VERB = re.compile(r"(?:总结|回顾|盘点)[^，。]{0,4}$")
# A sentence or clause that opens with a year: `。2022年，…`, `\n2022年，…`.
_SENTENCE_YEAR = re.compile(r"(?:^|[。；\n])\s*((?:19|20)\d{2})\s*年\s*[，,]", re.M)


def opening_paragraph(text: str, title: str = "") -> tuple[int, str]:
    """Offset and text of the first prose paragraph (not the title, dateline or furniture)."""
    offset = 0
    for line in text.split("\n"):
        body = line.strip()
        if len(body) >= 30 and _PROSE.search(body) and body != title.strip():
            return offset + line.index(body), body
        offset += len(line) + 1
    return 0, ""


def opening_head(paragraph: str, sentences: int = 2) -> str:
    """The first sentences of a paragraph: where a lede states the year it reviews."""
    found = [s for s in _OPENING_SENTENCES.findall(paragraph) if s]
    return "".join(found[:sentences])


def clock_for(report_year: int | None, published: str, title: str, text: str) -> Clock:
    """The document's clock: reference year, year of writing, month of publication."""
    pub, month = year_and_month(published or published_date(text))
    if report_year:
        return Clock(report_year, report_year, month if pub == report_year else None)
    if pub is None:
        latest = latest_year_named(f"{title}\n{text}")
        return Clock(latest, latest, None)
    clock = Clock(pub, pub, month)
    ref = _title_year(title, clock)
    head = opening_head(opening_paragraph(text, title)[1])
    # Under a frame in the title (5年来…) only the opening's first sentence may name the year.
    titled_frame = any(r.kind in _FRAME_KINDS for r in time_refs(title, clock))
    opening = _opening_year(opening_head(head, 1) if titled_frame else head, clock)
    if ref == pub and month is not None and month <= 3 and opening == pub - 1:
        ref = opening  # 2026年…“向人民报告” in January, opening on 2025年: the event's year
    framed = any(r.kind in _FRAME_KINDS for r in time_refs(f"{title}\n{head}", clock))
    dominant = None if framed else _dominant_year(text, clock)
    ref = ref or opening or dominant or _review_year(text, pub, month)
    return Clock(ref, pub, month)


def reference_year(report_year: int | None, published: str, title: str, text: str) -> int | None:
    """The year a report reviews (see the module docstring)."""
    return clock_for(report_year, published, title, text).ref


def _title_year(title: str, clock: Clock) -> int | None:
    """The year a title names in any form, when not later than the publication."""
    refs = time_refs(title, clock)
    if any(r.kind in _FRAME_KINDS for r in refs):
        return None
    points = [r.time.year for r in refs if r.kind in _POINT_KINDS and r.time.year]
    year = points[0] if points else title_year(title)
    return year if year and year <= (clock.now or year) else None


def _opening_year(head: str, clock: Clock) -> int | None:
    """The year the opening reviews: its first adverbial year (`2016年，`, `去年`, `总结2018年`).

    An opening that also speaks of 今年 is about the current year; a date (`2017年11月9日`)
    is an event's day; a year more than one before the publication is history.
    """
    refs = time_refs(head, clock)
    if any(r.kind in ("this", "this_since") for r in refs):
        return None
    for ref in refs:
        reviewed = _REVIEW_VERB.search(head, 0, ref.start) is not None
        if ref.kind in _SKIP_KINDS or is_date(head, ref) or not (ref.wide or reviewed):
            continue
        if ref.kind not in _POINT_KINDS + ("last",):
            return None
        year = ref.time.year
        now = clock.now or year or 0
        return year if year is not None and now - 1 <= year <= now else None
    return None


def _dominant_year(text: str, clock: Clock) -> int | None:
    """The year before publication, when sentences keep opening with it and never say 今年."""
    if clock.now is None or "今年" in text:
        return None
    openings = _SENTENCE_YEAR.findall(text)
    last = str(clock.now - 1)
    return clock.now - 1 if openings.count(last) >= 2 and str(clock.now) not in openings else None


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
