"""data/claims.csv is exactly what `python -m extract seeds -o data/claims.csv` builds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from extract import extract_files
from extract.claim import COLUMNS

ROOT = Path(__file__).parent.parent


def test_bundled_dataset_is_fresh() -> None:
    bundled = pd.read_csv(
        ROOT / "data" / "claims.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str
    )
    rebuilt = extract_files([ROOT / "seeds"], workers=1).claims
    rebuilt = rebuilt.astype(str).replace({"None": "", "nan": ""})
    assert tuple(bundled.columns) == COLUMNS
    message = "data/claims.csv is stale: run `make data` and commit it"
    assert len(bundled) == len(rebuilt), message
    for column in ("claim_id", "raw", "metric", "unit", "kind", "category", "indicator"):
        assert bundled[column].tolist() == rebuilt[column].tolist(), f"{message} ({column})"
    assert [float(v) for v in bundled["value"]] == [float(v) for v in rebuilt["value"]], message


def test_every_seed_has_provenance() -> None:
    bundled = pd.read_csv(ROOT / "data" / "claims.csv", encoding="utf-8-sig", keep_default_na=False)
    per_doc = bundled.groupby("doc_id")[["title", "published", "province"]].first()
    assert len(per_doc) == 5
    assert (per_doc != "").all().all()
