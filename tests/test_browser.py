"""The running dashboard (`streamlit run`) driven in headless Chromium through Playwright."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from board import downloads
from board.data import CLAIMS_ENV
from board.sample import synthetic_claims

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROVINCE = "天津市"


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


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    df = synthetic_claims(400, seed=11)
    path = tmp_path_factory.mktemp("browser") / "claims.csv"
    path.write_bytes(downloads.csv_bytes(df))
    return path, df


@pytest.fixture(scope="module")
def app_url(dataset):
    """The app served by `streamlit run` on a free local port, stopped afterwards."""
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, CLAIMS_ENV: str(dataset[0])}
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    _need(Path(CHROMIUM).exists(), "chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def _metric(page, label: str) -> str:
    metric = page.locator("[data-testid=stMetric]").filter(has_text=label)
    return metric.locator("[data-testid=stMetricValue]").inner_text()


def test_filter_by_province_and_download_the_chart_data(page, app_url, dataset, tmp_path):
    df = dataset[1]
    page.goto(app_url)
    page.locator("[data-testid=stMetric]").first.wait_for()
    province = page.locator(".st-key-w_province")
    province.click()
    page.keyboard.type(PROVINCE)
    page.get_by_role("option", name=f"{PROVINCE} · 东部").click()
    page.keyboard.press("Escape")
    expected = df[df["province"] == PROVINCE]
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(e => e.innerText === n)",
        arg=f"{len(expected):,}",
    )
    page.get_by_role("tab", name="按省份").click()
    page.wait_for_url(lambda u: parse_qs(urlparse(u).query).get("tab") == ["province"])
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 CSV").click()
    download = info.value
    assert download.suggested_filename.startswith(f"police-reform_by-province_{PROVINCE}_")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(path, encoding="utf-8-sig", dtype={"claim_id": str})
    assert sorted(rows["claim_id"]) == sorted(expected["claim_id"])
    assert set(rows["province"]) == {PROVINCE}
    assert {"sentence", "title", "published", "source", "publisher"} <= set(rows.columns)
    assert parse_qs(urlparse(page.url).query)["province"] == [PROVINCE]


def test_a_url_with_filters_restores_the_view(page, app_url, dataset):
    df = dataset[1]
    page.goto(f"{app_url}/?province={PROVINCE}&y=2015-2020&tab=year&lang=en")
    page.locator("[data-testid=stMetric]").first.wait_for()
    expected = df[(df["province"] == PROVINCE) & df["year"].between(2015, 2020)]
    assert _metric(page, "Claims") == f"{len(expected):,}"
    assert "Tianjin · East" in page.locator(".st-key-w_province").inner_text()
    assert page.get_by_role("tab", name="By year").get_attribute("aria-selected") == "true"
    page.locator("[data-testid=stPlotlyChart]").first.wait_for()
    query = parse_qs(urlparse(page.url).query)
    assert query["province"] == [PROVINCE] and query["y"] == ["2015-2020"]
    assert query["tab"] == ["year"] and query["lang"] == ["en"]
