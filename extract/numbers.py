"""The number grammar: digits, magnitude, measure word and qualifiers as one mention."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from extract import lexicon
from extract.masking import find_masked, fold, hotlines, mask_array, name_suffixes

_DIGITS = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?")
_BLANKS = " \u3000\xa0"  # page layout puts a blank between a figure and its measure word
_CN_NUMERAL = "零〇一二两三四五六七八九十百"
_PERCENT_WORDS = re.compile(rf"百分之([\d.]+|[{_CN_NUMERAL}]+)")
_RANK = re.compile(
    rf"(?:(?:排名|排位|位居|位列|名列|居于|居|列)(?:[^，,。；;！？、\n\d]|\d{{4}}年){{0,12}}?"
    rf"(第([\d]+|[{_CN_NUMERAL}]+))(?!\s*(?:场|次|届|批|期|轮|关口|道|条|款|章|节|季度|部分|阶段|步|个|家|号))"
    rf"|(第([\d]+|[{_CN_NUMERAL}]+)名)"
    rf"|(?:排名|位居|位列|名列|居于|居)[^，,。；;！？、\n\d]{{0,12}}?((首)位))"
)


@dataclass(frozen=True)
class Mention:
    """A number as written in the text, parsed but not yet interpreted in context."""

    start: int
    end: int
    raw: str
    value: float
    unit: str
    kind: str
    approx: str
    number_start: int  # where the digits begin (the qualifier may come before)


@cache
def _units() -> tuple[tuple[str, dict[str, object]], ...]:
    table = lexicon.load("units.yaml")["units"]
    return tuple(sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True))


@cache
def _not_before() -> dict[str, tuple[str, ...]]:
    return {word: tuple(chars) for word, chars in lexicon.load("units.yaml")["not_before"].items()}


def _unit_at(folded: str, pos: int) -> tuple[str, dict[str, object]] | None:
    """The measure word at `pos`, unless it opens a longer word (12市场主体); one blank may lead."""
    for at in (pos, pos + 1) if folded[pos : pos + 1] in _BLANKS else (pos,):
        hit = _take(folded, at, _units())
        if hit and not folded.startswith(_not_before().get(hit[0], ()), at + len(hit[0])):
            return folded[pos:at] + hit[0], hit[1]  # type: ignore[return-value]
    return None


@cache
def _implicit_units() -> tuple[tuple[str, str], ...]:
    return tuple(lexicon.load("units.yaml")["implicit"].items())


@cache
def _magnitudes() -> tuple[tuple[str, int], ...]:
    table = lexicon.load("magnitudes.yaml")["magnitudes"]
    return tuple(sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True))


@cache
def _qualifiers(place: str) -> tuple[tuple[str, str], ...]:
    table = lexicon.load("qualifiers.yaml")[place]
    return tuple(sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True))


def chinese_numeral(word: str) -> int | None:
    """Value of a small Chinese numeral (一, 十二, 九十五, 百); None if it is not one."""
    table = lexicon.load("magnitudes.yaml")
    digits, mult = table["digits"], table["multipliers"]
    total, current = 0, None
    for char in word:
        if char in digits:
            current = digits[char]
        elif char in mult:
            total += (1 if current is None else current) * mult[char]
            current = None
        else:
            return None
    return total + (current or 0)


def _number_value(text: str) -> float | None:
    if text[0].isdigit():
        return float(text.replace(",", ""))
    value = chinese_numeral(text)
    return None if value is None else float(value)


_LOOKUPS: dict[int, tuple[tuple, dict[str, object], tuple[int, ...]]] = {}


def _take(text: str, pos: int, table: tuple[tuple[str, object], ...]) -> tuple[str, object] | None:
    """The longest word of the table at `pos`: a few dict look-ups, not one test per word."""
    lookup = _LOOKUPS.get(id(table))
    if lookup is None or lookup[0] is not table:
        words = dict(table)
        lookup = _LOOKUPS[id(table)] = (
            table,
            words,
            tuple(sorted({len(w) for w in words}, reverse=True)),
        )
    _, words, lengths = lookup
    for length in lengths:
        word = text[pos : pos + length]
        if len(word) == length and word in words:
            return word, words[word]
    return None


def _parse_tail(folded: str, pos: int) -> tuple[int, float, dict[str, object] | None, str]:
    """After the digits: 余/多, magnitude, 余/多, measure word, 以上/左右."""
    approx, scale, unit = "exact", 1.0, None
    if hit := _take(folded, pos, _qualifiers("inside")):
        approx, pos = str(hit[1]), pos + len(hit[0])
    if not folded.startswith(("千米", "千克"), pos) and (hit := _take(folded, pos, _magnitudes())):
        scale, pos = float(hit[1]), pos + len(hit[0])  # type: ignore[arg-type]
        if hit2 := _take(folded, pos, _qualifiers("inside")):
            approx, pos = str(hit2[1]), pos + len(hit2[0])
    if hit := _unit_at(folded, pos):
        unit, pos = hit[1], pos + len(hit[0])
    elif hit := _take(folded, pos, _implicit_units()):
        unit = {"unit": hit[1], "kind": "count"}  # the noun stays outside the raw
    if hit := _take(folded, pos, _qualifiers("after")):
        word, meaning = hit
        timed = unit is not None and unit["kind"] == "amount"
        if word not in ("内", "以内") or timed:
            approx, pos = str(meaning), pos + len(word)
    return pos, scale, unit, approx


def _qualifier_before(folded: str, start: int) -> tuple[int, str]:
    for word, meaning in _qualifiers("before"):
        if folded.startswith(word, start - len(word)) and start - len(word) >= 0:
            return start - len(word), str(meaning)
    return start, "exact"


def _is_name(folded: str, start: int, end: int, unit: dict[str, object] | None) -> bool:
    digits = folded[start:end]
    if unit is None and digits in hotlines():
        return True
    if folded.startswith(name_suffixes(), end):
        return True
    # 第3名 is a rank and 第3次 an ordinal: neither is a counted amount.
    return folded[start - 1 : start] == "第"


def _mention_at(text: str, folded: str, match: re.Match[str]) -> Mention | None:
    start, digits_end = match.span()
    if folded[digits_end : digits_end + 1] == "." or folded[start - 1 : start] == ".":
        return None
    end, scale, unit, approx = _parse_tail(folded, digits_end)
    if _is_name(folded, start, digits_end, unit):
        return None
    lead, before = _qualifier_before(folded, start)
    if approx == "exact" and before != "exact":
        approx = before
    elif before == "exact" and lead != start:
        lead = start  # 达到 is a verb, not part of the number
    if unit is not None and unit["unit"] == "年" and "连续" not in folded[max(0, lead - 3) : lead]:
        return None
    unit = unit or {"unit": "", "kind": "count"}
    scale *= float(unit.get("magnitude", 1))  # type: ignore[arg-type]
    value = round(float(match.group().replace(",", "")) * scale, 6)
    return Mention(
        lead, end, text[lead:end], value, str(unit["unit"]), str(unit["kind"]), approx, start
    )


def _percent_words(text: str, folded: str, mask: bytearray) -> list[Mention]:
    found = []
    for m in _PERCENT_WORDS.finditer(folded):
        value = _number_value(m.group(1))
        if value is not None and not any(mask[m.start() : m.end()]):
            found.append(
                Mention(
                    m.start(),
                    m.end(),
                    text[m.start() : m.end()],
                    value,
                    "%",
                    "percent",
                    "exact",
                    m.start(),
                )
            )
    return found


def _ranks(text: str, folded: str, mask: bytearray) -> list[Mention]:
    found = []
    for m in _RANK.finditer(folded):
        group = next(g for g in (1, 3, 5) if m.group(g))
        start, end = m.span(group)
        value = 1.0 if m.group(group + 1) == "首" else _number_value(m.group(group + 1))
        if value is not None and not any(mask[start:end]):
            found.append(
                Mention(start, end, text[start:end], value, "名次", "rank", "exact", start)
            )
    return found


def find_mentions(text: str) -> list[Mention]:
    """Every number of the text that may be a claim, in order, non-claims left out."""
    folded = fold(text)
    mask = mask_array(len(folded), find_masked(folded))
    mentions = _ranks(text, folded, mask) + _percent_words(text, folded, mask)
    taken = mask_array(len(folded), [])
    for m in mentions:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    for match in _DIGITS.finditer(folded):
        if any(mask[match.start() : match.end()]) or taken[match.start()]:
            continue
        if mention := _mention_at(text, folded, match):
            mentions.append(mention)
    return _share_units(folded, sorted(mentions, key=lambda m: m.start))


_LINKS = frozenset("和、与及或至到-—~")


def _digits_value(folded: str, mention: Mention) -> float:
    match = _DIGITS.match(folded, mention.number_start)
    return float(match.group().replace(",", "")) if match else mention.value


def _share_units(folded: str, mentions: list[Mention]) -> list[Mention]:
    """A list's last measure word also counts the bare figures before it (1.83和1.86个百分点)."""
    for i in range(len(mentions) - 2, -1, -1):
        this, after = mentions[i], mentions[i + 1]
        gap = folded[this.end : after.start].strip(_BLANKS)
        if this.unit or not after.unit or after.kind == "rank" or gap not in _LINKS:
            continue
        bare = _digits_value(folded, this)
        if this.value != bare:
            continue  # 3万和5万人: a magnitude of its own stays
        scale = after.value / (_digits_value(folded, after) or 1.0)
        mentions[i] = replace(this, value=round(bare * scale, 6), unit=after.unit, kind=after.kind)
    return mentions
