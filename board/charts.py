"""Plotly figures from shaped chart data; labels come in translated, numbers get magnitudes."""

from __future__ import annotations

import html
import math
import re
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from board import chart_theme, margins
from board.formatting import (
    WIDE_CHAR,
    display_width,
    linear_ticks,
    log_ticks,
    magnitude,
    needs_log,
    value_label,
)

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
# One fixed colour per reform category, so a category looks the same in every chart.
CATEGORY_COLORS = {
    "services": "#4C78A8",
    "technology": "#72B7B2",
    "enforcement": "#F58518",
    "crime": "#E45756",
    "policing": "#54A24B",
    "governance": "#B279A2",
    "workforce": "#9D755D",
}


# Colour scales as colour lists, as Plotly's validation used to send them: a bare name is
# read by plotly.js, whose "Blues" runs from dark blue to grey, the reverse of plotly.py's.
VALUE_SCALE = plotly.colors.get_colorscale("Viridis")  # perceptually even, readable in grey
COUNT_SCALE = plotly.colors.get_colorscale("Blues")  # counts: pale for few, dark for many
# A colour bar under the plot, from its left edge: on a phone the plot keeps the chart's
# width (beside it, a bar and its labels took a third of it). No title: every label carries
# the unit. margins.fitted makes room for it below the axis labels.
COLORBAR_UNDER = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "x": 0,
    "xanchor": "left",
    "thickness": 12,
    "len": 0.9,  # of the plot's width: room for its labels flat on a phone
}
COLORBAR_LABELS = 3  # at most, on a colour bar under a value chart: flat on a phone
# More points than this draw on WebGL; fewer draw as SVG, which costs the browser less than
# setting up a WebGL context (hundreds of ms without a GPU).
GL_POINTS = 500


def scatter_type(points: int) -> str:
    """SVG for a few hundred points, WebGL beyond."""
    return "scattergl" if points > GL_POINTS else "scatter"


class Figure(go.Figure):
    """A Plotly figure whose dict is its own data and layout, not a copy of them. Streamlit's
    plotly_chart takes a figure's to_dict() only to write its JSON; Plotly's to_dict
    deep-copies the figure and walks every array for numpy ones (which the chart theme has
    made lists already): ~25 ms of a 4,500-point chart, a tenth of a Compare run. The
    figure's live data and layout are Plotly's own attributes (no frames here); a test holds
    the result to Plotly's to_dict."""

    def to_dict(self) -> dict:
        return {"data": self._data, "layout": self._layout}


def figure(data: list[dict], layout: dict, chart_px: float = margins.CHART_PX) -> go.Figure:
    """The figure of plain trace and layout dicts, margins fitted to its axis labels
    (`chart_px`: the chart's width on a desktop), styled by the chart theme in the figure
    (board/chart_theme.py), not validated: Plotly's validation (and
    building through add_trace and update_layout) was most of a chart's server time. A test
    has Plotly validate what every view sends (test_every_chart_is_a_valid_plotly_figure)."""
    traces, styled = chart_theme.themed(data, margins.fitted(layout, data, chart_px))
    return Figure({"data": traces, "layout": styled}, _validate=False)


TITLE_COLUMNS = 46  # a title line's width, a CJK character counting two: a phone's chart width
TITLE_LINE_PX = 20
SOURCE_COLUMNS, SOURCE_LINE_PX = 68, 13  # the source line is in a 10 px font


# Where a title may break: either side of a space or of a wide (CJK) character.
TITLE_BREAK = re.compile(rf"(?<=\s)|(?=\s)|(?<={WIDE_CHAR.pattern})|(?={WIDE_CHAR.pattern})")


def title_lines(title: str, columns: int = TITLE_COLUMNS, at_colon: bool = True) -> list[str]:
    """The title broken into lines that fit a phone-wide chart (Plotly never wraps a title
    and cuts it at the chart's edge): after its colon first, then at spaces, else anywhere."""
    colon = re.search(r"[:：]\s*(?=\S)", title) if at_colon else None
    if colon and display_width(title) > columns:
        head, rest = title[: colon.start() + 1], title[colon.end() :]
        return [*title_lines(head, columns), *title_lines(rest, columns)]
    lines: list[str] = []
    line = ""
    for word in TITLE_BREAK.split(title):
        if line and display_width(line + word) > columns:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    return [*lines, line.rstrip()] if line.strip() or not lines else lines


def title_layout(title: str, top: int) -> tuple[dict, int]:
    """The title (escaped, wrapped) and the top margin that makes room for its lines."""
    lines = title_lines(title)
    text = "<br>".join(html.escape(line) for line in lines)
    spec = {"text": text, "x": 0, "xanchor": "left", "y": 0.99, "yanchor": "top"}
    if len(lines) > 1:  # Plotly anchors a wrapped title too high: its first line would be cut
        spec["pad"] = {"t": TITLE_LINE_PX * (len(lines) - 1) * 0.7}
    return spec, top + TITLE_LINE_PX * (len(lines) - 1)


