"""Police-reform metrics dashboard: Streamlit widgets wired to the pure functions of board/."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import NamedTuple

import pandas as pd
import streamlit as st

from board import charts, compare, downloads, i18n, provenance, shaping, tilemap
from board import filters as flt
from board.add_report import render_add_report
from board.data import dataset_path, dataset_version, load_dataset, report_text
from board.regions import GROUP_ORDER, Province, city_label, groups_of, load_regions, province_label

TABLE_ROWS = 1000  # rows sent to the browser table; downloads carry all of them
MAX_POINTS = 3000  # points in a value chart; downloads carry all of them
TABLE_COLUMNS = [
    "province",
    "city",
    "year",
    "category",
    "metric",
    "raw",
    "value",
    "unit",
    "kind",
    "sentence",
    "title",
]
PLOTLY_CONFIG = {"displaylogo": False}


class Dataset(NamedTuple):
    """The claims with what the filters offer for them, computed once per file version."""

    df: pd.DataFrame
    synthetic: bool
    options: dict[str, list]
    bounds: tuple[int, int] | None


class Ctx(NamedTuple):
    """What every chart section needs besides its claims."""

    lang: str
    measure: tuple[str, str] | None
    filters: flt.Filters
    province_order: list[str]
    labels: dict[str, dict]
    cats: dict[str, str]
    query: dict[str, list[str]]  # the view as URL parameters, recorded in downloads


st.set_page_config(page_title="公安改革指标对比 · Police reform metrics", layout="wide")


@st.cache_resource(show_spinner=False)
def _dataset(path: str, version: tuple[float, ...]) -> Dataset:
    """Read once per file version and shared read-only by all sessions."""
    df, synthetic = load_dataset()
    options = {name: _opts(df, name, load_regions()) for name in flt.LIST_PARAMS}
    return Dataset(df, synthetic, options, shaping.year_bounds(df))


@st.cache_data(show_spinner=False, max_entries=32)
def _report_text(doc_id: str) -> str | None:
    return report_text(doc_id)


def _opts(df: pd.DataFrame, name: str, provinces: tuple[Province, ...]) -> list:
    return flt.filter_options(df, name, provinces, GROUP_ORDER, i18n.category_codes())


def _query_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _seed_widgets(data: Dataset) -> None:
    """Start a session from the URL's state (once: later, the widgets hold the state)."""
    if st.session_state.get("_seeded"):
        return
    f, v = flt.from_query(_query_params())
    state = flt.widget_state(flt.restrict(f, data.options, data.bounds), v, data.bounds)
    st.session_state.update(state)
    st.session_state["_seeded"] = True


def _reset(bounds: tuple[int, int] | None) -> None:
    """Clear every filter; the language and the open tab stay."""
    keep = {"w_en": st.session_state.get("w_en", False), "tab": st.session_state.get("tab")}
    st.session_state.update(flt.widget_state(flt.Filters(), flt.View(), bounds), **keep)


def _formatters(provinces: tuple[Province, ...], lang: str) -> dict:
    groups = groups_of(provinces)
    wide = i18n.t("province_level", lang)
    return {
        "groups": lambda g: i18n.group(g, lang),
        "provinces": lambda p: (
            f"{province_label(p, provinces, lang)} · {i18n.group(groups.get(p, ''), lang)}"
        ),
        "cities": lambda c: wide if c == flt.PROVINCE_WIDE else city_label(c, provinces, lang),
        "categories": lambda c: i18n.category(c, lang),
        "units": lambda u: i18n.unit(u, lang),
        "kinds": lambda k: i18n.kind(k, lang),
    }


