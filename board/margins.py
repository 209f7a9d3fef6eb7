"""Chart margins that already fit the axis labels, so the browser draws a chart once.

Plotly draws a chart, then measures its axis labels, widens the margins to fit them
(`automargin`) and, if they grew, draws the whole chart again: at 100k claims that second
draw was a third of the browser's time after a filter change. Margins guessed from the
labels' text spare it. The guess errs wide; where it falls short (a phone's narrow chart
turning labels upright) automargin still widens the margins, at the cost of the old redraw.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from board.chart_theme import load_theme

# The theme's tick label and axis title font sizes (the larger of the two axes': erring wide).
TICK_PX = max(load_theme()[axis]["tickfont"]["size"] for axis in ("xaxis", "yaxis"))
TITLE_PX = max(load_theme()[axis]["title"]["font"]["size"] for axis in ("xaxis", "yaxis"))
TITLE_STANDOFF = 32  # Streamlit's gap between an axis title and its labels
LINE_PX = 1.25 * TICK_PX  # a label's height, as Plotly reckons it to turn labels
# Between the labels and the chart's edge: the plot's padding (8), the labels' offset and
# Plotly's pad on every push (up to 12), erring 4 px wide.
LABEL_GAP = 28
LEGEND_ROW_PX, LEGEND_PAD_PX = 19, 14  # a legend row; its padding, erring wide
LEGEND_ITEM_PX = 46  # a legend entry's symbol and gaps beside its name
# A character's width in ems in the app's sans font, erring wide: CJK, per cent, capitals,
# digits, spaces; anything else as a lower-case letter.
EMS = (
    (re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"), 1.0),
    (re.compile(r"%"), 0.9),
    (re.compile(r"[A-Z&]"), 0.65),
    (re.compile(r"[0-9−+-]"), 0.56),
    (re.compile(r" "), 0.27),
)
OTHER_EM = 0.55
CLEAR_OVERLAP = 1.1  # labels overlap when they need this much more room than they have
# In a close call between flat and turned labels, margins for both when they differ by no
# more than this (short labels such as years), else for flat ones.
CLOSE_CALL_PX = 16
CHART_PX = 980  # a full-width chart at 1440 px: what the guess of turned labels assumes
HALF_CHART_PX = 470  # one of two charts side by side at 1440 px
AUTO_ANGLES = (0, 30, 90)  # Plotly's default choice of label angles
ANGLE_RULE_ERR = 0.02  # how far off the guess of Plotly's angle rule may be, either way


def text_px(text: str, size: float = TICK_PX) -> float:
    """The text's width in pixels, erring wide; a `<br>` starts a new line."""
    widest = 0.0
    for line in str(text).split("<br>"):
        ems = 0.0
        for pattern, em in EMS:
            ems += em * len(pattern.findall(line))
            line = pattern.sub("", line)
        widest = max(widest, (ems + OTHER_EM * len(line)) * size)
    return widest


def _fixed_ticks(axis: dict) -> tuple[list, list] | None:
    """The ticks and range of an axis that fixes both on a linear scale (their pixels
    follow from the plot's width), else None."""
    vals, span = axis.get("tickvals") or [], axis.get("range")
    if vals and span and span[1] != span[0] and axis.get("type") != "log":
        return vals, span
    return None


def tick_step_px(axis: dict, labels: Sequence[str], plot_px: float) -> float:
    """Pixels between neighbouring tick labels: from the ticks and range where the axis
    fixes both, else the plot's width shared among the labels."""
    fixed = _fixed_ticks(axis)
    if fixed and len(fixed[0]) > 1:
        vals, span = fixed
        gap = min(abs(b - a) for a, b in zip(vals, vals[1:], strict=False))
        return plot_px * gap / abs(span[1] - span[0])
    return plot_px / max(len(labels), 1)


