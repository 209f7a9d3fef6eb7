"""The curated national dataset: cited public reports and their hand-checked claims.

`data/national/*.yaml` holds one file per province-level unit (and `全国`). A report
carries its citation (url, title, publisher, published) and the sha256 of the text that
was read; its claims carry the raw figure, its offsets in that text and the checked
fields, beside what the extractor said (`machine`). No sentence of a page is kept, so
these rows have an empty `sentence` and the dashboard cites the report instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from extract import regions
from extract.claim import APPROX, CATEGORIES, CHECKED_FIELDS, COLUMNS, KINDS, SPANS
from extract.indicators import catalogue

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_DIR = ROOT / "data" / "national"
RESERVED_FILE = ROOT.parent / "shared" / "reserved_sources.txt"
NATIONAL = "全国"
# A report's citation fields, in the order a data file writes them.
REPORT_FIELDS = (
    "id",
    "url",
    "title",
    "publisher",
    "published",
    "city",
    "report_year",
    "text_sha256",
    "text_chars",
    "note",
)
REPORT_KEYS = {*REPORT_FIELDS, "claims", "rejected"}
# The checked fields of a claim; `machine` records the extractor's value where it differed.
CLAIM_KEYS = {"raw", "start", *CHECKED_FIELDS, "machine"}
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Report:
    """One cited report and its checked claims (fields as written in the data file)."""

    file: str
    province: str
    meta: dict[str, Any]
    claims: list[dict[str, Any]] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return f"nat-{self.meta['id']}"


def read_file(path: Path) -> list[Report]:
    """The reports of one data file."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    province = data.get("province", "")
    return [
        Report(path.name, province, m, m.get("claims") or []) for m in data.get("reports") or []
    ]


def read_reports(root: Path = NATIONAL_DIR) -> list[Report]:
    """Every report of every data file, in file order."""
    return [report for path in sorted(root.glob("*.yaml")) for report in read_file(path)]


def claim_row(report: Report, claim: dict[str, Any]) -> dict[str, Any]:
    """A checked claim as a dataset row: the report's region unless the claim names its own."""
    meta, start = report.meta, int(claim["start"])
    end = start + len(str(claim["raw"]))
    row: dict[str, Any] = {name: "" for name in COLUMNS}
    row.update({name: claim.get(name, "") for name in CHECKED_FIELDS})
    row.update(
        {
            "doc_id": report.doc_id,
            "claim_id": f"{report.doc_id}:{start}-{end}",
            "raw": str(claim["raw"]),
            "start": start,
            "end": end,
            "sentence": "",
            "province": claim.get("province") or report.province,
            "city": claim["city"] if "city" in claim else meta.get("city") or "",
            "title": meta["title"],
            "published": str(meta["published"]),
            "source": meta["url"],
            "publisher": meta["publisher"],
            "url": meta["url"],
            "reviewed": True,
        }
    )
    row["indicator"] = claim.get("indicator") or ""
    return row


def national_frame(root: Path = NATIONAL_DIR) -> pd.DataFrame:
    """The checked claims of the national dataset as one table (COLUMNS, url, span, reviewed)."""
    rows = [claim_row(r, c) for r in read_reports(root) for c in r.claims]
    columns = [*COLUMNS, *(c for c in ("span", "url", "reviewed") if c not in COLUMNS)]
    return pd.DataFrame(rows, columns=columns)


def national_reports(root: Path = NATIONAL_DIR) -> list[dict[str, Any]]:
    """Report metadata, one dict per report (doc_id, citation, region, text hash)."""
    return [
        {
            "doc_id": r.doc_id,
            "title": r.meta["title"],
            "publisher": r.meta["publisher"],
            "published": str(r.meta["published"]),
            "url": r.meta["url"],
            "province": r.province,
            "city": r.meta.get("city") or "",
            "report_year": r.meta.get("report_year"),
            "text_sha256": r.meta["text_sha256"],
        }
        for r in read_reports(root)
    ]


# --- validation ---------------------------------------------------------------------------


def url_variants(url: str) -> set[str]:
    """The URL, with http/https swapped, each with and without a trailing slash."""
    swapped = {url}
    if url.startswith("https://"):
        swapped.add("http://" + url[len("https://") :])
    elif url.startswith("http://"):
        swapped.add("https://" + url[len("http://") :])
    return swapped | {u.rstrip("/") for u in swapped} | {u.rstrip("/") + "/" for u in swapped}


@cache
def reserved_hashes(path: Path = RESERVED_FILE) -> frozenset[str]:
    """sha256 of the URLs kept for independent evaluation (shared/ beside the repository)."""
    if not path.exists():  # never pass silently: an unchecked URL may be a reserved page
        raise FileNotFoundError(f"{path}: the list of reserved pages is needed to check URLs")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


def is_reserved(url: str, hashes: frozenset[str] | None = None) -> bool:
    """True when any variant of the URL is a reserved page."""
    hashes = reserved_hashes() if hashes is None else hashes
    return any(hashlib.sha256(u.encode()).hexdigest() in hashes for u in url_variants(url))


def _province_names() -> set[str]:
    return {p.name for p in regions.places().values() if not p.is_city} | {NATIONAL}


