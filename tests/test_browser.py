"""The running dashboard (`streamlit run`) driven in headless Chromium through Playwright."""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from board import downloads
from board.data import CLAIMS_ENV
from board.sample import synthetic_claims
from tests.browser_support import WATCH_RUNS, chromium, served_app

pytestmark = pytest.mark.browser

PROVINCE = "天津市"


HOSTILE = "![x](http://evil.invalid/x.png) <img src=x> [link](http://evil.invalid/)"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    df = synthetic_claims(400, seed=11)
    df.loc[0, ["title", "metric"]] = [HOSTILE, "**粗体** <b>标签</b>"]
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
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_filter_by_province_and_download_the_chart_data(page, app_url, dataset, tmp_path):
    df = dataset[1]
    page.goto(f"{app_url}/?tab=province&mode=count")
    page.locator("[data-testid=stPlotlyChart]").first.wait_for()
    province = page.locator(".st-key-w_province")
    province.click()
    page.keyboard.type(PROVINCE)
    page.get_by_role("option", name=f"{PROVINCE} · 东部").click()
    page.keyboard.press("Escape")
    page.wait_for_url(lambda u: parse_qs(urlparse(u).query).get("province") == [PROVINCE])
    expected = df[df["province"] == PROVINCE]
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 CSV").click()
    download = info.value
    assert download.suggested_filename.startswith(f"police-reform_claims-by-province_{PROVINCE}_")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert sorted(rows["数据编号"]) == sorted(expected["claim_id"])  # Chinese headers
    assert set(rows["省份"]) == {PROVINCE}
    assert {"原句", "报告", "发布日期", "来源", "发布者", "原文链接", "类别 (名称)"} <= set(rows)
    assert _query(page)["tab"] == ["province"] and _query(page)["mode"] == ["count"]


def test_a_url_with_filters_restores_the_view(page, app_url, dataset):
    df = dataset[1]
    rows = df[(df["province"] == PROVINCE) & df["year"].between(2015, 2020)]
    ind = rows.loc[rows["indicator"] != "", "indicator"].value_counts().index[0]
    page.goto(f"{app_url}/?province={PROVINCE}&y=2015-2020&tab=year&lang=en&indicator={ind}&all=1")
    page.locator("[data-testid=stPlotlyChart]").first.wait_for()
    assert "Tianjin · East" in page.locator(".st-key-w_province").inner_text()
    assert page.get_by_role("tab", name="By year").get_attribute("aria-selected") == "true"
    query = _query(page)
    assert query["province"] == [PROVINCE] and query["y"] == ["2015-2020"]
    assert query["tab"] == ["year"] and query["lang"] == ["en"] and query["indicator"] == [ind]


def test_the_add_page_keeps_the_language(page, app_url):
    page.goto(f"{app_url}/add?lang=en")
    page.get_by_text("Upload a new report").wait_for()
    assert _query(page).get("lang") == ["en"]
    page.goto(f"{app_url}/?lang=en")
    page.get_by_role("link", name="添加报告 / Add report").click()
    page.get_by_text("Upload a new report").wait_for()
    page.wait_for_url(lambda u: parse_qs(urlparse(u).query).get("lang") == ["en"])


def test_report_text_renders_inert(page, app_url, dataset):
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    claim_id = dataset[1].loc[0, "claim_id"]
    page.goto(f"{app_url}/?tab=table&claim={claim_id}")
    panel = page.locator(".st-key-source")
    panel.wait_for()
    page.wait_for_timeout(1000)
    text = panel.inner_text().replace("\u2060", "")  # word joiners keep addresses unlinked
    assert HOSTILE in text and "**粗体** <b>标签</b>" in text  # shown as written
    assert panel.locator("img").count() == 0 and panel.locator("a[href*=evil]").count() == 0
    assert panel.locator("strong", has_text="粗体").count() == 0
    assert not [u for u in fetched if "evil" in u]


# Each chart's margins as sent and as Plotly settled them after measuring its labels and
# its legend.
MARGINS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
  key: gd.closest('[class*=st-key-]').className.match(/st-key-(\\S+)/)[1],
  sent: gd.layout.margin, used: gd._fullLayout._size}))"""
READY = """() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState
  === 'notRunning' && document.querySelectorAll('.js-plotly-plot .main-svg').length"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_leave_plotly_no_margin_to_widen_on_a_desktop(browser, app_url, lang):
    """Margins fitted to the labels (board/margins.py) spare the second draw Plotly makes
    when it must widen them: at 1440 px no chart's left, right or bottom margin grows, so
    the guess is checked against Plotly's own measure."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    grown = []
    queries = ("", "tab=province", "tab=year", "tab=category", "tab=province&mode=count")
    # data_records: ten regions of mixed name lengths wrap the legend into even columns
    for query in (*queries, "indicator=data_records"):
        page.goto(f"{app_url}/?{query}&lang={lang}")
        page.wait_for_function(READY, timeout=60_000)
        page.wait_for_timeout(300)
        for chart in page.evaluate(MARGINS):
            grown += [
                (query, chart["key"], s, chart["sent"][s], chart["used"][s])
                for s in "lrb"
                if chart["used"][s] > chart["sent"][s]
            ]
    page.close()
    assert not grown


# Counts the DOM batches that draw a chart's points (add them or restyle them) from now on.
WATCH_POINT_DRAWS = """() => { window.__pointDraws = 0;
  new MutationObserver(ms => { if (ms.some(m => m.type === 'childList'
      ? [...m.addedNodes].some(n => n.nodeType === 1 && (n.matches('path.point')
        || n.querySelector('path.point')))
      : m.target.matches?.('path.point'))) window.__pointDraws++; })
    .observe(document.body, {subtree: true, childList: true, attributes: true}); }"""


def test_a_filter_change_draws_the_chart_once(browser, app_url):
    """The figure carries the chart theme, plain lists and a data revision
    (board/chart_theme.py), so Streamlit's copy of it just after the first draw leaves
    Plotly nothing to draw again: before, every changed chart was drawn twice."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{app_url}/?tab=province")
    page.wait_for_function(READY, timeout=60_000)
    box = page.locator(".st-key-w_group input")
    box.click()
    box.fill("东部")
    page.get_by_role("option", name="东部").wait_for()
    page.evaluate(WATCH_RUNS)
    page.evaluate(WATCH_POINT_DRAWS)
    box.press("Enter")
    page.wait_for_function(
        "window.__runs.includes('running') && window.__runs.at(-1) === 'notRunning'"
    )
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_timeout(1000)  # the second draw came ~100 ms after the first
    draws = page.evaluate("window.__pointDraws")
    page.close()
    assert draws == 1
