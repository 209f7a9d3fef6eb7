"""Compare view: one indicator by region (latest year each) and over years, traced to sources."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from board import downloads, i18n, provenance
from board.charts import CATEGORY_COLORS, FONT
from board.data import SEEDS_DIR
from board.formatting import linear_ticks, value_label
from board.regions import Province, city_label, load_regions, province_label, province_rank
from extract.claim import COLUMNS
from extract.indicators import Indicator, catalogue

REGION_SEP = " · "
HOVER_WIDTH = 34  # characters per line of a sentence in a hover box
MIN_SLOTS = 6  # bar slots the region axis spans at least
TABLE_COLUMNS = [
    "region",
    "year",
    "period_start",
    "metric",
    "raw",
    "value",
    "unit",
    "sentence",
    "title",
    "published",
]


def indicator_counts(df: pd.DataFrame, codes: Sequence[str]) -> list[tuple[str, int, int]]:
    """(code, regions, claims) of the indicators in df: most regions first, then `codes` order."""
    rows = df.loc[df["value"].notna() & (df["indicator"] != ""), ["indicator", "province", "city"]]
    claims = rows["indicator"].value_counts()
    regions = rows.drop_duplicates().groupby("indicator").size()
    found = [(code, int(regions[code]), int(claims[code])) for code in codes if code in claims]
    return sorted(found, key=lambda item: -item[1])


def region_key(province: str, city: str) -> str:
    """'四川省' for a province-wide figure, '四川省 · 攀枝花市' for a city's."""
    return f"{province}{REGION_SEP}{city}" if city else province


def indicator_rows(df: pd.DataFrame, code: str, province_order: Sequence[str] = ()) -> pd.DataFrame:
    """Claims of one indicator that have a value: every column plus `region`, in region order."""
    rows = df.loc[(df["indicator"] == code) & df["value"].notna(), list(COLUMNS)].copy()
    rows["region"] = [region_key(p, c) for p, c in zip(rows["province"], rows["city"], strict=True)]
    rank = {name: i for i, name in enumerate(province_order)}
    rows["_rank"] = rows["province"].map(rank).fillna(len(rank))
    keys = ["_rank", "province", "city", "year", "published", "start"]
    return rows.sort_values(keys, kind="stable", na_position="first").drop(columns="_rank")


def latest_by_region(rows: pd.DataFrame) -> pd.DataFrame:
    """Each region's claims of its latest year, all of them (none is summed or dropped)."""
    dated = rows[rows["year"].notna()]
    latest = dated.groupby("region", sort=False)["year"].transform("max")
    out = dated[dated["year"] == latest].copy()
    out["label"] = _unique(
        [
            f"{period_label(y, s)} {r}"
            for y, s, r in zip(out["year"], out["period_start"], out["raw"], strict=True)
        ],
        out["region"].tolist(),
    )
    return out


def year_series(rows: pd.DataFrame) -> pd.DataFrame:
    """The dated claims in region order, each region's by year and position in its report."""
    order = {r: i for i, r in enumerate(dict.fromkeys(rows["region"]))}
    dated = rows[rows["year"].notna()].copy()
    dated["_order"] = dated["region"].map(order)
    keys = ["_order", "year", "published", "start"]
    return dated.sort_values(keys, kind="stable").drop(columns="_order")


def period_label(year: object, start: object) -> str:
    """'2023', or '2019–2023' for a figure over several years."""
    if pd.isna(year):
        return ""
    if pd.isna(start) or int(start) >= int(year):
        return str(int(year))
    return f"{int(start)}–{int(year)}"


