"""Inline figures for prose: ``<!-- data:value ... -->`` and ``<!-- data:estimate ... -->``.

Each renders a short text (a number with its unit) taken from the catalog or computed by
the engine, so no figure in the prose can disagree with the calculator.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt
from ml_emissions.catalog import Zone
from ml_emissions.embodied import EmbodiedEstimate
from ml_emissions.engine import Alternative, Estimate
from ml_emissions.location import region_location
from ml_emissions.reports import describe_comparison
from sitebuild.renderers.markers import Context, MarkerError

DATA = Path(__file__).resolve().parents[2] / "data"


def read_rows(file: str) -> list[dict[str, str]]:
    """Rows of ``data/<file>`` as dicts of strings."""
    with (DATA / file).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _grid_zones(context: Context) -> list[Zone]:
    """The catalog's grid zones: every zone but the world average (GLOBAL)."""
    return [z for z in context.catalog.zones if not z.is_world_average]


def _count(context: Context, what: str) -> str:
    catalog = context.catalog
    grids = _grid_zones(context)
    counts = {
        "hardware": len(catalog.hardware),
        "zones": len(grids),  # the world average is not a grid zone
        "countries": len({z.country_code for z in grids}),
        "regions": len(catalog.regions),
        "providers": len(catalog.providers),
        "legacy-regions": len(read_rows("legacy_mlco2_regions.csv"))
        if (DATA / "legacy_mlco2_regions.csv").exists() else 0,
        "published-estimates": len(read_rows("published_estimates.csv")),
    }
    if what not in counts:
        raise MarkerError(f"count={what!r}: expected one of {', '.join(counts)}")
    return f"{counts[what]:,}"


def data_year(context: Context, of: str) -> int:
    """The year of the catalog's grid-zone figures (``of="zones"``, the world average
    left out) or of the providers' own region figures (``of="provider"``); a
    :class:`MarkerError` if the data holds more than one (then no page may say "the" year)."""
    catalog = context.catalog
    if of == "zones":
        years = {z.source.year for z in _grid_zones(context)}
    elif of == "provider":
        years = {r.provider_year for r in catalog.regions if r.provider_year is not None}
    else:
        raise MarkerError(f"year={of!r}: expected zones or provider")
    if len(years) != 1:
        raise MarkerError(f"year={of}: the data holds {len(years)} years "
                          f"({', '.join(map(str, sorted(years)))}), not one")
    return years.pop()


def _zone_extremes(context: Context) -> tuple[float, float]:
    values = [z.intensity_lifecycle_g_per_kwh for z in _grid_zones(context)]
    return min(values), max(values)


def value(context: Context, unit: str = "yes", **what: str) -> str:
    """One figure. Exactly one of:

    ``pue=ID`` (data/pue.csv), ``constant=ID``, ``equivalent=ID`` (its factor),
    ``zone=ID`` (life-cycle intensity), ``zone-direct=ID``, ``region=PROVIDER:REGION``
    (the region's life-cycle intensity, the engine's default basis),
    ``region-provider=PROVIDER:REGION`` (the provider's own figure), ``hardware=NAME``
    (rated power), ``embodied=NAME`` (the device's published manufacturing CO2e),
    ``count=WHAT``,
    ``zones=min|max|ratio`` (life-cycle intensity extremes), ``year=zones|provider``
    (the year of the grid zones' or of the providers' figures). Counts and extremes of
    zones leave out the world average (GLOBAL), which is no grid zone.
    ``unit=no`` leaves the unit out.
    """
    if len(what) != 1:
        raise MarkerError(f"value needs exactly one selector, got {sorted(what)}")
    ((key, arg),) = what.items()
    catalog = context.catalog
    with_unit = unit != "no"
    g = " gCO2e/kWh" if with_unit else ""
    if key == "pue":
        row = catalog.pue_for(arg)
        if row is None:
            raise MarkerError(f"pue={arg!r} is not in data/pue.csv")
        return fmt.number(row.pue)
    if key == "constant":
        constant = catalog.constant(arg)  # exact, as in the data: no rounding
        return fmt.exact(constant.value) + (f" {constant.unit}" if with_unit else "")
    if key == "equivalent":
        (eq,) = [e for e in catalog.equivalents if e.equivalent_id == arg]
        basis = "kg CO2e" if eq.basis == "co2e_kg" else "kWh"
        return fmt.exact(eq.amount_per_unit) + (f" {basis} per {eq.unit}" if with_unit else "")
    if key == "zone":
        return fmt.number(catalog.find_zone(arg).intensity_lifecycle_g_per_kwh) + g
    if key == "zone-direct":
        direct = catalog.find_zone(arg).intensity_direct_g_per_kwh
        if direct is None:
            raise MarkerError(f"zone-direct={arg!r}: the zone has no direct figure")
        return fmt.number(direct) + g
    if key in ("region", "region-provider"):
        basis = "provider" if key == "region-provider" else "life-cycle"
        return fmt.number(region_location(catalog, catalog.find_region(arg), basis)
                          .intensity_g_per_kwh) + g
    if key == "hardware":
        device = catalog.find_hardware(arg)
        if device.tdp_w is None:
            raise MarkerError(f"hardware={arg!r}: {device.name} has no published power")
        return fmt.number(device.tdp_w) + (" W" if with_unit else "")
    if key == "embodied":
        device = catalog.find_hardware(arg)
        figure = catalog.embodied_figure(device)
        if figure is None or figure.kg_co2e_per_device is None:
            raise MarkerError(f"embodied={arg!r}: {device.name} has no published figure")
        return fmt.number(figure.kg_co2e_per_device) + (" kg CO2e" if with_unit else "")
    if key == "count":
        return _count(context, arg)
    if key == "year":
        return str(data_year(context, arg))
    if key == "zones":
        low, high = _zone_extremes(context)
        figures = {"min": fmt.number(low) + g, "max": fmt.number(high) + g,
                   "ratio": f"{high / low:.0f}"}
        return figures[arg]
    raise MarkerError(f"unknown selector {key!r}")


