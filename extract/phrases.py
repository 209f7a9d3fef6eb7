"""The metric: the noun phrase that says what a number counts (CLAIMS.md §2)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache

from extract import lexicon
from extract.numbers import Mention
from extract.segmenter import words

# Clause boundaries for reading a metric; 、 separates list items.
SOFT_BOUNDARY = re.compile(r"[，,；;：:。！？!?、\n（）()]")
HARD_BOUNDARY = re.compile(r"[，,；;：:。！？!?\n]")
_TIME = re.compile(
    r"(?:截至|截止)?(?:\d{4}年|今年|去年|前年|本年|当年)(?:\d{1,2}月(?:份)?)?(?:\d{1,2}日)?"
    r"(?:以来|年底|年末|底|末|全年|上半年|下半年|期间|来)?"
    r"|(?:截至|截止)(?:\d{1,2}月)?\d{1,2}日|\d{1,2}月\d{1,2}日|近年来|目前|当前|(?<!\d)\d++年来|[一二三四五六七八九十]+年来"
    r"|(?:相比|较|比)?去年同期|同比|环比|原来的|原来|现在|全年|上半年|下半年|年初|年底|年内"
    r"|(?:相比|较|比)(?:上年|去年|\d{4}年)(?:同期)?"
)
_QUOTES = "“”\"'‘’「」《》"
# 在发案大幅下降的情况下: the circumstances, not the thing counted
_CONTEXT = re.compile(r"在[^，,。；;]{0,30}的(?:情况|背景|形势)下")
LIST_REACH = 200
_LINKING = ("的", "等", "和", "向", "给", "为", "对")
_LIST_SPLIT = re.compile(r"和|、|及|与|以及|或")
# A figure and its measure word followed by 、, repeated, at the end of a clause prefix.
_RUN_BEFORE = re.compile(r"(?:\d[\d.,]*[^\d、，,；;。：:]{0,4}、)+$")
_RUN_AFTER = re.compile(r"[^\d、，,；;。：:]{0,4}、\s*\d")


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
    words = (
        changes["down"]
        + changes["up"]
        + changes["levels"]
        + ["排名", "位居", "位列", "名列", "居", "同比", "幅度"]
    )
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _edge_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = "|".join(map(re.escape, _fillers()))
    return re.compile(f"^(?:{words})"), re.compile(f"(?:{words})$")


def _strip_fillers(text: str) -> str:
    """Fillers off both edges, keeping at least a two-character phrase."""
    leading, trailing = _edge_patterns()
    changed = True
    while changed and text:
        changed = False
        if (m := leading.match(text)) and len(text) - m.end() >= 2:
            text, changed = text[m.end() :], True
        m = trailing.search(text)
        if m and m.start() >= (1 if m.end() - m.start() == 1 else 2):
            text, changed = text[: m.start()], True
        text = text.strip(" \u3000\t" + _QUOTES)
    return text


def _drop_trailing(text: str) -> str:
    """The text without the verbs of change, rank or comparison it ends with."""
    text = text.rstrip()
    while text.endswith(_trailing()):  # one C-level test before looking for the word
        word = next(w for w in _trailing() if text.endswith(w))
        text = text[: -len(word)]
    return text


@lru_cache(maxsize=16384)  # phrases recur clause after clause
def clean(segment: str) -> str:
    """Drop time phrases, context clauses, quotes, edge fillers and a trailing verb of change."""
    text = _CONTEXT.sub("", _TIME.sub("", segment)).strip(" \u3000\t" + _QUOTES)
    text = _drop_trailing(text)
    text = _strip_fillers(text)
    if text.count("“") != text.count("”"):  # a quote cut in half by the clause boundary
        text = text.replace("“", "").replace("”", "")
    return "" if text in _fillers() or text in _copulas() else text


_RANK_WORDS = re.compile(r"排名|排位|位居|位列|名列|居于|居|全国|全省|全市|全区|全县")


def clean_rank(segment: str) -> str:
    """A rank's metric without the ranking verb and scope (排名位居全省 -> '')."""
    return clean(_RANK_WORDS.sub("", segment)).removesuffix("中")


@cache
def _copulas() -> frozenset[str]:
    return frozenset(lexicon.load("verbs.yaml")["copulas"])


