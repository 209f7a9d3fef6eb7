"""Score predicted claims against gold annotations (CLAIMS.md §4)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from extract.claim import CHECKED_FIELDS

FIELDS = tuple(f for f in CHECKED_FIELDS if f not in ("value", "indicator"))
# Fields a gold set may leave out (annotated before they existed): scored only where given.
OPTIONAL_FIELDS = ("span",)
VALUE_TOLERANCE = 0.005


def load_gold(path: str | Path) -> pd.DataFrame:
    """Gold claims from a folder of <doc_id>.yaml files (or one such file) as a table."""
    path = Path(path)
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    rows = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for claim in data.get("claims") or []:
            rows.append(
                {"doc_id": data["doc_id"], **claim, "end": claim["start"] + len(claim["raw"])}
            )
    return pd.DataFrame(rows)


def load_claims(path: str | Path) -> pd.DataFrame:
    """Claims from a gold folder/YAML or a CSV, JSONL or Parquet table."""
    path = Path(path)
    if path.is_dir() or path.suffix == ".yaml":
        return load_gold(path)
    if path.suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    raise ValueError(f"{path}: expected a gold folder, .yaml, .csv, .jsonl or .parquet")


def char_f1(predicted: str, gold: str) -> float:
    """F1 of the characters two phrases share (as multisets)."""
    common = sum((Counter(predicted) & Counter(gold)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def values_agree(predicted: float, gold: float) -> bool:
    """Within 0.5 % relative (exact for zero)."""
    return abs(predicted - gold) <= VALUE_TOLERANCE * abs(gold) + 1e-9


def _overlap(a: pd.Series, b: pd.Series) -> bool:
    return int(a["start"]) < int(b["end"]) and int(b["start"]) < int(a["end"])


@dataclass
class Score:
    """Detection counts and per-field agreement over matched pairs."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    fields: dict[str, list[bool]] = field(default_factory=lambda: {f: [] for f in FIELDS})
    span_pairs: int = 0
    span_value_agree: int = 0
    errors: list[str] = field(default_factory=list)
    # (predicted, gold) indicator codes of matched pairs whose gold claim has one annotated.
    indicators: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pos / max(1, self.true_pos + self.false_pos)

    @property
    def recall(self) -> float:
        return self.true_pos / max(1, self.true_pos + self.false_neg)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def indicator_pr(self) -> tuple[float, float]:
        """Indicator precision (correct / predicted codes) and recall (correct / gold codes)."""
        correct = sum(1 for p, g in self.indicators if p and p == g)
        predicted = sum(1 for p, _ in self.indicators if p)
        gold = sum(1 for _, g in self.indicators if g)
        return correct / max(1, predicted), correct / max(1, gold)

    def accuracy(self, name: str) -> float:
        """Share of matched pairs whose field agrees."""
        if name == "value":
            return self.span_value_agree / max(1, self.span_pairs)
        marks = self.fields[name]
        return sum(marks) / max(1, len(marks))


def _same(name: str, pred: pd.Series, gold: pd.Series) -> bool:
    predicted, expected = pred.get(name), gold.get(name)
    if name == "metric":
        return char_f1(str(predicted or ""), str(expected or "")) >= 0.5
    if name == "period_start" and _multi_year(gold):
        # §4: the start of a multi-year period is correct within one year of the gold's.
        found, wanted = _as_int(predicted), _as_int(expected)
        return found is not None and wanted is not None and abs(found - wanted) <= 1
    if name in ("year", "period_start"):
        return _as_int(predicted) == _as_int(expected)
    return str(predicted or "") == str(expected or "")


def _multi_year(claim: pd.Series) -> bool:
    start, year = _as_int(claim.get("period_start")), _as_int(claim.get("year"))
    return start is not None and year is not None and start < year


def _given(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _as_int(value: object) -> int | None:
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def score(gold: pd.DataFrame, predicted: pd.DataFrame) -> Score:
    """Match predictions to gold one-to-one per document and score them."""
    result = Score()
    for doc_id, gold_doc in gold.groupby("doc_id"):
        pred_doc = predicted[predicted["doc_id"] == doc_id]
        _score_document(result, gold_doc, pred_doc)
    result.false_pos += int((~predicted["doc_id"].isin(gold["doc_id"])).sum())
    return result


def _score_document(result: Score, gold_doc: pd.DataFrame, pred_doc: pd.DataFrame) -> None:
    used: set[int] = set()
    for _, g in gold_doc.iterrows():
        overlapping = [(i, p) for i, p in pred_doc.iterrows() if i not in used and _overlap(p, g)]
        if overlapping:
            result.span_pairs += 1
            result.span_value_agree += values_agree(float(overlapping[0][1]["value"]), g["value"])
        match = next(
            ((i, p) for i, p in overlapping if values_agree(float(p["value"]), float(g["value"]))),
            None,
        )
        if match is None:
            result.false_neg += 1
            result.errors.append(f"MISS {g['doc_id']} {g['raw']!r} @{g['start']} = {g['value']}")
            continue
        used.add(match[0])
        result.true_pos += 1
        for name in FIELDS:
            if name in OPTIONAL_FIELDS and not _given(g.get(name)):
                continue
            ok = _same(name, match[1], g)
            result.fields[name].append(ok)
            if not ok:
                result.errors.append(
                    f"FIELD {name}: {g['raw']!r} @{g['start']} "
                    f"pred={match[1].get(name)!r} gold={g.get(name)!r}"
                )
        _score_indicator(result, match[1], g)
    for i, p in pred_doc.iterrows():
        if i not in used:
            result.false_pos += 1
            result.errors.append(f"EXTRA {p['doc_id']} {p['raw']!r} @{p['start']} = {p['value']}")


def _score_indicator(result: Score, pred: pd.Series, gold: pd.Series) -> None:
    """Record the indicator pair when the gold claim has an indicator annotated ('' counts)."""
    expected = gold.get("indicator")
    if not isinstance(expected, str):
        return
    found = pred.get("indicator")
    found = found if isinstance(found, str) else ""
    result.indicators.append((found, expected))
    if found != expected:
        result.errors.append(
            f"FIELD indicator: {gold['raw']!r} @{gold['start']} pred={found!r} gold={expected!r}"
        )


def indicator_scores(gold: pd.DataFrame, predicted: pd.DataFrame) -> tuple[float, float]:
    """Precision and recall of indicator codes over the matched claims."""
    return score(gold, predicted).indicator_pr


def report(result: Score) -> str:
    """The scores as a small text table."""
    lines = [
        f"detection  precision {result.precision:.3f}  recall {result.recall:.3f}  "
        f"F1 {result.f1:.3f}  (tp {result.true_pos}, fp {result.false_pos}, "
        f"fn {result.false_neg})",
        f"{'value':<13}{result.accuracy('value'):.3f}  "
        f"(over {result.span_pairs} span-overlapping pairs)",
    ]
    lines += [f"{name:<13}{result.accuracy(name):.3f}" for name in FIELDS]
    if result.indicators:
        precision, recall = result.indicator_pr
        lines.append(
            f"{'indicator':<13}precision {precision:.3f}  recall {recall:.3f}  "
            f"(over {len(result.indicators)} matched pairs)"
        )
    return "\n".join(lines)