def source_note(layout: dict, source: str) -> dict:
    """The layout with the source line as the title's subtitle, so a saved image (the PNG
    button) still says where its figures come from, clear of any legend; wrapped like the
    title, the chart growing by the lines it adds."""
    if source:
        lines = title_lines(source, SOURCE_COLUMNS, at_colon=False)
        title = layout.setdefault("title", {})
        title["subtitle"] = {
            "text": "<br>".join(html.escape(line) for line in lines),
            "font": {"size": 10, "color": "#666"},
        }
        extra = SOURCE_LINE_PX * (len(lines) - 1)
        if extra and "height" in layout and "t" in layout.get("margin", {}):
            layout["margin"]["t"] += extra
            layout["height"] += extra
    return layout


# Plotly measures every numeric tick label on each draw to hide those past the chart's edge;
# ours are placed inside the plot's range, and the measuring was a third of a value chart's
# drawing time in the browser (axes and colour bars take this).
TICKS_UNMEASURED = {"ticklabeloverflow": "allow"}
# At the chart's foot, under the axis labels (Plotly stacks the two; one hung below the plot
# ran into turned labels).
LEGEND = {
    "orientation": "h",
    "yref": "container",
    "yanchor": "bottom",
    "y": 0,
    "x": 0,
    "traceorder": "normal",
}


def layout(title: str, height: int = 420, source: str = "", top: int = 64, **extra: object) -> dict:
    """The layout every chart shares (title wrapped with room made for it, font, margins,
    legend, source line), `extra` adding the chart's own entries or replacing shared ones;
    `top`: the margin above the plot for a one-line title."""
    title_spec, margin_top = title_layout(title, top)
    shared = {
        "title": title_spec,
        "font": {"family": FONT, "size": 13},
        "height": height + margin_top - top,
        "margin": {"l": 10, "r": 10, "t": margin_top, "b": 10},
        # Below the plot, a long legend never runs into the title on a phone; in trace
        # order (stacked bars would list theirs reversed).
        "legend": LEGEND,
        "hoverlabel": {"font": {"family": FONT}},
    }
    spec = {**shared, **extra}
    for axis in ("xaxis", "yaxis"):
        spec[axis] = {**TICKS_UNMEASURED, **spec.get(axis, {})}
    return source_note(spec, source)


def _y_axis(values: Sequence[float], lang: str, axis_title: str, unit: str = "") -> dict:
    """A y axis of magnitude tick labels (with `unit`), logarithmic when values span
    magnitudes."""
    vals = [float(v) for v in values]
    log = needs_log(vals)
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    ticks = log_ticks(lo, hi, lang) if log else linear_ticks(lo, hi, lang)
    text = [value_label(v, unit, lang) for v in ticks[0]] if unit else ticks[1]
    return {
        "type": "log" if log else "linear",
        "tickvals": ticks[0],
        "ticktext": text,
        # No title at all when there is none: Plotly keeps room for an empty one.
        **({"title": {"text": axis_title}} if axis_title else {}),
        "rangemode": "normal" if log else "tozero",
    }


def count_bars(
    table: pd.DataFrame,
    dim: str,
    order: Sequence,
    labels: Mapping,
    lang: str,
    title: str,
    axis_title: str,
    cat_labels: Mapping[str, str],
    source: str = "",
) -> go.Figure:
    """Stacked bars of claim counts per `dim` value, one colour per category."""
    x_text = [str(labels.get(v, v)) for v in order]
    stacked = "category" in table.columns and dim != "category"
    groups = table.groupby("category", sort=False) if stacked else [(None, table)]
    data = []
    for cat, part in groups:
        code = cat if stacked else None
        data.append(
            {
                "type": "bar",
                "x": [str(labels.get(v, v)) for v in part[dim]],
                "y": part["n"].to_numpy(),
                "name": cat_labels.get(code, code) if code else axis_title,
                "marker": {
                    "color": CATEGORY_COLORS.get(code)
                    if code
                    else [CATEGORY_COLORS.get(v, "#4C78A8") for v in part[dim]]
                },
                "hovertemplate": "%{x}<br>%{fullData.name}: %{y}<extra></extra>"
                if code
                else "%{x}: %{y}<extra></extra>",
            }
        )
    totals = table.groupby(dim, sort=False)["n"].sum()
    data.append(
        {
            "type": "scatter",
            "x": [str(labels.get(v, v)) for v in totals.index],
            "y": totals.to_numpy(),
            "mode": "text",
            "text": [magnitude(v, lang) for v in totals],
            "textposition": "top center",
            "showlegend": False,
            "hoverinfo": "skip",
        }
    )
    y_axis = _y_axis([0, *totals.tolist()], lang, axis_title)
    if len(totals):
        y_axis["range"] = [0, max(totals.max() * 1.15, 1)]
    spec = layout(
        title,
        source=source,
        barmode="stack",
        showlegend=stacked,
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": x_text,
        },
        yaxis=y_axis,
    )
    return figure(data, spec)


