"""The running dashboard (`streamlit run`) driven in headless Chromium through Playwright."""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from board import downloads
from board.data import CLAIMS_ENV
from board.sample import synthetic_claims
from tests.browser_support import chromium, served_app

pytestmark = pytest.mark.browser

PROVINCE = "天津市"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    df = synthetic_claims(400, seed=11)
    path = tmp_path_factory.mktemp("browser") / "claims.csv"
    path.write_bytes(downloads.csv_bytes(df))
    return path, df


@pytest.fixture(scope="module")
def app_url(dataset):
    """The app served by `streamlit run` on a free local port, stopped afterwards."""
    with served_app({**os.environ, CLAIMS_ENV: str(dataset[0])}) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


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
