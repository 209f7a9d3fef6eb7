"""A square tile-grid cartogram of provinces (no boundaries: one square per province)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from board.charts import FONT
from board.formatting import magnitude
from board.regions import Province

GRID_COLUMNS = ["name", "label", "row", "col", "n"]


def tile_label(p: Province, lang: str) -> str:
    """The text on a tile: the usual short name (四川), or the English name."""
    if lang != "zh" and p.en:
        return p.en.replace(" ", "<br>")  # 'Inner Mongolia' on two lines fits a tile
    two_char = [s for s in p.short if len(s) >= 2]
    return two_char[0] if two_char else p.name


def tile_grid(
    counts: Mapping[str, int], provinces: tuple[Province, ...], lang: str
) -> pd.DataFrame:
    """One row per province with a tile cell: name, label, row, col, claim count n."""
    rows = [
        (p.name, tile_label(p, lang), p.tile[0], p.tile[1], int(counts.get(p.name, 0)))
        for p in provinces
        if p.tile
    ]
    return pd.DataFrame(rows, columns=GRID_COLUMNS)


def _cells(grid: pd.DataFrame, values: pd.Series, shape: tuple[int, int]) -> list[list]:
    z: list[list] = [[None] * shape[1] for _ in range(shape[0])]
    for r, c, v in zip(grid["row"], grid["col"], values, strict=True):
        z[r][c] = v
    return z


def tile_figure(grid: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """The cartogram: grey tiles without claims, blue ones shaded by (log) claim count."""
    shape = (int(grid["row"].max()) + 1, int(grid["col"].max()) + 1) if len(grid) else (1, 1)
    has = grid["n"] > 0
    shade = grid["n"].where(has).map(lambda n: math.log10(n + 1) if n == n else None)
    hover = [
        f"{name}: {magnitude(n, lang)}" for name, n in zip(grid["name"], grid["n"], strict=True)
    ]
    common = {"xgap": 4, "ygap": 4, "showscale": False, "hoverinfo": "text"}
    fig = go.Figure(
        [
            go.Heatmap(
                z=_cells(grid, pd.Series(0, index=grid.index), shape),
                colorscale=[[0, "#E6E6E6"], [1, "#E6E6E6"]],
                text=_cells(grid, pd.Series(hover, index=grid.index), shape),
                **common,
            ),
            go.Heatmap(
                z=_cells(grid[has], shade[has], shape),
                colorscale="Blues",
                zmin=0,
                zmax=max(float(shade.max()) if has.any() else 1.0, 1.0) * 1.1,
                text=_cells(grid[has], pd.Series(hover, index=grid.index)[has], shape),
                **common,
            ),
        ]
    )
    dark = shade.fillna(0) > (float(shade.max()) if has.any() else 1.0) * 0.6
    counts = [f"<b>{magnitude(n, lang)}</b>" if n else "" for n in grid["n"]]
    fig.add_scatter(
        x=grid["col"],
        y=grid["row"],
        mode="text",
        hoverinfo="skip",
        showlegend=False,
        text=[f"{label}<br>{count}" for label, count in zip(grid["label"], counts, strict=True)],
        textfont={
            "size": 11 if lang == "zh" else 10,
            "color": ["white" if d else "#333" for d in dark],
        },
    )
    fig.update_xaxes(visible=False, range=[-0.5, shape[1] - 0.5])
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title={"text": title, "x": 0},
        font={"family": FONT},
        height=560,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig
