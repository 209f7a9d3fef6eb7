"""The metric: the noun phrase that says what a number counts (CLAIMS.md §2)."""

from __future__ import annotations

import re
from functools import cache

from extract import lexicon
from extract.numbers import Mention
from extract.segmenter import words

# Clause boundaries for reading a metric; 、 separates list items.
SOFT_BOUNDARY = re.compile(r"[，,；;：:。！？!?、\n（）()]")
HARD_BOUNDARY = re.compile(r"[，,；;：:。！？!?\n]")
_TIME = re.compile(
    r"(?:截至|截止)?(?:\d{4}年|今年|去年|前年|本年|当年)(?:\d{1,2}月(?:份)?)?(?:\d{1,2}日)?"
    r"(?:以来|年底|年末|底|末|全年|上半年|下半年|期间|来)?"
    r"|(?:截至|截止)(?:\d{1,2}月)?\d{1,2}日|\d{1,2}月\d{1,2}日|近年来|目前|当前|\d+年来|[一二三四五六七八九十]+年来"
)
_QUOTES = "“”\"'‘’「」《》"
_LIST_SPLIT = re.compile(r"和|、|及|与|以及|或")


@cache
def _verb_words() -> frozenset[str]:
    return frozenset(lexicon.load("verbs.yaml")["verbs"])


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(lexicon.load("verbs.yaml")["stops"]) | _verb_words()


@cache
def _fillers() -> tuple[str, ...]:
    return tuple(sorted(lexicon.load("verbs.yaml")["fillers"], key=len, reverse=True))


@cache
def _trailing() -> tuple[str, ...]:
    changes = lexicon.load("changes.yaml")
    words = changes["down"] + changes["up"] + ["排名", "位居", "位列", "名列", "居", "同比"]
    return tuple(sorted(words, key=len, reverse=True))


def clean(segment: str) -> str:
    """Drop time phrases, quotes, edge fillers and a trailing verb of change or rank."""
    text = _TIME.sub("", segment).strip(" \u3000\t" + _QUOTES)
    for word in _trailing():
        if text.endswith(word) and len(text) > len(word):
            text = text[: -len(word)]
            break
    changed = True
    while changed and text:
        changed = False
        for word in _fillers():
            if text.startswith(word):
                text, changed = text[len(word):], True
            elif text.endswith(word) and len(text) > len(word):
                text, changed = text[: -len(word)], True
        text = text.strip(" \u3000\t" + _QUOTES)
    return text


def _after_last_verb(segment: str) -> tuple[str, bool]:
    """The words after the last verb, and whether the segment ended on a verb."""
    tokens = words(segment)
    verbs = [i for i, w in enumerate(tokens) if w in _verb_words()]
    if not verbs:
        return segment, False
    last = verbs[-1]
    return "".join(tokens[last + 1:]), last == len(tokens) - 1


def _until_stop(segment: str) -> str:
    tokens = words(segment.lstrip("的"))
    kept: list[str] = []
    for token in tokens:
        if token in _stop_words() and kept:
            break
        if token not in _stop_words():
            kept.append(token)
    return "".join(kept)


def segments(sentence: str, offset: int, mention: Mention, others: list[Mention]) -> tuple[str, str]:
    """The text between the mention and the nearest boundary or other number on each side."""
    lo, hi = mention.start - offset, mention.end - offset
    left = max((m.end() for m in SOFT_BOUNDARY.finditer(sentence, 0, lo)), default=0)
    right = next((m.start() for m in SOFT_BOUNDARY.finditer(sentence, hi)), len(sentence))
    for other in others:
        if other.end - offset <= lo:
            left = max(left, other.end - offset)
        elif other.start - offset >= hi:
            right = min(right, other.start - offset)
    return sentence[left:lo], sentence[hi:right]


def metric_for(sentence: str, offset: int, mention: Mention, others: list[Mention]) -> str:
    """The metric of a mention that is not part of a 分别 list."""
    before_raw, after_raw = segments(sentence, offset, mention, others)
    before, ends_on_verb = _after_last_verb(before_raw)
    before = clean(before)
    after = clean(_until_stop(after_raw))
    links = before_raw.endswith("的") or ends_on_verb
    if after and (not before or links) and mention.kind != "rank":
        return after
    if before:
        return before
    return after or clean(after_raw)


def list_subject(sentence: str, offset: int, mention: Mention) -> str | None:
    """For a number after 分别 in its clause, the text naming the listed items."""
    lo = mention.start - offset
    clause_start = max((m.end() for m in HARD_BOUNDARY.finditer(sentence, 0, lo)), default=0)
    clause = sentence[clause_start:lo]
    at = clause.rfind("分别")
    if at < 0:
        return None
    subject = clause[:at]
    for word in lexicon.load("changes.yaml")["down"] + lexicon.load("changes.yaml")["up"]:
        subject = subject.split(word)[0] if word in subject else subject
    return subject


def list_items(subject: str, count: int) -> list[str] | None:
    """Split a 分别 subject into `count` metrics, sharing a head or tail between them."""
    items = [clean(p) for p in _LIST_SPLIT.split(clean(subject)) if clean(p)]
    if len(items) != count or count < 2:
        return None
    first, last = items[0], items[-1]
    if len(first) <= 3 < len(last):
        tail = "".join(words(last)[1:])
        return [item + tail if len(item) <= 3 else item for item in items]
    if len(first) > 3 and all(len(item) <= 3 for item in items[1:]):
        head = "".join(words(first)[:-1])
        return [first] + [head + item for item in items[1:]]
    return items
