"""Compare view data and figures: one indicator by region (latest comparable year each) and
over years, the national figure as a reference, every figure traced to its source."""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from board import i18n, margins
from board.charts import CATEGORY_COLORS, FONT, figure, layout, scatter_type
from board.comparability import NATIONAL, like_with_like, marks
from board.formatting import linear_ticks, value_label
from board.regions import Province, city_label, province_label
from extract.claim import COLUMNS
from extract.indicators import Indicator

REGION_SEP = " · "
LEGEND_MAX = 10  # more lines than this: no legend, the hover box names the region
LINE_COLORS = plotly.colors.qualitative.Plotly  # Plotly's own cycle, one colour per line
LABEL_ROOM = 0.3  # share of the value range kept left of falling bars for their labels
BAR_PX = 24  # a bar's slot, its region's name on one line
BAR_TEXT_PAD = 14  # between a bar's end and its label (Plotly's 3 px), and after the label
HOVER_WIDTH = 34  # characters per line of a sentence in a hover box
# What a hover box reads of a claim.
HOVER_FIELDS = (
    *("metric", "raw", "value", "unit", "year", "period_start", "mark"),
    *("title", "published", "sentence"),
)


def indicator_counts(
    df: pd.DataFrame, codes: Sequence[str], among: pd.Series | None = None
) -> list[tuple[str, int, int]]:
    """(code, regions, claims) of the indicators in df (in its rows `among`, when given):
    most regions first, then `codes` order."""
    keep = df["value"].notna() & (df["indicator"] != "")
    rows = df.loc[keep if among is None else keep & among, ["indicator", "province", "city"]]
    claims = rows["indicator"].value_counts()
    claims = claims[claims > 0]  # a categorical column counts its absent values as 0
    regions = rows.drop_duplicates().groupby("indicator", observed=True).size()
    found = [(code, int(regions[code]), int(claims[code])) for code in codes if code in claims]
    return sorted(found, key=lambda item: -item[1])


def plain(rows: pd.DataFrame) -> pd.DataFrame:
    """A copy with categorical columns as plain text (a small subset, shaped freely)."""
    cats = [c for c in rows.columns if isinstance(rows[c].dtype, pd.CategoricalDtype)]
    return rows.astype({c: object for c in cats}) if cats else rows.copy()


def records(rows: pd.DataFrame) -> list[dict]:
    """The rows as dicts, column by column (DataFrame.to_dict("records") goes row by row
    through pandas and was most of a chart's time)."""
    columns = [rows[c].tolist() for c in rows.columns]
    return [dict(zip(rows.columns, values, strict=True)) for values in zip(*columns, strict=True)]


def region_key(province: str, city: str) -> str:
    """'四川省' for a province-wide figure, '四川省 · 攀枝花市' for a city's."""
    return f"{province}{REGION_SEP}{city}" if city else province


def indicator_rows(df: pd.DataFrame, code: str, province_order: Sequence[str] = ()) -> pd.DataFrame:
    """Claims of one indicator that have a value: every column plus `region` and `mark` (why
    it does not compare, '' when it does), in region order."""
    extra = [c for c in ("span", "level") if c in df and c not in COLUMNS]
    # Rows first, then columns: only the indicator's rows are copied.
    rows = df[(df["indicator"] == code) & df["value"].notna()][[*COLUMNS, *extra]]
    rank = {name: i for i, name in enumerate(province_order)}
    rank_of = rows["province"].astype(object).map(rank).fillna(len(rank))
    keys = ["_rank", "province", "city", "year", "published", "start"]
    # Sorted before the categories become text: a sort of codes, the same order where the
    # categories are in text order (as astype("category") makes them), else sorted as text.
    unsorted = [
        k
        for k in keys[1:]
        if isinstance(rows[k].dtype, pd.CategoricalDtype)
        and not rows[k].cat.categories.is_monotonic_increasing
    ]
    rows = rows.assign(_rank=rank_of).astype({k: object for k in unsorted})
    rows = rows.sort_values(keys, kind="stable", na_position="first")
    rows = plain(rows.drop(columns="_rank"))
    rows["region"] = [region_key(p, c) for p, c in zip(rows["province"], rows["city"], strict=True)]
    rows["mark"] = marks(rows)
    return rows