def _sidebar(data: Dataset, provinces: tuple[Province, ...], lang: str) -> None:
    """The filter widgets; provinces narrow to the chosen regions, cities to the provinces."""
    fmt, groups, scope = _formatters(provinces, lang), groups_of(provinces), data.df
    with st.sidebar:
        st.toggle("English", key="w_en")
        st.header(i18n.t("filters", lang))
        for name, key in flt.WIDGET_KEYS.items():
            if name == "categories" and data.bounds:
                st.slider(i18n.t("year", lang), *data.bounds, key="w_years")
            options = data.options[name] if scope is data.df else _opts(scope, name, provinces)
            # Drop values no longer offered (a city of a deselected province).
            st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]
            label = i18n.t("category" if name == "categories" else flt.LIST_PARAMS[name], lang)
            st.multiselect(
                label, options, key=key, format_func=fmt[name], placeholder=i18n.t("all", lang)
            )
            if name in ("groups", "provinces") and st.session_state[key]:
                chosen = flt.Filters(**{name: tuple(st.session_state[key])})
                scope = flt.apply_filters(scope, chosen, groups)
        st.text_input(i18n.t("search", lang), key="w_q", help=i18n.t("search_help", lang))
        st.button(i18n.t("reset", lang), on_click=_reset, args=(data.bounds,))


def _downloads(view: str, rows: pd.DataFrame, table: pd.DataFrame | None, ctx: Ctx) -> None:
    """CSV and xlsx of the claims behind a chart; the files are built only when clicked."""
    today, detail = date.today(), "-".join(ctx.filters.provinces[:2])
    about = downloads.about_sheet(view, ctx.query, today)
    sheets = {"data": rows, **({"chart": table} if table is not None else {}), "about": about}
    row = st.container(horizontal=True, vertical_alignment="center")
    row.download_button(
        i18n.t("download_csv", ctx.lang),
        lambda: downloads.csv_bytes(rows),
        downloads.file_name(view, "csv", today, detail),
        "text/csv",
        key=f"csv_{view}",
        on_click="ignore",
    )
    row.download_button(
        i18n.t("download_xlsx", ctx.lang),
        lambda: downloads.xlsx_bytes(sheets),
        downloads.file_name(view, "xlsx", today, detail),
        downloads.XLSX_MIME,
        key=f"xlsx_{view}",
        on_click="ignore",
    )
    row.caption(f"{i18n.t('download_note', ctx.lang)} ({len(rows):,})")


def _pick_point(key: str) -> None:
    points = st.session_state[key].selection.points if key in st.session_state else []
    ids = [p.get("customdata") for p in points if p.get("customdata")]
    if ids:
        st.session_state["claim"] = ids[0]


def _values_chart(dim: str, df: pd.DataFrame, order: list, ctx: Ctx) -> None:
    """One point per claim of the chosen unit+kind; clicking one shows its source."""
    rows = shaping.chart_rows(df, dim, ctx.measure)
    if rows.empty:
        st.info(i18n.t("no_values", ctx.lang))
        return
    shown = shaping.largest(rows, MAX_POINTS)
    unit = ctx.measure[0]
    title = f"{i18n.t('values_title', ctx.lang)} · {i18n.unit(unit, ctx.lang)}"
    fig = charts.value_points(shown, dim, order, ctx.labels[dim], ctx.lang, title, unit, ctx.cats)
    key = f"points_{dim}"
    st.plotly_chart(
        fig,
        key=key,
        on_select=partial(_pick_point, key),
        selection_mode="points",
        config=PLOTLY_CONFIG,
    )
    if len(shown) < len(rows):
        st.caption(i18n.t("values_truncated", ctx.lang, shown=len(shown), total=len(rows)))
    st.caption(i18n.t("select_point", ctx.lang))
    _downloads(f"values-by-{dim}", rows, None, ctx)


def _chart(dim: str, df: pd.DataFrame, ctx: Ctx) -> None:
    """Claim counts by `dim` (stacked by category), or values in value mode; then downloads."""
    order = shaping.dimension_order(df, dim, ctx.province_order, i18n.category_codes())
    if ctx.measure:
        _values_chart(dim, df, order, ctx)
        return
    stack = "category" if dim != "category" else None
    table = shaping.count_table(df, dim, order, stack, i18n.category_codes())
    fig = charts.count_bars(
        table,
        dim,
        order,
        ctx.labels[dim],
        ctx.lang,
        i18n.t(f"by_{dim}_title", ctx.lang),
        i18n.t("count_axis", ctx.lang),
        ctx.cats,
    )
    st.plotly_chart(fig, key=f"count_{dim}", config=PLOTLY_CONFIG)
    _downloads(f"by-{dim}", shaping.chart_rows(df, dim), table, ctx)


