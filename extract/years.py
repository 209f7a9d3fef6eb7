"""The year a figure describes and the start of its period (CLAIMS.md §2, GUIDE.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.numbers import chinese_numeral

_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:度)?[^，。]{0,40}(?:报告|总结|情况)")
_PUBLISHED_NEAR = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年./]\s*\d{1,2}"
)
_ANY_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}"
    r"|(?<!\d)\d{1,2}\.\d{1,2}\.((?:19|20)\d{2})(?!\d)"
)
_N = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
# (pattern, what it sets); each sets `year`, `start` or both, relative to the reference year.
_EXPRESSIONS = [
    (re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:至|到|-|—|~)\s*((?:19|20)\d{2})\s*年"), "range"),
    (re.compile(r"((?:19|20)\d{2})\s*年\s*(?:以来|来)"), "since"),
    (re.compile(rf"{_N}\s*年(?:以)?来|近{_N}\s*年|为期{_N}\s*年"), "span"),
    (re.compile(r"(?:相比|较|比)((?:19|20)\d{2})\s*年(?:同期)?"), "base"),
    (re.compile(r"((?:19|20)\d{2})\s*年(?:度)?"), "year"),
    (re.compile(r"去年(?!同期)|上年(?!同期)"), "last"),
    (re.compile(r"前年"), "before_last"),
    (re.compile(r"今年|本年|当年"), "this"),
]
# After these a year is an adverbial of the whole sentence, not a modifier of one noun.
_ADVERBIAL_NEXT = re.compile(
    r"\s*(?:[，,、]|$|\d|月|底|末|全年|上半年|下半年|以来|来|至|到|前|后|期间|内|中|起|以前)"
)


@dataclass(frozen=True)
class TimeRef:
    """A time expression of a sentence: where it stands and what it says."""

    start: int
    end: int
    year: int | None
    period_start: int | None
    sentence_wide: bool


def reference_year(report_year: int | None, published: str, title: str, text: str) -> int | None:
    """The year that 今年 means: report_year, a 关于YYYY年…报告 title, the published year."""
    if report_year:
        return report_year
    pub = _year_of(published) or _published_in_text(text)
    match = _TITLE_YEAR.search(title)
    if match and (pub is None or int(match.group(1)) <= pub):
        return int(match.group(1))
    return pub or _latest_year_named(text)


def _latest_year_named(text: str) -> int | None:
    """Without any date, a report speaks of the latest year it names (2023年…)."""
    named = [int(y) for y in re.findall(r"(?<!\d)((?:19[5-9]|20[0-4])\d)\s*年", text)]
    return max(named) if named else None


def _year_of(value: str) -> int | None:
    match = re.search(r"(?:19|20)\d{2}", value or "")
    return int(match.group()) if match else None


def _published_in_text(text: str) -> int | None:
    head = text[:800]
    if match := _PUBLISHED_NEAR.search(head):
        return int(match.group(1))
    if match := _ANY_DATE.search(head):
        return int(match.group(1) or match.group(2))
    return None


def published_date(text: str) -> str:
    """An ISO date near the top of a page (a dateline), or ''."""
    head = text[:800]
    match = re.search(r"(?:发布时间|发布日期|日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年./]\s*"
                      r"(\d{1,2})\s*[-月./]\s*(\d{1,2})", head) or re.search(
        r"(?<!\d)((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})", head)
    if not match:
        return ""
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else chinese_numeral(word)


def time_refs(sentence: str, ref: int | None) -> list[TimeRef]:
    """Every time expression of a sentence, resolved against the reference year."""
    found: list[TimeRef] = []
    taken = bytearray(len(sentence))
    for pattern, what in _EXPRESSIONS:
        for m in pattern.finditer(sentence):
            if any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            year, start = _resolve(m, what, ref)
            wide = what != "year" or bool(_ADVERBIAL_NEXT.match(sentence, m.end()))
            found.append(TimeRef(m.start(), m.end(), year, start, wide))
    return sorted(found, key=lambda t: t.start)


def _resolve(m: re.Match[str], what: str, ref: int | None) -> tuple[int | None, int | None]:
    if what == "range":
        return int(m.group(2)), int(m.group(1))
    if what == "since":
        return ref, int(m.group(1))
    if what == "span":
        n = _count(next(g for g in m.groups() if g))
        return ref, (ref - n + 1 if ref and n else None)
    if what == "year":
        return int(m.group(1)), None
    if what == "base":  # 比2021年下降: the year compared with, not the year described
        return None, None
    shift = {"last": 1, "before_last": 2, "this": 0}[what]
    return (ref - shift if ref else None), None


_PARAGRAPH_OPENING = re.compile(
    r"\s*(?:(?:19|20)\d{2}\s*年(?:度)?|去年|今年)(?:全年|以来)?\s*[，,]"
)


def paragraph_year(paragraph_opening: str, ref: int | None) -> int | None:
    """The year a paragraph opens with (`2023年，…`), which its later sentences describe."""
    match = _PARAGRAPH_OPENING.match(paragraph_opening)
    if not match or "以来" in match.group():
        return None
    refs = time_refs(match.group(), ref)
    return refs[0].year if refs else None


def year_of_claim(sentence: str, at: int, ref: int | None, clause_start: int,
                  default: int | None = None) -> tuple[int | None, int | None]:
    """Year and period start of a number at offset `at` of its sentence.

    `default` (a year the paragraph opens with) stands in for `ref` when the sentence
    names no time; 今年 and 去年 still resolve against `ref`.
    """
    year, start = default or ref, None
    for t in time_refs(sentence, ref):
        if t.start >= at or (not t.sentence_wide and t.start < clause_start):
            continue
        if t.year is not None:
            year = t.year
        if t.period_start is not None:
            start = t.period_start
    return year, start if start is not None else year
