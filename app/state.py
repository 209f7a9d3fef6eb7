"""Every URL parameter and session key of the app, and its one language switch.

The URL is the view: a session starts from it, and after each run the URL is set to what is
shown. Widgets hold the state while they are on screen; the last state shown is also kept
under STORED, so widgets that leave the page (another tab, the Add page) come back as they
were, and the language follows the user from page to page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import streamlit as st

from board import filters as flt
from board import i18n

W_EN = "w_en"  # the one language switch, on every page
LANG = "_lang"  # its value, kept across pages (a widget's own key is dropped off its page)
W_YEARS, W_QUERY = "w_years", "w_q"
W_TAB, TAB = "w_tab", "tab"  # the tab widget's label, and the open tab's code
W_MODE, W_INDICATOR, W_ALL = "w_mode", "w_indicator", "w_all"
W_COVERAGE = "w_coverage"
CLAIM = "claim"  # the claim whose source panel is open
TABLE, TABLE_IDS = "table", "_table_ids"  # the claims table and the ids of its rows
STORED = "_shown"  # (Filters, View) of the last run: widgets that left the page restore from it
WIDGETS = (*flt.WIDGET_KEYS.values(), W_YEARS, W_QUERY, W_EN, TAB, W_MODE, W_INDICATOR, W_ALL)


def url_params() -> dict[str, list[str]]:
    """The page's query parameters, each key with all its values."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def _stored() -> tuple[flt.Filters, flt.View]:
    if STORED not in st.session_state:
        st.session_state[STORED] = flt.from_query(url_params())
    return st.session_state[STORED]


def start(options: Mapping[str, Sequence[str]], bounds: tuple[int, int] | None) -> None:
    """Give every widget missing from the session its value from the URL (first run) or
    from the last view shown; unknown values (a province not in the data) are dropped."""
    f, view = _stored()
    state = flt.widget_state(flt.restrict(f, options, bounds), view, bounds)
    st.session_state.setdefault(LANG, view.lang)
    state[W_EN] = st.session_state[LANG] == "en"
    st.session_state[W_EN] = state[W_EN]
    if CLAIM not in st.session_state:
        st.session_state[CLAIM] = view.claim
    for key, value in state.items():
        if key not in st.session_state:
            st.session_state[key] = value


def start_page() -> str:
    """A page without filters (Add report): keeps the language, from the URL at first."""
    _, view = _stored()
    st.session_state.setdefault(LANG, view.lang)
    st.session_state[W_EN] = st.session_state[LANG] == "en"
    return lang()


def lang() -> str:
    """'en' when the English switch is on, else 'zh'."""
    return "en" if st.session_state.get(W_EN) else "zh"


def _language_changed() -> None:
    st.session_state[LANG] = "en" if st.session_state.get(W_EN) else "zh"


def language_toggle() -> str:
    """The language switch; returns the language it selects."""
    st.toggle(i18n.t("language", "zh"), key=W_EN, on_change=_language_changed)
    return lang()


def current(bounds: tuple[int, int] | None) -> tuple[flt.Filters, flt.View]:
    """Filters and view from the widgets (with the tab and the selected claim)."""
    state = {k: st.session_state.get(k) for k in WIDGETS}
    state[CLAIM] = st.session_state.get(CLAIM, "")
    return flt.from_widgets(state, bounds)


def commit(f: flt.Filters, view: flt.View, page_params: Sequence[str] | None = None) -> None:
    """Remember the view and set the URL to it (only `page_params` on a page that has no
    filters, e.g. ['lang'] on the Add page)."""
    if page_params is None:
        st.session_state[STORED] = (f, view)
        params = flt.to_query(f, view)
    else:
        stored_f, stored_view = _stored()
        st.session_state[STORED] = (stored_f, _with_lang(stored_view, view.lang))
        params = {k: v for k, v in flt.to_query(f, view).items() if k in page_params}
    if params != url_params():
        st.query_params.from_dict(params)


def _with_lang(view: flt.View, lang_: str) -> flt.View:
    return replace(view, lang=lang_)


def reset(bounds: tuple[int, int] | None) -> None:
    """Clear every filter; the language, the open tab and the indicator stay."""
    keep = {k: st.session_state.get(k) for k in (W_EN, TAB, W_INDICATOR, W_MODE)}
    st.session_state.update(flt.widget_state(flt.Filters(), flt.View(), bounds), **keep)
    st.session_state[CLAIM] = ""


def select_claim(claim_id: str) -> None:
    """Open the source panel of a claim."""
    st.session_state[CLAIM] = claim_id


def close_claim() -> None:
    """Close the source panel."""
    st.session_state[CLAIM] = ""


def pick_point(key: str) -> None:
    """on_select of a chart: the clicked point's claim id (its customdata) opens its source."""
    state = st.session_state.get(key)
    points = state.selection.points if state else []
    ids = [p.get("customdata") for p in points if p.get("customdata")]
    if ids:
        select_claim(str(ids[0]))


def pick_row() -> None:
    """on_select of the claims table: the selected row's claim opens its source."""
    state = st.session_state.get(TABLE)
    rows = state.selection.rows if state else []
    ids = st.session_state.get(TABLE_IDS, [])
    if rows and rows[0] < len(ids):
        select_claim(ids[rows[0]])


def tabs(lang_: str) -> str:
    """The tab bar (only the open tab runs); the open tab survives a language switch."""
    label = st.session_state.get(W_TAB)
    key = i18n.ui_key(label, "tab_") if label else None
    code = key.removeprefix("tab_") if key else st.session_state.get(TAB, flt.View.tab)
    code = code if code in flt.TABS else flt.View.tab
    st.session_state[TAB] = code
    st.session_state[W_TAB] = i18n.t(f"tab_{code}", lang_)
    st.tabs([i18n.t(f"tab_{c}", lang_) for c in flt.TABS], key=W_TAB, on_change="rerun")
    return code
