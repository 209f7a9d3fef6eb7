"""The dashboard page: filters, the indicator, the open tab, the selected figure's source."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from app import compare_view, data, nav, state, views
from app.panels import Ctx, source_panel
from board import compare, i18n, search
from board import filters as flt
from board.comparability import LIKE
from board.regions import Province, city_label, groups_of, load_regions, province_label
from extract.indicators import Indicator, catalogue

# Our own styling (no report text): a compact header so the chart is above the fold.
STYLE = """<style>
.block-container {padding-top: 3.2rem; padding-bottom: 2rem;}
h1 {font-size: 1.5rem !important; padding: 0 0 0.2rem 0 !important;}
blockquote.excerpt {color: inherit; border-left: 3px solid #E45756; padding-left: .8rem;}
blockquote.excerpt mark {background: #FFE08A; color: inherit; padding: 0 2px;}
</style>"""


def _formatters(provinces: tuple[Province, ...], lang: str) -> dict:
    groups = groups_of(provinces)
    wide = i18n.t("province_level", lang)
    return {
        "groups": lambda g: i18n.group(g, lang),
        "provinces": lambda p: (
            f"{province_label(p, provinces, lang)} · {i18n.group(groups.get(p, ''), lang)}"
            if p in groups
            else province_label(p, provinces, lang)
        ),
        "cities": lambda c: wide if c == flt.PROVINCE_WIDE else city_label(c, provinces, lang),
        "categories": lambda c: i18n.category(c, lang),
        "units": lambda u: i18n.unit(u, lang),
        "kinds": lambda k: i18n.kind(k, lang),
    }


def sidebar(ds: data.Dataset, provinces: tuple[Province, ...]) -> str:
    """The language switch and the filters; provinces narrow to the chosen region groups,
    cities to the chosen provinces. Returns the language."""
    with st.sidebar:
        lang = state.language_toggle()
        fmt = _formatters(provinces, lang)
        chosen: dict[str, tuple[str, ...]] = {"groups": (), "provinces": ()}
        st.header(i18n.t("filters", lang))
        st.text_input(i18n.t("search", lang), key=state.W_QUERY, help=i18n.t("search_help", lang))
        for name, key in flt.WIDGET_KEYS.items():
            if name == "categories" and ds.bounds:
                st.slider(i18n.t("year", lang), *ds.bounds, key=state.W_YEARS)
            options = data.scoped_options(name, chosen["groups"], chosen["provinces"])
            # Drop values no longer offered (a city of a deselected province).
            st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]
            label = i18n.t("category" if name == "categories" else flt.LIST_PARAMS[name], lang)
            # Empty means all: no "Select all" row (English text in a Chinese page).
            st.multiselect(
                label,
                options,
                key=key,
                format_func=fmt[name],
                placeholder=i18n.t("all", lang),
                select_all=False,
            )
            if name in chosen:
                chosen[name] = tuple(st.session_state[key])
        st.button(i18n.t("reset", lang), on_click=state.reset, args=(ds.bounds,))
    return lang


def pick_indicator(df: pd.DataFrame, lang: str) -> Indicator | None:
    """The indicator selector: searchable, grouped by reform category; the indicator with
    the most regions is the default."""
    cat = catalogue()
    counts = compare.indicator_counts(df, list(cat))
    if not counts:
        return None
    regions = {c: r for c, r, _ in counts}
    rank = {c: i for i, c in enumerate(i18n.category_codes())}
    codes = sorted(regions, key=lambda c: (rank.get(cat[c].category, 99), -regions[c]))
    if st.session_state.get(state.W_INDICATOR) not in codes:
        like = (df["span"] == LIKE[0]) & (df["level"] == LIKE[1])
        comparable = compare.indicator_counts(df, list(cat), like)
        st.session_state[state.W_INDICATOR] = (comparable or counts)[0][0]
    names = {
        c: i18n.t(
            "indicator_option",
            lang,
            category=i18n.category(cat[c].category, lang),
            name=cat[c].name(lang),
            unit=i18n.unit(cat[c].unit, lang),
            regions=regions[c],
        )
        for c in codes
    }
    st.selectbox(
        i18n.t("indicator", lang),
        codes,
        key=state.W_INDICATOR,
        format_func=names.get,
        help=i18n.t("indicator_help", lang),
        label_visibility="collapsed",
    )
    return cat[st.session_state[state.W_INDICATOR]]


def _ctx(
    lang: str, f: flt.Filters, view: flt.View, provinces: tuple[Province, ...], ds: data.Dataset
) -> Ctx:
    cities = {c.name: city_label(c.name, provinces, lang) for p in provinces for c in p.cities}
    places = {p.name: province_label(p.name, provinces, lang) for p in provinces}
    places["全国"] = i18n.t("national", lang)
    return Ctx(lang, f, view, provinces, [p.name for p in provinces], places, cities, ds)


def _tab(tab: str, df: pd.DataFrame, ind: Indicator | None, ctx: Ctx) -> None:
    needs_indicator = tab in ("compare", "map") or (
        tab in ("province", "year", "category") and ctx.view.mode == "value"
    )
    if tab in ("province", "year", "category"):
        st.segmented_control(
            i18n.t("mode", ctx.lang),
            flt.MODES,
            key=state.W_MODE,
            format_func=lambda m: i18n.t(f"mode_{m}", ctx.lang),
            label_visibility="collapsed",
        )
    if needs_indicator and ind is None:
        st.info(i18n.t("no_indicator", ctx.lang))
    elif tab == "compare":
        compare_view.render(df, ind, ctx)
    elif tab == "map":
        views.tile_map(df, ind, ctx)
    elif tab in ("province", "year", "category"):
        if ctx.view.mode == "value":
            views.values_by(tab, df, ind, ctx)
        else:
            views.counts_by(tab, df, ctx)
    elif tab == "coverage":
        views.coverage(df, ctx)
    else:
        views.claims_table(df, ctx)


def main() -> None:
    """One run of the page."""
    st.markdown(STYLE, unsafe_allow_html=True)
    ds, provinces = data.dataset(), load_regions()
    state.start(ds.options, ds.bounds)
    lang = sidebar(ds, provinces)
    nav.links(lang)
    f, view = state.current(ds.bounds)
    df = flt.apply_filters(ds.df, f, groups_of(provinces), search.synonyms, ds.text.contains)
    st.title(i18n.t("title", lang))
    if ds.synthetic:
        st.caption(f":material/warning: {i18n.t('synthetic_note', lang)}")
    if df.empty:
        st.info(i18n.t("empty", lang))
        state.commit(f, view)
        return
    ind = pick_indicator(df, lang)
    tab = state.tabs(lang)
    f, view = state.current(ds.bounds)
    view = replace(view, tab=tab, indicator=ind.code if ind else "")
    if view.mode not in flt.MODES:
        view = replace(view, mode=flt.View.mode)
    _tab(tab, df, ind, _ctx(lang, f, view, provinces, ds))
    source_panel(ds.df, st.session_state.get(state.CLAIM, ""), lang)
    state.commit(f, replace(view, claim=st.session_state.get(state.CLAIM, "")))
