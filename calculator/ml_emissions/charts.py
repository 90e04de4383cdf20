"""Charts as self-contained, accessible SVG (no JavaScript, no external assets).

Colours and type come from the page's CSS (``mle-bar``, ``mle-bar-current``; text in
``.mle-chart`` is 11 px in ``currentColor``, labels in ``mle-chart-label`` end-anchored;
see ``docs/stylesheets/calculator.css``) so the light and dark palettes apply. Each bar
is three elements and nothing else: the calculator page rewrites the chart on every
change, and fewer elements and attributes make that cheaper for the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Bar", "horizontal_bars"]


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value, the value as text, and whether to highlight it."""

    label: str
    value: float
    value_text: str
    highlight: bool = False


def horizontal_bars(bars: Sequence[Bar], title: str, *, width: int = 640,
                    bar_height: int = 14, gap: int = 4, label_width: int = 300) -> str:
    """A horizontal bar chart as an ``<svg>`` element with a ``<title>`` and an
    ``aria-label``; each bar is its label, its bar and its value as text."""
    value_width = 90
    plot = max(width - label_width - value_width, 10)
    top = max((bar.value for bar in bars), default=0.0) or 1.0
    height = len(bars) * (bar_height + gap) + gap
    parts = [
        f'<svg class="mle-chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = max(plot * bar.value / top, 1.0)
        css = "mle-bar mle-bar-current" if bar.highlight else "mle-bar"
        text_y = y + bar_height - 3
        parts.append(
            f'<text class="mle-chart-label" x="{label_width - 6}" y="{text_y}">'
            f'{escape(bar.label)}</text>'
            f'<rect class="{css}" x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{bar_height}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{text_y}">'
            f'{escape(bar.value_text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