def _unique(labels: list[str], groups: list[str]) -> list[str]:
    """Labels made unique within their group by a counter: '2015 110项', '2015 110项 (2)'."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for label, group in zip(labels, groups, strict=True):
        n = seen[(group, label)] = seen.get((group, label), 0) + 1
        out.append(label if n == 1 else f"{label} ({n})")
    return out


def region_labels(regions: Sequence[str], provinces: tuple[Province, ...], lang: str) -> dict:
    """Displayed names of region keys, English names in English."""
    labels = {}
    for key in regions:
        province, _, city = key.partition(REGION_SEP)
        name = province_label(province, provinces, lang)
        labels[key] = f"{name}{REGION_SEP}{city_label(city, provinces, lang)}" if city else name
    return labels


def hover_text(row: Mapping, region: str, lang: str) -> str:
    """Hover box of one claim: region and period, the figure as written, report, sentence."""
    lines = textwrap.wrap(str(row["sentence"] or ""), HOVER_WIDTH) or ["–"]
    figure = value_label(float(row["value"]), str(row["unit"]), lang)
    return (
        f"<b>{html.escape(region)}</b> {period_label(row['year'], row['period_start'])}<br>"
        f"{html.escape(str(row['metric']))}: <b>{html.escape(str(row['raw']))}</b> ({figure})<br>"
        f"{i18n.column('title', lang)}: {html.escape(str(row['title']))} "
        f"({html.escape(str(row['published']))})<br>" + "<br>".join(map(html.escape, lines))
    )


def _layout(
    fig: go.Figure,
    title: str,
    ind: Indicator,
    values: Sequence[float],
    lang: str,
    height: int = 440,
) -> go.Figure:
    ticks = linear_ticks(min(values, default=0.0), max(values, default=1.0), lang)
    fig.update_yaxes(
        tickvals=ticks[0],
        ticktext=ticks[1],
        title=i18n.unit(ind.unit, lang),
        zeroline=True,
        rangemode="tozero",
    )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        hoverlabel={"font": {"family": FONT}, "align": "left"},
        clickmode="event+select",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
    )
    return fig


def bar_figure(
    latest: pd.DataFrame, labels: Mapping[str, str], ind: Indicator, lang: str, title: str
) -> go.Figure:
    """One bar per claim of each region's latest year, grouped under the region's name."""
    regions = [labels.get(r, r) for r in latest["region"]]
    fig = go.Figure(
        go.Bar(
            x=[regions, latest["label"].tolist()],
            y=latest["value"].tolist(),
            customdata=latest["claim_id"].tolist(),
            hovertext=[
                hover_text(row, region, lang)
                for row, region in zip(latest.to_dict("records"), regions, strict=True)
            ],
            hoverinfo="text",
            marker_color=CATEGORY_COLORS.get(ind.category, "#4C78A8"),
            text=[value_label(v, ind.unit, lang) for v in latest["value"]],
            textposition="outside",
        )
    )
    # A few bars keep a bar's width: the axis always spans at least MIN_SLOTS slots.
    fig.update_xaxes(title=None, range=[-0.5, max(len(latest), MIN_SLOTS) - 0.5])
    return _layout(fig, title, ind, [0.0, *latest["value"].tolist()], lang)


def year_figure(
    series: pd.DataFrame, labels: Mapping[str, str], ind: Indicator, lang: str, title: str
) -> go.Figure:
    """One line of points per region over the years; every claim is a point."""
    fig = go.Figure()
    for region, part in series.groupby("region", sort=False):
        name = labels.get(region, region)
        one_per_year = part["year"].is_unique
        fig.add_scatter(
            x=part["year"].astype(int).tolist(),
            y=part["value"].tolist(),
            name=name,
            mode="lines+markers" if one_per_year else "markers",
            marker={"size": 10},
            customdata=part["claim_id"].tolist(),
            hoverinfo="text",
            hovertext=[hover_text(row, name, lang) for row in part.to_dict("records")],
        )
    years = sorted({int(y) for y in series["year"]})
    fig.update_xaxes(
        tickvals=years,
        ticktext=[str(y) for y in years],
        range=[min(years, default=0) - 0.5, max(years, default=0) + 0.5],
        title=i18n.column("year", lang),
    )
    return _layout(fig, title, ind, [0.0, *series["value"].tolist()], lang, height=400)


def table_view(rows: pd.DataFrame, labels: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The indicator's claims as shown: region names, localised headers."""
    out = rows[TABLE_COLUMNS].copy()
    out["region"] = out["region"].map(lambda r: labels.get(r, r))
    out.columns = [i18n.column(c, lang) for c in out.columns]
    return out.reset_index(drop=True)


def _pick_indicator(df: pd.DataFrame, cat: Mapping[str, Indicator], lang: str) -> Indicator | None:
    counts = indicator_counts(df, list(cat))
    if not counts:
        st.info(i18n.t("compare_empty", lang))
        return None
    codes = [c for c, _, _ in counts]
    names = {
        c: i18n.t(
            "compare_option",
            lang,
            name=cat[c].name(lang),
            unit=i18n.unit(cat[c].unit, lang),
            regions=r,
            claims=n,
        )
        for c, r, n in counts
    }
    if st.session_state.get("w_indicator") not in codes:
        st.session_state["w_indicator"] = codes[0]
    st.selectbox(
        i18n.t("indicator", lang),
        codes,
        key="w_indicator",
        format_func=names.get,
        help=i18n.t("compare_help", lang),
    )
    return cat[st.session_state["w_indicator"]]


