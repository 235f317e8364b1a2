"""Bar charts drawn on the server: the geometry of grouped bars, which a template macro
(`svg_chart` in console/macros.html) turns into inline SVG. No JavaScript, no library."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PLOT_HEIGHT = 180  # px of the bars' area
TOP, LEFT, RIGHT = 16, 44, 8  # margins: for the values over the bars, the ticks
SLANT = math.sin(math.radians(35))  # group labels are turned 35 degrees


@dataclass(frozen=True)
class Bar:
    key: str  # the group's key (an area code, a month)
    label: str  # the group's label
    series: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    bars: list[Bar]
    labels: list[tuple[float, float, str]]  # x, y, text under each group
    ticks: list[tuple[float, int]]  # y, value of each grid line
    series: tuple[str, ...]
    plot_left: float
    plot_right: float

    @property
    def empty(self) -> bool:
        """Nothing to draw: no bar above zero (the page says so instead of a bare axis)."""
        return not any(bar.value for bar in self.bars)


def nice_top(largest: int) -> tuple[int, int]:
    """A round top for the axis and its step (1, 2 or 5 times a power of ten), five steps
    at most; at least 1, so an empty chart still has an axis."""
    largest = max(largest, 1)
    power = 10 ** max(0, math.floor(math.log10(largest / 5)))
    for factor in (1, 2, 5, 10):
        step = factor * power
        if largest <= step * 5:
            return step * math.ceil(largest / step), step
    raise AssertionError("unreachable")  # pragma: no cover


def bar_chart(groups: Sequence[tuple[str, str, Sequence[int]]],
              series: Sequence[str]) -> Chart:
    """Grouped bars: one group per (key, label, values), one bar per series in each."""
    count = max(len(groups), 1)
    group_width = max(44.0, min(96.0, 720.0 / count))
    bar_width = (group_width - 12) / len(series)
    top, step = nice_top(max((v for _, _, values in groups for v in values), default=0))
    bottom = TOP + PLOT_HEIGHT
    bars: list[Bar] = []
    labels: list[tuple[float, float, str]] = []
    for n, (key, label, values) in enumerate(groups):
        left = LEFT + n * group_width + 6
        for s, (name, value) in enumerate(zip(series, values, strict=True)):
            height = PLOT_HEIGHT * value / top
            bars.append(Bar(key, label, name, value, round(left + s * bar_width, 1),
                            round(bottom - height, 1), round(bar_width - 2, 1),
                            round(height, 1)))
        labels.append((round(left + (group_width - 12) / 2, 1), bottom + 14.0, label))
    ticks = [(round(bottom - PLOT_HEIGHT * v / top, 1), v) for v in range(0, top + 1, step)]
    width = LEFT + count * group_width + RIGHT
    longest = max((text_width(label) for _, label, _ in groups), default=0)
    return Chart(width, round(bottom + 24 + SLANT * longest), bars, labels, ticks,
                 tuple(series), LEFT, width - RIGHT)


def text_width(text: str) -> float:
    """About how wide `text` is at 11 px: CJK characters are square, others narrower."""
    return sum(11 if ord(c) >= 0x2E80 else 6.5 for c in text)