def sort_codes(column: pd.Series, na_first: bool = False) -> np.ndarray:
    """Integers that sort as the column's values do (missing ones first or last): sorting
    many rows by a few such keys is a fraction of sorting the rows by their text."""
    codes, _ = pd.factorize(column, sort=True)
    return np.where(codes < 0, -1 if na_first else len(codes), codes)


KEY_BITS = 62  # a combined sort key stays below 2**62: int64, with room to spare


def stable_order(codes: Sequence[np.ndarray]) -> np.ndarray:
    """The positions in the stable order of integer `codes` (the first the most significant):
    one sort of a single combined key when it fits in KEY_BITS (np.lexsort of four keys took
    10 ms of 27k rows), else np.lexsort."""
    key = np.zeros(len(codes[0]) if len(codes) else 0, dtype=np.int64)
    room = 1
    for code in codes:
        code = code - code.min() if len(code) else code
        size = int(code.max()) + 1 if len(code) else 1
        room *= size
        if room >= 2**KEY_BITS:
            return np.lexsort(list(reversed(codes)))
        key = key * size + code
    return np.argsort(key, kind="stable")


def sorted_order(rows: pd.DataFrame, keys: Sequence[str], na_first: bool = False) -> np.ndarray:
    """The positions of `rows` in the (stable) order of `keys`, as sort_values gives."""
    return stable_order([sort_codes(rows[k], na_first) for k in keys])


def published_last(rows: pd.DataFrame, keys: Sequence[str]) -> tuple[pd.DataFrame, int]:
    """Of the figures sharing `keys` (a region, a region and year), the one published last
    (its report's order breaks ties), in the rows' order; and how many groups had more."""
    if rows.empty:
        return rows, 0
    order = sorted_order(rows, ["published", "start"], na_first=True)
    groups = rows.groupby(list(keys), sort=False, dropna=False).ngroup().to_numpy()
    last = np.zeros(len(rows), dtype=bool)
    last[order[~pd.Series(groups[order]).duplicated(keep="last").to_numpy()]] = True
    return rows.take(np.flatnonzero(last)), int((np.bincount(groups) > 1).sum())


def compare_rows(rows: pd.DataFrame, show_all: bool) -> tuple[pd.DataFrame, dict[str, int]]:
    """The figures Compare plots (like with like unless `show_all`), each with its `mark`
    (why it does not compare, '' when it does), and the counts left out by reason."""
    if "mark" not in rows:
        rows = rows.assign(mark=marks(rows))
    split = like_with_like(rows, show_all)
    return split.kept, split.left_out


def _run_ends(values: np.ndarray) -> np.ndarray:
    """Where a run of equal values ends: the last of each run is True."""
    ends = np.ones(len(values), dtype=bool)
    ends[:-1] = values[1:] != values[:-1]
    return ends


class CompareSets(NamedTuple):
    """What the Compare charts draw of an indicator's figures, in region order."""

    bars: pd.DataFrame  # each region's figure of its latest year, the one published last
    several: int  # regions with more than one figure in their latest year
    series: pd.DataFrame  # each region's figure of each year, the one published last
    undrawn: int  # regions' figures not in series: undated, or not published last
    national_years: pd.DataFrame  # the national figure of each year, the one published last


def compare_sets(rows: pd.DataFrame) -> CompareSets:
    """Bars, year series and the national figures of `rows` (an indicator's, any order).
    One sort of positions by region (first seen first), year, publication date and position
    in the report finds them all; only the rows drawn are copied (copying all of an
    indicator's 28k rows to sort them took a third of a Compare run at a million claims)."""
    national = rows["province"].to_numpy(object) == NATIONAL
    region = pd.factorize(np.where(national, NATIONAL, rows["region"].to_numpy(object)))[0]
    year = rows["year"].to_numpy(dtype="float64", na_value=np.nan)
    dated = np.flatnonzero(~np.isnan(year))  # undated figures are in no chart
    published, start = (sort_codes(rows[k].take(dated), True) for k in ("published", "start"))
    order = dated[stable_order([region[dated], year[dated].astype(np.int64), published, start])]
    region_ends = _run_ends(region[order])  # a region's last, of its latest year
    ends = region_ends | _run_ends(year[order])  # the last of a region's year
    starts = np.ones(len(ends), dtype=bool)
    starts[1:] = ends[:-1]
    group = np.cumsum(starts) - 1  # a region's year: its number in the sorted order
    more = np.bincount(group)[group] > 1
    region_last = order[region_ends]
    regional = ~national[region_last]
    year_last = order[ends]
    series = rows.take(year_last[~national[year_last]])
    return CompareSets(
        bars=rows.take(np.sort(region_last[regional])),
        several=int((more[region_ends] & regional).sum()),
        series=series,
        undrawn=int((~national).sum()) - len(series),
        national_years=rows.take(year_last[national[year_last]]),
    )


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