def _overview(df: pd.DataFrame, ctx: Ctx) -> None:
    rows = shaping.dimension_order(df, "province", ctx.province_order)
    cols = shaping.dimension_order(df, "category", (), i18n.category_codes())
    mat = shaping.matrix(df, rows, cols)
    fig = charts.matrix_heatmap(
        mat, ctx.labels["province"], ctx.cats, ctx.lang, i18n.t("matrix_title", ctx.lang)
    )
    st.plotly_chart(fig, key="matrix", config=PLOTLY_CONFIG)
    _downloads("province-by-category", shaping.chart_rows(df, "province"), mat.reset_index(), ctx)


def _map(df: pd.DataFrame, provinces: tuple[Province, ...], ctx: Ctx) -> None:
    if not any(p.tile for p in provinces):
        st.warning(i18n.t("map_missing", ctx.lang))
        return
    grid = tilemap.tile_grid(shaping.province_counts(df), provinces, ctx.lang)
    st.plotly_chart(
        tilemap.tile_figure(grid, ctx.lang, i18n.t("map_title", ctx.lang)),
        key="tilemap",
        config=PLOTLY_CONFIG,
    )
    st.caption(i18n.t("map_note", ctx.lang))
    _downloads("map", shaping.chart_rows(df, "province"), grid, ctx)


def _pick_row() -> None:
    rows = st.session_state["table"].selection.rows if "table" in st.session_state else []
    ids = st.session_state.get("_table_ids", [])
    if rows and rows[0] < len(ids):
        st.session_state["claim"] = ids[rows[0]]


def _table(df: pd.DataFrame, ctx: Ctx) -> None:
    shown = df.head(TABLE_ROWS)
    st.session_state["_table_ids"] = shown["claim_id"].tolist()
    display = shaping.table_view(shown, TABLE_COLUMNS, ctx.cats, ctx.labels["province"])
    display.columns = [i18n.column(c, ctx.lang) for c in display.columns]
    st.caption(i18n.t("table_help", ctx.lang))
    widths = {
        i18n.column(c, ctx.lang): st.column_config.Column(width="large")
        for c in ("metric", "sentence")
    }
    st.dataframe(
        display,
        hide_index=True,
        on_select=_pick_row,
        selection_mode="single-row",
        key="table",
        column_config=widths,
    )
    if len(df) > TABLE_ROWS:
        st.caption(i18n.t("table_truncated", ctx.lang, shown=TABLE_ROWS, total=len(df)))
    _downloads("claims", df, None, ctx)


def _source(df: pd.DataFrame, claim_id: str, lang: str) -> None:
    """The selected claim: its report's title, date and publisher, and the marked sentence."""
    match = df[df["claim_id"] == claim_id] if claim_id else df.iloc[:0]
    if match.empty:
        return
    row = match.iloc[0].to_dict()
    part, in_report = provenance.claim_excerpt(row, _report_text(row["doc_id"]))
    with st.container(border=True, key="source"):
        st.subheader(f"{i18n.t('source_title', lang)}: {row['metric']} · {row['raw']}")
        st.markdown(
            f"**{row['title']}**  \n{i18n.t('published', lang)}: {row['published']} · "
            f"{i18n.t('publisher', lang)}: {row['publisher']}  \n"
            f"{i18n.t('source', lang)}: {row['source']}"
        )
        label = i18n.t("context", lang) if in_report else i18n.column("sentence", lang)
        st.markdown(
            f"{label}:\n\n<blockquote>{provenance.highlight_html(part)}</blockquote>",
            unsafe_allow_html=True,
        )
        st.button(i18n.t("close_source", lang), on_click=lambda: st.session_state.update(claim=""))


def _glance(df: pd.DataFrame, lang: str) -> None:
    """Figures at a glance: reports, claims, provinces, years."""
    g = shaping.overview(df)
    years = f"{g.years[0]}–{g.years[1]}" if g.years else "–"
    values = (f"{g.reports:,}", f"{g.claims:,}", f"{g.provinces:,}", years)
    for col, key, value in zip(
        st.columns(4), ("reports", "claims", "provinces", "years"), values, strict=True
    ):
        col.metric(i18n.t(key, lang), value)