@lru_cache(maxsize=16384)  # phrases recur clause after clause
def _after_last_verb(segment: str) -> tuple[str, bool]:
    """The noun phrase before a number, and whether an action verb takes the number.

    Linking words (达, 共计) are dropped from the end first: 破案率达76.7% keeps 破案率.
    A verb left with only one character after it belongs to the phrase (取消率, 办结率).
    """
    segment = segment.rstrip()
    stripped = True
    while stripped:
        stripped = False
        for word in sorted(_copulas(), key=len, reverse=True):
            if segment.endswith(word):
                segment, stripped = segment[: -len(word)], True
                break
    tokens = _split_glued_verbs(words(segment))
    verbs = [i for i, w in enumerate(tokens) if w in _verb_words()]
    if (
        verbs
        and verbs[-1] == len(tokens) - 1
        and verbs[-1] > 0
        and not _is_function(tokens[-2])
        and tokens[-1] in _nouns_too()
    ):
        verbs.pop()  # 涉黑组织12个: a final "verb" after a noun is the noun's head
    while verbs and tokens[verbs[-1] + 1 : verbs[-1] + 2] == ["的"]:
        verbs.pop()  # 可网上办理的事项: a verb before 的 qualifies the noun, keep it
    while verbs and len("".join(tokens[verbs[-1] + 1 :])) == 1:
        verbs.pop()
    if not verbs:
        return "".join(tokens), False
    last = verbs[-1]
    if tokens[last] in _kept_verbs() and last < len(tokens) - 1:
        return "".join(tokens[last:]), False  # 挽回群众损失: the verb keeps the meaning
    return "".join(tokens[last + 1 :]), last == len(tokens) - 1


@cache
def _kept_verbs() -> frozenset[str]:
    return frozenset(lexicon.load("verbs.yaml")["kept"])


@cache
def _nouns_too() -> frozenset[str]:
    return frozenset(lexicon.load("verbs.yaml")["nouns_too"])


def _is_function(token: str) -> bool:
    return token in _verb_words() or token in _copulas() or token in _fillers()


def _split_glued_verbs(tokens: list[str]) -> list[str]:
    """jieba glues some verbs to their neighbours (共立, 打掉涉黑): cut such tokens."""
    result: list[str] = []
    for token in tokens:
        lead = next((c for c in ("共", "累计", "均", "已", "还") if token.startswith(c)), "")
        if lead and token[len(lead) :] in _verb_words():
            result.extend([lead, token[len(lead) :]])
            continue
        match = _long_verbs().match(token)
        verb = match.group() if match and match.end() < len(token) else None
        result.extend([verb, token[len(verb) :]] if verb else [token])
    return result


@cache
def _long_verbs() -> re.Pattern[str]:
    """Verbs of two or more characters, longest first, as one pattern."""
    verbs = sorted((v for v in _verb_words() if len(v) >= 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, verbs)))


@lru_cache(maxsize=16384)  # phrases recur clause after clause
def _until_stop(segment: str) -> str:
    tokens = words(segment.lstrip("的"))
    kept: list[str] = []
    for token in tokens:
        if token in _stop_words() and kept:
            break
        if token not in _stop_words():
            kept.append(token)
    return "".join(kept)


def segments(
    sentence: str, offset: int, mention: Mention, others: list[Mention]
) -> tuple[str, str, bool]:
    """Text between the mention and the nearest boundary or number on each side.

    The flag says the left side ends at another number, whose phrase it may be.
    """
    lo, hi = mention.start - offset, mention.end - offset
    left, _ = _between(sentence, lo, SOFT_BOUNDARY)
    _, right = _between(sentence, hi, SOFT_BOUNDARY)
    after_number = False
    # The neighbours by bisection (mentions are sorted and apart): a sentence of a thousand
    # figures costs a thousand look-ups, not a million comparisons.
    before = bisect_right(others, mention.start + 0.5, key=lambda o: o.end)
    if before and others[before - 1].end - offset >= left:
        left, after_number = others[before - 1].end - offset, True
    after = bisect_left(others, mention.end, key=lambda o: o.start)
    if after < len(others):
        right = min(right, others[after].start - offset)
    return sentence[left:lo], sentence[hi:right], after_number


def clause_bounds(sentence: str, at: int) -> tuple[int, int]:
    """Start and end of the clause (between ，；。 and the like) around offset `at`."""
    return _between(sentence, at, HARD_BOUNDARY)


def _between(sentence: str, at: int, boundary: re.Pattern[str]) -> tuple[int, int]:
    """The end of the last boundary before `at` and the start of the first one from `at`."""
    marks = _marks(sentence, boundary)
    i = bisect_left(marks, at)
    return (marks[i - 1] + 1 if i else 0), (marks[i] if i < len(marks) else len(sentence))


@lru_cache(maxsize=64)
def _marks(sentence: str, boundary: re.Pattern[str]) -> tuple[int, ...]:
    # Found once per sentence: each number's clause is then a bisection, not a scan.
    return tuple(m.start() for m in boundary.finditer(sentence))


