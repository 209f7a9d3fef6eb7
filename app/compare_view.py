"""The Compare tab (the landing view): one indicator by region at each region's latest
comparable year beside the national figure, and over the years."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, state
from app.panels import Ctx, chart, downloads_row, source_line
from app.views import indicator_figures
from board import compare, i18n
from extract.indicators import Indicator


def definition(ind: Indicator, lang: str) -> str:
    """Unit, kind, category and which direction is better, in one line."""
    parts = [
        f"{i18n.t('unit', lang)}: {i18n.unit(ind.unit, lang)}",
        f"{i18n.t('kind', lang)}: {i18n.kind(ind.kind, lang)}",
        f"{i18n.t('category', lang)}: {i18n.category(ind.category, lang)}",
    ]
    if ind.direction:
        parts.append(i18n.t(f"compare_better_{ind.direction}", lang))
    return " · ".join(parts)


def render(df: pd.DataFrame, ind: Indicator, ctx: Ctx) -> None:
    """Bars by region (latest comparable year) and points over years, with the national
    reference, the count of figures left out, and the switch that shows them marked."""
    lang = ctx.lang
    top = st.container(horizontal=True, vertical_alignment="center")
    top.caption(definition(ind, lang))
    top.toggle(i18n.t("show_all", lang), key=state.W_ALL, help=i18n.t("show_all_help", lang))
    rows = indicator_figures(df, ind, ctx)
    if rows.empty:
        st.info(i18n.t("no_values", lang))
        return
    sets = compare.compare_sets(rows)
    if sets.bars.empty and sets.national_years.empty:  # no figure has a year: nothing to draw
        st.info(i18n.t("compare_undated", lang, n=len(rows)))
        downloads_row(f"compare-{ind.code}", rows, ctx)
        return
    labels = compare.region_labels(sets.bars["region"].unique(), ctx.provinces, lang)
    name, source = ind.name(lang), source_line(lang)
    left, right = st.columns([1, 1], gap="medium")
    with left:
        bars = compare.bar_figure(
            data.with_hover(ctx.ds, ind.code, sets.bars, lang),
            sets.national_years,
            labels,
            ind,
            lang,
            i18n.t("compare_latest_title", lang, name=name),
            source,
        )
        chart(bars, "compare_bars", f"{ind.code}-latest")
    with right:
        years = compare.year_figure(
            data.with_hover(ctx.ds, ind.code, sets.series, lang),
            data.with_hover(ctx.ds, ind.code, sets.national_years, lang),
            labels,
            ind,
            lang,
            i18n.t("compare_years_title", lang, name=name),
            source,
        )
        chart(years, "compare_years", f"{ind.code}-years")
    st.caption(i18n.t("compare_note", lang))
    if sets.several:
        st.caption(i18n.t("compare_several", lang, n=sets.several))
    elif sets.undrawn:
        st.caption(i18n.t("compare_undrawn", lang, n=sets.undrawn))
    downloads_row(f"compare-{ind.code}", rows, ctx)