def _mode_controls(df: pd.DataFrame, lang: str) -> tuple[str, str] | None:
    """Count or value mode; value mode needs one unit+kind, since values of two units don't add."""
    c1, c2 = st.columns([1, 2])
    c1.radio(
        i18n.t("mode", lang),
        flt.MODES,
        key="w_mode",
        horizontal=True,
        format_func=lambda m: i18n.t(f"mode_{m}", lang),
    )
    if st.session_state.w_mode != "value":
        return None
    found = shaping.measures(df)
    keys = [flt.measure_key(u, k) for u, k, _ in found]
    if not keys:
        return None
    if st.session_state.get("w_measure") not in keys:
        st.session_state["w_measure"] = keys[0]
    names = {
        flt.measure_key(u, k): f"{i18n.unit(u, lang)} · {i18n.kind(k, lang)} ({n:,})"
        for u, k, n in found
    }
    c2.selectbox(
        i18n.t("measure", lang),
        keys,
        key="w_measure",
        format_func=names.get,
        help=i18n.t("measure_help", lang),
    )
    return flt.split_measure(st.session_state.w_measure)


def _tabs(lang: str) -> str:
    """Tabs that run only the open one; the open tab survives a language switch."""
    label = st.session_state.get("w_tab")
    key = i18n.ui_key(label, "tab_") if label else None
    code = key.removeprefix("tab_") if key else st.session_state.get("tab", "overview")
    st.session_state["tab"] = code
    st.session_state["w_tab"] = i18n.t(f"tab_{code}", lang)
    st.tabs([i18n.t(f"tab_{c}", lang) for c in flt.TABS], key="w_tab", on_change="rerun")
    return code


def _sync_url(f: flt.Filters, view: flt.View) -> None:
    """Keep the URL equal to the view, so a copied link restores it."""
    params = flt.to_query(f, view)
    if params != _query_params():
        st.query_params.from_dict(params)


def main() -> None:
    """One run of the page: filters, figures at a glance, the open tab, the selected source."""
    path = dataset_path()
    data = _dataset(str(path), dataset_version())  # a CLI `add` shows without a restart
    provinces = load_regions()
    _seed_widgets(data)
    _sidebar(data, provinces, "en" if st.session_state.get("w_en") else "zh")
    f, view = flt.from_widgets(st.session_state, data.bounds)
    lang, filtered = view.lang, flt.apply_filters(data.df, f, groups_of(provinces))
    st.title(i18n.t("title", lang))
    st.caption(i18n.t("subtitle", lang))
    if data.synthetic:
        st.warning(i18n.t("synthetic_note", lang))
    _glance(filtered, lang)
    if filtered.empty:
        st.info(i18n.t("empty", lang))
        _sync_url(f, view)
        return
    measure = _mode_controls(filtered, lang)
    tab = _tabs(lang)
    view = replace(view, tab=tab, measure=flt.measure_key(*measure) if measure else "")
    ctx = Ctx(
        lang,
        measure,
        f,
        [p.name for p in provinces],
        shaping.axis_labels(filtered, provinces, lang),
        {c: i18n.category(c, lang) for c in i18n.category_codes()},
        flt.to_query(f, view),
    )
    if tab == "overview":
        _overview(filtered, ctx)
    elif tab in shaping.DIMENSIONS:
        _chart(tab, filtered, ctx)
    elif tab == "map":
        _map(filtered, provinces, ctx)
    elif tab == "compare":
        compare.render_compare(filtered, lang)
    else:
        _table(filtered, ctx)
    _source(data.df, view.claim, lang)
    _sync_url(f, view)


# The dashboard, and the 添加报告 page whose saves refresh the dashboard's cached dataset.
st.navigation(
    [
        st.Page(main, title="公安改革指标对比 · Metrics", default=True),
        st.Page(
            lambda: render_add_report(on_saved=_dataset.clear),
            title="添加报告 / Add report",
            url_path="add",
        ),
    ],
    position="top",
).run()
