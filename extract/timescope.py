"""The time scope of a claim: clause → sentence → paragraph → section → document (§5).

The nearest time expression governs. A document's title and opening paragraph frame
every claim without a time of its own; a heading, or a figure-less paragraph opening
with a time (`5年来，…`), governs its section; a paragraph opening with a time
(`2023年，…`) governs the paragraph; then the sentence and the claim's own clause.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from extract import lexicon
from extract.claim import SPANS
from extract.refyear import opening_head, opening_paragraph
from extract.sentences import Sentence
from extract.years import (
    Clock,
    Time,
    TimeRef,
    chinese_count,
    is_date,
    milestone_year,
    since,
    time_refs,
)

_State = tuple[int | None, int | None, bool]  # (year, period start, part of a year)
_Times = tuple[Time, ...]  # one time expression, or adjacent ones read together (今年1至9月)

_LEAD = re.compile(
    r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])?"
    r"[\s“”\"「」‘’（(]*(?:在|自|从|截至|截止|于|至)?"
)
_LIST_MARK = re.compile(
    r"\s*(?:([一二三四五六七八九十]+)、|[（(]([一二三四五六七八九十]+)[)）]"
    r"|(\d+)[.、．]|[（(](\d+)[)）])"
)
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?]")
_HEADING_MAX = 30  # a numbered line longer than this before its first 。 is a paragraph
_FIGURE = re.compile(r"\d")
_LEAD_IN_MAX = 6  # 据介绍，此外，与此同时，: a clause this short opens no time of its own
_TIMELESS = re.compile(r"[\d年月季期来來]")  # …unless it is one: 今年，上半年，
# 连续4年保持98%以上: a level held through a streak covers the streak's years.
_YEAR_LIST = re.compile(
    r"(?P<years>(?:19|20)\d{2}\s*年?(?:\s*[、，,和及与]\s*(?:19|20)\d{2}\s*年?)+)[^。；;0-9]{0,30}?分别"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LIST_REACH = 200  # characters before a figure searched for its list of years (keeps time linear)
_NEAR = 60  # characters before a figure searched for 由A降至B and 连续N年保持
_CLAUSE_BREAK = re.compile(r"[。；;]")
_HELD = re.compile(
    r"连续(\d{1,2}|[一二两三四五六七八九十]{1,3})年(?:保持|稳定|维持|均|都)[^，,；;。]{0,8}$"
)
_BASE_KINDS = ("base", "base_of", "base_back", "year_on_year", "bound")
_SINCE_KINDS = ("since", "since_month", "milestone", "event")
# 由32万起降至15万起: the first figure is the level at the period's start, the second at its end.
_FROM_LEVEL = re.compile(r"(?:由|从)[^由从至到，,；;\d]{0,8}$")
_TO_LEVEL = re.compile(r"(?:由|从)[^由从，,；;]*\d[^由从，,；;]*(?:至|到)$")


@dataclass(frozen=True)
class Period:
    """The years a claim describes: its last year, its first year, and the kind of span."""

    year: int | None
    start: int | None
    span: str


@dataclass(frozen=True)
class _Scope:
    """Times that govern the text from `start` to `end`."""

    start: int
    end: int
    times: _Times


class TimeScope:
    """The nested time scopes of one document."""

    def __init__(self, text: str, title: str, clock: Clock) -> None:
        self.text, self.clock = text, clock
        self.document = self._document_times(title)
        self.paragraphs: list[_Scope] = []
        self.sections: list[_Scope] = []
        self._read_paragraphs()
        self._para_starts = [p.start for p in self.paragraphs]
        self._refs_of: tuple[int, list[TimeRef]] = (-1, [])

    def period(
        self,
        sentence: Sentence,
        at: int,
        clause_start: int,
        *,
        change: bool = False,
        streak: tuple[int, str] | None = None,
    ) -> Period:
        """The period of a number at offset `at` of its sentence."""
        state: _State = (self.clock.ref, self.clock.ref, False)
        pos = sentence.start + at
        for times in (self.document, self._section(pos), self._paragraph(pos)):
            for time in times:
                state = _apply(state, time, change)
        own_period = own_since = False
        for t in self._sentence_refs(sentence):
            if t.start >= at or (not t.wide and t.start < clause_start):
                continue
            if (
                t.kind == "base_of"
                and at - t.end <= 2
                and not _FIGURE.search(sentence.text[t.end : at])
            ):
                state = (t.time.base, t.time.base, False)
                continue
            if t.time.one_year and own_period:
                continue  # 三年来…同比: the sentence's own period stands
            state = _apply(state, t.time, change)
            own_period = own_period or (t.time.start is not None and t.time.start < state[0])
            own_since = own_since or (t.kind in _SINCE_KINDS and t.start >= clause_start)
        listed = _listed_year(sentence.text, at)
        if listed is not None:
            state = (listed, listed, False)
        near = max(clause_start, at - _NEAR)  # the words right before the figure
        held = _HELD.search(sentence.text, near, at)
        if held and not streak:
            streak = chinese_count(held.group(1)), "年"
        if streak and streak[0] and not own_since:
            state = self._streak(state, *streak)
        return _period(*_range_ends(state, sentence.text[near:at]))

    def _sentence_refs(self, sentence: Sentence) -> list[TimeRef]:
        if self._refs_of[0] != sentence.start:
            refs = self._resolved(time_refs(sentence.text, self.clock), sentence.start)
            self._refs_of = (sentence.start, refs)
        return self._refs_of[1]

    def _resolved(self, refs: list[TimeRef], offset: int) -> list[TimeRef]:
        """Milestone frames (`…开通以来`) take their year from where the text tells it."""
        out = []
        for r in refs:
            year = milestone_year(self.text, r.word, offset + r.start) if r.word else None
            if year:
                r = TimeRef(r.start, r.end, since(year, None, self.clock), r.kind, r.wide)
            out.append(r)
        return out

    def _streak(self, state: _State, n: int | None, unit: str) -> _State:
        """`连续N年`/`连续N个月` ends in the year (at the month of writing in the current year)."""
        year = state[0]
        if year is None or not n:
            return state
        if unit == "年":
            return year, year - n + 1, False
        last = self.clock.month if year == self.clock.now and self.clock.month else 12
        start = (year * 12 + last - 1 - (n - 1)) // 12
        return year, start, start == year

    def _document_times(self, title: str) -> _Times:
        """A frame or year the title names, else the one the opening paragraph starts with."""
        for text in (title, opening_head(opening_paragraph(self.text, title)[1])):
            refs = self._resolved(time_refs(text, self.clock), 0)
            for i, r in enumerate(refs):
                if (
                    r.wide
                    and r.time.year is not None
                    and r.kind not in _BASE_KINDS
                    and not is_date(text, r)
                ):
                    return _leading(refs[i:])
        return ()

    def _read_paragraphs(self) -> None:
        """Paragraph scopes, and section scopes that run to the next heading of their level."""
        offset, level = 0, 0
        section: tuple[int, int, _Times] | None = None  # (heading level, start, times)
        for line in self.text.split("\n"):
            start, end = offset, offset + len(line)
            offset = end + 1
            body = line.strip()
            heading = _heading_level(body) if body else None
            if heading is not None:
                level = heading
                if section is not None and heading <= section[0]:
                    self._close(section, start)
                    section = None
            opening = self._opening(body, start) if body else None
            if opening is None:
                continue
            times, figure_free = opening
            if heading is not None or figure_free:
                self._close(section, start)
                section = (level, start, times)
            else:
                self.paragraphs.append(_Scope(start, end, times))
        self._close(section, len(self.text))

    def _close(self, section: tuple[int, int, _Times] | None, at: int) -> None:
        if section is not None:
            self.sections.append(_Scope(section[1], at, section[2]))

    def _opening(self, body: str, start: int) -> tuple[_Times, bool] | None:
        """The time a paragraph (or heading) opens with, and whether it has no figures."""
        clause = _opening_clause(body)
        lead = _LEAD.match(clause).end()  # type: ignore[union-attr]
        refs = self._resolved(time_refs(clause, self.clock), start)
        if not refs or refs[0].start > lead or not refs[0].wide:
            return None
        if refs[0].time == Time() or refs[0].kind in _BASE_KINDS:
            return None
        rest = body
        for r in time_refs(body, self.clock):
            rest = rest.replace(body[r.start : r.end], "")
        return _leading(refs), not _FIGURE.search(rest)

    def _paragraph(self, pos: int) -> _Times:
        i = bisect_right(self._para_starts, pos) - 1
        return self.paragraphs[i].times if i >= 0 and pos < self.paragraphs[i].end else ()

    def _section(self, pos: int) -> _Times:
        inside = [s for s in self.sections if s.start <= pos < s.end]
        return inside[-1].times if inside else ()


def _leading(refs: list[TimeRef]) -> _Times:
    """The first expression and those right after it (`今年1至9月`, `2018年上半年`)."""
    times, end = [refs[0].time], refs[0].end
    for r in refs[1:]:
        if r.start - end > 1 or r.kind in _BASE_KINDS:
            break
        times.append(r.time)
        end = r.end
    return tuple(times)


def _opening_clause(body: str) -> str:
    """The first clause of a paragraph, past a short lead-in sentence (`深化户籍制度改革。`)
    or a lead-in clause (`据介绍，`, `与此同时，`)."""
    first, _, rest = body.partition("。")
    if rest and len(first) <= 20 and not _FIGURE.search(first):
        body = rest
    match = _CLAUSE_END.search(body)
    if match and match.start() <= _LEAD_IN_MAX and not _TIMELESS.search(body[: match.start()]):
        rest_match = _CLAUSE_END.search(body, match.end())
        return body[match.end() : rest_match.start() + 1 if rest_match else len(body)]
    return body[: match.start() + 1] if match else body


def _heading_level(body: str) -> int | None:
    """1 for `一、`, 2 for `（一）`, 3 for `1.`, 4 for `(1)`; None for prose and captions."""
    match = _LIST_MARK.match(body)
    if not match or len(re.split(r"[。！？]", body, maxsplit=1)[0]) > _HEADING_MAX:
        return None
    return next(i for i, g in enumerate(match.groups(), start=1) if g)


def _apply(state: _State, t: Time, change: bool) -> _State:
    """The period after an inner expression: it replaces what it names, keeps the rest."""
    year, start, part = state
    if t.year is not None:
        year, start, part = t.year, t.start if t.start is not None else t.year, bool(t.part)
    elif t.part is not None:
        start, part = year, t.part
    if t.one_year:
        start = year
    if t.duration and year is not None and start is not None:
        # 从2020年开始为期三年: the campaign's years; 为期三年 alone: the last three.
        if start < year:
            year = min(year, start + t.duration - 1)
        else:
            start = year - t.duration + 1
    if change and year is not None:
        base = t.base if t.base is not None else (year - t.base_back if t.base_back else None)
        if base is not None and base < year:
            start = base
    return year, start, part


def _listed_year(sentence: str, at: int) -> int | None:
    """`2021年、2022年分别破获1200起、1500起`: the n-th figure after 分别 has the n-th year."""
    if "分别" not in sentence[max(0, at - _LIST_REACH) : at]:
        return None
    for match in _YEAR_LIST.finditer(sentence, max(0, at - _LIST_REACH), at):
        figures = _NUMBER.findall(sentence, match.end(), at)
        years = re.findall(r"(?:19|20)\d{2}", match.group("years"))
        if len(figures) < len(years) and not _CLAUSE_BREAK.search(sentence, match.end(), at):
            return int(years[len(figures)])
    return None


def _range_ends(state: _State, before: str) -> _State:
    """In a period, `由A降至B`: A is the level of the first year, B of the last."""
    year, start, _ = state
    if year is None or start is None or start >= year:
        return state
    if _FROM_LEVEL.search(before):
        return start, start, False
    if _TO_LEVEL.search(before):
        return year, year, False
    return state


def _period(year: int | None, start: int | None, part: bool) -> Period:
    annual, part_year, multi_year = SPANS
    if year is not None and start is not None and start < year:
        return Period(year, start, multi_year)
    return Period(year, year, part_year if part else annual)


@cache
def _streak_words() -> tuple[str, ...]:
    return tuple(lexicon.load("time.yaml")["streak_words"])


def streak_of(sentence: str, at: int, value: float, unit: str) -> tuple[int, str] | None:
    """`连续7年`, `连续35个月`: the length of the streak a number states, or None."""
    if value <= 0 or not sentence[max(0, at - 3) : at].endswith(_streak_words()):
        return None
    if unit == "年":
        return int(value), "年"
    return (int(value), "月") if unit == "月" else None
