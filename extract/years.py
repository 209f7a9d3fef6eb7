"""Time expressions of a text and the years they name (CLAIMS.md §5, docs/claim-rules.md).

A `Time` says what one expression contributes: a year, the start of a period, whether a
part of a year is meant, or a base year of a change. `extract.timescope` nests them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract import lexicon
from extract.numbers import chinese_numeral

_Y = r"((?:19|20)\d{2})"
_N = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_M = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_DASH = r"\s*(?:至|到|-|—|–|~|～)\s*"
# After these a plain year is an adverbial of the whole sentence, not a modifier of one noun.
_ADVERBIAL_NEXT = re.compile(
    r"\s*(?:[，,、）)]|$|\d|月|底|末|初|全年|上半年|下半年|前|后|期间|内|中|起|以前|[一二三四]季度"
    r"|[，,]?(?:全[省市州区县国]|我[省市州区县]|各级|共|累计|先后|新|已|该|本|[省市]公安))"
)


@dataclass(frozen=True)
class Clock:
    """The years a document's time words resolve against.

    `ref` is the year the report reviews, `now` the year it was written in (今年, 去年),
    `month` the month of publication when known.
    """

    ref: int | None
    now: int | None
    month: int | None = None

    def full_year_review(self) -> bool:
        """Whether the reference year was over when the report was written."""
        if self.ref is None or self.now is None:
            return True
        return self.ref < self.now or self.month is None or self.month >= 10


@dataclass(frozen=True)
class Time:
    """What one time expression says; None leaves a field to the enclosing scope."""

    year: int | None = None
    start: int | None = None
    part: bool | None = None
    base: int | None = None
    base_back: int | None = None
    one_year: bool = False  # 同比, 较上年: a change over one year, whatever frame is around
    duration: int | None = None  # 为期三年: the years a campaign lasts


@dataclass(frozen=True)
class TimeRef:
    """A time expression: where it stands, what it says, how far it reaches."""

    start: int
    end: int
    time: Time
    kind: str
    wide: bool
    word: str = ""  # the milestone of `…开通以来` when the text gives no year


@cache
def _words() -> dict[str, object]:
    return lexicon.load("time.yaml")


def _alt(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str, tuple[re.Pattern[str], ...]], ...]:
    """(pattern, kind, needles) in order of precedence: a longer reading claims its characters
    first. A pattern runs only on a text holding one of its needles (speed: most sentences
    have no 以来 or 月)."""
    w = _words()
    base = _alt(w["base_words"])
    plans = _alt(w["plans"])
    plan_tail = _alt([*w["plan_whole"], *w["plan_since"], *w["plan_end"]])
    specs = [
        (rf"{_Y}\s*年?(?:{_M}月份?)?{_DASH}{_Y}\s*年", "range"),
        (
            rf"{_Y}\s*年(?:度)?(?:同期)?\s*(?:与|和|同){_Y}\s*年(?:同期)?\s*(?:相比|比较|对比|比)",
            "compare",
        ),
        (rf"{_Y}\s*年\s*{_M}\s*月份?(?:\d{{1,2}}\s*日)?\s*(?:以来|起)", "since_month"),
        (rf"{_Y}\s*年(?:初)?\s*(?:以)?来|(?:从|自){_Y}\s*年(?:初)?(?:开始|起)", "since"),
        (rf"为期{_N}\s*年", "duration"),
        (
            rf"(?:{_Y}\s*年(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?)?[^，。；,;：:\n\d]{{0,14}}?"
            rf"({_alt(w['milestones'])})[^，。；,;：:\n\d]{{0,12}}?以来",
            "milestone",
        ),
        (rf"[“\"「]?({plans})[”\"」]?\s*(?:规划)?\s*({plan_tail})", "plan"),
        (rf"({_alt(w['events'])})(?:召开)?以来", "event"),
        (
            rf"(?<![\d连续第]){_N}\s*年多?(?:以)?来|近{_N}\s*年(?:来|间|中)?|过去(?:的)?{_N}\s*年"
            rf"|(?<![\d连续第]){_N}\s*年(?:间|里|共|累计|总计|合计)|这{_N}\s*年",
            "span",
        ),
        (rf"(?:{base})\s*{_N}\s*年前", "base_back"),
        (
            rf"(?:{base})\s*(?:{_alt(w['last_year'])})(?:同期)?|{_alt(w['year_on_year'])}",
            "year_on_year",
        ),
        (rf"(?:{base})\s*{_Y}\s*年(?:同期|底|末)?(?:相比|比较|对比)?(的)?", "base"),
        (rf"(?:{_alt(w['this_year'])})(?:以来)", "this_since"),
        (rf"(?:{_alt(w['last_year'])})(?:以来)", "last_since"),
        (
            rf"(?<!\d)(?:1|一)\s*月?\s*(?:-|—|–|~|～|至|到)\s*{_M}\s*月(?:份|底|末)?"
            rf"|前{_M}个?月|(?<!\d)(?<!\d年){_M}月份?(?:\d{{1,2}}日)?[^，。；;\n\d]{{0,24}}?以来"
            rf"|(?<!\d)(?<!\d年){_M}月(?:\d{{1,2}}日)?\s*(?:至|到|和|、|-|—)\s*{_M}月(?:\d{{1,2}}日|底)?"
            rf"|(?<!\d)(?<!\d年){_M}月份",
            "months",
        ),
        (rf"(?<!\d){_Y}\s*年(?:以|之)?[前后](?![一二三两四五六七八九十\d个季半])", "bound"),
        (rf"(?<!\d){_Y}\s*年(?:度)?", "year"),
        (_alt(w["part_year"]), "part"),
        (_alt(w["whole_year"]), "whole"),
        (rf"(?:{_alt(w['last_year'])})(?!{_alt(w['same_period'])})", "last"),
        (rf"(?:{_alt(w['before_last_year'])})(?!{_alt(w['same_period'])})", "before_last"),
        (rf"(?:{_alt(w['this_year'])})(?!{_alt(w['same_period'])})", "this"),
    ]
    # Each pattern runs only on a text holding, for every group, one of its words.
    dashes = ("至", "到", "-", "—", "–", "~", "～")
    needles: dict[str, tuple[tuple[str, ...], ...]] = {
        "range": (("年",), dashes),
        "compare": (("年",), ("与", "和", "同")),
        "since": (("年",), ("来", "起", "开始")),
        "span": (("年",), ("来", "近", "过去", "间", "里", "共", "累计", "总计", "合计", "这")),
        "base": (("年",), tuple(w["base_words"])),  # type: ignore[arg-type]
        "bound": (("年",), ("前", "后")),
        "year": (("年",),),
        "milestone": (("以来",), tuple(w["milestones"])),  # type: ignore[arg-type]
        "event": (("以来",),),
        "this_since": (("以来",),),
        "last_since": (("以来",),),
        "since_month": (("月",), ("以来", "起")),
        "months": (("月",),),
        "duration": (("为期",),),
        "base_back": (("年前",),),
        "plan": (tuple(w["plans"]),),  # type: ignore[arg-type]
        "year_on_year": ((*w["last_year"], *w["year_on_year"]),),  # type: ignore[misc]
    }
    return tuple(
        (re.compile(p), kind, tuple(re.compile(_alt(g)) for g in needles.get(kind, ())))
        for p, kind in specs
    )


@cache
def _verbs() -> tuple[str, ...]:
    """Verbs of two characters or more: a year right before one is an adverbial (2022年建设…)."""
    return tuple(v for v in lexicon.load("verbs.yaml")["verbs"] if len(v) >= 2)


def _adverbial(text: str, end: int) -> bool:
    return bool(_ADVERBIAL_NEXT.match(text, end)) or text.startswith(_verbs(), end)


def chinese_count(word: str) -> int | None:
    """A small count in Arabic digits or Chinese numerals (5, 五, 十二)."""
    return int(word) if word.isdigit() else chinese_numeral(word)


_count = chinese_count


@cache
def _simplified() -> dict[int, str]:
    return str.maketrans(_words()["traditional"])  # type: ignore[arg-type]


def time_refs(text: str, clock: Clock) -> list[TimeRef]:
    """Every time expression of a text, resolved against the clock, in text order."""
    text = text.translate(_simplified())  # one character for one: offsets stay
    found: list[TimeRef] = []
    taken = bytearray(len(text))
    for pattern, kind, needles in _patterns():
        if not all(needle.search(text) for needle in needles):
            continue
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            time = _resolve(m, kind, clock)
            if time is None:
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            wide = kind not in ("year", "year_on_year") or _adverbial(text, m.end())
            if kind == "base" and m.group(2):
                kind = "base_of"  # 比2012年的5453起: the figure of the base year itself
            word = m.group(2) if kind == "milestone" and not m.group(1) else ""
            found.append(TimeRef(m.start(), m.end(), time, kind, wide, word))
    return sorted(found, key=lambda t: t.start)


def _resolve(m: re.Match[str], kind: str, clock: Clock) -> Time | None:
    groups = [g for g in m.groups() if g]
    if kind == "range":
        first, last = int(m.group(1)), int(m.group(3))
        return Time(last, first, False) if first < last else None
    if kind == "compare":
        return Time(int(m.group(1)), base=int(m.group(2)))
    if kind in ("since", "since_month"):
        month = _count(m.group(2)) if kind == "since_month" else None
        return since(int(groups[0]), month, clock)
    if kind == "milestone":  # without a year: the text may tell it elsewhere (timescope)
        return since(int(m.group(1)), None, clock) if m.group(1) else Time(part=True)
    if kind == "duration":
        return Time(duration=_count(groups[0]))
    if kind == "bound":  # 2015年后: a boundary in time, not the year of a figure
        return Time()
    if kind == "plan":
        return _plan(m.group(1), m.group(2), clock)
    if kind == "event":
        return since(int(_words()["events"][m.group(1)]), None, clock)  # type: ignore[index]
    if kind == "span":
        return _span(_count(groups[0]), clock)
    if kind == "base_back":
        return Time(base_back=_count(groups[0]))
    if kind == "base":
        return Time(base=int(m.group(1)))
    if kind == "year_on_year":  # 较上年, 比去年同期: an annual change, no year of its own
        return Time(one_year=True)
    if kind == "this_since":
        return Time(clock.now, part=True)
    if kind == "last_since":  # 去年以来: from last year to the reference year
        return since(clock.now - 1, None, clock) if clock.now else None
    if kind == "months":
        last = _count(groups[-1]) if groups else None
        return Time(part=last != 12)
    if kind == "year":
        return Time(int(m.group(1)), part=False)
    if kind in ("part", "whole"):
        return Time(part=kind == "part")
    shift = {"last": 1, "before_last": 2, "this": 0}[kind]
    return Time(clock.now - shift, part=False) if clock.now else None


def since(year: int, month: int | None, clock: Clock) -> Time:
    """From `year` (and month) to the reference year; part of a year when both are one year."""
    end = max(year, clock.ref or year)
    if year < end:
        return Time(end, year, False)
    same_year_so_far = (month or 1) > 1 or clock.now == end
    return Time(end, year, same_year_so_far)


def _plan(name: str, tail: str, clock: Clock) -> Time:
    first, last = _words()["plans"][name]  # type: ignore[index]
    if tail in _words()["plan_whole"]:  # type: ignore[operator]
        return Time(last, first, False)
    if tail in _words()["plan_end"]:  # type: ignore[operator]
        return Time(last, part=False)
    return since(first, None, clock)


def _span(n: int | None, clock: Clock) -> Time | None:
    """`N年来`: N years back to the reference year; a full-year review counts N whole years."""
    if not n or clock.ref is None:
        return None
    back = n - 1 if clock.full_year_review() else n
    return Time(clock.ref, clock.ref - back, False) if back > 0 else Time(clock.ref, part=False)


_DATE_AFTER = re.compile(r"\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]")


def is_date(text: str, ref: TimeRef) -> bool:
    """Whether a year is part of a full date (2017年11月9日): an event's day, not a period."""
    return ref.kind == "year" and bool(_DATE_AFTER.match(text, ref.end))


