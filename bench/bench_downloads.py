"""Timings of the dashboard's downloads: CSV and xlsx of every claim, in both languages.

Each step is what a click on a download button runs (`app/panels.py::downloads_row`):
`tables.file_table` of the dashboard's frame (categorical columns, as `app/data.py` builds
it), then `downloads.csv_bytes` or `downloads.workbook`. Beside each, in the same run, a
cell-by-cell reference writes the same neutralised table: Python's csv module, and openpyxl
in write-only mode. Goal at 100,000 claims: each download < 2.5 s on an idle machine.
Run: .venv/bin/python bench/bench_downloads.py [--claims 100000 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from app import data  # noqa: E402
from board import downloads, tables  # noqa: E402
from board.data import CLAIMS_ENV  # noqa: E402
from board.sample import synthetic_claims  # noqa: E402
from extract.claim import COLUMNS  # noqa: E402

DAY = date(2025, 1, 31)


def dashboard_rows(claims: int, cache: Path | None) -> pd.DataFrame:
    """The claims as a download takes them: read from a CSV and typed by the app's loader."""
    if cache and cache.exists():
        return pd.read_pickle(cache)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.csv"
        path.write_bytes(downloads.csv_bytes(synthetic_claims(claims, seed=1)))
        os.environ[CLAIMS_ENV] = str(path)
        # The cached loader itself, so the dtypes are the dashboard's; no store is read.
        rows = data._dataset(str(path), (0.0, "")).df[list(COLUMNS)]
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        rows.to_pickle(cache)
    return rows


def reference_csv(table: pd.DataFrame) -> bytes:
    """The neutralised table written row by row with the csv module."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(_python_rows(downloads.neutralise(table)))
    return out.getvalue().encode("utf-8-sig")


def reference_xlsx(table: pd.DataFrame) -> bytes:
    """The neutralised table written cell by cell with openpyxl's write-only mode."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(downloads.DATA_SHEET["en"])
    sheet.append(list(table.columns))
    for row in _python_rows(downloads.neutralise(table)):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _python_rows(table: pd.DataFrame):
    """Rows of plain Python values, None for an empty cell."""
    plain = table.astype(object).where(table.notna(), None)
    return plain.itertuples(index=False, name=None)


def timed(step: Callable[[], bytes], repeat: int) -> tuple[float, int]:
    """Median seconds of `repeat` runs and the size of the file made."""
    secs, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(step())
        secs.append(time.perf_counter() - start)
    return statistics.median(secs), size


def peak_mb(step: Callable[[], bytes]) -> float:
    """Peak memory a step allocates (numpy and Python objects), in MB."""
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def steps(rows: pd.DataFrame, lang: str) -> dict[str, tuple[Callable[[], bytes], ...]]:
    """Per file type: our writer and the cell-by-cell reference, each from the claims."""
    return {
        "csv": (
            lambda: downloads.csv_bytes(tables.file_table(rows, lang)),
            lambda: reference_csv(tables.file_table(rows, lang)),
        ),
        "xlsx": (
            lambda: downloads.workbook(
                tables.file_table(rows, lang), "claims", "", DAY, COLUMNS, lang
            ),
            lambda: reference_xlsx(tables.file_table(rows, lang)),
        ),
    }


def main() -> None:
    """Build the frames, time each download and its reference, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-reference", action="store_true", help="skip the slow references")
    parser.add_argument("--memory", action="store_true", help="also measure peak memory")
    parser.add_argument("--cache", type=Path, help="folder to keep the generated frames in")
    args = parser.parse_args()
    print(f"{'claims':>9} {'lang':4} {'file':4} {'ours':>8} {'cell by cell':>12} {'MB':>6}", end="")
    print(f" {'peak MB':>8}" if args.memory else "", flush=True)
    for claims in args.claims:
        cache = args.cache / f"claims_{claims}.pkl" if args.cache else None
        rows = dashboard_rows(claims, cache)
        for lang in ("zh", "en"):
            for kind, (ours, reference) in steps(rows, lang).items():
                secs, size = timed(ours, args.repeat)
                ref = "" if args.no_reference else f"{timed(reference, 1)[0]:11.2f}s"
                line = f"{claims:9,} {lang:4} {kind:4} {secs:7.2f}s {ref:>12} {size / 1e6:6.1f}"
                print(line + (f" {peak_mb(ours):8.0f}" if args.memory else ""), flush=True)


if __name__ == "__main__":
    main()
