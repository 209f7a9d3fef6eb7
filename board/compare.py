"""Compare view data and figures: one indicator by region (latest comparable year each) and
over years, the national figure as a reference, every figure traced to its source."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from board import i18n
from board.charts import CATEGORY_COLORS, FONT, scatter_type, source_note, title_layout
from board.comparability import NATIONAL, like_with_like, marks
from board.formatting import linear_ticks, value_label
from board.regions import Province, city_label, province_label
from extract.claim import COLUMNS
from extract.indicators import Indicator

REGION_SEP = " · "
LEGEND_MAX = 10  # more lines than this: no legend, the hover box names the region
LINE_COLORS = plotly.colors.qualitative.Plotly  # Plotly's own cycle, one colour per line
LABEL_ROOM = 0.3  # share of the value range kept beyond the bars for their labels
HOVER_WIDTH = 34  # characters per line of a sentence in a hover box


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
    """Claims of one indicator that have a value: every column plus `region`, in region order."""
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
    return rows


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


def published_last(rows: pd.DataFrame, keys: Sequence[str]) -> tuple[pd.DataFrame, int]:
    """Of the figures sharing `keys` (a region, a region and year), the one published last
    (its report's order breaks ties), in the rows' order; and how many groups had more."""
    if rows.empty:
        return rows, 0
    ordered = rows.sort_values(["published", "start"], kind="stable", na_position="first")
    last = ordered.groupby(list(keys), sort=False, dropna=False).tail(1)
    kept = rows.loc[rows.index.isin(last.index)]
    return kept, int((rows.groupby(list(keys), sort=False, dropna=False).size() > 1).sum())


def one_per_region(latest: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The bar of each region: of its latest year's figures, the one published last; and
    how many regions had more than one."""
    return published_last(latest, ["region"])


def split_national(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The regions' figures and the national ones (province 全国), apart."""
    national = rows["province"] == NATIONAL
    return rows[~national], rows[national]


def compare_rows(rows: pd.DataFrame, show_all: bool) -> tuple[pd.DataFrame, dict[str, int]]:
    """The figures Compare plots (like with like unless `show_all`), each with its `mark`
    (why it does not compare, '' when it does), and the counts left out by reason."""
    split = like_with_like(rows, show_all)
    kept = split.kept.copy()
    kept["mark"] = marks(kept) if len(kept) else pd.Series(dtype=str)
    return kept, split.left_out


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
    """Hover box of one claim: region and period, the figure as written, report, sentence.
    Plotly reads hover text as HTML: everything from a report is escaped."""
    lines = textwrap.wrap(str(row.get("sentence") or ""), HOVER_WIDTH) or ["–"]
    figure = value_label(float(row["value"]), str(row["unit"]), lang, signed=True)
    mark = str(row.get("mark") or "")
    note = f" [{html.escape(i18n.t(f'mark_{mark}', lang))}]" if mark else ""
    return (
        f"<b>{html.escape(region)}</b> {period_label(row['year'], row['period_start'])}{note}<br>"
        f"{html.escape(str(row['metric']))}: <b>{html.escape(str(row['raw']))}</b> "
        f"({html.escape(figure)})<br>"
        f"{html.escape(i18n.column('title', lang))}: {html.escape(str(row['title']))} "
        f"({html.escape(str(row['published']))})<br>" + "<br>".join(map(html.escape, lines))
    )


def _layout(fig: go.Figure, title: str, height: int, source: str) -> go.Figure:
    title_spec, top = title_layout(title, 84)
    fig.update_layout(
        title=title_spec,
        font={"family": FONT, "size": 13},
        height=height + top - 84,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        hoverlabel={"font": {"family": FONT}, "align": "left"},
        clickmode="event+select",
        dragmode=False,
        # Below the plot, so a long legend never runs into the title on a phone.
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title": None},
    )
    return source_note(fig, source)


def _value_axis(fig: go.Figure, values: Sequence[float], ind: Indicator, lang: str, axis: str):
    ticks = linear_ticks(min(values, default=0.0), max(values, default=1.0), lang)
    text = [value_label(v, ind.unit, lang, signed=ind.kind == "change") for v in ticks[0]]
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(tickvals=ticks[0], ticktext=text, title=None, zeroline=True, rangemode="tozero")


def _reference(fig: go.Figure, national: pd.DataFrame, ind: Indicator, lang: str, axis: str):
    """The national figure of its latest year as a dashed line across the bars."""
    if national.empty:
        return
    row = national.sort_values(["year", "published"]).iloc[-1]
    label = (
        f"{i18n.t('national', lang)} {period_label(row['year'], row['period_start'])}: "
        f"{value_label(float(row['value']), ind.unit, lang, signed=ind.kind == 'change')}"
    )
    line = {"line_dash": "dash", "line_color": "#333", "annotation_text": html.escape(label)}
    if axis == "x":
        fig.add_vline(x=float(row["value"]), annotation_position="top right", **line)
    else:
        fig.add_hline(y=float(row["value"]), annotation_position="top left", **line)


def bar_figure(
    latest: pd.DataFrame,
    national: pd.DataFrame,
    labels: Mapping[str, str],
    ind: Indicator,
    lang: str,
    title: str,
    source: str,
) -> go.Figure:
    """One horizontal bar per figure of each region's latest year, regions in GB/T order top
    down, the national figure as a reference line; marked figures are pale."""
    names = _unique([labels.get(r, r) for r in latest["region"]], ["" for _ in latest["region"]])
    rows = records(latest)
    colour = CATEGORY_COLORS.get(ind.category, "#4C78A8")
    signed = ind.kind == "change"
    fig = go.Figure(
        go.Bar(
            y=names,
            x=latest["value"].tolist(),
            orientation="h",
            customdata=latest["claim_id"].tolist(),
            hovertext=[hover_text(r, n, lang) for r, n in zip(rows, names, strict=True)],
            hoverinfo="text",
            marker={
                "color": colour,
                "opacity": [0.45 if r.get("mark") else 1.0 for r in rows],
                "pattern": {"shape": ["/" if r.get("mark") else "" for r in rows]},
            },
            text=[
                html.escape(value_label(v, ind.unit, lang, signed=signed))
                + (f" ({i18n.t('mark_' + r['mark'], lang)})" if r.get("mark") else "")
                for v, r in zip(latest["value"], rows, strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", title=None, automargin=True)
    values = [0.0, *latest["value"].tolist(), *national["value"].tolist()]
    _value_axis(fig, values, ind, lang, "x")
    # Room beyond the longest bar for its label, which Plotly would cut at the chart's edge.
    lo, hi = min(values), max(values)
    pad = LABEL_ROOM * (hi - lo)
    fig.update_xaxes(range=[lo - pad if lo < 0 else lo, hi + pad if hi > 0 else hi])
    _reference(fig, national, ind, lang, "x")
    height = max(260, 90 + 24 * len(latest))
    return _layout(fig, title, height, source)


def _year_trace(
    rows: pd.DataFrame,
    names: Sequence[str],
    lang: str,
    mode: str,
    show_legend: bool,
    national: bool = False,
) -> go.Scatter | go.Scattergl:
    """The points of one or more regions over the years in one trace, `names` the region of
    each row; a gap (None) where the region changes keeps their lines apart."""
    hover = [hover_text(row, name, lang) for row, name in zip(records(rows), names, strict=True)]
    marks = rows["mark"].tolist() if "mark" in rows else [""] * len(rows)
    columns = {
        "x": rows["year"].astype(int).tolist(),
        "y": rows["value"].tolist(),
        "customdata": rows["claim_id"].tolist(),
        "hovertext": hover,
        "symbol": ["circle-open" if m else "circle" for m in marks],
    }
    cuts = [i for i in range(1, len(names)) if names[i] != names[i - 1]]
    for i in reversed(cuts):
        for key, values in columns.items():
            values.insert(i, "circle" if key == "symbol" else None)
    return scatter_type(len(rows))(
        showlegend=show_legend,
        opacity=1.0 if national else 0.8,
        x=columns["x"],
        y=columns["y"],
        name=names[0] if names and not cuts else "",
        mode=mode,
        marker={
            "size": 9,
            "symbol": columns["symbol"],
            **({"color": "#222"} if national else {}),
        },
        line={"dash": "dash", "color": "#222"} if national else {},
        customdata=columns["customdata"],
        hoverinfo="text",
        hovertext=columns["hovertext"],
    )


def year_figure(
    series: pd.DataFrame,
    national: pd.DataFrame,
    labels: Mapping[str, str],
    ind: Indicator,
    lang: str,
    title: str,
    source: str,
) -> go.Figure:
    """One line of points per region over the years, the national series dashed in black.
    Beyond LEGEND_MAX regions there is no legend (30 names would hide the chart; the hover
    box names the region) and regions share LEGEND_MAX traces, broken between regions: a
    trace per region costs the server and the browser more than the points do."""
    fig = go.Figure()
    names = [labels.get(r, r) for r in series["region"]]
    # A region with two figures in one year gets points only: a line would zigzag.
    repeated = series.duplicated(["region", "year"], keep=False)
    doubled = series["region"].isin(series.loc[repeated, "region"]).to_numpy()
    regions = list(dict.fromkeys(series["region"]))
    if len(regions) > LEGEND_MAX:
        # Regions share LEGEND_MAX traces, a colour each, as Plotly's colour cycle would
        # give one trace per region: the same picture at a fraction of the cost.
        slot = series["region"].map({r: i % LEGEND_MAX for i, r in enumerate(regions)})
        for k in range(LEGEND_MAX):
            for keep, mode in ((~doubled, "lines+markers"), (doubled, "markers")):
                keep = keep & (slot == k).to_numpy()
                if keep.any():
                    part_names = [n for n, kept in zip(names, keep, strict=True) if kept]
                    trace = _year_trace(series[keep], part_names, lang, mode, False)
                    colour = LINE_COLORS[k % len(LINE_COLORS)]
                    trace.update(marker_color=colour, line_color=colour)
                    fig.add_trace(trace)
    else:
        for region, part in series.groupby("region", sort=False):
            mode = "markers" if part["year"].duplicated().any() else "lines+markers"
            label = labels.get(region, region)
            fig.add_trace(_year_trace(part, [label] * len(part), lang, mode, True))
    if not national.empty:
        mode = "markers" if national["year"].duplicated().any() else "lines+markers"
        name = i18n.t("national", lang)
        fig.add_trace(_year_trace(national, [name] * len(national), lang, mode, True, True))
    years = sorted({int(y) for y in pd.concat([series["year"], national["year"]]).dropna()})
    fig.update_xaxes(
        tickvals=years,
        ticktext=[str(y) for y in years],
        range=[min(years, default=0) - 0.5, max(years, default=0) + 0.5],
        title=None,
    )
    values = [0.0, *series["value"].tolist(), *national["value"].tolist()]
    _value_axis(fig, values, ind, lang, "y")
    return _layout(fig, title, 420, source)
