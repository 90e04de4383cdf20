"""Charts as self-contained, accessible SVG (no JavaScript, no external assets).

Colours come from CSS classes (``mle-bar``, ``mle-bar-current``) so the page's light
and dark palettes apply; text uses ``currentColor``.
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
    ``aria-label``; each bar has its own ``<title>`` (label: value)."""
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
            f'<g><title>{escape(bar.label)}: {escape(bar.value_text)}</title>'
            f'<text x="{label_width - 6}" y="{text_y}" text-anchor="end" '
            f'font-size="11" fill="currentColor">{escape(bar.label)}</text>'
            f'<rect class="{css}" x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{bar_height}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{text_y}" font-size="11" '
            f'fill="currentColor">{escape(bar.value_text)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
