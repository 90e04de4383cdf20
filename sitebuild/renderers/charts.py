"""Charts drawn from the data at build time with matplotlib, inlined in the page as SVG.

Each ``<!-- data:chart-NAME -->`` marker draws one chart and returns a ``<figure>`` that
holds it as inline ``<svg>`` (:mod:`sitebuild.renderers.inline_svg`: no ``style``
attribute, for the site's Content-Security-Policy), with alt text summarising the data
and a caption naming its source.

Inline, not ``<img>``: the reader's colour scheme is a toggle (``data-md-color-scheme`` on
``<body>``), which an SVG loaded as an image cannot see. Inline, each mark carries a class
of its role (``mle-f-accent``: filled with the accent colour) and
``docs/stylesheets/charts.css`` paints it with the site's colour variables, in the light
and the dark scheme alike: one palette, defined once, no second file to download.

Sizes: every figure is :data:`WIDTH` px wide with :data:`FONT_SIZE` px text, designed for
a phone (the text column is about 358 px wide at a 390 px viewport), and the stylesheet
lets it grow to at most 1.2 times that on a wide screen, so the text stays between about
12 and 16 px. Each chart is checked at build time: no text outside the figure and no two
texts overlapping (:func:`check_layout`), else the build fails.

The output is deterministic (fixed hash salt, no date): rebuilding gives the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterator, Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backend_bases import RendererBase
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator
from matplotlib.transforms import Bbox

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt
from ml_emissions.location import region_location
from sitebuild.renderers.inline_svg import inline_svg
from sitebuild.renderers.markers import Context, MarkerError
from sitebuild.renderers.values import data_year, read_rows

WIDTH = 360.0  # px (= SVG user units: matplotlib writes 72 units per inch)
FONT_SIZE = 13.0  # px, every text of every chart
LINE = FONT_SIZE * 1.25  # px, one line of text
DPI = 72  # one display pixel per SVG unit, so the layout check measures in SVG units

# The roles a mark can play and the token colour matplotlib draws it with; inline_svg
# turns each token into a class, docs/stylesheets/charts.css gives each class the site's
# colour (a unit test checks that every role has its rules there).
ROLES = ("text", "axis", "grid", "accent", "muted", "blue", "red", "purple")
TOKENS = {role: f"#0000{index + 1:02x}" for index, role in enumerate(ROLES)}
TEXT, AXIS, GRID, ACCENT, MUTED = (TOKENS[r] for r in ("text", "axis", "grid", "accent",
                                                       "muted"))
# Series that must be told apart: colour and marker both differ (and the line style
# where a chart uses it for something else, e.g. the basis of the history chart).
SERIES = tuple(TOKENS[r] for r in ("accent", "blue", "red", "purple", "muted"))
MARKERS = ("o", "s", "^", "D", "v")

plt.rcParams.update({
    "svg.hashsalt": "ml-emissions",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",  # measures the text; the page shows it in its own font
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "legend.frameon": False,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": AXIS,
    "axes.facecolor": "none",
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.edgecolor": "none",
    "xtick.color": AXIS,
    "ytick.color": AXIS,
    "xtick.labelcolor": TEXT,
    "ytick.labelcolor": TEXT,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "axes.formatter.use_mathtext": False,
    "figure.constrained_layout.h_pad": 4 / 72,
    "figure.constrained_layout.w_pad": 4 / 72,
})


def new_figure(height: float) -> tuple[Figure, Axes]:
    """A figure of :data:`WIDTH` x ``height`` px with one axes, laid out by matplotlib's
    constrained layout (labels and legends kept inside the figure)."""
    figure = plt.figure(figsize=(WIDTH / DPI, height / DPI), dpi=DPI, layout="constrained")
    return figure, figure.add_subplot()


def _drawn_ticks(axis: Axis) -> Iterator[Text]:
    low, high = sorted(axis.get_view_interval())
    slack = (high - low) * 1e-9
    for ticks in (axis.get_major_ticks(len(axis.get_majorticklocs())),
                  axis.get_minor_ticks(len(axis.get_minorticklocs()))):
        for tick in ticks:
            location = tick.get_loc()
            if location is not None and low - slack <= location <= high + slack:
                yield from (label for label in (tick.label1, tick.label2)
                            if label.get_visible() and label.get_text())


def _drawn_texts(figure: Figure) -> Iterator[Text]:
    legends: list[Legend] = list(figure.legends)
    yield from (t for t in figure.texts if t.get_visible() and t.get_text())
    for axes in figure.axes:
        for axis in (axes.xaxis, axes.yaxis):
            yield from _drawn_ticks(axis)
            if axis.label.get_visible() and axis.label.get_text():
                yield axis.label
        yield from (t for t in axes.texts if t.get_visible() and t.get_text())
        if axes.get_legend() is not None:
            legends.append(axes.get_legend())
    for legend in legends:
        yield from (t for t in legend.get_texts() if t.get_text())


def _marks(axes: Axes, renderer: RendererBase) -> list[Bbox]:
    """Where the data of ``axes`` is drawn: each bar, and a box of each point (a marker
    of a scatter plot or a vertex of a line), in display units."""
    radius = plt.rcParams["lines.markersize"] / 2 + 1
    points: list[tuple[float, float]] = []
    for collection in axes.collections:
        points += collection.get_offset_transform().transform(collection.get_offsets()).tolist()
    for line in axes.lines:
        points += line.get_transform().transform(line.get_xydata()).tolist()
    return ([patch.get_window_extent(renderer) for patch in axes.patches]
            + [Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)
               for x, y in points])


def check_layout(figure: Figure) -> None:
    """Raise :class:`MarkerError` if a text of ``figure`` (tick label, axis label,
    annotation, legend) reaches outside the figure, where the SVG would clip it, or
    overlaps another text, or if an annotation covers the data (a bar or a point)."""
    figure.draw_without_rendering()  # lays the figure out, as savefig does
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    bounds = figure.bbox
    boxes = [(text.get_text(), text.get_window_extent(renderer))
             for text in _drawn_texts(figure)]
    problems = [f"{label!r} is clipped" for label, box in boxes
                if box.x0 < bounds.x0 - 0.5 or box.y0 < bounds.y0 - 0.5
                or box.x1 > bounds.x1 + 0.5 or box.y1 > bounds.y1 + 0.5]
    for index, (label, box) in enumerate(boxes):
        problems += [f"{label!r} overlaps {other!r}" for other, other_box in boxes[index + 1:]
                     if box.shrunk(0.98, 0.9).overlaps(other_box.shrunk(0.98, 0.9))]
    for axes in figure.axes:
        marks = _marks(axes, renderer)
        for text in axes.texts:
            box = text.get_window_extent(renderer).shrunk(0.98, 0.9)
            if any(box.overlaps(mark) for mark in marks):
                problems.append(f"{text.get_text()!r} covers the data")
    if problems:
        raise MarkerError("chart layout: " + "; ".join(problems))


def _svg(figure: Figure) -> bytes:
    check_layout(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def _figure(context: Context, name: str, figure: Figure, alt: str, caption: str) -> str:
    svg = inline_svg(_svg(figure), prefix=f"mle-{name}", label=alt,
                     colours={token: role for role, token in TOKENS.items()})
    return (f'\n\n<figure class="mle-figure" data-chart="{escape(name)}">{svg}'
            f"<figcaption>{escape(caption)}</figcaption></figure>\n\n")


def _rows(labels: Sequence[str], chars: int, gap_after: int | None = None,
          padding: float = 0.5) -> tuple[list[float], list[str], float]:
    """Rows of a horizontal chart, from the top: each label wrapped to ``chars``
    characters, its row as tall as its lines and ``padding`` (in lines of text), an extra
    gap after row ``gap_after``. Gives the rows' centres, the wrapped labels and the
    total height."""
    centres, wrapped, top = [], [], 0.0
    for index, label in enumerate(labels):
        lines = textwrap.wrap(label, chars, break_long_words=False,
                              break_on_hyphens=False) or [label]
        height = len(lines) + padding
        centres.append(top + height / 2)
        wrapped.append("\n".join(lines))
        top += height + (0.8 if index == gap_after else 0.0)
    return centres, wrapped, top


def _bar_labels(axes: Axes, values: Sequence[float], centres: Sequence[float],
                labels: Sequence[str], log: bool = False) -> None:
    """Each bar's value written at its end."""
    for value, centre, label in zip(values, centres, labels, strict=True):
        axes.annotate(label, (value, centre), xytext=(4, 0), textcoords="offset points",
                      va="center_baseline", ha="left", color=TEXT)
    right = max(values)
    axes.set_xlim(right=right * (4 if log else 1.22))


