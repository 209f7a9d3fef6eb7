"""One validator for a report's metadata, wherever it comes from.

Command-line flags, YAML front matter and the review grid of the Add page all pass
their values here: real GB/T 2260 province names (or 全国), cities of the gazetteer,
real dates not in the future, years in range, single short strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from extract import regions
from extract.limits import MAX_FIELD_CHARS

__all__ = ["FIELDS", "MetadataError", "check_metadata", "validate_metadata"]

FIELDS = (
    "title",
    "published",
    "province",
    "city",
    "source",
    "publisher",
    "report_year",
    "original_sha256",
    "url",
    "doc_id",
)
NATIONAL = "全国"
FIRST_YEAR = 1949  # the People's Republic: no police-reform report is older
DEFAULT_CHARS = 500
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FORMATS = {
    "original_sha256": (re.compile(r"[0-9a-fA-F]{64}"), "64 hexadecimal digits"),
    "url": (re.compile(r"https?://\S+"), "an http:// or https:// address without spaces"),
    "doc_id": (re.compile(r"[\w.-]+"), "letters, digits, _ . and - only"),
}


class MetadataError(ValueError):
    """Metadata that cannot be stored; the message lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def validate_metadata(meta: Mapping[str, object], *, today: date | None = None) -> list[str]:
    """The problems of the given fields, one message each; empty when all are valid."""
    today = today or date.today()
    errors: list[str] = []
    for key, value in meta.items():
        if value is None or value == "":
            continue  # a blank field is inferred, not wrong
        if isinstance(value, bool) or not isinstance(value, str | int):
            errors.append(f"{key} must be a single value, not a {type(value).__name__}")
            continue
        errors.extend(_field_errors(key, str(value).strip(), meta, today))
    return errors


def check_metadata(meta: Mapping[str, object], *, today: date | None = None) -> None:
    """Raise MetadataError listing every problem of the fields."""
    if errors := validate_metadata(meta, today=today):
        raise MetadataError(errors)


def _field_errors(key: str, text: str, meta: Mapping[str, object], today: date) -> list[str]:
    limit = MAX_FIELD_CHARS.get(key, DEFAULT_CHARS)
    if len(text) > limit:
        return [f"{key} is {len(text):,} characters long (limit {limit:,})"]
    if _CONTROL.search(text):
        return [f"{key} holds a control character (line break, tab…)"]
    if key == "province":
        return (
            []
            if _province(text)
            else [
                f"province {text!r} is not a province-level name of GB/T 2260 "
                f"(四川省, 四川, … or {NATIONAL})"
            ]
        )
    if key == "city":
        return _city_errors(text, str(meta.get("province") or "").strip())
    if key == "published":
        return _date_errors(text, today)
    if key == "report_year":
        return _year_errors(key, text, today)
    if key in _FORMATS and not _FORMATS[key][0].fullmatch(text):
        return [f"{key} {text!r} must be {_FORMATS[key][1]}"]
    return []


def _province(name: str) -> str:
    """The full name of a province-level unit (or 全国), '' if there is none of that name."""
    if name == NATIONAL:
        return NATIONAL
    place = regions.places().get(name)
    return place.name if place and not place.is_city else ""


def _city_errors(name: str, province: str) -> list[str]:
    place = regions.places().get(name)
    if place is None or not place.is_city:
        return [
            f"city {name!r} is not a prefecture-level city of the gazetteer "
            "(成都市, 成都, …; leave it blank for a provincial report)"
        ]
    given = _province(province)
    if given and given != NATIONAL and place.province != given:
        return [f"city {place.name} is in {place.province}, not in {given}"]
    return []


def _date_errors(text: str, today: date) -> list[str]:
    match = _DATE.fullmatch(text)
    if not match:
        return [f"published {text!r} is not a date YYYY-MM-DD (or YYYY-MM, YYYY)"]
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        when = date(year, month or 1, day or 1)  # type: ignore[arg-type]
    except ValueError:
        return [f"published {text!r} is not a real date"]
    if year < FIRST_YEAR:  # type: ignore[operator]
        return [f"published {text!r} is before {FIRST_YEAR}"]
    if when > today:
        return [f"published {text!r} is in the future"]
    return []


def _year_errors(key: str, text: str, today: date) -> list[str]:
    if not re.fullmatch(r"\d{4}", text) or not FIRST_YEAR <= int(text) <= today.year:
        return [f"{key} {text!r} is not a year from {FIRST_YEAR} to {today.year}"]
    return []
