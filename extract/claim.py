"""The claim record: one number of a report, as CLAIMS.md §2 defines it."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("count", "amount", "percent", "change", "rank")
DIRECTIONS = ("", "up", "down")
APPROX = ("exact", "over", "under", "about")
# How much time a figure covers (CLAIMS.md §5): one whole year or a level at a point in time,
# part of one year (1-11月, 上半年), or several years (a period, a since-X total, a streak).
SPANS = ("annual", "part-year", "multi-year")
CATEGORIES = (
    "services",
    "technology",
    "enforcement",
    "crime",
    "policing",
    "governance",
    "workforce",
)

# Column order of the tidy dataset (data/claims.csv and every export).
CLAIM_FIELDS = (
    "raw",
    "value",
    "unit",
    "kind",
    "direction",
    "approx",
    "metric",
    "year",
    "period_start",
    "span",
    "province",
    "city",
    "category",
    "sentence",
    "start",
    "end",
)
DOCUMENT_FIELDS = ("title", "published", "source", "publisher")
COLUMNS = ("doc_id", "claim_id", *CLAIM_FIELDS, "indicator", *DOCUMENT_FIELDS)


@dataclass(frozen=True)
class Claim:
    """One quantitative claim with its provenance in the document text."""

    doc_id: str
    raw: str
    value: float
    unit: str
    kind: str
    direction: str
    approx: str
    metric: str
    year: int | None
    period_start: int | None
    span: str
    province: str
    city: str
    category: str
    sentence: str
    start: int
    end: int
    indicator: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def claim_id(self) -> str:
        """Stable id: the document and the character span of the number."""
        return f"{self.doc_id}:{self.start}-{self.end}"

    def to_row(self) -> dict[str, object]:
        """The claim as a flat row keyed by COLUMNS (document fields from `extra`)."""
        # Field by field, not dataclasses.asdict: its deep copy was a fifth of a batch's time.
        row: dict[str, object] = {name: getattr(self, name) for name in CLAIM_FIELDS}
        row.update(doc_id=self.doc_id, claim_id=self.claim_id, indicator=self.indicator)
        for name in DOCUMENT_FIELDS:
            row[name] = self.extra.get(name, "")
        return {name: row[name] for name in COLUMNS}
