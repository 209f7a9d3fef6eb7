"""The tabs of the dashboard page: each draws one view of the filtered claims."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, state
from app.panels import Ctx, chart, downloads_row, source_line
from board import charts, compare, i18n, shaping, tables, tilemap
from board.comparability import NATIONAL
from extract.indicators import Indicator

TABLE_ROWS = 1000  # rows sent to the browser table; downloads carry all of them
MAX_POINTS = 3000  # points in a value chart; downloads carry all of them


def indicator_figures(df: pd.DataFrame, ind: Indicator, ctx: Ctx) -> pd.DataFrame:
    """The indicator's figures that compare (all of them, marked, with the switch on)."""
    rows = data.indicator_rows(ctx.ds, df, ind.code, ctx.province_order)
    kept, left_out = compare.compare_rows(rows, ctx.view.all)
    _left_out_note(left_out, ctx.lang)
    return kept


def _left_out_note(left_out: dict[str, int], lang: str) -> None:
    if not left_out:
        return
    reasons = "、" if lang == "zh" else ", "
    text = reasons.join(
        i18n.t("left_out_reason", lang, what=i18n.t(f"mark_{k}", lang), n=n)
        for k, n in left_out.items()
    )
    st.caption(i18n.t("left_out", lang, n=sum(left_out.values()), reasons=text))


def values_by(dim: str, df: pd.DataFrame, ind: Indicator, ctx: Ctx) -> None:
    """One indicator's figures by province, year or category, coloured by value."""
    rows = indicator_figures(df, ind, ctx)
    rows = rows[shaping.chart_mask(rows, dim)]
    if rows.empty:
        st.info(i18n.t("no_values", ctx.lang))
        return
    # One point per region and year (the figure published last): the chart's size follows
    # the regions and years, not the dataset's.
    latest, _ = compare.published_last(rows, ["region", "year"])
    shown = shaping.largest(latest, MAX_POINTS)
    order = shaping.dimension_order(rows, dim, ctx.province_order, i18n.category_codes())
    labels = shaping.axis_labels(rows, ctx.provinces, ctx.lang)[dim]
    labels = {**labels, NATIONAL: i18n.t("national", ctx.lang)} if dim == "province" else labels
    title = i18n.t(
        "values_by_title", ctx.lang, name=ind.name(ctx.lang), dim=i18n.column(dim, ctx.lang)
    )
    fig = charts.value_points(
        shown,
        dim,
        order,
        labels,
        ctx.lang,
        title,
        ind.unit,
        signed=ind.kind == "change",
        source=source_line(ctx.lang),
        places=ctx.places,
    )
    chart(fig, f"points_{dim}", f"{ind.code}-by-{dim}")
    if len(shown) < len(rows):
        st.caption(i18n.t("values_truncated", ctx.lang, shown=len(shown), total=len(rows)))
    st.caption(i18n.t("select_point", ctx.lang))
    downloads_row(f"{ind.code}-by-{dim}", rows, ctx)


def counts_by(dim: str, df: pd.DataFrame, ctx: Ctx) -> None:
    """Claim counts by province, year or category, stacked by category (coverage)."""
    order = shaping.dimension_order(df, dim, ctx.province_order, i18n.category_codes())
    stack = "category" if dim != "category" else None
    table = shaping.count_table(df, dim, order, stack, i18n.category_codes())
    cats = {c: i18n.category(c, ctx.lang) for c in i18n.category_codes()}
    fig = charts.count_bars(
        table,
        dim,
        order,
        shaping.axis_labels(df, ctx.provinces, ctx.lang)[dim],
        ctx.lang,
        i18n.t(f"by_{dim}_title", ctx.lang),
        i18n.t("count_axis", ctx.lang),
        cats,
        source_line(ctx.lang),
    )
    chart(fig, f"count_{dim}", f"claims-by-{dim}", False)
    downloads_row(f"claims-by-{dim}", df, ctx, shaping.chart_mask(df, dim))