def alternative(result: Estimate, kind: str) -> Alternative:
    """The cleaner place of the estimate's comparison ``kind``; a :class:`MarkerError`
    when none is cleaner (a page must not print a saving that does not exist)."""
    comparison = result.comparison(kind)
    if comparison is None or comparison.alternative is None:
        raise MarkerError(f"no cleaner place ({kind}) for this job: "
                          + (describe_comparison(comparison) if comparison else "not compared"))
    return comparison.alternative


def _embodied(result: Estimate) -> EmbodiedEstimate:
    if result.embodied is None:
        raise MarkerError("no embodied figure for this job")
    return result.embodied


def estimate_value(context: Context, show: str = "co2e", **params: str) -> str:
    """A figure of an engine estimate for the job given by ``params`` (named like the
    command-line flags). ``show``: ``co2e``, ``energy``, ``co2e-per-run``,
    ``energy-per-run``, ``market``, ``pue``, ``intensity``, ``saving-same-provider``,
    ``saving-any-zone``, ``hours`` and ``device-hours`` (of one run and of the cycle; from
    compute, to three figures), ``embodied``, ``operational-and-embodied``."""
    result = estimate(Job.from_params(params), context.catalog)

    def market() -> str:
        if result.market_co2e_kg is None:
            raise MarkerError("show=market: the location has no published carbon-free share")
        return fmt.mass(result.market_co2e_kg) + " CO2e"

    figures = {
        "co2e": lambda: fmt.mass(result.co2e_kg) + " CO2e",
        "energy": lambda: fmt.energy(result.energy_kwh),
        "co2e-per-run": lambda: fmt.mass(result.co2e_kg_per_run) + " CO2e",
        "energy-per-run": lambda: fmt.energy(result.energy_kwh_per_run),
        "market": market,
        "pue": lambda: fmt.number(result.inputs.pue),
        "intensity": lambda: fmt.number(result.inputs.location.intensity_g_per_kwh)
        + " gCO2e/kWh",
        "saving-same-provider": lambda: fmt.percent(alternative(result, "same_provider")
                                                    .saving_pct),
        "saving-any-zone": lambda: fmt.percent(alternative(result, "any_zone").saving_pct),
        "hours": lambda: fmt.number(result.inputs.hours_per_run) + " h",
        "device-hours": lambda: fmt.number(result.inputs.device_hours) + " device-hours",
        "embodied": lambda: fmt.mass(_embodied(result).co2e_kg) + " CO2e",
        "operational-and-embodied": lambda: fmt.mass(result.co2e_kg
                                                     + _embodied(result).co2e_kg) + " CO2e",
    }
    if show not in figures:
        raise MarkerError(f"show={show!r}: expected one of {', '.join(figures)}")
    return figures[show]()
