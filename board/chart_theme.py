"""The figure as Streamlit's chart theme would style it, stated in the figure itself.

Streamlit copies a chart's figure again just after it is first drawn; Plotly then compares
the copy with what it drew and draws the whole chart a second time when anything differs by
identity that it cannot compare by value: a template (any object) or a typed array (what
plotly.py makes of numpy arrays). Before this module, every changed chart was drawn twice
per filter change, the second time about 100 ms after the first, at any size. So the figure here
carries the theme's values itself (no template), plain lists, and a `datarevision` that
tells Plotly whether the data changed at all; it is sent with Streamlit's theme off.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

THEME_PATH = Path(__file__).with_name("chart_theme.yaml")
AXIS_KEY = re.compile(r"([xy])axis(\d*)")
SCALARS = frozenset({str, int, float, bool, type(None)})  # what `plain` need not look inside


@cache
def load_theme(path: Path = THEME_PATH) -> dict[str, Any]:
    """The theme's layout, x axis, y axis and per-trace-type values."""
    with path.open(encoding="utf-8") as fh:
        theme = yaml.safe_load(fh)
    unknown = set(theme) - {"layout", "xaxis", "yaxis", "traces"}
    if unknown:
        raise ValueError(f"{path.name}: unknown sections {sorted(unknown)}")
    return theme


def under(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` with what it leaves unset taken from `base`, nested dicts merged likewise; new
    dicts throughout, so the result shares none with the (cached) theme."""
    merged = {
        key: under(value, {}) if isinstance(value, Mapping) else value
        for key, value in base.items()
    }
    for key, value in over.items():
        old = merged.get(key)
        merged[key] = (
            under(old, value) if isinstance(old, Mapping) and isinstance(value, Mapping) else value
        )
    return merged


def plain(value: Any) -> Any:
    """Arrays as lists, in nested dicts and lists: Plotly's change check compares lists
    (by a revision) but treats a typed array as changed whenever it is a new object."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, np.ndarray | pd.Series | pd.Index):
        return np.asarray(value).tolist()
    if isinstance(value, list | tuple):
        # Most lists hold only text and numbers: their types are checked in one pass in C
        # (an isinstance test of each of ~4,500 hover texts against Mapping took ~12 ms).
        if SCALARS.issuperset(map(type, value)):
            return list(value)
        return [plain(item) for item in value]
    return value


def revision(data: list[dict]) -> str:
    """A digest of the (plain) traces: Plotly redraws the data when it changes, and only then.
    Pickled, not printed: four times faster on ~4,500 points with their hover text."""
    return hashlib.blake2b(pickle.dumps(data, protocol=5), digest_size=8).hexdigest()


def axis_keys(layout: Mapping[str, Any], data: list[dict]) -> set[str]:
    """Every axis of the figure: those the layout sets and those the traces are drawn on."""
    keys = {key for key in layout if AXIS_KEY.fullmatch(key)}
    for trace in data:
        for letter in "xy":
            ref = str(trace.get(f"{letter}axis", letter))
            keys.add(f"{letter}axis{ref[1:]}")
    return keys


def themed(data: list[dict], layout: Mapping[str, Any]) -> tuple[list[dict], dict[str, Any]]:
    """The traces and layout with the theme under them, as a template would apply it (what
    a figure sets wins), the title in bold as Streamlit shows it, and no template."""
    theme = load_theme()
    traces = [under(theme["traces"].get(t.get("type", "scatter"), {}), plain(t)) for t in data]
    styled = under(theme["layout"], layout)
    for key in axis_keys(layout, traces):
        styled[key] = under(theme[key[0] + "axis"], styled.get(key, {}))
    title = styled.get("title")
    if isinstance(title, Mapping) and title.get("text"):
        styled["title"] = {**title, "text": f"<b>{title['text']}</b>"}
    styled["template"] = "none"  # plotly.py's name for no template; Plotly.js ignores it
    styled["datarevision"] = revision(traces)
    return traces, styled
