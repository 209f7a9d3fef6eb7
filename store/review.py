"""A reviewer's changes to a report's claims: corrected fields, dropped claims, added claims."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from extract import regions
from extract.claim import (
    APPROX,
    CATEGORIES,
    CHECKED_FIELDS,
    DIRECTIONS,
    INT_FIELDS,
    KINDS,
    REAL_FIELDS,
    SPANS,
)
from extract.sentences import split_sentences

# What a reviewer may change; the sentence and offsets are provenance and stay as extracted.
EDITABLE = ("raw", *CHECKED_FIELDS)
CHOICES = {
    "kind": KINDS,
    "direction": DIRECTIONS,
    "approx": APPROX,
    "span": SPANS,
    "category": ("", *CATEGORIES),
}
YEARS = range(1949, 2101)


@dataclass
class Review:
    """Corrections by claim id and field, dropped claim ids, and claims added by hand."""

    corrections: dict[str, dict[str, object]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    added: list[dict[str, object]] = field(default_factory=list)

    def is_empty(self) -> bool:
        """True when the reviewer changed nothing."""
        return not (self.corrections or self.dropped or self.added)


def is_blank(value: object) -> bool:
    """None, NaN, NA and blank text all mean an empty cell."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def coerce(name: str, value: object) -> object:
    """A cell as the store keeps it: float, int, text or None; ValueError for a bad number."""
    if is_blank(value):
        return None if name in REAL_FIELDS + INT_FIELDS else ""
    if name in REAL_FIELDS:
        return float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    if name in INT_FIELDS:
        number = float(value)  # type: ignore[arg-type]
        if not number.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)
    return str(value).strip()


def _same(name: str, before: object, after: object) -> bool:
    try:
        a, b = coerce(name, before), coerce(name, after)
    except (TypeError, ValueError):
        return False
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def review_of(shown: pd.DataFrame, edited: pd.DataFrame) -> Review:
    """What changed between the claims an editor showed (with claim_id) and what it returned."""
    before = {str(row["claim_id"]): row for row in shown.to_dict("records")}
    review, kept = Review(), set()
    for row in edited.to_dict("records"):
        claim_id = "" if is_blank(row.get("claim_id")) else str(row["claim_id"])
        if claim_id in before:
            kept.add(claim_id)
            old = before[claim_id]
            changed = {f: row[f] for f in EDITABLE if f in row and not _same(f, old.get(f), row[f])}
            if changed:
                review.corrections[claim_id] = changed
        elif not all(is_blank(row.get(f)) for f in EDITABLE):
            review.added.append({f: row.get(f) for f in EDITABLE if f in row})
    review.dropped = [c for c in before if c not in kept]
    return review


@cache
def _known_places() -> tuple[frozenset[str], dict[str, str]]:
    places = regions.places().values()
    return (
        frozenset(p.name for p in places if not p.is_city),
        {p.name: p.province for p in places if p.is_city},
    )


def clean_fields(fields: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """The fields coerced, places given full names (海南 -> 海南省), and what is wrong."""
    out: dict[str, object] = {}
    issues: list[str] = []
    for name, value in fields.items():
        try:
            out[name] = coerce(name, value)
        except (TypeError, ValueError):
            issues.append(f"{name} {value!r} is not a number")
    for name, is_city in (("province", False), ("city", True)):
        if out.get(name):
            out[name] = regions.normalise(str(out[name]), city=is_city) or out[name]
    return out, issues + _field_issues(out)


def _field_issues(row: Mapping[str, object]) -> list[str]:
    issues = [
        f"{name} {row[name]!r} is not one of {', '.join(c for c in choices if c)}"
        for name, choices in CHOICES.items()
        if name in row and row[name] not in choices
    ]
    provinces, cities = _known_places()
    if row.get("province") and row["province"] not in provinces:
        issues.append(f"province {row['province']!r} is not a province-level unit")
    city = row.get("city")
    if city and city not in cities:
        issues.append(f"city {city!r} is not a prefecture-level city")
    elif city and row.get("province") and cities[str(city)] != row["province"]:
        issues.append(f"city {city!r} is not in {row['province']}")
    for name in ("year", "period_start"):
        if row.get(name) is not None and name in row and row[name] not in YEARS:
            issues.append(f"{name} {row[name]} is not a year")
    return issues


def clean_review(review: Review, shown: pd.DataFrame) -> tuple[Review, list[str]]:
    """The review with every value coerced and checked against the rest of its row (`shown`
    holds the claims as they were); the problems name the claim."""
    out, problems = Review(dropped=list(review.dropped)), []
    rows = {str(r["claim_id"]): r for r in shown.to_dict("records")} if len(shown) else {}
    for claim_id, fields in review.corrections.items():
        # A new city is checked against the province it will stand beside, changed or not.
        whole = {**{f: rows.get(claim_id, {}).get(f) for f in ("province", "city")}, **fields}
        cleaned, issues = clean_fields(whole)
        out.corrections[claim_id] = {f: cleaned[f] for f in fields}
        problems.extend(f"claim {claim_id}: {issue}" for issue in issues)
    for number, row in enumerate(review.added, start=1):
        fields, issues = clean_fields(row)
        if fields.get("value") is None:
            issues.insert(0, "value is missing")
        out.added.append(fields)
        problems.extend(f"added claim {number} ({row.get('raw') or ''}): {i}" for i in issues)
    return out, problems


def locate(raw: str, text: str, doc_id: str, taken: set[str]) -> tuple[int | None, int | None, str]:
    """The first span of `raw` in the text that no claim holds yet, and its sentence."""
    at = text.find(raw) if raw else -1
    while at >= 0:
        if f"{doc_id}:{at}-{at + len(raw)}" not in taken:
            sentence = next((s.text for s in split_sentences(text) if s.start <= at < s.end), "")
            return at, at + len(raw), sentence
        at = text.find(raw, at + 1)
    return None, None, ""


def manual_claim(
    row: Mapping[str, object], doc_id: str, text: str, taken: set[str]
) -> dict[str, object]:
    """A claim added by hand, anchored to its number in the text when the number is there."""
    start, end, sentence = locate(str(row.get("raw") or ""), text, doc_id, taken)
    if start is not None:
        claim_id = f"{doc_id}:{start}-{end}"
    else:
        number = 1
        while f"{doc_id}:manual-{number}" in taken:
            number += 1
        claim_id = f"{doc_id}:manual-{number}"
    return {
        **{f: row.get(f) for f in EDITABLE},
        "doc_id": doc_id,
        "claim_id": claim_id,
        "sentence": sentence,
        "start": start,
        "end": end,
    }
