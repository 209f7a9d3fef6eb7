"""Plotly figures from shaped chart data; labels come in translated, numbers get magnitudes."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from board.formatting import linear_ticks, log_ticks, magnitude, needs_log, value_label

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


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "x": 0,
            "title": None,
            "traceorder": "normal",
        },
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def _y_ticks(
    fig: go.Figure, values: Sequence[float], lang: str, axis_title: str, unit: str = ""
) -> bool:
    """Magnitude tick labels on y (with `unit`); logarithmic when values span magnitudes."""
    vals = [float(v) for v in values]
    log = needs_log(vals)
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    ticks = log_ticks(lo, hi, lang) if log else linear_ticks(lo, hi, lang)
    text = [value_label(v, unit, lang) for v in ticks[0]] if unit else ticks[1]
    fig.update_yaxes(
        type="log" if log else "linear",
        tickvals=ticks[0],
        ticktext=text,
        title=axis_title,
        rangemode="normal" if log else "tozero",
    )
    return log


def count_bars(
    table: pd.DataFrame,
    dim: str,
    order: Sequence,
    labels: Mapping,
    lang: str,
    title: str,
    axis_title: str,
    cat_labels: Mapping[str, str],
) -> go.Figure:
    """Stacked bars of claim counts per `dim` value, one colour per category."""
    fig = go.Figure()
    x_text = [str(labels.get(v, v)) for v in order]
    stacked = "category" in table.columns and dim != "category"
    groups = table.groupby("category", sort=False) if stacked else [(None, table)]
    for cat, part in groups:
        code = cat if stacked else None
        fig.add_bar(
            x=[str(labels.get(v, v)) for v in part[dim]],
            y=part["n"],
            name=cat_labels.get(code, code) if code else axis_title,
            marker_color=CATEGORY_COLORS.get(code)
            if code
            else [CATEGORY_COLORS.get(v, "#4C78A8") for v in part[dim]],
            hovertemplate="%{x}<br>%{fullData.name}: %{y}<extra></extra>"
            if code
            else "%{x}: %{y}<extra></extra>",
        )
    totals = table.groupby(dim, sort=False)["n"].sum()
    fig.add_scatter(
        x=[str(labels.get(v, v)) for v in totals.index],
        y=totals.to_numpy(),
        mode="text",
        text=[magnitude(v, lang) for v in totals],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
    )
    fig.update_layout(barmode="stack", showlegend=stacked)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x_text, title=None)
    _y_ticks(fig, [0, *totals.tolist()], lang, axis_title)
    fig.update_yaxes(range=[0, max(totals.max() * 1.15, 1)] if len(totals) else None)
    return _layout(fig, title)


def _jitter(claim_ids: pd.Series, spread: float = 0.3) -> list[float]:
    """A fixed horizontal offset per claim, so points of one column do not hide each other."""
    return [(zlib.crc32(c.encode()) % 1000 / 1000 - 0.5) * 2 * spread for c in claim_ids]


def value_points(
    rows: pd.DataFrame,
    dim: str,
    order: Sequence,
    labels: Mapping,
    lang: str,
    title: str,
    unit: str,
    cat_labels: Mapping[str, str],
) -> go.Figure:
    """One point per claim (its value) per `dim` value, coloured by category; selectable."""
    fig = go.Figure()
    pos = {v: i for i, v in enumerate(order)}
    for cat, part in rows.groupby("category", sort=False):
        x = [pos.get(v, -1) + j for v, j in zip(part[dim], _jitter(part["claim_id"]), strict=True)]
        hover = [
            f"{m}<br>{r} · {value_label(v, unit, lang)}<br>{p} {'' if pd.isna(y) else y}"
            for m, r, v, p, y in zip(
                part["metric"],
                part["raw"],
                part["value"],
                part["province"],
                part["year"],
                strict=True,
            )
        ]
        fig.add_scatter(
            x=x,
            y=part["value"],
            mode="markers",
            name=cat_labels.get(cat, cat),
            marker={"color": CATEGORY_COLORS.get(cat), "size": 9, "opacity": 0.8},
            customdata=part["claim_id"],
            hovertext=hover,
            hoverinfo="text",
        )
    fig.update_xaxes(
        tickvals=list(range(len(order))),
        range=[-0.6, len(order) - 0.4],
        ticktext=[str(labels.get(v, v)) for v in order],
        title=None,
    )
    # The unit is in the title: a rotated one-character axis title reads as a glyph.
    _y_ticks(fig, rows["value"].tolist(), lang, "", unit)
    fig.update_layout(clickmode="event+select", dragmode="pan")
    return _layout(fig, title, height=460)


def matrix_heatmap(
    mat: pd.DataFrame, row_labels: Mapping, col_labels: Mapping, lang: str, title: str
) -> go.Figure:
    """A heatmap of claim counts: provinces down, categories across, counts written in."""
    z = mat.to_numpy()
    text = [[magnitude(v, lang) if v else "" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[col_labels.get(c, c) for c in mat.columns],
            y=[row_labels.get(r, r) for r in mat.index],
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(side="top", type="category")
    return _layout(fig, title, height=max(260, 90 + 28 * len(mat)))
