"""Comparable indicators: which canonical measure a claim reports (lexicon/indicators.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract import lexicon

CATALOGUE_FILE = "indicators.yaml"
# The scope of a metric stops at punctuation and at digits (another figure's words).
_SCOPE_STOP = re.compile(r"[\d%％，,；;：:。！？!?、（）()\s]")
LEFT_REACH, RIGHT_REACH = 6, 8
_CLAUSE_STOP = re.compile(r"[，,；;。！？!?：:]")


@dataclass(frozen=True)
class Indicator:
    """One canonical measure: its names, unit and kind, and the words that identify it."""

    code: str
    zh: str
    en: str
    unit: str
    kind: str
    category: str
    direction: str = ""
    units: tuple[str, ...] = ()
    include: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()
    exclude_clause: tuple[str, ...] = ()
    exclude_sentence: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()
    context: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """The indicator's name in `lang` ('zh' or 'en')."""
        return self.en if lang == "en" else self.zh

    def measures(self, unit: str, kind: str) -> bool:
        """True when a claim of this unit and kind can report the indicator."""
        return kind == self.kind and (unit == self.unit or unit in self.units)


def _indicator(code: str, entry: dict) -> Indicator:
    include = tuple((e,) if isinstance(e, str) else tuple(e) for e in entry["include"])
    return Indicator(
        code=code,
        zh=entry["zh"],
        en=entry["en"],
        unit=entry["unit"],
        kind=entry["kind"],
        category=entry["category"],
        direction=entry.get("direction", ""),
        units=tuple(entry.get("units", ())),
        include=include,
        exclude=tuple(entry.get("exclude", ())),
        exclude_clause=tuple(entry.get("exclude_clause", ())),
        exclude_sentence=tuple(entry.get("exclude_sentence", ())),
        heads=tuple(entry.get("heads", ())),
        context=tuple(entry.get("context", ())),
    )


@cache
def catalogue() -> dict[str, Indicator]:
    """The indicators by code, in the catalogue's order (which is also match priority)."""
    entries = lexicon.load(CATALOGUE_FILE)["indicators"]
    return {code: _indicator(code, entry) for code, entry in entries.items()}


def metric_scope(metric: str, sentence: str = "", at: int | None = None) -> str:
    """The metric with the words next to it in its clause that the extractor left out."""
    spans = [m.span() for m in re.finditer(re.escape(metric), sentence)] if metric else []
    if not spans:
        return metric
    ref = at if at is not None else spans[-1][0]
    start, end = min(spans, key=lambda s: min(abs(s[0] - ref), abs(s[1] - ref)))
    left = _SCOPE_STOP.split(sentence[max(0, start - LEFT_REACH) : start])[-1]
    right = ""
    if at is not None and start >= at:
        right = _SCOPE_STOP.split(sentence[end : end + RIGHT_REACH])[0]
    return left + metric + right


def _fits(ind: Indicator, metric: str, scope: str, before: str) -> bool:
    if any(word in scope for word in ind.exclude):
        return False
    # A generic head (破案率, 犯罪嫌疑人) whose qualifier stands earlier is a part, not the total.
    clause = _CLAUSE_STOP.split(before)[-1]
    if any(w in clause for w in ind.exclude_clause) or any(
        w in before for w in ind.exclude_sentence
    ):
        return False
    if any(all(word in scope for word in entry) for entry in ind.include):
        return True
    return metric in ind.heads and any(word in before for word in ind.context)


def assign_indicator(
    metric: str, unit: str, kind: str, sentence: str = "", at: int | None = None
) -> str:
    """The code of the first indicator the claim fits, or '' (`at`: the number's offset)."""
    metric = (metric or "").strip()
    if not metric:
        return ""
    scope = metric_scope(metric, sentence, at)
    before = sentence[:at] if at is not None else sentence
    for ind in catalogue().values():
        if ind.measures(unit, kind) and _fits(ind, metric, scope, before):
            return ind.code
    return ""