def milestone_year(text: str, word: str, before: int) -> int | None:
    """The year the text says a thing started (`2019年12月开通`), nearest before `before`."""
    pattern = re.compile(rf"{_Y}\s*年[^。；;\n]{{0,20}}?{re.escape(word)}")
    years = [int(m.group(1)) for m in pattern.finditer(text) if m.start() < before]
    return years[-1] if years else None


_TITLE_YEAR = re.compile(r"(?<![\d\-－—/.])((?:19|20)\d{2})(?![\d\-－—/.])(?!\s*年\s*\d{1,2}\s*月)")
_PUBLISHED_NEAR = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]?\s*((?:19|20)\d{2})\s*[-年./]\s*"
    r"(\d{1,2})\s*[-月./]\s*(\d{1,2})"
)
_ANY_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_DMY_DATE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?!\d)")


def title_year(title: str) -> int | None:
    """The first year a title names in any form (`2019年"成绩单"`, `报告2022"平安答卷"`)."""
    match = _TITLE_YEAR.search(title)
    return int(match.group(1)) if match else None


def published_date(text: str) -> str:
    """An ISO date near the top of a page (a dateline), or ''."""
    head = text[:800]
    match = _PUBLISHED_NEAR.search(head) or _ANY_DATE.search(head)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY_DATE.search(head):
        day, month, year = (int(g) for g in match.groups())
    else:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def year_and_month(published: str) -> tuple[int | None, int | None]:
    """Year and month of a publication date (`2024-05-29`, `2024年5月`, `2022`)."""
    match = re.search(r"((?:19|20)\d{2})(?:\s*[-年./]\s*(\d{1,2}))?", published or "")
    if not match:
        return None, None
    month = int(match.group(2)) if match.group(2) else None
    return int(match.group(1)), month if month and 1 <= month <= 12 else None


def latest_year_named(text: str) -> int | None:
    """Without any date, a report speaks of the latest year it names (2023年…)."""
    named = [int(y) for y in re.findall(r"(?<!\d)((?:19[5-9]|20[0-4])\d)\s*年", text)]
    return max(named) if named else None
