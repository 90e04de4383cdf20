"""The site's icon: a white leaf on the site's colour, drawn with matplotlib.

One drawing serves every purpose (browser tab, home screen, installed app): the green
fills the whole square and the leaf stays inside the central circle of 80 % of its width,
the safe zone a platform may crop a "maskable" icon to. PNG bytes are deterministic (no
metadata), so rebuilding the site gives the same files.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import PathPatch
from matplotlib.path import Path

SIZES = {"favicon": 48, "apple-touch-icon": 180, "icon-192": 192, "icon-512": 512}
"""File name (``assets/icons/NAME.png``) -> width and height in pixels."""


def _leaf() -> Path:
    """A leaf pointing up and to the right, within the unit square's central circle:
    two arcs (cubic Béziers) from the stem to the tip."""
    stem, tip = (0.30, 0.30), (0.76, 0.76)
    return Path([stem, (0.26, 0.64), (0.50, 0.78), tip,
                 (0.78, 0.50), (0.64, 0.26), stem],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4,
                 Path.CURVE4, Path.CURVE4, Path.CURVE4])


def icon_png(pixels: int, colour: str) -> bytes:
    """The icon as a square PNG of ``pixels`` x ``pixels``, the leaf on ``colour``."""
    figure = plt.figure(figsize=(1, 1), dpi=pixels)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.axis("off")
    figure.patch.set_facecolor(colour)
    axes.add_patch(PathPatch(_leaf(), facecolor="white", edgecolor="none"))
    # the midrib, and the stem beyond the leaf
    # the midrib and, beyond the leaf, the stem (widths in points: 1/72 of the side)
    axes.plot([0.33, 0.66], [0.33, 0.66], color=colour, linewidth=2.0, solid_capstyle="round")
    axes.plot([0.22, 0.31], [0.22, 0.31], color="white", linewidth=3.0, solid_capstyle="round")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=pixels, facecolor=colour,
                   metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