def _horizontal_axes(axes: Axes, centres: Sequence[float], labels: Sequence[str],
                     total: float) -> None:
    """The category axis of a horizontal chart of :func:`_rows`: each line of a label is
    a tick label of its own (a multi-line text of matplotlib's SVG is placed line by line
    with the widths of its font, which would misalign in the page's font; one line per
    text is right-aligned by the browser)."""
    ticks: list[float] = []
    lines: list[str] = []
    for centre, label in zip(centres, labels, strict=True):
        parts = label.split("\n")
        ticks += [centre + index - (len(parts) - 1) / 2 for index in range(len(parts))]
        lines += parts
    axes.set_yticks(ticks, lines)
    axes.tick_params(axis="y", length=0, pad=6)
    axes.spines["left"].set_visible(False)
    axes.set_ylim(total, 0)
    axes.grid(axis="x")


def chart_zones(context: Context, n: str = "15") -> str:
    """The ``n`` cleanest and ``n`` dirtiest national grids (country-level zones)."""
    countries = sorted((z for z in context.catalog.zones if z.zone_id == z.country_code),
                       key=lambda z: z.intensity_lifecycle_g_per_kwh)
    count = int(n)
    shown = countries[:count] + countries[-count:]
    values = [z.intensity_lifecycle_g_per_kwh for z in shown]
    centres, labels, total = _rows([z.zone_name for z in shown], 18, gap_after=count - 1)
    figure, axes = new_figure(total * LINE + 3 * LINE)
    axes.barh(centres, values, height=0.9, color=[ACCENT] * count + [MUTED] * count)
    _horizontal_axes(axes, centres, labels, total)
    _bar_labels(axes, values, centres, [fmt.number(v) for v in values])
    axes.xaxis.set_major_locator(MaxNLocator(4))
    year = data_year(context, "zones")
    axes.set_xlabel(f"gCO2e/kWh, life-cycle, {year}")
    low, high = shown[0], shown[-1]
    alt = (f"Bar chart of the {count} cleanest and {count} dirtiest national grids: from "
           f"{low.zone_name} at {fmt.number(low.intensity_lifecycle_g_per_kwh)} to "
           f"{high.zone_name} at {fmt.number(high.intensity_lifecycle_g_per_kwh)} gCO2e/kWh.")
    caption = (f"The {count} cleanest (green, top) and {count} dirtiest (grey, bottom) "
               f"national grids, of {len(countries)} countries. Source: Electricity Maps, "
               f"{year} yearly averages of life-cycle carbon intensity (ODbL).")
    return _figure(context, "zones", figure, alt, caption)


