"""Numbers as people read them: Chinese magnitudes (万, 亿) or English (K, M, B)."""

from __future__ import annotations

import math
import re

from board import i18n

# Largest first; Chinese counts in myriads (万 = 1e4, 亿 = 1e8, 万亿 = 1e12).
ZH_STEPS = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
EN_STEPS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
PERCENT_UNITS = ("%", "个百分点")
WIDE_CHAR = re.compile(r"[\u1100-\uffdc]")  # CJK and full-width forms take two columns


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width reading: a wide character counts two."""
    return len(text) + len(WIDE_CHAR.findall(text))


def _plain(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def magnitude(x: float, lang: str = "zh", digits: int = 2) -> str:
    """6102400 -> '610.24万', 4.048e11 -> '4048亿' (English: '6.1M', '404.8B')."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    steps = ZH_STEPS if lang == "zh" else EN_STEPS
    for i, (size, suffix) in enumerate(steps):
        if abs(x) >= size:
            scaled = round(x / size, digits)
            # 99999999 rounds to 10000万: say 1亿 instead.
            if i and abs(scaled) >= steps[i - 1][0] / size:
                size, suffix = steps[i - 1]
                scaled = round(x / size, digits)
            return _plain(scaled, digits) + suffix
    return _plain(x, digits)


MINUS = "\u2212"  # the minus sign, not a hyphen: '−14.5%'


def value_label(x: float, unit: str, lang: str = "zh", signed: bool = False) -> str:
    """A value with its unit: '610.24万人', '−97.6%', '12.5 个百分点'; `signed` puts '+'
    before a rise (a change reads as one)."""
    text = magnitude(x, lang)
    if not text:
        return ""
    text = text.replace("-", MINUS, 1) if text.startswith("-") else text
    if signed and x > 0:
        text = "+" + text
    if not unit:
        return text
    if unit == "%":
        return text + "%"
    if unit == "名次":
        return f"第{text}" if lang == "zh" else f"#{text}"
    return text + unit if lang == "zh" else f"{text} {i18n.unit(unit, lang)}"


def needs_log(values: list[float] | tuple[float, ...], span: float = 1000.0) -> bool:
    """True when all values are positive and the largest is `span` times the smallest."""
    vals = [v for v in values if v is not None and not math.isnan(v)]
    if len(vals) < 2 or min(vals) <= 0:
        return False
    return max(vals) / min(vals) >= span


def log_ticks(lo: float, hi: float, lang: str = "zh") -> tuple[list[float], list[str]]:
    """Tick positions at powers of ten covering [lo, hi], labelled with magnitudes."""
    if lo <= 0 or hi <= 0:
        return [], []
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    vals = [10.0**e for e in range(first, last + 1)]
    return vals, [magnitude(v, lang) for v in vals]


def linear_ticks(
    lo: float, hi: float, lang: str = "zh", n: int = 5
) -> tuple[list[float], list[str]]:
    """About `n` round tick positions covering [lo, hi], labelled with magnitudes."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        return [lo], [magnitude(lo, lang)]
    raw_step = (hi - lo) / n
    power = 10 ** math.floor(math.log10(raw_step))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw_step)
    start = math.floor(lo / step) * step
    count = math.ceil((hi - start) / step) + 1
    vals = [round(start + i * step, 10) for i in range(count)]
    return vals, [magnitude(v, lang) for v in vals]
