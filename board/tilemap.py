"""A square tile-grid cartogram of provinces (no boundaries: one square per province),
coloured by one indicator's value with a colour bar."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from board.charts import COLORBAR_UNDER, FONT, TICKS_UNMEASURED, VALUE_SCALE, figure, layout
from board.formatting import linear_ticks, value_label
from board.regions import Province

GRID_COLUMNS = ["name", "label", "row", "col", "value"]


def tile_label(p: Province, lang: str) -> str:
    """The text on a tile: the usual short name (四川), or the English name on lines that
    fit a phone's tile ('Inner<br>Mongolia', 'Heilong-<br>jiang')."""
    if lang != "zh" and p.en:
        return (p.tile_en or p.en).replace(" ", "<br>").replace("-", "-<br>")
    two_char = [s for s in p.short if len(s) >= 2]
    return two_char[0] if two_char else p.name


def tile_grid(
    values: Mapping[str, float], provinces: tuple[Province, ...], lang: str
) -> pd.DataFrame:
    """One row per province with a tile cell: name, label, row, col, value (NaN: none)."""
    rows = [
        (p.name, tile_label(p, lang), p.tile[0], p.tile[1], float(values.get(p.name, math.nan)))
        for p in provinces
        if p.tile
    ]
    return pd.DataFrame(rows, columns=GRID_COLUMNS)


def _cells(grid: pd.DataFrame, values: list, shape: tuple[int, int]) -> list[list]:
    z: list[list] = [[None] * shape[1] for _ in range(shape[0])]
    for r, c, v in zip(grid["row"], grid["col"], values, strict=True):
        z[r][c] = v
    return z


def tile_figure(
    grid: pd.DataFrame, unit: str, lang: str, title: str, signed: bool = False, source: str = ""
) -> go.Figure:
    """The cartogram: grey tiles without a figure, the others coloured by value."""
    shape = (int(grid["row"].max()) + 1, int(grid["col"].max()) + 1) if len(grid) else (1, 1)
    has = grid["value"].notna()
    shown = [value_label(v, unit, lang, signed=signed) if v == v else "" for v in grid["value"]]
    # On a tile the number alone (the unit heads the colour bar): it fits a phone's tile.
    short = [value_label(v, "", lang, signed=signed) if v == v else "" for v in grid["value"]]
    hover = [
        f"{html.escape(n)}: {html.escape(t) or '–'}"
        for n, t in zip(grid["name"], shown, strict=True)
    ]
    lo, hi = (grid["value"].min(), grid["value"].max()) if has.any() else (0.0, 1.0)
    ticks = linear_ticks(lo, hi, lang)
    inside = [v for v in ticks[0] if lo <= v <= hi] or ticks[0]
    common = {"type": "heatmap", "xgap": 4, "ygap": 4, "hoverinfo": "text"}
    dark = (grid["value"] - lo) < (hi - lo) * 0.5  # the low end of Viridis is dark
    data = [
        {
            "z": _cells(grid, [0] * len(grid), shape),
            "colorscale": [[0, "#E6E6E6"], [1, "#E6E6E6"]],
            "text": _cells(grid, hover, shape),
            "showscale": False,
            **common,
        },
        {
            "z": _cells(grid, [v if v == v else None for v in grid["value"]], shape),
            "colorscale": VALUE_SCALE,
            "zmin": lo,
            "zmax": hi if hi > lo else lo + 1,
            "text": _cells(grid, hover, shape),
            "colorbar": {
                **TICKS_UNMEASURED,
                **COLORBAR_UNDER,  # on a phone the tiles get the full width
                "tickvals": inside,
                "ticktext": [value_label(v, unit, lang, signed=signed) for v in inside],
            },
            **common,
        },
        {
            "type": "scatter",
            "x": grid["col"].to_numpy(),
            "y": grid["row"].to_numpy(),
            "mode": "text",
            "hoverinfo": "skip",
            "showlegend": False,
            "text": [
                f"{label}<br><b>{t}</b>" for label, t in zip(grid["label"], short, strict=True)
            ],
            "textfont": {
                "size": 11 if lang == "zh" else 9,
                "color": ["white" if d and h else "#333" for d, h in zip(dark, has, strict=True)],
            },
        },
    ]
    spec = layout(
        title,
        height=560,
        source=source,
        font={"family": FONT},
        xaxis={"visible": False, "range": [-0.5, shape[1] - 0.5]},
        yaxis={"visible": False, "autorange": "reversed", "scaleanchor": "x", "scaleratio": 1},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return figure(data, spec)
