"""Charts drawn from the data at build time with matplotlib, saved as SVG assets.

Each ``<!-- data:chart-NAME -->`` marker draws one chart, stores the SVG under
``assets/charts/NAME.svg`` and returns a ``<figure>`` with alt text summarising the
data and a caption naming its source. The SVG is deterministic (fixed hash salt, no
date) so rebuilding the site gives the same files.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt
from ml_emissions.location import region_location
from sitebuild.renderers.markers import Context, MarkerError
from sitebuild.renderers.values import data_year, read_rows

ACCENT = "#00796b"
HIGHLIGHT = "#d84315"
TEXT = "#333333"
plt.rcParams.update({
    "svg.hashsalt": "ml-emissions",
    "svg.fonttype": "none",
    "font.size": 9,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
})


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def _figure(context: Context, name: str, figure: Figure, alt: str, caption: str) -> str:
    path = f"assets/charts/{name}.svg"
    url = context.asset(path, _svg(figure))
    return (f'\n\n<figure class="mle-figure"><img src="{escape(url)}" '
            f'alt="{escape(alt)}" loading="lazy"><figcaption>{escape(caption)}'
            "</figcaption></figure>\n\n")


def chart_zones(context: Context, n: str = "15") -> str:
    """The ``n`` cleanest and ``n`` dirtiest national grids (country-level zones)."""
    countries = sorted((z for z in context.catalog.zones if z.zone_id == z.country_code),
                       key=lambda z: z.intensity_lifecycle_g_per_kwh)
    count = int(n)
    shown = countries[:count] + countries[-count:]
    figure, axes = plt.subplots(figsize=(7, 0.2 * len(shown) + 1))
    labels = [z.zone_name for z in shown]
    values = [z.intensity_lifecycle_g_per_kwh for z in shown]
    colours = [ACCENT] * count + [HIGHLIGHT] * count
    axes.barh(range(len(shown)), values, color=colours)
    axes.set_yticks(range(len(shown)), labels)
    axes.invert_yaxis()
    year = data_year(context, "zones")
    axes.set_xlabel(f"Life-cycle carbon intensity, gCO2e/kWh ({year} yearly average)")
    low, high = shown[0], shown[-1]
    alt = (f"Bar chart of the {count} cleanest and {count} dirtiest national grids: from "
           f"{low.zone_name} at {fmt.number(low.intensity_lifecycle_g_per_kwh)} to "
           f"{high.zone_name} at {fmt.number(high.intensity_lifecycle_g_per_kwh)} gCO2e/kWh.")
    caption = (f"The {count} cleanest (green) and {count} dirtiest (orange) national grids, "
               f"of {len(countries)} countries. Source: Electricity Maps, {year} yearly "
               "averages (ODbL).")
    return _figure(context, "zones", figure, alt, caption)


def chart_regions(context: Context, providers: str = "aws,azure,gcp") -> str:
    """Every region of the given providers as dots on an axis of life-cycle intensity
    (the default basis: the same for every provider, so the rows compare)."""
    catalog = context.catalog
    ids = [p.strip() for p in providers.split(",")]
    figure, axes = plt.subplots(figsize=(7, 0.5 * len(ids) + 1.2))
    summary = []
    for row, provider_id in enumerate(ids):
        regions = catalog.regions_of(provider_id)
        if not regions:
            raise MarkerError(f"provider {provider_id!r} has no regions")
        values = sorted(region_location(catalog, r, "life-cycle").intensity_g_per_kwh
                        for r in regions)
        axes.scatter(values, [row] * len(values), color=ACCENT, alpha=0.6, s=22)
        name = catalog.provider(provider_id).name
        summary.append(f"{name}: {len(values)} regions from {fmt.number(values[0])} to "
                       f"{fmt.number(values[-1])}")
    axes.set_yticks(range(len(ids)), [catalog.provider(p).name for p in ids])
    axes.set_ylim(-0.6, len(ids) - 0.4)
    axes.set_xlabel("Life-cycle carbon intensity of the region's grid, gCO2e/kWh")
    alt = "Dot plot of cloud regions by carbon intensity. " + "; ".join(summary) + " gCO2e/kWh."
    year = data_year(context, "zones")
    caption = ("Each dot is a cloud region. Intensities, one basis for every provider: the "
               f"Electricity Maps {year} life-cycle yearly average of the region's grid zone "
               "(ODbL).")
    return _figure(context, "regions", figure, alt, caption)


def chart_history(context: Context, regions: str) -> str:
    """Google Cloud's yearly grid intensity, every year of data/intensity_history.csv, for
    the comma-separated regions."""
    history = read_rows("intensity_history.csv")
    figure, axes = plt.subplots(figsize=(7, 3.2))
    summary = []
    colours = {}
    for region in (r.strip() for r in regions.split(",")):
        series = sorted((int(row["year"]), float(row["intensity_g_per_kwh"]),
                         row["intensity_basis"]) for row in history if row["region_id"] == region)
        if not series:
            raise MarkerError(f"region {region!r} has no history")
        # one line per basis: Google's life-cycle years (dashed) are not joined to its
        # operational ones
        for basis, style in (("operational", "-"), ("life-cycle", "--")):
            points = [(y, v) for y, v, b in series if b == basis]
            if points:
                line, = axes.plot([y for y, _ in points], [v for _, v in points], style,
                                  marker="o", color=colours.get(region),
                                  label=region if region not in colours else None)
                colours[region] = line.get_color()
        summary.append(f"{region} {fmt.number(series[0][1])} in {series[0][0]} "
                       f"({series[0][2]}), {fmt.number(series[-1][1])} in {series[-1][0]} "
                       f"({series[-1][2]})")
    axes.set_ylabel("gCO2e/kWh")
    axes.legend(frameon=False, fontsize=8, ncols=2)
    alt = "Line chart of Google Cloud grid carbon intensity by year: " + "; ".join(summary) + "."
    caption = ("Grid carbon intensity of Google Cloud regions by year. Source: Google Cloud, "
               "region-carbon-info (Apache-2.0). Dashed: 2019-2020, which Google labels "
               "life-cycle; solid: from 2021, operational. The two are not joined: they "
               "are on different bases.")
    return _figure(context, "history", figure, alt, caption)


def chart_efficiency(context: Context) -> str:
    """Dense 16-bit throughput (BF16, else FP16) per watt against release year, for
    accelerators."""
    # (device, GFLOPS per watt) for accelerators with both figures published
    catalog = context.catalog
    points = [(d, efficiency) for d in catalog.hardware
              if (efficiency := catalog.gflops_per_watt(d)) is not None
              and d.kind in ("gpu", "tpu", "npu")]
    figure, axes = plt.subplots(figsize=(7, 3.8))
    axes.scatter([d.release_year for d, _ in points], [y for _, y in points], color=ACCENT,
                 s=18)
    axes.set_yscale("log")
    best = max(points, key=lambda point: point[1])
    oldest = min(points, key=lambda point: point[0].release_year)
    for device, efficiency in (best, oldest):
        axes.annotate(device.name, (device.release_year, efficiency),
                      fontsize=7, xytext=(4, 4), textcoords="offset points")
    axes.set_xlabel("Release year")
    axes.set_ylabel("GFLOPS per watt (BF16 or FP16 dense, log scale)")
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
    """Every PUE of data/pue.csv as a bar."""
    rows = sorted(context.catalog.pue, key=lambda p: p.pue)
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(rows) + 0.8))
    axes.barh(range(len(rows)), [p.pue for p in rows],
              color=[HIGHLIGHT if p.scope == "default" else ACCENT for p in rows])
    axes.set_yticks(range(len(rows)), [p.pue_id for p in rows])
    axes.set_xlim(1.0, max(p.pue for p in rows) + 0.1)
    axes.set_xlabel("PUE (facility energy / IT energy)")
    alt = "Bar chart of PUE values: " + "; ".join(f"{p.pue_id} {fmt.number(p.pue)}"
                                                  for p in rows) + "."
    caption = ("PUE of cloud providers (green) and the calculator's defaults (orange). "
               "Sources: data/pue.csv.")
    return _figure(context, "pue", figure, alt, caption)


def chart_cycle(context: Context, runs: str, **params: str) -> str:
    """CO2e of one run against the whole development cycle of ``runs`` runs."""
    single = estimate(Job.from_params(params), context.catalog)
    cycle = estimate(Job.from_params({**params, "runs": runs}), context.catalog)
    figure, axes = plt.subplots(figsize=(7, 1.6))
    values: list[tuple[str, float]] = [("Final run", single.co2e_kg),
                                       (f"Development cycle ({int(runs):,} runs)", cycle.co2e_kg)]
    axes.barh([0, 1], [v for _, v in values], color=[ACCENT, HIGHLIGHT])
    axes.set_yticks([0, 1], [label for label, _ in values])
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("kg CO2e (log scale)")
    alt = (f"Bar chart: the final run emits {fmt.mass(single.co2e_kg)} CO2e, the whole "
           f"development cycle of {int(runs):,} runs {fmt.mass(cycle.co2e_kg)}.")
    caption = "One training run against the whole development cycle, computed by the engine."
    return _figure(context, "cycle", figure, alt, caption)


CHARTS: dict[str, Callable[..., str]] = {
    "chart-zones": chart_zones, "chart-regions": chart_regions, "chart-history": chart_history,
    "chart-efficiency": chart_efficiency, "chart-pue": chart_pue, "chart-cycle": chart_cycle,
}
