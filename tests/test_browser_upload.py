"""In headless Chromium: upload a report on 添加报告, edit a claim, save, see it in a chart."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import store
from board.data import CLAIMS_ENV
from tests.browser_support import WATCH_RUNS, chromium, served_app
from tests.report_files import REPORT

pytestmark = pytest.mark.browser

NEW_PROVINCE = "澳门特别行政区"  # in no bundled report: once in the chart, it came from the edit


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`streamlit run dashboard.py` on a free port with a store of its own; URL and store."""
    db = tmp_path / "claims.sqlite"
    env = {k: v for k, v in os.environ.items() if k != CLAIMS_ENV}
    env[store.DB_ENV] = str(db)
    with served_app(env) as url:
        yield url, db


@pytest.fixture
def page(tmp_path: Path) -> Iterator[object]:
    with chromium() as browser:
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.set_default_timeout(60_000)
        yield pg


def _province_chart_text(page, url: str) -> str:
    page.goto(f"{url}/?tab=province&mode=count")
    chart = page.locator("[data-testid=stPlotlyChart]").first
    chart.locator("svg text").first.wait_for()
    return chart.text_content() or ""


def _edit_first_province(page, value: str) -> None:
    """Double-click the first claim's province cell, replace its text, commit with Enter."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    grid = page.locator("[data-testid=stDataFrame]")
    grid.wait_for()
    page.get_by_role("button", name="保存到数据库").scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # let the scroll settle before reading the grid's position
    box = grid.bounding_box()
    page.evaluate(WATCH_RUNS)
    editor = page.locator("textarea.gdg-input")
    for _ in range(5):  # the canvas may still be laying out: try again until the cell opens
        # Row 1 sits under a 35 px header; province is the first column after the row marker.
        page.mouse.dblclick(box["x"] + 60, box["y"] + 35 + 17)
        try:
            editor.wait_for(timeout=2000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    editor.fill(value)
    editor.press("Enter")
    # The editor sends an edit after a 150 ms debounce, then the app reruns: wait for that
    # run to finish, as a person would, so that Save carries the edit.
    page.wait_for_function(
        "() => window.__runs.includes('running') && window.__runs.at(-1) === 'notRunning'"
    )


def test_upload_edit_save_and_see_it_in_a_chart(app, page, tmp_path: Path) -> None:
    url, db = app
    assert NEW_PROVINCE[:2] not in _province_chart_text(page, url)
    report = tmp_path / "hainan.txt"
    report.write_text(REPORT, encoding="utf-8")
    page.goto(f"{url}/add")
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(report)
    _edit_first_province(page, NEW_PROVINCE)
    page.get_by_role("button", name="保存到数据库").click()
    page.get_by_text("已保存:").wait_for()
    with store.opened(db) as conn:
        saved = store.effective_claims(conn).set_index("raw")
    assert saved.loc["1234起", ["province", "reviewed"]].tolist() == [NEW_PROVINCE, True]
    assert NEW_PROVINCE[:2] in _province_chart_text(page, url)