def right_overhang(axis: dict, labels: Sequence[str], plot_px: float, angle: float) -> float:
    """How far the labels reach past the plot's right edge: a flat one is centred on its
    tick, a turned one starts there, halfway down its height, and runs right and down
    (upright: its upper half reaches past the tick by half a line). Turned, a long label
    a few ticks before a short last one can reach furthest (a province before 全国)."""
    fixed = _fixed_ticks(axis)
    step = tick_step_px(axis, labels, plot_px)
    if fixed:
        vals, span = fixed
        room = plot_px * (span[1] - vals[-1]) / (span[1] - span[0])
    else:
        room = step / 2
    rad = math.radians(angle)
    # Flat labels never reach past their neighbours: the last one alone counts.
    considered = labels[-1:] if angle == 0 else labels
    reach = 0.0
    for back, label in enumerate(reversed(considered)):
        width = text_px(label)
        run = width / 2 if angle == 0 else width * math.cos(rad) + LINE_PX / 2 * math.sin(rad)
        reach = max(reach, run - back * step)
    return max(0.0, reach - room)


def label_angles(labels: Sequence[str], step: float, slack: float = CLEAR_OVERLAP) -> set[int]:
    """The angles Plotly may turn bottom labels `step` pixels apart to: flat unless
    neighbours overlap by more than `slack`, else the flattest angle its rule allows, and
    when that rule is close (the guess of a plot's width is rough) the next one too."""
    if len(labels) < 2:
        return {0}
    widths = [text_px(t) for t in labels]
    if all((a + b) / 2 + 2 <= step * slack for a, b in zip(widths, widths[1:], strict=False)):
        return {0}
    fits = step / math.hypot(step, LINE_PX)  # Plotly's rule: the first angle whose cosine
    return {  # is at most this, else upright
        next(a for a in AUTO_ANGLES[1:] if math.cos(math.radians(a)) <= bound or a == 90)
        for bound in (fits - ANGLE_RULE_ERR, fits + ANGLE_RULE_ERR)
    }


COLORBAR_PX = 70  # a colour bar's bar, gaps and Plotly's pad beside its labels
COLORBAR_PADS_PX = 24  # above and below a colour bar under the plot, erring wide


def _colorbars(data: Sequence[dict], under: bool) -> list[dict]:
    """The traces' colour bars lying under the plot (horizontal), or beside it."""
    bars = [t.get("colorbar") or (t.get("marker") or {}).get("colorbar") for t in data]
    return [b for b in bars if b and (b.get("orientation") == "h") == under]


def colorbar_px(data: Sequence[dict]) -> float:
    """The right margin a colour bar beside the plot takes: its widest label or title, the
    bar and gaps (0 without one, or with one lying under the plot)."""
    texts = [
        [*(b.get("ticktext") or ["0"]), str((b.get("title") or {}).get("text", ""))]
        for b in _colorbars(data, under=False)
    ]
    return max((max(map(text_px, t)) + COLORBAR_PX for t in texts), default=0.0)


def colorbar_under_px(data: Sequence[dict]) -> float:
    """The height a colour bar lying under the plot takes at the chart's foot: the bar, its
    labels and Plotly's pads (0 without one)."""
    under = _colorbars(data, under=True)
    return max((b.get("thickness", 30) + LINE_PX + COLORBAR_PADS_PX for b in under), default=0.0)


def labels_depth(labels: Sequence[str], angle: float) -> float:
    """How far labels turned by `angle` reach from their axis."""
    if not labels:
        return 0.0
    rad = math.radians(abs(angle))
    return max(text_px(t) for t in labels) * math.sin(rad) + LINE_PX * math.cos(rad)


def axis_labels(axis: dict, data: Sequence[dict], letter: str) -> list[str]:
    """The labels an axis shows, when the spec names them (numeric labels Plotly picks
    itself are left to automargin)."""
    if axis.get("visible") is False or axis.get("showticklabels") is False:
        return []
    if "ticktext" in axis:
        return [str(t) for t in axis["ticktext"]]
    if "categoryarray" in axis:
        return [str(t) for t in axis["categoryarray"]]
    if axis.get("type") == "category":
        return list(dict.fromkeys(str(v) for t in data for v in (t.get(letter) or ())))
    return []


def _title_room(axis: dict) -> float:
    """An axis title's room: Plotly reserves it for any title but its placeholder, even
    an empty one."""
    title = axis.get("title")
    return TITLE_PX * 1.3 + TITLE_STANDOFF if isinstance(title, dict) and "text" in title else 0