def _definition(ind: Indicator, lang: str) -> None:
    parts = [
        f"{i18n.t('unit', lang)}: {i18n.unit(ind.unit, lang)}",
        f"{i18n.t('kind', lang)}: {i18n.kind(ind.kind, lang)}",
        f"{i18n.t('category', lang)}: {i18n.category(ind.category, lang)}",
    ]
    if ind.direction:
        parts.append(i18n.t(f"compare_better_{ind.direction}", lang))
    st.caption(" · ".join(parts))


def _selected(keys: Sequence[str], rows: pd.DataFrame) -> dict | None:
    """The claim last clicked in one of the charts (None when it is not among `rows`)."""
    for key in keys:
        state = st.session_state.get(key)
        points = state.selection.points if state else []
        ids = [p.get("customdata") for p in points if p.get("customdata")]
        match = rows[rows["claim_id"].isin(ids)]
        if not match.empty:
            return match.iloc[0].to_dict()
    return None


def _source(row: dict, lang: str) -> None:
    part, _ = provenance.claim_excerpt(row, provenance.document_text(row["doc_id"], SEEDS_DIR))
    with st.container(border=True):
        st.markdown(
            f"**{row['metric']} · {row['raw']}**  \n{i18n.column('title', lang)}: "
            f"{row['title']} · {i18n.t('published', lang)}: {row['published']} · "
            f"{i18n.t('source', lang)}: {row['source']}"
        )
        st.markdown(
            f"<div class='excerpt'>…{provenance.highlight_html(part)}…</div>",
            unsafe_allow_html=True,
        )


def _downloads(code: str, rows: pd.DataFrame, latest: pd.DataFrame, lang: str) -> None:
    today = date.today()
    params = {k: st.query_params.get_all(k) for k in st.query_params} | {"indicator": [code]}
    about = downloads.about_sheet(f"{i18n.t('tab_compare', lang)}: {code}", params, today)
    data = rows[list(COLUMNS)]
    sheets = {"data": data, "chart": latest[[*COLUMNS, "region"]], "about": about}
    row = st.container(horizontal=True, vertical_alignment="center")
    row.download_button(
        i18n.t("download_csv", lang),
        lambda: downloads.csv_bytes(data),
        downloads.file_name(f"compare-{code}", "csv", today),
        "text/csv",
        key="csv_compare",
        on_click="ignore",
    )
    row.download_button(
        i18n.t("download_xlsx", lang),
        lambda: downloads.xlsx_bytes(sheets),
        downloads.file_name(f"compare-{code}", "xlsx", today),
        downloads.XLSX_MIME,
        key="xlsx_compare",
        on_click="ignore",
    )
    row.caption(f"{i18n.t('download_note', lang)} ({len(data)})")


def _charts(
    rows: pd.DataFrame, labels: Mapping[str, str], ind: Indicator, lang: str
) -> pd.DataFrame:
    """The bar and year charts, then the source of a clicked claim; returns the bars' rows."""
    latest, name = latest_by_region(rows), ind.name(lang)
    charts = {
        "compare_bars": bar_figure(
            latest, labels, ind, lang, i18n.t("compare_latest_title", lang, name=name)
        ),
        "compare_years": year_figure(
            year_series(rows), labels, ind, lang, i18n.t("compare_years_title", lang, name=name)
        ),
    }
    for key, fig in charts.items():
        st.plotly_chart(
            fig, key=key, on_select="rerun", selection_mode="points", config={"displaylogo": False}
        )
    st.caption(i18n.t("compare_note", lang))
    picked = _selected(list(charts), rows)
    if picked:
        _source(picked, lang)
    return latest


def render_compare(df: pd.DataFrame, lang: str) -> None:
    """The Compare view: pick an indicator, see it by region and over years, with sources."""
    cat = catalogue()
    ind = _pick_indicator(df, cat, lang)
    if ind is None:
        return
    provinces = load_regions()
    rows = indicator_rows(df, ind.code, list(province_rank(provinces)))
    labels = region_labels(rows["region"].unique(), provinces, lang)
    _definition(ind, lang)
    latest = _charts(rows, labels, ind, lang)
    st.dataframe(table_view(rows, labels, lang), hide_index=True)
    _downloads(ind.code, rows, latest, lang)
    others = int((df["indicator"] == "").sum())
    st.caption(i18n.t("compare_unassigned", lang, n=others))
