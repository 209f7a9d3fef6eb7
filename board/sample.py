"""A synthetic claims dataset shaped like the real one, for development and benchmarks."""

from __future__ import annotations

from bisect import bisect
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from board.data import normalise
from board.formatting import magnitude
from board.regions import load_regions
from extract.indicators import assign_indicator

SPEC_PATH = Path(__file__).with_name("sample.yaml")
APPROX = ("exact", "over", "about", "under")
APPROX_CUM = (0.6, 0.85, 0.95)  # cumulative shares: 60% exact, 25% over, 10% about
YEAR_BACK = (0, 0, 0, 1, 2)  # a claim's year is mostly the report's own
PERIOD_LEN = (0, 0, 0, 0, 0, 0, 2, 4)  # a quarter of the figures cover several years
PART_YEAR = 0.1  # share of single-year figures that cover part of it (1-11月)
NATIONAL = ("全国", ())
# Words written around a number; 余 is part of raw (610.24万余名), 约/近 stand before it.
APPROX_PREFIX = {"about": "约", "under": "近"}
CLAIMS_PER_DOC = 30


@dataclass(frozen=True)
class Doc:
    """A synthetic report: its region, reference year and provenance."""

    doc_id: str
    province: str
    city: str
    year: int
    title: str
    published: str
    publisher: str


@lru_cache(maxsize=1)
def _spec() -> dict:
    with open(SPEC_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _places() -> list[tuple[str, tuple[str, ...]]]:
    regions = [p for p in load_regions() if p.group != "港澳台"]
    if regions:
        return [(p.name, tuple(c.name for c in p.cities)) for p in regions] + [NATIONAL]
    fallback = _spec()["fallback_provinces"]
    return [(p["name"], tuple(p.get("cities", ()))) for p in fallback] + [NATIONAL]


def _doc(rng: np.random.Generator, i: int, seed: int, places: list) -> Doc:
    province, cities = places[rng.integers(len(places))]
    city = str(rng.choice(cities)) if cities and rng.random() < 0.5 else ""
    year = int(rng.integers(2013, 2025))
    publisher = str(rng.choice(_spec()["publishers"]))
    month, day = int(rng.integers(1, 13)), int(rng.integers(1, 29))
    published = f"{year + 1}-{month:02d}-{day:02d}" if rng.random() < 0.8 else str(year + 1)
    title = f"{city or province}公安机关{year}年改革工作情况报告"
    return Doc(f"syn{seed}_{i:05d}", province, city, year, title, published, publisher)


def _number(rng: np.random.Generator, tpl: dict) -> tuple[str, float]:
    """The number as written (without measure word) and its value."""
    kind, lo, hi = tpl["kind"], float(tpl["lo"]), float(tpl["hi"])
    if kind in ("percent", "change"):
        v = round(float(rng.uniform(lo, hi)), 1)
        return magnitude(v), v
    if kind == "rank":
        v = float(rng.integers(int(lo), int(hi) + 1))
        return f"第{int(v)}", v
    v = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    if v >= 1e4 and rng.random() < 0.7:
        size = 1e8 if v >= 1e8 else 1e4
        scaled = round(v / size, int(rng.integers(0, 3)))
        return magnitude(scaled * size), scaled * size
    return str(round(v)), float(round(v))


def _sentence(
    tpl: dict, doc: Doc, year: int, since: int, pre: str, raw: str, part: bool
) -> tuple[str, int]:
    """The sentence around raw and the offset of raw in it."""
    when = f"{since}年以来," if since < year else f"{year}年1-11月," if part else f"{year}年,"
    actor = (
        "全市公安机关" if doc.city else "全国公安机关" if doc.province == "全国" else "全省公安机关"
    )
    verb = {"percent": "达", "change": "同比下降", "rank": "位居全省"}.get(tpl["kind"], "累计达到")
    head = f"{when}{actor}{tpl['metric']}{verb}{pre}"
    return f"{head}{raw}。", len(head)


def _claim(rng: np.random.Generator, doc: Doc, offset: int) -> tuple[dict, int]:
    tpl = _spec()["metrics"][rng.integers(len(_spec()["metrics"]))]
    number, value = _number(rng, tpl)
    exact = tpl["kind"] in ("rank", "change")
    approx = "exact" if exact else APPROX[bisect(APPROX_CUM, rng.random())]
    raw = number + ("余" if approx == "over" else "") + tpl["written"]
    year = doc.year - YEAR_BACK[rng.integers(len(YEAR_BACK))]
    since = year - PERIOD_LEN[rng.integers(len(PERIOD_LEN))]
    part = since == year and rng.random() < PART_YEAR
    sentence, at = _sentence(tpl, doc, year, since, APPROX_PREFIX.get(approx, ""), raw, part)
    start = offset + at
    row = {
        "doc_id": doc.doc_id,
        "claim_id": f"{doc.doc_id}:{start}-{start + len(raw)}",
        "raw": raw,
        "unit": tpl["unit"],
        "kind": tpl["kind"],
        "value": -value if tpl.get("direction") == "down" else value,
        "direction": tpl.get("direction", ""),
        "approx": approx,
        "metric": tpl["metric"],
        "year": year,
        "period_start": since,
        # Kept when the schema has a `span` column (CLAIMS.md: part-year figures are marked).
        "span": "multi-year" if since < year else "part-year" if part else "annual",
        "province": doc.province,
        "city": doc.city,
        "category": tpl["category"],
        "sentence": sentence,
        "start": start,
        "end": start + len(raw),
        "indicator": _indicator(tpl["metric"], tpl["unit"], tpl["kind"]),
        "title": doc.title,
        "published": doc.published,
        "source": "合成数据 (synthetic)",
        "publisher": doc.publisher,
        "url": "",
    }
    return row, offset + len(sentence)


@lru_cache(maxsize=128)
def _indicator(metric: str, unit: str, kind: str) -> str:
    """The catalogue's indicator for a template, as the extractor would assign it."""
    return assign_indicator(metric, unit, kind)


def synthetic_claims(n: int = 1000, seed: int = 0) -> pd.DataFrame:
    """`n` realistic synthetic claims in COLUMNS order; the same seed gives the same rows."""
    rng = np.random.default_rng(seed)
    places = _places()
    rows: list[dict] = []
    for i in range(-(-n // CLAIMS_PER_DOC)):
        doc, offset = _doc(rng, i, seed, places), 0
        for _ in range(min(CLAIMS_PER_DOC, n - len(rows))):
            row, offset = _claim(rng, doc, offset)
            rows.append(row)
    return normalise(pd.DataFrame(rows))