def _jitter(claim_ids: pd.Series, spread: float = 0.3) -> list[float]:
    """A fixed horizontal offset per claim, so points of one column do not hide each other."""
    return [(zlib.crc32(c.encode()) % 1000 / 1000 - 0.5) * 2 * spread for c in claim_ids]


def value_hover(rows: pd.DataFrame, labels: Mapping, unit: str, lang: str, signed: bool) -> list:
    """Hover text of value points; report text is escaped (Plotly reads hover text as HTML)."""
    return [
        f"{html.escape(str(labels.get(p, p)))} {html.escape(c)} {'' if pd.isna(y) else y}<br>"
        f"{html.escape(m)}: <b>{html.escape(r)}</b> "
        f"({html.escape(value_label(v, unit, lang, signed=signed))})"
        for m, r, v, p, c, y in zip(
            rows["metric"],
            rows["raw"],
            rows["value"],
            rows["province"],
            rows["city"],
            rows["year"],
            strict=True,
        )
    ]


def value_points(
    rows: pd.DataFrame,
    dim: str,
    order: Sequence,
    labels: Mapping,
    lang: str,
    title: str,
    unit: str,
    signed: bool = False,
    source: str = "",
    places: Mapping | None = None,
) -> go.Figure:
    """One point per figure of one indicator per `dim` value, coloured by its value with a
    colour bar; selectable (customdata is the claim id). `places`: province names shown."""
    pos = {v: i for i, v in enumerate(order)}
    x = [pos.get(v, -1) + j for v, j in zip(rows[dim], _jitter(rows["claim_id"]), strict=True)]
    vals = rows["value"].to_numpy(dtype=float)
    log = needs_log(vals.tolist())
    colour = np.log10(vals) if log else vals
    ticks = (
        log_ticks(vals.min(), vals.max(), lang)
        if log
        else linear_ticks(vals.min(), vals.max(), lang)
    )
    bar_ticks = ticks[0][:: math.ceil(len(ticks[0]) / COLORBAR_LABELS)]
    trace = {
        "type": scatter_type(len(rows)),
        "x": x,
        "y": vals,
        "mode": "markers",
        "marker": {
            "color": colour,
            "colorscale": VALUE_SCALE,
            "size": 8,
            "opacity": 0.85,
            "colorbar": {
                **TICKS_UNMEASURED,
                **COLORBAR_UNDER,
                "tickvals": np.log10(bar_ticks).tolist() if log else bar_ticks,
                "ticktext": [value_label(v, unit, lang, signed=signed) for v in bar_ticks],
            },
        },
        "customdata": rows["claim_id"].tolist(),
        "hovertext": value_hover(rows, places or {}, unit, lang, signed),
        "hoverinfo": "text",
        "showlegend": False,
    }
    names = labels if dim != "year" else {}
    spec = layout(
        title,
        height=460,
        source=source,
        xaxis={
            "tickvals": list(range(len(order))),
            "range": [-0.6, len(order) - 0.4],
            "ticktext": [str(names.get(v, v)) for v in order],
        },
        yaxis=_y_axis(vals.tolist(), lang, "", unit),
        clickmode="event+select",
        dragmode="pan",
    )
    return figure([trace], spec)


def matrix_heatmap(
    mat: pd.DataFrame,
    row_labels: Mapping,
    col_labels: Mapping,
    lang: str,
    title: str,
    source: str = "",
) -> go.Figure:
    """A heatmap of claim counts: provinces down, categories across, counts written in."""
    z = mat.to_numpy()
    text = [[magnitude(v, lang) if v else "" for v in row] for row in z]
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [col_labels.get(c, c) for c in mat.columns],
        "y": [row_labels.get(r, r) for r in mat.index],
        "text": text,
        "texttemplate": "%{text}",
        "colorscale": COUNT_SCALE,
        "showscale": False,
        "xgap": 2,
        "ygap": 2,
        "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>",
    }
    spec = layout(
        title,
        height=max(300, 150 + 24 * len(mat)),
        source=source,
        yaxis={"autorange": "reversed", "type": "category"},
        # Category names across the top turn with the width: no collisions on a phone.
        xaxis={"side": "top", "type": "category", "tickangle": -35, "automargin": True},
    )
    return figure([trace], spec)
