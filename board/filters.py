"""Filter and view state: to and from URL query parameters, and applied to claims."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from board.regions import Province, groups_of, order_provinces
from extract.claim import KINDS

Synonyms = Callable[[str], Sequence[str]]
TextSearch = Callable[[str], np.ndarray]  # a term -> which rows' text contains it
# A city value standing for claims about a whole province (city == '').
PROVINCE_WIDE = "全省"
MODES = ("value", "count")
TABS = ("compare", "province", "year", "category", "map", "coverage", "table")
LIST_PARAMS = {
    "groups": "group",
    "provinces": "province",
    "cities": "city",
    "categories": "cat",
    "units": "unit",
    "kinds": "kind",
}


@dataclass(frozen=True)
class Filters:
    """Which claims to show; an empty selection means no restriction."""

    groups: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    categories: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    query: str = ""


@dataclass(frozen=True)
class View:
    """How to show them: language, tab, chart mode, the indicator, a claim, and whether
    figures that do not compare (multi-year, part-year, a city's) are shown, marked."""

    lang: str = "zh"
    tab: str = "compare"
    mode: str = "value"
    indicator: str = ""
    claim: str = ""
    all: bool = False


def _parse_years(values: Sequence[str]) -> tuple[int, int] | None:
    text = values[-1] if values else ""
    parts = [p for p in text.replace("~", "-").split("-") if p.strip()]
    try:
        years = [int(p) for p in parts]
    except ValueError:
        return None
    if len(years) == 1:
        return years[0], years[0]
    return (min(years[:2]), max(years[:2])) if len(years) == 2 else None


def _last(params: Mapping[str, Sequence[str]], key: str) -> str:
    values = params.get(key) or []
    return str(values[-1]).strip() if values else ""


def from_query(params: Mapping[str, Sequence[str]]) -> tuple[Filters, View]:
    """Filters and view from query parameters (each key -> all its values)."""
    lists = {
        name: tuple(dict.fromkeys(v.strip() for v in params.get(key) or () if v.strip()))
        for name, key in LIST_PARAMS.items()
    }
    filters = Filters(**lists, years=_parse_years(params.get("y") or ()), query=_last(params, "q"))
    lang, mode, tab = _last(params, "lang"), _last(params, "mode"), _last(params, "tab")
    view = View(
        lang=lang if lang in ("zh", "en") else "zh",
        tab=tab if tab in TABS else View.tab,
        mode=mode if mode in MODES else View.mode,
        indicator=_last(params, "indicator"),
        claim=_last(params, "claim"),
        all=_last(params, "all") in ("1", "true"),
    )
    return filters, view


def to_query(filters: Filters, view: View) -> dict[str, list[str]]:
    """Query parameters for a state, leaving out whatever is at its default."""
    params = {key: list(getattr(filters, name)) for name, key in LIST_PARAMS.items()}
    if filters.years:
        params["y"] = [f"{filters.years[0]}-{filters.years[1]}"]
    params["q"] = [filters.query] if filters.query else []
    default = View()
    for f in fields(View):
        value = getattr(view, f.name)
        text = "1" if value is True else str(value)
        params[f.name] = [text] if value != getattr(default, f.name) else []
    return {k: v for k, v in params.items() if v}


def restrict(
    filters: Filters, options: Mapping[str, Sequence[str]], bounds: tuple[int, int] | None
) -> Filters:
    """Filters keeping only values that exist in `options` and years clipped to `bounds`."""
    kept = {
        name: tuple(v for v in getattr(filters, name) if v in set(options.get(name, ())))
        for name in LIST_PARAMS
    }
    years = filters.years
    if years and bounds:
        lo, hi = max(years[0], bounds[0]), min(years[1], bounds[1])
        years = None if (lo, hi) == tuple(bounds) or lo > hi else (lo, hi)
    elif not bounds:
        years = None
    return Filters(**kept, years=years, query=filters.query)


def _search_mask(
    df: pd.DataFrame, query: str, synonyms: Synonyms, index: TextSearch | None
) -> np.ndarray:
    """Every term found in the metric, the sentence or the indicator's names and keywords;
    `index` (built over df's metric and sentence, row for row) finds them faster."""
    mask = np.ones(len(df), dtype=bool)
    for term in query.split():
        if index is not None:
            hit = index(term)
        else:
            hit = df["metric"].str.contains(term, case=False, regex=False).to_numpy()
            hit |= df["sentence"].str.contains(term, case=False, regex=False).to_numpy()
        codes = synonyms(term)
        if codes:
            hit |= df["indicator"].isin(codes).to_numpy()
        mask &= hit
    return mask


def apply_filters(
    df: pd.DataFrame,
    filters: Filters,
    groups: Mapping[str, str] | None = None,
    synonyms: Synonyms = lambda term: (),
    index: TextSearch | None = None,
) -> pd.DataFrame:
    """The claims that pass every filter; `groups` maps a province to its region group,
    `synonyms` a search term to the indicator codes it names; `index` searches df's text."""
    if filters == Filters():
        return df
    mask = np.ones(len(df), dtype=bool)
    if filters.groups:
        # The provinces of the groups, matched by isin: on a categorical column a comparison
        # of codes, where mapping every row to its group was most of a filter's time.
        members = [p for p, group in (groups or {}).items() if group in filters.groups]
        mask &= df["province"].isin(members).to_numpy()
    if filters.provinces:
        mask &= df["province"].isin(filters.provinces).to_numpy()
    if filters.cities:
        hit = df["city"].isin(filters.cities)
        if PROVINCE_WIDE in filters.cities:
            hit |= df["city"] == ""
        mask &= hit.to_numpy()
    if filters.years:
        years = df["year"]
        mask &= (years.ge(filters.years[0]) & years.le(filters.years[1])).fillna(False).to_numpy()
    for name, col in (("categories", "category"), ("units", "unit"), ("kinds", "kind")):
        if getattr(filters, name):
            mask &= df[col].isin(getattr(filters, name)).to_numpy()
    if filters.query.strip():
        mask &= _search_mask(df, filters.query, synonyms, index)
    return df[mask]


# Session-state keys of the sidebar widgets, by Filters/View field.
WIDGET_KEYS = {
    "groups": "w_group",
    "provinces": "w_province",
    "cities": "w_city",
    "categories": "w_cat",
    "units": "w_unit",
    "kinds": "w_kind",
}


def widget_state(filters: Filters, view: View, bounds: tuple[int, int] | None) -> dict[str, object]:
    """Initial widget values (session-state key -> value) for a state restored from a URL."""
    state: dict[str, object] = {
        key: list(getattr(filters, name)) for name, key in WIDGET_KEYS.items()
    }
    if bounds:
        state["w_years"] = filters.years or bounds
    state.update(
        w_q=filters.query,
        w_en=view.lang == "en",
        tab=view.tab,
        w_mode=view.mode,
        w_indicator=view.indicator,
        w_all=view.all,
        claim=view.claim,
    )
    return state


def from_widgets(
    state: Mapping[str, object], bounds: tuple[int, int] | None
) -> tuple[Filters, View]:
    """Filters and view from the widget values; a full year range means no year filter."""
    lists = {name: tuple(state.get(key) or ()) for name, key in WIDGET_KEYS.items()}
    years = state.get("w_years")
    years = tuple(int(y) for y in years) if years and bounds else None
    filters = Filters(
        **lists,
        years=None if years == tuple(bounds or ()) else years,
        query=str(state.get("w_q") or "").strip(),
    )
    mode = str(state.get("w_mode") or View.mode)
    tab = str(state.get("tab") or View.tab)
    view = View(
        lang="en" if state.get("w_en") else "zh",
        tab=tab if tab in TABS else View.tab,
        mode=mode if mode in MODES else View.mode,
        indicator=str(state.get("w_indicator") or ""),
        claim=str(state.get("claim") or ""),
        all=bool(state.get("w_all")),
    )
    return filters, view


def _ordered(present: Sequence[str], order: Sequence[str]) -> list[str]:
    known = [v for v in order if v in set(present)]
    return known + sorted(v for v in set(present) if v not in set(known))


def _city_options(df: pd.DataFrame, provinces: tuple[Province, ...]) -> list[str]:
    cities = [c for c in df["city"].unique() if c]
    order = [c.name for p in provinces for c in p.cities]
    wide = [PROVINCE_WIDE] if (df["city"] == "").any() else []
    return wide + _ordered(cities, order)


def filter_options(
    df: pd.DataFrame,
    name: str,
    provinces: tuple[Province, ...],
    group_order: Sequence[str],
    category_order: Sequence[str],
) -> list[str]:
    """The values a filter offers for these claims, in display order."""
    if name == "provinces":
        return order_provinces([p for p in df["province"].unique() if p], provinces)
    if name == "groups":
        groups = groups_of(provinces)
        return _ordered([groups[p] for p in df["province"].unique() if p in groups], group_order)
    if name == "cities":
        return _city_options(df, provinces)
    if name == "categories":
        return _ordered([c for c in df["category"].unique() if c], category_order)
    if name == "kinds":
        return _ordered([k for k in df["kind"].unique() if k], KINDS)
    counts = df.loc[df["unit"] != "", "unit"].value_counts()
    counts = counts[counts > 0]
    return sorted(counts.index, key=lambda u: (-counts[u], u))