WRAP_AT = re.compile(r"[\s-]")  # where textwrap may break a line: whitespace, hyphens


def hover_lines(sentence: str) -> list[str]:
    """The sentence in lines of HOVER_WIDTH characters, as textwrap.wrap breaks them: a
    sentence with nowhere to break (most Chinese ones) is cut every HOVER_WIDTH characters,
    which is what textwrap does to it, at a fraction of its cost."""
    if WRAP_AT.search(sentence):
        return textwrap.wrap(sentence, HOVER_WIDTH)
    return [sentence[i : i + HOVER_WIDTH] for i in range(0, len(sentence), HOVER_WIDTH)]


def hover_text(row: Mapping, region: str, lang: str) -> str:
    """Hover box of one claim: region and period, the figure as written, report, sentence.
    Plotly reads hover text as HTML: everything from a report is escaped."""
    lines = hover_lines(str(row.get("sentence") or "")) or ["–"]
    shown = value_label(float(row["value"]), str(row["unit"]), lang, signed=True)
    mark = str(row.get("mark") or "")
    note = f" [{html.escape(i18n.t(f'mark_{mark}', lang))}]" if mark else ""
    return (
        f"<b>{html.escape(region)}</b> {period_label(row['year'], row['period_start'])}{note}<br>"
        f"{html.escape(str(row['metric']))}: <b>{html.escape(str(row['raw']))}</b> "
        f"({html.escape(shown)})<br>"
        f"{html.escape(i18n.column('title', lang))}: {html.escape(str(row['title']))} "
        f"({html.escape(str(row['published']))})<br>" + "<br>".join(map(html.escape, lines))
    )


def hover_texts(rows: pd.DataFrame, names: Sequence[str], lang: str) -> list[str]:
    """The hover box of each row, `names` the region of each."""
    fields = rows[[c for c in HOVER_FIELDS if c in rows]]
    return [hover_text(row, name, lang) for row, name in zip(records(fields), names, strict=True)]


def region_names(rows: pd.DataFrame, labels: Mapping[str, str], lang: str) -> list[str]:
    """The region each row is shown under in the year chart: its label, or 'national'."""
    national = i18n.t("national", lang)
    return [
        national if p == NATIONAL else labels.get(r, r)
        for p, r in zip(rows["province"], rows["region"], strict=True)
    ]


def with_hover(rows: pd.DataFrame, provinces: tuple[Province, ...], lang: str) -> pd.DataFrame:
    """The rows with their year-chart hover box (`hover`), made once where rows are cached:
    with every figure shown, writing thousands of boxes was a fifth of a run."""
    labels = region_labels(rows["region"].unique(), provinces, lang)
    return rows.assign(hover=hover_texts(rows, region_names(rows, labels, lang), lang))


def _layout(title: str, height: int, source: str, **extra: object) -> dict:
    """The layout of both Compare charts: room for a two-line title, points selectable,
    hover boxes left-aligned (they hold a sentence)."""
    return layout(
        title,
        height,
        source,
        top=84,
        hoverlabel={"font": {"family": FONT}, "align": "left"},
        clickmode="event+select",
        dragmode=False,
        **extra,
    )


def _value_axis(values: Sequence[float], ind: Indicator, lang: str) -> dict:
    ticks = linear_ticks(min(values, default=0.0), max(values, default=1.0), lang)
    text = [value_label(v, ind.unit, lang, signed=ind.kind == "change") for v in ticks[0]]
    return {
        "tickvals": ticks[0],
        "ticktext": text,
        "zeroline": True,
        "rangemode": "tozero",
    }