def chart_regions(context: Context, providers: str = "aws,azure,gcp") -> str:
    """Every region of the given providers as dots on an axis of life-cycle intensity
    (the default basis: the same for every provider, so the rows compare)."""
    catalog = context.catalog
    ids = [p.strip() for p in providers.split(",")]
    names = [catalog.provider(p).name for p in ids]
    centres, labels, total = _rows(names, 13, padding=1.4)
    figure, axes = new_figure(total * LINE + 3 * LINE)
    summary = []
    for provider_id, name, centre in zip(ids, names, centres, strict=True):
        regions = catalog.regions_of(provider_id)
        if not regions:
            raise MarkerError(f"provider {provider_id!r} has no regions")
        values = sorted(region_location(catalog, r, "life-cycle").intensity_g_per_kwh
                        for r in regions)
        # a small deterministic spread across the row, so that equal values stay visible
        spread = [centre + 0.35 * ((index % 3) - 1) for index in range(len(values))]
        axes.scatter(values, spread, s=30, facecolors=to_rgba(ACCENT, 0.3),
                     edgecolors=ACCENT, linewidths=1.2)
        summary.append(f"{name}: {len(values)} regions from {fmt.number(values[0])} to "
                       f"{fmt.number(values[-1])}")
    _horizontal_axes(axes, centres, labels, total)
    axes.set_xlim(left=0)
    axes.xaxis.set_major_locator(MaxNLocator(4))
    year = data_year(context, "zones")
    axes.set_xlabel(f"gCO2e/kWh, life-cycle, {year}")
    alt = "Dot plot of cloud regions by carbon intensity. " + "; ".join(summary) + " gCO2e/kWh."
    caption = ("Each dot is a cloud region, on one basis for every provider: the life-cycle "
               "carbon intensity of the region's grid zone. Source: Electricity Maps, "
               f"{year} yearly averages (ODbL).")
    return _figure(context, "regions", figure, alt, caption)


def chart_history(context: Context, regions: str) -> str:
    """Google Cloud's yearly grid intensity, every year of data/intensity_history.csv, for
    the comma-separated regions: one colour and marker per region, and one line style
    per basis (Google's life-cycle years are not joined to its operational ones)."""
    history = read_rows("intensity_history.csv")
    catalog = context.catalog
    styles = {"operational": "-", "life-cycle": "--"}
    figure, axes = new_figure(330)
    summary, handles = [], []
    years: dict[str, list[int]] = {basis: [] for basis in styles}
    for index, region in enumerate(r.strip() for r in regions.split(",")):
        series = sorted((int(row["year"]), float(row["intensity_g_per_kwh"]),
                         row["intensity_basis"]) for row in history if row["region_id"] == region)
        if not series:
            raise MarkerError(f"region {region!r} has no history")
        colour, marker = SERIES[index % len(SERIES)], MARKERS[index % len(MARKERS)]
        for basis, style in styles.items():
            points = [(y, v) for y, v, b in series if b == basis]
            years[basis] += [y for y, _ in points]
            if points:
                axes.plot([y for y, _ in points], [v for _, v in points], style,
                          marker=marker, color=colour)
        name = catalog.find_region(f"gcp:{region}").display_name
        handles.append(Line2D([], [], color=colour, marker=marker, label=f"{region} ({name})"))
        summary.append(f"{region} {fmt.number(series[0][1])} in {series[0][0]} "
                       f"({series[0][2]}), {fmt.number(series[-1][1])} in {series[-1][0]} "
                       f"({series[-1][2]})")
    spans = {basis: (f"{min(found)}-{max(found)}" if min(found) != max(found) else
                     str(min(found))) for basis, found in years.items() if found}
    handles += [Line2D([], [], color=TEXT, linestyle=style, label=f"{basis} ({spans[basis]})")
                for basis, style in styles.items() if basis in spans]
    axes.set_ylabel("gCO2e/kWh")
    axes.set_ylim(bottom=0)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    axes.grid(axis="y")
    # below the plot area, where no line passes
    figure.legend(handles=handles, loc="outside lower center", ncols=1, handlelength=2.6)
    figure.set_figheight((330 + len(handles) * LINE * 1.05) / DPI)
    alt = "Line chart of Google Cloud grid carbon intensity by year: " + "; ".join(summary) + "."
    caption = ("Grid carbon intensity of Google Cloud regions by year. Source: Google Cloud, "
               "region-carbon-info (Apache-2.0). Dashed: the years Google labels "
               f"life-cycle ({spans.get('life-cycle', 'none')}); solid: operational "
               f"({spans.get('operational', 'none')}). The two are not joined: they are on "
               "different bases.")
    return _figure(context, "history", figure, alt, caption)


def chart_efficiency(context: Context) -> str:
    """Dense 16-bit throughput (BF16, else FP16) per watt against release year, for
    accelerators."""
    # (device, GFLOPS per watt) for accelerators with both figures published
    catalog = context.catalog
    points = [(d, efficiency) for d in catalog.hardware
              if (efficiency := catalog.gflops_per_watt(d)) is not None
              and d.kind in ("gpu", "tpu", "npu")]
    figure, axes = new_figure(300)
    axes.scatter([d.release_year for d, _ in points], [y for _, y in points], s=30,
                 facecolors=to_rgba(ACCENT, 0.3), edgecolors=ACCENT, linewidths=1.2)
    axes.set_yscale("log")
    axes.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axes.yaxis.set_minor_formatter(FuncFormatter(lambda value, _: ""))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.grid(axis="y")
    best = max(points, key=lambda point: point[1])
    oldest = min(points, key=lambda point: (point[0].release_year, point[1]))
    low = min(y for _, y in points)
    axes.set_ylim(low / 2.2, best[1] * 1.9)  # room for the two names inside the plot
    years = [d.release_year for d, _ in points]
    middle = (min(years) + max(years)) / 2
    for device, efficiency in (best, oldest):
        # the name runs inwards, never off the figure: above the best, below the oldest
        right, top = device.release_year > middle, device is best[0]
        axes.annotate(device.name, (device.release_year, efficiency),
                      xytext=(-4 if right else 4, 4 if top else -4),
                      textcoords="offset points", ha="right" if right else "left",
                      va="bottom" if top else "top", color=TEXT)
    axes.set_xlabel("Release year")
    axes.set_ylabel("GFLOPS per watt (log scale)")
    alt = (f"Scatter plot of {len(points)} accelerators: FP16 throughput per watt of rated "
           f"power rises from {fmt.number(oldest[1])} "
           f"GFLOPS/W ({oldest[0].name}, {oldest[0].release_year}) to "
           f"{fmt.number(best[1])} GFLOPS/W "
           f"({best[0].name}, {best[0].release_year}).")
    caption = ("Peak dense FP16/BF16 throughput divided by rated power, for the accelerators "
               "of the hardware table with a published figure. Sources: vendor datasheets "
               "(see the Data page).")
    return _figure(context, "efficiency", figure, alt, caption)


