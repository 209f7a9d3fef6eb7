"""What a person waits for: in headless Chromium, the time from a filter change to the
settled chart, at a small and a large synthetic dataset in the same run.

Both sizes are served at once and take turns, view by view, so both see the same machine.
For each tab (and the value and count modes of the by-province tab) the region filter is
set to 东部 (ten eastern provinces) and cleared `--repeat` times; each change is timed from
the key press until the app's script run has finished and the browser has painted twice
since. The step changes every chart at both sizes (a step that empties a chart at one size
and not the other would compare a redraw with none); the changes inside charts are counted
to show it. The goal: the median at the large size within 1.3x of the small one. Beside it,
the median of the rounds' own ratios (each round at the large size over the round at the
small size just before it): this machine has slow spells of seconds to minutes, and a pair
of rounds seconds apart mostly shares one.
Run: .venv/bin/python bench/bench_browser.py [--small 1000] [--large 100000] [--repeat 10]
     [--views compare,year]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from board import downloads  # noqa: E402
from board.data import CLAIMS_ENV  # noqa: E402
from board.sample import synthetic_claims  # noqa: E402
from tests.browser_support import WATCH_RUNS, chromium, served_app  # noqa: E402

VIEWS = {  # name -> query string of the view
    "compare": "",
    "province values": "?tab=province",
    "province counts": "?tab=province&mode=count",
    "year": "?tab=year",
    "category": "?tab=category",
    "map": "?tab=map",
    "coverage": "?tab=coverage",
    "table": "?tab=table",
}
GROUP = "东部"  # the region filter's choice: a third of the provinces
STEPS = ("select", "clear")
SETTLED = """async () => {
  // A key press that started no run within 10 s is reported (false), not waited on.
  const end = performance.now() + 10000;
  while (!window.__runs.includes('running')) {
    if (performance.now() > end) return false;
    await new Promise(r => setTimeout(r, 5));
  }
  while (window.__runs.at(-1) !== 'notRunning') await new Promise(r => setTimeout(r, 5));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return true;
}"""
# The first run has drawn (a title, no skeletons) and every chart is drawn.
READY = """() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState
  === 'notRunning' && document.querySelector('h1')
  && !document.querySelector('[data-testid=stSkeleton]')
  && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
  .every(e => e.querySelector('.main-svg'))"""
# Counts the changes inside charts from now on (window.__draws): did the step redraw?
WATCH_DRAWS = """() => { window.__draws = 0;
  if (!window.__drawWatch) {
    window.__drawWatch = new MutationObserver(ms => {
      if (ms.some(m => m.target.closest?.('.js-plotly-plot'))) window.__draws++; });
    window.__drawWatch.observe(document.body, {subtree: true, childList: true, attributes: true});
  } }"""


def open_view(page, url: str) -> None:
    """Open a view and change the filter once untimed (the first change after a page load
    also pays for the load's late work)."""
    page.goto(url)
    page.wait_for_function(READY, timeout=120_000)
    change_times(page)


def change_times(page) -> tuple[list[float], int]:
    """Seconds from each step (select the group, clear it) to the settled page, and how many
    of the steps redrew a chart."""
    times, redrawn = [], 0
    for step in STEPS:
        for _attempt in range(3):
            timed = _step(page, step)
            if timed is not None:
                break
        else:
            raise RuntimeError(f"the step '{step}' started no script run in three tries")
        if timed[0] is not None:
            times.append(timed[0])
            redrawn += timed[1]
    return times, redrawn


def _step(page, step: str) -> tuple[float | None, bool] | None:
    """One step: its time and whether it redrew a chart. About once in a few hundred key
    presses no script run is seen within 10 s: if the press changed nothing it is redone
    (None); if it did, the step is left untimed (None, ...) once the page is ready."""
    box = page.locator(".st-key-w_group input")
    chips = page.locator(".st-key-w_group [data-tag]")
    page.evaluate(WATCH_RUNS)
    page.evaluate(WATCH_DRAWS)
    box.click()
    # Each key press acts on what is on screen: the typed group's option, the chosen chip.
    if step == "select":
        box.fill(GROUP)
        page.get_by_role("option", name=GROUP).wait_for()
    else:
        chips.first.wait_for()
    start = time.perf_counter()
    box.press("Enter" if step == "select" else "Backspace")
    ran = page.evaluate(SETTLED)
    elapsed = time.perf_counter() - start
    page.keyboard.press("Escape")  # close the option list
    done = chips.count() == (step == "select")
    if not ran and not done:
        print(f"the step '{step}' started no run and changed nothing; redone", file=sys.stderr)
        box.fill("")
        return None
    if not done:
        raise RuntimeError(f"the step '{step}' left {chips.count()} groups chosen")
    drawn = page.evaluate("window.__draws") > 0
    if not ran:
        page.wait_for_function(READY, timeout=120_000)
        runs = page.evaluate("window.__runs")
        print(
            f"the step '{step}' changed the filter, no run seen ({runs}, chart redrawn: "
            f"{drawn}); untimed",
            file=sys.stderr,
        )
        return None, drawn
    return elapsed, drawn


def write_dataset(n: int, folder: Path) -> Path:
    path = folder / f"claims_{n}.csv"
    path.write_bytes(downloads.csv_bytes(synthetic_claims(n, seed=1)))
    return path


def main() -> None:
    """Serve both datasets at once and time every view at both sizes, taking turns (a round
    at one size, then one at the other), so both see the same machine; print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--views", default=",".join(VIEWS), help="comma-separated, of: %(default)s")
    args = parser.parse_args()
    views = {name: VIEWS[name] for name in args.views.split(",")}
    sizes = (args.small, args.large)
    times: dict[str, dict[int, list[float]]] = {name: {n: [] for n in sizes} for name in views}
    redrawn: dict[str, dict[int, int]] = {name: dict.fromkeys(sizes, 0) for name in views}
    paired: dict[str, list[float]] = {name: [] for name in views}  # large over small, a round
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser, ExitStack() as stack:
        pages = {}
        for n in sizes:
            env = {**os.environ, CLAIMS_ENV: str(write_dataset(n, Path(tmp)))}
            url = stack.enter_context(served_app(env))
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(120_000)
            page.goto(url)  # the first visit reads the dataset into the cache
            page.wait_for_function(READY, timeout=300_000)
            pages[n] = (page, url)
        for name, query in views.items():
            for page, url in pages.values():
                open_view(page, url + "/" + query)
            for _ in range(args.repeat):
                means = []
                for n, (page, _url) in pages.items():
                    secs, drawn = change_times(page)
                    times[name][n] += secs
                    redrawn[name][n] += drawn
                    means.append(statistics.mean(secs) if secs else None)
                if None not in means:
                    paired[name].append(means[1] / means[0])
    changes = args.repeat * len(STEPS)
    print(f"median filter change to settled chart ({changes} changes per view and size, the")
    print("sizes taking turns; redrawn: how many of them changed a chart)")
    print(
        f"{'view':<18}{args.small:>10,}{'redrawn':>9}{args.large:>10,}{'redrawn':>9}   ratio"
        "   paired"
    )
    for name in views:
        small, large = (statistics.median(times[name][n]) for n in sizes)
        pairs = statistics.median(paired[name]) if paired[name] else math.nan
        print(
            f"{name:<18}{small * 1000:>8.0f}ms{redrawn[name][args.small]:>6}/{changes}"
            f"{large * 1000:>8.0f}ms{redrawn[name][args.large]:>6}/{changes}   {large / small:.2f}x"
            f"   {pairs:.2f}x"
        )


if __name__ == "__main__":
    main()