def coverage(df: pd.DataFrame, ctx: Ctx) -> None:
    """What the dataset holds: reports, figures, regions, years, and counts per cell."""
    g = shaping.overview(df)
    years = f"{g.years[0]}–{g.years[1]}" if g.years else "–"
    st.caption(
        i18n.t(
            "glance",
            ctx.lang,
            reports=f"{g.reports:,}",
            claims=f"{g.claims:,}",
            provinces=g.provinces,
            years=years,
        )
        + " · "
        + i18n.t("coverage_help", ctx.lang)
    )
    dims = ("matrix", "province", "year", "category")
    names = {
        "matrix": i18n.t("matrix_title", ctx.lang),
        **{d: i18n.t(f"by_{d}_title", ctx.lang) for d in dims[1:]},
    }
    dim = st.segmented_control(
        i18n.t("coverage_dim", ctx.lang),
        dims,
        key=state.W_COVERAGE,
        format_func=names.get,
        label_visibility="collapsed",
    )
    if dim in shaping.DIMENSIONS:
        counts_by(dim, df, ctx)
        return
    rows = shaping.dimension_order(df, "province", ctx.province_order)
    cols = shaping.dimension_order(df, "category", (), i18n.category_codes())
    mat = shaping.matrix(df, rows, cols)
    cats = {c: i18n.category(c, ctx.lang) for c in cols}
    title = i18n.t("matrix_title", ctx.lang)
    fig = charts.matrix_heatmap(mat, ctx.places, cats, ctx.lang, title, source_line(ctx.lang))
    chart(fig, "matrix", "coverage", False)
    downloads_row("coverage", df, ctx, shaping.chart_mask(df, "province"))


def tile_map(df: pd.DataFrame, ind: Indicator, ctx: Ctx) -> None:
    """The tile map of one indicator: each province's latest comparable figure."""
    if not any(p.tile for p in ctx.provinces):
        st.warning(i18n.t("map_missing", ctx.lang))
        return
    rows = indicator_figures(df, ind, ctx)
    rows = rows[(rows["province"] != NATIONAL) & (rows["city"] == "")]
    newest = compare.compare_sets(rows).bars  # the figure Compare's bar shows
    grid = tilemap.tile_grid(
        dict(zip(newest["province"], newest["value"], strict=True)), ctx.provinces, ctx.lang
    )
    fig = tilemap.tile_figure(
        grid,
        ind.unit,
        ctx.lang,
        i18n.t("map_value_title", ctx.lang, name=ind.name(ctx.lang)),
        signed=ind.kind == "change",
        source=source_line(ctx.lang),
    )
    chart(fig, "tilemap", f"{ind.code}-map", False)
    st.caption(i18n.t("map_value_note", ctx.lang))
    downloads_row(f"{ind.code}-map", newest, ctx)


def claims_table(df: pd.DataFrame, ctx: Ctx) -> None:
    """Every claim with its sentence, in GB/T 2260 order; a selected row opens its source."""
    shown = compare.plain(df.head(TABLE_ROWS))
    st.session_state[state.TABLE_IDS] = shown["claim_id"].tolist()
    display = tables.screen_table(shown, ctx.lang, ctx.places, ctx.cities)
    st.caption(i18n.t("table_help", ctx.lang))
    wide = {
        i18n.column(c, ctx.lang): st.column_config.TextColumn(width="large")
        for c in ("sentence", "title")
    }
    link = {i18n.column("url", ctx.lang): st.column_config.LinkColumn(width="small")}
    st.dataframe(
        display,
        hide_index=True,
        on_select=state.pick_row,
        selection_mode="single-row",
        key=state.TABLE,
        column_config=wide | link,
    )
    if len(df) > TABLE_ROWS:
        st.caption(i18n.t("table_truncated", ctx.lang, shown=TABLE_ROWS, total=len(df)))
    downloads_row("claims", df, ctx)