def chart_pue(context: Context) -> str:
    """Every PUE of data/pue.csv as a bar from 0, lowest first: a workstation's 1.0 (IT
    energy only) is a bar as long as the IT energy, and each other bar is longer by the
    facility's overhead."""
    rows = sorted(context.catalog.pue, key=lambda p: (p.pue, p.pue_id))
    names = [p.name for p in rows]  # pue.csv; a provider row: its providers.csv name
    centres, labels, total = _rows(names, 16)
    figure, axes = new_figure(total * LINE + 3 * LINE)
    values = [p.pue for p in rows]
    axes.barh(centres, values, height=0.9,
              color=[ACCENT if p.scope == "provider" else MUTED for p in rows])
    _horizontal_axes(axes, centres, labels, total)
    _bar_labels(axes, values, centres, [fmt.number(v) for v in values])
    axes.set_xlim(left=0)
    axes.xaxis.set_major_locator(MaxNLocator(4))
    axes.set_xlabel("PUE: facility energy / IT energy")
    alt = "Bar chart of PUE values: " + "; ".join(
        f"{name} {fmt.number(p.pue)}" for name, p in zip(names, rows, strict=True)) + "."
    caption = ("PUE of cloud providers (green) and the calculator's defaults and "
               "references (grey); a PUE of 1 is the IT energy alone. Source: data/pue.csv.")
    return _figure(context, "pue", figure, alt, caption)


def chart_cycle(context: Context, **params: str) -> str:
    """CO2e of the final run against the whole project: the job of ``params`` with
    ``hours`` (one run), and the same job with ``total-device-hours`` (all of the
    project's device-hours) instead, the same inputs as the page's table gives."""
    from ml_emissions.reports import describe  # the device-hours as the reports word them

    missing = sorted({"hours", "total-device-hours"} - params.keys())
    if missing:
        raise MarkerError(f"chart-cycle needs {' and '.join(missing)}")
    single = estimate(Job.from_params({key: value for key, value in params.items()
                                       if key != "total-device-hours"}), context.catalog)
    cycle = estimate(Job.from_params({key: value for key, value in params.items()
                                      if key != "hours"}), context.catalog)
    hours = describe(cycle)["device_hours"]
    values = [single.co2e_kg, cycle.co2e_kg]
    centres, labels, total = _rows(["Final run", f"Whole project ({hours})"], 17)
    figure, axes = new_figure(total * LINE + 3 * LINE)
    axes.barh(centres, values, height=0.9, color=[MUTED, ACCENT])
    _horizontal_axes(axes, centres, labels, total)
    axes.set_xscale("log")
    axes.xaxis.set_major_locator(LogLocator(numticks=4))  # labels wide apart
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"
                                                 if value >= 1 else f"{value:g}"))
    _bar_labels(axes, values, centres, [fmt.mass(v) for v in values], log=True)
    axes.set_xlim(left=min(values) / 10)
    axes.set_xlabel("kg CO2e (log scale)")
    alt = (f"Bar chart: the final run emits {fmt.mass(single.co2e_kg)} CO2e, the "
           f"whole project ({hours}) {fmt.mass(cycle.co2e_kg)}.")
    caption = "One training run against the whole development cycle, computed by the engine."
    return _figure(context, "cycle", figure, alt, caption)


CHARTS: dict[str, Callable[..., str]] = {
    "chart-zones": chart_zones, "chart-regions": chart_regions, "chart-history": chart_history,
    "chart-efficiency": chart_efficiency, "chart-pue": chart_pue, "chart-cycle": chart_cycle,
}
