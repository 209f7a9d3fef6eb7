"""In headless Chromium: upload a report on 添加报告, edit a claim, save, see it in a chart."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from board.data import CLAIMS_ENV
from extract import store
from tests.report_files import REPORT

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
NEW_PROVINCE = "西藏自治区"  # in no bundled report: once in the chart, it came from the edit
# Records the app's script-run states (running, notRunning) from now on in window.__runs.
WATCH_RUNS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__runs = [];
  new MutationObserver(() => window.__runs.push(app.dataset.testScriptState))
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def _need(condition: bool, reason: str) -> None:
    # CI must run this test: a missing browser there is a failure, not a skip.
    if not condition:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stdout.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not start")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`streamlit run dashboard.py` on a free port with a store of its own; URL and store."""
    db = tmp_path / "claims.sqlite"
    env = {k: v for k, v in os.environ.items() if k != CLAIMS_ENV}
    env[store.DB_ENV] = str(db)
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[object]:
    _need(Path(CHROMIUM).exists(), "chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.set_default_timeout(20_000)
        yield pg
        browser.close()


def _province_chart_text(page, url: str) -> str:
    page.goto(f"{url}/?tab=province")
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
    page.wait_for_function("() => window.__runs.includes('running') && "
                           "window.__runs.at(-1) === 'notRunning'")


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
