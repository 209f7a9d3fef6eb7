"""Server-side timings of the dashboard on a synthetic dataset (AppTest).

Prints the time of a first render: cold in a new server process that reads the CSV (no
snapshot yet), cold in a new process that finds the dataset's snapshot, warm (a new session
once the dataset is cached); then of filter changes in every tab. Goals at 1,000,000 claims:
first render < 5 s, filter change < 300 ms.
Run: .venv/bin/python bench/bench_dashboard.py [--claims 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from board import downloads  # noqa: E402
from board.data import CACHE_ENV, CLAIMS_ENV  # noqa: E402
from board.sample import synthetic_claims  # noqa: E402

APP = str(ROOT / "dashboard.py")
TAB_LABELS = {
    "compare": "指标对比",
    "province": "按省份",
    "year": "按年份",
    "category": "按类别",
    "map": "地图",
    "coverage": "数据覆盖",
    "table": "数据表",
}


def timed_run(at: AppTest) -> float:
    """Seconds one script run takes; fails loudly if the app raised."""
    start = time.perf_counter()
    at.run(timeout=120)
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def filter_changes(at: AppTest, provinces: list[str]) -> list[tuple[str, float]]:
    """Timings of typical filter changes, each applied then undone."""
    steps = [
        ("province", lambda: at.multiselect(key="w_province").set_value(provinces[:1])),
        ("province+1", lambda: at.multiselect(key="w_province").set_value(provinces[:2])),
        ("category", lambda: at.multiselect(key="w_cat").set_value(["crime"])),
        ("search", lambda: at.text_input(key="w_q").input("派出所")),
        (
            "clear",
            lambda: (
                [at.multiselect(key=k).set_value([]) for k in ("w_province", "w_cat")]
                and at.text_input(key="w_q").input("")
            ),
        ),
        ("show all", lambda: at.toggle(key="w_all").set_value(True)),
        ("like only", lambda: at.toggle(key="w_all").set_value(False)),
    ]
    for tab, label in TAB_LABELS.items():
        steps.append(
            (f"tab {tab}", lambda label=label: at.session_state.__setitem__("w_tab", label))
        )
        steps.append(
            (f"prov@{tab}", lambda: at.multiselect(key="w_province").set_value(provinces[1:2]))
        )
        steps.append((f"all@{tab}", lambda: at.multiselect(key="w_province").set_value([])))
    results = []
    for name, change in steps:
        change()
        results.append((name, timed_run(at)))
    return results


def first_render_in_new_process() -> float:
    """Seconds of the first render in a new Python process (a server start), same env."""
    out = subprocess.run(
        [sys.executable, __file__, "--first-render"], capture_output=True, text=True, check=True
    )
    return float(out.stdout.split()[-1])


def main() -> None:
    """Generate the dataset, time the runs, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--first-render", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_render:  # the child of first_render_in_new_process
        print(timed_run(AppTest.from_file(APP, default_timeout=120)))
        return
    started = time.perf_counter()
    df = synthetic_claims(args.claims, seed=1)
    print(f"generated {len(df):,} claims in {time.perf_counter() - started:.0f} s", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.csv"
        path.write_bytes(downloads.csv_bytes(df))
        os.environ[CLAIMS_ENV] = str(path)
        os.environ[CACHE_ENV] = str(Path(tmp) / "cache")  # empty: the first start builds it
        cold = first_render_in_new_process()
        cold_snapshot = first_render_in_new_process()  # the first one saved the snapshot
        timed_run(AppTest.from_file(APP, default_timeout=120))  # this process reads it once
        warm, changes = [], []
        provinces = df["province"].value_counts().index.tolist()
        for _ in range(args.repeat):
            at = AppTest.from_file(APP, default_timeout=120)
            warm.append(timed_run(at))
            changes.extend(filter_changes(at, provinces))
    ms = lambda s: f"{s * 1000:7.0f} ms"  # noqa: E731
    print(f"dataset: {len(df):,} synthetic claims, {df['doc_id'].nunique():,} reports")
    print(f"first render, cold (new process, reads the CSV): {ms(cold)}")
    print(f"first render, cold (new process, reads the snapshot): {ms(cold_snapshot)}")
    print(f"first render, warm (median of {args.repeat}): {ms(statistics.median(warm))}")
    by_step: dict[str, list[float]] = {}
    for name, secs in changes:
        by_step.setdefault(name, []).append(secs)
    for name, secs in by_step.items():
        print(f"filter change, {name:<14} median {ms(statistics.median(secs))}")
    all_changes = [s for _, s in changes]
    print(
        f"filter change, all steps: median {ms(statistics.median(all_changes))}, "
        f"max {ms(max(all_changes))}"
    )


if __name__ == "__main__":
    main()