def _subject(sentence: str, offset: int, mention: Mention, others: list[Mention]) -> str:
    """The clause's subject before its first number (由171项精简为110项), else the clause before."""
    lo = mention.start - offset
    start, _ = clause_bounds(sentence, lo)
    i = bisect_left(others, start + offset, key=lambda o: o.start)
    first = min(others[i].start - offset, lo) if i < len(others) else lo
    head = re.split(r"由|从", sentence[start:first])[0]
    phrase = clean_rank(_after_last_verb(head)[0])
    if phrase or start == 0:
        return phrase
    prev_start, _ = clause_bounds(sentence, start - 1)
    previous = sentence[prev_start : start - 1]
    lo_i = bisect_left(others, prev_start + offset, key=lambda o: o.start)
    for other in others[lo_i : bisect_left(others, start + offset, key=lambda o: o.start)]:
        previous = previous.replace(other.raw, "")
    return clean_rank(re.sub(r"^在", "", _after_last_verb(previous)[0]))


def _starts_with_change(text: str) -> bool:
    changes = lexicon.load("changes.yaml")
    return text.startswith(tuple(changes["down"] + changes["up"] + changes["levels"]))


def metric_for(sentence: str, offset: int, mention: Mention, others: list[Mention]) -> str:
    """The metric of a mention that is not part of a 分别 list."""
    before_raw, after_raw, after_number = segments(sentence, offset, mention, others)
    if re.search(r"[由从]\s*$", before_raw):  # 由171项精简为110项: the subject is before 由
        before_raw = re.split(r"由|从", before_raw)[0]  # (从境内外抓获…: 从 not before the number)
    # 抓获率上升180%: the verb of change goes first, so 抓获率 stays one phrase
    before, ends_on_verb = _after_last_verb(_drop_trailing(before_raw))
    before = clean_rank(before) if mention.kind == "rank" else clean(before)
    before = "" if len(before) <= 1 else before
    after = clean(_until_stop(after_raw))
    whole_after = clean(after_raw)
    if 0 < len(after) <= 2 < len(whole_after) - len(after) and len(whole_after) <= 12:
        after = whole_after  # 8个项目获得省部级科技进步奖: a bare head keeps its short predicate
    if after_raw.startswith("的") and after and mention.kind != "rank":
        # 58.2%的业务办理实现最多跑一次: a share names its whole group; a count its noun
        return clean(after_raw[1:]) if mention.unit == "%" else after
    if mention.unit == "%" and before and after and not _starts_with_change(after_raw):
        return before + after  # 入室盗窃案件100%破获
    # 集中向16名受害群众返还: after a preposition the number counts what follows
    links = before_raw.rstrip().endswith(_LINKING) or ends_on_verb or after_number
    if after and (not before or links) and mention.kind != "rank":
        kept = next((v for v in _kept_verbs() if before_raw.rstrip().endswith(v)), "")
        return kept + after  # 避免2337万名群众受骗: the verb keeps the meaning
    if before:
        return before
    whole = clean(before_raw)
    if ends_on_verb and len(whole) >= 3 and whole not in _verb_words():
        return whole  # 推动攻坚化解5391起
    if not after_raw.strip() and sentence[mention.end - offset :][:1].isdigit():
        return ""  # 连续11年9个月…: the next figure's metric is this one's too
    if mention.kind == "rank" or not after:
        return _subject(sentence, offset, mention, others) or after or clean(after_raw)
    return after


def list_subject(sentence: str, offset: int, mention: Mention) -> str | None:
    """For a number after 分别 in its clause, the text naming the listed items."""
    lo = mention.start - offset
    # The last LIST_REACH characters of the clause: a list's subject is near its figures,
    # and a clause of thousands of figures stays linear.
    clause = sentence[max(clause_bounds(sentence, lo)[0], lo - LIST_REACH) : lo]
    at = clause.rfind("分别")
    if at < 0:
        # 刑事、治安警情同比下降28.01%、23.36%: figures joined by 、 are a list without 分别.
        run = _RUN_BEFORE.search(clause)
        if not run and not _RUN_AFTER.match(sentence, mention.end - offset):
            return None
        at = run.start() if run else len(clause)
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
        parts = words(last)
        # 刑事、治安案件: the shared head is the last word, or the last two characters
        tail = "".join(parts[1:]) if len(parts) > 1 else last[-2:] if len(last) >= 4 else ""
        return [item + tail if len(item) <= 3 else item for item in items]
    if len(first) > 3 and all(len(item) <= 3 for item in items[1:]):
        head = "".join(words(first)[:-1])
        return [first] + [head + item for item in items[1:]]
    return items