def legend_names(layout: dict, data: Sequence[dict]) -> list[str]:
    """The names a chart's legend lists ([] when it shows none), by Plotly's rule: shown
    when asked, or for two or more traces, or for one that asks to be."""
    listed = [t for t in data if t.get("showlegend", True) and t.get("name")]
    asked = any(t.get("showlegend") is True for t in listed)
    shown = layout.get("showlegend", len(listed) > 1 or asked)
    return [str(t["name"]) for t in listed] if shown else []


def legend_px(names: Sequence[str], plot_px: float) -> float:
    """The height of a horizontal legend of `names` wrapped to `plot_px`, by Plotly's rule:
    entries side by side when all fit on one row, else in columns as wide as the widest."""
    items = [text_px(name) + LEGEND_ITEM_PX for name in names]
    if sum(items) >= plot_px:
        items = [max(items)] * len(items)
    rows, row = 1, 0.0
    for item in items:
        rows, row = (rows + 1, item) if row and row + item > plot_px else (rows, row + item)
    return rows * LEGEND_ROW_PX + LEGEND_PAD_PX


def fitted(layout: dict, data: Sequence[dict], chart_px: float = CHART_PX) -> dict:
    """The layout with margins wide enough for its axes' labels and titles (left, bottom,
    top for labels on top), a colour bar or a last label past the plot's edge (right) and a
    legend at its foot (bottom); margins it already has that are wider stay."""
    margin = dict(layout.get("margin", {}))
    y_axis, x_axis = layout.get("yaxis", {}), layout.get("xaxis", {})
    y_labels = axis_labels(y_axis, data, "y")
    if y_labels:
        need = max(text_px(t) for t in y_labels) + LABEL_GAP + _title_room(y_axis)
        margin["l"] = max(margin.get("l", 0), math.ceil(need))
    margin["r"] = max(margin.get("r", 0), math.ceil(colorbar_px(data)))
    x_labels = axis_labels(x_axis, data, "x")
    if x_labels:
        plot_px = chart_px - margin.get("l", 0) - margin.get("r", 0)
        angles = {x_axis.get("tickangle", "auto")}
        if angles == {"auto"}:
            step = tick_step_px(x_axis, x_labels, plot_px)
            clear = label_angles(x_labels, step)
            angles = clear | label_angles(x_labels, step, slack=1)
            depths = [labels_depth(x_labels, a) for a in angles]
            if max(depths) - min(depths) > CLOSE_CALL_PX:
                angles = clear  # a close call between far apart margins stays flat
        depth = max(labels_depth(x_labels, a) for a in angles)
        need = math.ceil(depth + LABEL_GAP + _title_room(x_axis))
        side = "t" if x_axis.get("side") == "top" else "b"
        margin[side] = max(margin.get(side, 0), need)
        overhang = max(right_overhang(x_axis, x_labels, plot_px, a) for a in angles)
        if overhang:  # Plotly widens the margin by the overhang and its pad
            margin["r"] = max(margin.get("r", 0), math.ceil(overhang) + 14)
    below = bool(x_labels) and x_axis.get("side") != "top"  # labels in the bottom margin
    names = legend_names(layout, data)
    legend = layout.get("legend", {})
    if names and legend.get("yref") == "container" and legend.get("yanchor") == "bottom":
        # Plotly stacks such a legend under the labels, widening the margin by its height
        # beyond what the labels leave free.
        plot_px = chart_px - margin.get("l", 0) - margin.get("r", 0)
        _stack_below(margin, below, legend_px(names, plot_px))
    under = colorbar_under_px(data)
    if under:  # at the chart's foot, below the axis labels
        _stack_below(margin, below, under)
    return {**layout, "margin": margin}


def _stack_below(margin: dict, below: bool, height: float) -> None:
    """Room in the bottom margin for a block Plotly stacks under what is there already
    (the x labels, when `below`, and any block before it): a legend, a colour bar."""
    taken = margin.get("b", 0) if below else 0
    margin["b"] = max(margin.get("b", 0), math.ceil(taken + height))
