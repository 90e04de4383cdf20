"""Resolve a :class:`~ml_emissions.job.Job` against the catalog.

Turns names into numbers with their sources: the device's power, the PUE and the
carbon intensity, following the precedence rules of the methodology:

* power per device: measured watts > utilization x rated power (catalog or custom); a
  catalog device whose vendor publishes no power (``power_basis == "unpublished"``)
  needs measured watts;
* PUE: the user's value > the region's published PUE > the provider's fleet PUE >
  the ``unknown`` default of ``data/pue.csv``;
* intensity: the user's value > the provider's own published intensity for the
  region (Google) > the life-cycle intensity of the region's grid zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Catalog, Hardware, Region, Source, Zone
from .errors import UnpublishedPowerError
from .job import Job

__all__ = ["Location", "ResolvedInputs", "region_intensity", "resolve", "resolve_pue"]

CUSTOM_SOURCE = Source("given by the user", "", 0, "")


@dataclass(frozen=True)
class Location:
    """Where the job runs and the carbon intensity of its electricity."""

    kind: str  # "region", "zone" or "intensity"
    key: str  # "gcp:us-central1", "FR" or "custom"
    label: str  # human-readable
    intensity_g_per_kwh: float
    intensity_basis: str  # what the intensity is, e.g. "life-cycle, yearly average 2024"
    intensity_source: Source
    provider: str | None = None
    zone_id: str | None = None
    cfe_pct: float | None = None  # provider's carbon-free-energy share, percent
    cfe_source: Source | None = None


@dataclass(frozen=True)
class ResolvedInputs:
    """Every number an estimate uses, with its source."""

    hardware_name: str
    hardware_id: str | None
    hardware_kind: str
    rated_watts: float | None  # per device, from the catalog or the user [W]
    rated_watts_basis: str  # "tdp", "measured_average", "unpublished" (catalog) or "custom"
    rated_watts_source: Source
    utilization: float | None  # None when the power was measured
    device_watts: float  # average power drawn per device [W]
    device_watts_measured: bool
    count: int
    hours_per_run: float  # [h]
    runs: float  # run multiplier of the development cycle [-]
    cpu_watts: float  # [W]
    memory_gb: float  # [GB]
    memory_watts: float  # [W]
    memory_w_per_gb_source: Source
    pue: float
    pue_basis: str  # "user", "region", "provider" or "default"
    pue_source: Source
    location: Location


def _zone_location(zone: Zone) -> Location:
    return Location(
        kind="zone",
        key=zone.zone_id,
        label=zone.label,
        intensity_g_per_kwh=zone.intensity_lifecycle_g_per_kwh,
        intensity_basis=f"life-cycle, yearly average {zone.source.year}",
        intensity_source=zone.source,
        zone_id=zone.zone_id,
    )


def region_intensity(catalog: Catalog, region: Region) -> Location:
    """The location of a cloud region: the provider's own intensity when published,
    else the life-cycle intensity of the region's grid zone."""
    zone = catalog.zone(region.zone_id)
    provider = catalog.provider(region.provider)
    # what the provider publishes for the region (CFE, intensity) is dated by data_year
    published = Source(region.source.citation, region.source.url,
                       region.data_year or region.source.year, region.source.licence)
    if region.provider_intensity_g_per_kwh is not None:
        intensity = region.provider_intensity_g_per_kwh
        basis = f"{provider.name}'s published grid intensity, {region.data_year}"
        source = published
    else:
        intensity = zone.intensity_lifecycle_g_per_kwh
        basis = f"life-cycle, yearly average {zone.source.year}, grid zone {zone.zone_id}"
        source = zone.source
    return Location(
        kind="region",
        key=region.key,
        label=f"{provider.name} {region.region_id} ({region.display_name})",
        intensity_g_per_kwh=intensity,
        intensity_basis=basis,
        intensity_source=source,
        provider=region.provider,
        zone_id=zone.zone_id,
        cfe_pct=region.cfe_pct,
        cfe_source=published if region.cfe_pct is not None else None,
    )


def resolve_pue(catalog: Catalog, job_pue: float | None,
                region: Region | None) -> tuple[float, str, Source]:
    """Return ``(pue, basis, source)`` by the precedence of the module docstring."""
    if job_pue is not None:
        return job_pue, "user", Source("given by the user", "", 0, "")
    if region is not None:
        if region.pue is not None:
            source = Source(f"{catalog.provider(region.provider).name}, {region.region_id} PUE",
                            region.pue_source_url, region.pue_year or region.source.year,
                            region.source.licence)
            return region.pue, "region", source
        row = catalog.pue_for(region.provider)
        if row is not None:
            return row.pue, "provider", row.source
    row = catalog.pue_for("unknown")
    assert row is not None, "data/pue.csv must define 'unknown'"
    return row.pue, "default", row.source


def _hardware(catalog: Catalog, job: Job) -> tuple[Hardware | None, float | None]:
    if job.hardware is not None:
        device = catalog.find_hardware(job.hardware)
        return device, device.tdp_w
    return None, job.watts


def resolve(job: Job, catalog: Catalog) -> ResolvedInputs:
    """Resolve every name of ``job`` to numbers with sources.

    Raises :class:`~ml_emissions.errors.UnknownNameError` for an unknown hardware,
    region or zone name, and :class:`~ml_emissions.errors.UnpublishedPowerError` for a
    device without a published power when no measured power is given.
    """
    device, rated = _hardware(catalog, job)
    memory_constant = catalog.constant("memory_power_w_per_gb")
    if job.measured_watts is not None:
        device_watts, utilization = job.measured_watts, None
    else:
        if rated is None:
            assert device is not None, "Job requires watts or measured_watts without hardware"
            raise UnpublishedPowerError(device.name, device.vendor)
        utilization = (job.utilization if job.utilization is not None
                       else catalog.constant("default_utilization").value)
        device_watts = utilization * rated

    region: Region | None = None
    if job.region is not None:
        region = catalog.find_region(job.region)
        location = region_intensity(catalog, region)
    elif job.zone is not None:
        location = _zone_location(catalog.find_zone(job.zone))
    else:
        assert job.intensity is not None
        location = Location(kind="intensity", key="custom",
                            label=f"custom intensity {job.intensity:g} gCO2e/kWh",
                            intensity_g_per_kwh=job.intensity, intensity_basis="given by the user",
                            intensity_source=CUSTOM_SOURCE)
    pue, pue_basis, pue_source = resolve_pue(catalog, job.pue, region)

    return ResolvedInputs(
        hardware_name=device.name if device else "custom device",
        hardware_id=device.hardware_id if device else None,
        hardware_kind=device.kind if device else "custom",
        rated_watts=rated,
        rated_watts_basis=device.power_basis if device else "custom",
        rated_watts_source=device.source if device else CUSTOM_SOURCE,
        utilization=utilization,
        device_watts=device_watts,
        device_watts_measured=job.measured_watts is not None,
        count=job.count,
        hours_per_run=job.hours_per_run,
        runs=job.run_multiplier,
        cpu_watts=job.cpu_watts,
        memory_gb=job.memory_gb,
        memory_watts=job.memory_gb * memory_constant.value,
        memory_w_per_gb_source=memory_constant.source,
        pue=pue,
        pue_basis=pue_basis,
        pue_source=pue_source,
        location=location,
    )