def _reference(row: pd.Series, ind: Indicator, lang: str, span: tuple[float, float]) -> dict:
    """The national figure `row` as a dashed vertical line across the bars, labelled just
    above the plot (inside, it lay over the first bar's label), on the side of the line
    with more of the axis' `span`: the layout's shapes and annotations."""
    label = (
        f"{i18n.t('national', lang)} {period_label(row['year'], row['period_start'])}: "
        f"{value_label(float(row['value']), ind.unit, lang, signed=ind.kind == 'change')}"
    )
    x = float(row["value"])
    side = "right" if x - span[0] > span[1] - x else "left"
    place = {"xref": "x", "yref": "y domain"}  # at the value, across the plot's height
    line = {"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, **place}
    note = {"text": html.escape(label), "showarrow": False, "x": x, "y": 1, **place}
    return {
        "shapes": [{**line, "line": {"color": "#333", "dash": "dash"}}],
        "annotations": [{**note, "xanchor": side, "yanchor": "bottom"}],
    }


def bar_figure(
    latest: pd.DataFrame,
    national_years: pd.DataFrame,
    labels: Mapping[str, str],
    ind: Indicator,
    lang: str,
    title: str,
    source: str,
) -> go.Figure:
    """One horizontal bar per figure of `latest` (each region's of its latest year), regions
    in GB/T order top down; the national figure of its latest year (the last of
    `national_years`, one a year in year order) a reference line; marked figures pale."""
    marks = _marks(latest)
    names = _unique([labels.get(r, r) for r in latest["region"]], ["" for _ in latest["region"]])
    # A mark under its region's name, not after the value: the value's label stays short
    # (it needs room right of the bar, which a phone's chart has little of).
    ticks = [
        html.escape(n) + (f"<br>({html.escape(i18n.t('mark_' + m, lang))})" if m else "")
        for n, m in zip(names, marks, strict=True)
    ]
    colour = CATEGORY_COLORS.get(ind.category, "#4C78A8")
    signed = ind.kind == "change"
    texts = [html.escape(value_label(v, ind.unit, lang, signed=signed)) for v in latest["value"]]
    bar = {
        "type": "bar",
        "y": ticks,
        "x": latest["value"].tolist(),
        "orientation": "h",
        "customdata": latest["claim_id"].tolist(),
        "hovertext": _hovers(latest, names, lang),
        "hoverinfo": "text",
        "marker": {
            "color": colour,
            "opacity": [0.45 if m else 1.0 for m in marks],
            "pattern": {"shape": ["/" if m else "" for m in marks]},
        },
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
    }
    reference = national_years.iloc[-1] if len(national_years) else None
    values = [0.0, *latest["value"].tolist(), *([] if reference is None else [reference["value"]])]
    # Room left of the longest falling bar for its label, which Plotly would cut at the
    # plot's edge (rising bars' labels run into the right margin, below).
    lo, hi = min(values), max(values)
    span = (lo - LABEL_ROOM * (hi - lo) if lo < 0 else lo, hi)
    x_axis = {**_value_axis(values, ind, lang), "range": list(span)}
    # Regions, one bar each: no grid or zero line across them (the theme's y axes have both).
    y_axis = {
        "autorange": "reversed",
        "type": "category",
        "automargin": True,
        "showgrid": False,
        "zeroline": False,
    }
    layout = _layout(
        title,
        max(260, 90 + (BAR_PX + 12 * any(marks)) * len(latest)),  # a mark: a second line
        source,
        xaxis=x_axis,
        yaxis=y_axis,
        **({} if reference is None else _reference(reference, ind, lang, span)),
    )
    # The labels of rising bars run past the plot into a right margin as wide as the widest
    # (a share of the axis kept for them was too little on a phone or with a mark): the
    # plot's width, unknown here, cannot cut them.
    size = layout["font"]["size"]
    rising = [margins.text_px(t, size) for t, v in zip(texts, bar["x"], strict=True) if v > 0]
    if rising:
        need = math.ceil(max(rising)) + BAR_TEXT_PAD
        layout["margin"] = {**layout["margin"], "r": max(layout["margin"]["r"], need)}
    return figure([bar], layout, margins.HALF_CHART_PX)


def _marks(rows: pd.DataFrame) -> list[str]:
    """Why each row does not compare ('' when it does; compare_rows sets them)."""
    return [m or "" for m in rows["mark"]] if "mark" in rows else [""] * len(rows)


def _hovers(rows: pd.DataFrame, names: Sequence[str], lang: str) -> list[str]:
    """The rows' hover boxes: written already (with_hover), else now, `names` the region
    of each."""
    return rows["hover"].tolist() if "hover" in rows else hover_texts(rows, names, lang)


def _year_points(rows: pd.DataFrame, names: Sequence[str], lang: str) -> dict[str, list]:
    """What a year chart draws of each row, `names` the region of each."""
    marks = _marks(rows)
    return {
        "x": rows["year"].astype(int).tolist(),
        "y": rows["value"].tolist(),
        "customdata": rows["claim_id"].tolist(),
        "hovertext": _hovers(rows, names, lang),
        "symbol": ["circle-open" if m else "circle" for m in marks],
        "name": list(names),
    }


def _year_trace(
    points: dict[str, list],
    picked: Sequence[int],
    show_legend: bool = False,
    national: bool = False,
) -> dict:
    """The `picked` points of one or more regions over the years in one trace; a gap (None)
    where the region changes keeps their lines apart."""
    columns = {k: [points[k][i] for i in picked] for k in points}
    names = columns.pop("name")
    cuts = [i for i in range(1, len(names)) if names[i] != names[i - 1]]
    for i in reversed(cuts):
        for key, values in columns.items():
            values.insert(i, "circle" if key == "symbol" else None)
    return {
        "type": scatter_type(len(picked)),
        "showlegend": show_legend,
        "opacity": 1.0 if national else 0.8,
        "x": columns["x"],
        "y": columns["y"],
        "name": html.escape(names[0]) if names and not cuts else "",  # Plotly reads markup
        "mode": "lines+markers",
        "marker": {
            "size": 9,
            "symbol": columns["symbol"],
            **({"color": "#222"} if national else {}),
        },
        "line": {"dash": "dash", "color": "#222"} if national else {},
        "customdata": columns["customdata"],
        "hoverinfo": "text",
        "hovertext": columns["hovertext"],
    }


def year_figure(
    series: pd.DataFrame,
    national: pd.DataFrame,
    labels: Mapping[str, str],
    ind: Indicator,
    lang: str,
    title: str,
    source: str,
) -> go.Figure:
    """One line of points per region over the years, the national series dashed in black;
    one figure a region and year (compare_sets: a line through two would zigzag).
    Beyond LEGEND_MAX regions there is no legend (30 names would hide the chart; the hover
    box names the region) and regions share LEGEND_MAX traces, broken between regions: a
    trace per region costs the server and the browser more than the points do."""
    data = []
    points = _year_points(series, region_names(series, labels, lang), lang)
    at: dict[str, list[int]] = {}  # region -> its rows' positions, regions in order
    for i, region in enumerate(series["region"]):
        at.setdefault(region, []).append(i)
    if len(at) > LEGEND_MAX:
        # Regions share LEGEND_MAX traces, a colour each, as Plotly's colour cycle would
        # give one trace per region: the same picture at a fraction of the cost.
        regions = list(at)
        for k in range(LEGEND_MAX):
            trace = _year_trace(points, sorted(i for r in regions[k::LEGEND_MAX] for i in at[r]))
            trace["marker"]["color"] = trace["line"]["color"] = LINE_COLORS[k % len(LINE_COLORS)]
            data.append(trace)
    else:
        data.extend(_year_trace(points, picked, show_legend=True) for picked in at.values())
    if not national.empty:
        names = region_names(national, labels, lang)
        every = range(len(national))
        data.append(_year_trace(_year_points(national, names, lang), every, True, national=True))
    years = sorted({int(y) for y in pd.concat([series["year"], national["year"]]).dropna()})
    x_axis = {
        "tickvals": years,
        "ticktext": [str(y) for y in years],
        "range": [min(years, default=0) - 0.5, max(years, default=0) + 0.5],
    }
    values = [0.0, *series["value"].tolist(), *national["value"].tolist()]
    layout = _layout(title, 420, source, xaxis=x_axis, yaxis=_value_axis(values, ind, lang))
    return figure(data, layout, margins.HALF_CHART_PX)