def _city_ok(city: str, province: str) -> bool:
    place = regions.places().get(city)
    return not city or (
        place is not None and place.is_city and place.name == city and place.province == province
    )


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def report_errors(report: Report, today: dt.date | None = None) -> list[str]:
    """What is wrong with one report's citation and claims (empty when valid)."""
    today = today or dt.date.today()
    meta, where = report.meta, f"{report.file}:{report.meta.get('id', '?')}"
    errors = [f"{where}: unknown key {k}" for k in sorted(set(meta) - REPORT_KEYS)]
    for key in ("id", "url", "title", "publisher", "published", "text_sha256"):
        if not str(meta.get(key) or "").strip():
            errors.append(f"{where}: missing {key}")
    if not re.fullmatch(r"https?://\S+", str(meta.get("url", ""))):
        errors.append(f"{where}: url is not an http(s) link")
    elif is_reserved(str(meta["url"])):
        errors.append(f"{where}: a reserved page (shared/reserved_sources.txt)")
    if not re.fullmatch(r"[0-9a-f]{64}", str(meta.get("text_sha256", ""))):
        errors.append(f"{where}: text_sha256 is not a sha256")
    published = _date(meta.get("published"))
    if published is None or published > today:
        errors.append(f"{where}: published is not a past date YYYY-MM-DD")
    if report.province not in _province_names():
        errors.append(f"{where}: province {report.province!r} is not a GB/T 2260 name")
    if not _city_ok(meta.get("city") or "", report.province):
        errors.append(f"{where}: city {meta.get('city')!r} is not a city of {report.province}")
    if not report.claims:
        errors.append(f"{where}: no claims")
    last_year = published.year if published else today.year
    seen: set[int] = set()
    for claim in report.claims:
        errors += [f"{where}@{claim.get('start')}: {e}" for e in claim_errors(claim, last_year)]
        if claim.get("start") in seen:
            errors.append(f"{where}@{claim.get('start')}: two claims at one offset")
        seen.add(claim.get("start"))
        valid = isinstance(claim.get("start"), int) and claim.get("raw")
        row = claim_row(report, claim) if valid else {}
        if row and row["province"] not in _province_names():
            errors.append(f"{where}@{claim['start']}: unknown province {row['province']!r}")
        elif row and not _city_ok(row["city"], row["province"]):
            errors.append(
                f"{where}@{claim['start']}: city {row['city']!r} not in {row['province']}"
            )
    return errors


def claim_errors(claim: dict[str, Any], last_year: int) -> list[str]:
    """What is wrong with one checked claim by the schema (CLAIMS.md §2, §5)."""
    errors = [f"unknown key {k}" for k in sorted(set(claim) - CLAIM_KEYS)]
    missing = [
        k
        for k in ("raw", "start", "value", "unit", "kind", "metric", "year", "category")
        if claim.get(k) in (None, "")
    ]
    if missing:
        return errors + [f"missing {', '.join(missing)}"]
    value, kind, direction = claim["value"], claim["kind"], claim.get("direction") or ""
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        errors.append("value is not a number")
    if not isinstance(claim["start"], int) or claim["start"] < 0:
        errors.append("start is not an offset")
    if kind not in KINDS:
        errors.append(f"kind {kind!r}")
    if (kind == "change") != (direction in ("up", "down")):
        errors.append("a change needs a direction, and only a change has one")
    elif (
        kind == "change"
        and isinstance(value, int | float)
        and value != 0
        and ((value < 0) != (direction == "down"))
    ):
        errors.append("the sign of a change disagrees with its direction")
    if (claim.get("approx") or "exact") not in APPROX:
        errors.append(f"approx {claim.get('approx')!r}")
    if claim["category"] not in CATEGORIES:
        errors.append(f"category {claim['category']!r}")
    errors += _time_errors(claim, last_year)
    indicator = claim.get("indicator") or ""
    if indicator:
        found = catalogue().get(indicator)
        if found is None:
            errors.append(f"unknown indicator {indicator!r}")
        elif not found.measures(str(claim["unit"]), kind):
            errors.append(f"indicator {indicator} is not measured in {claim['unit']}/{kind}")
    machine = claim.get("machine", "missed")
    if not (
        machine in ("same", "missed")
        or (isinstance(machine, dict) and set(machine) <= set(CHECKED_FIELDS))
    ):
        errors.append("machine must be same, missed or a mapping of checked fields")
    return errors


def _time_errors(claim: dict[str, Any], last_year: int) -> list[str]:
    year, start = claim["year"], claim.get("period_start", claim["year"])
    span = claim.get("span") or "annual"
    if not isinstance(year, int) or not FIRST_YEAR <= year <= last_year:
        return [f"year {year!r} outside {FIRST_YEAR}..{last_year} (publication)"]
    if not isinstance(start, int) or not FIRST_YEAR - 30 <= start <= year:
        return [f"period_start {start!r} after the year or implausible"]
    if span not in SPANS:
        return [f"span {span!r}"]
    if (span == "multi-year") != (start < year):
        return ["span multi-year goes with period_start before the year, and only it"]
    return []


def duplicate_errors(reports: list[Report]) -> list[str]:
    """A story syndicated on several sites is one report: the same figures on the same day."""
    errors, seen = [], {}
    for report in reports:
        key = (
            report.province,
            str(report.meta.get("published")),
            frozenset((c.get("raw"), c.get("value")) for c in report.claims),
        )
        if key in seen and len(key[2]) >= 2:
            errors.append(f"{report.meta.get('id')}: the same figures as {seen[key]}")
        seen.setdefault(key, report.meta.get("id"))
    ids = [r.meta.get("id") for r in reports]
    errors += [f"{i}: report id used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    urls = [r.meta.get("url") for r in reports]
    errors += [f"{u}: url cited twice" for u in sorted({u for u in urls if urls.count(u) > 1})]
    return errors


def validate(root: Path = NATIONAL_DIR) -> list[str]:
    """Every problem of the national dataset (empty when it is valid)."""
    reports = read_reports(root)
    errors = [e for r in reports for e in report_errors(r)]
    return errors + duplicate_errors(reports)
