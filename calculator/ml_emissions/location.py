"""Where a job runs, and the carbon intensity of its electricity on one basis.

Every location resolves to the two yearly figures Electricity Maps publishes for its
grid zone, **life-cycle** (generation, fuel supply and plant construction) and
**direct** (combustion at the plant only); a Google Cloud region also keeps Google's
own published figure (operational, location-based) with its carbon-free-energy share,
the **provider** basis. An estimate and every comparison it makes use one basis
(:data:`~ml_emissions.job.BASES`), named in words beside each figure
(:func:`basis_words`), so that no comparison mixes a life-cycle figure with a direct one.

References
----------
Electricity Maps (2025). 2024 Yearly Carbon Intensity Data (version January 27, 2025).
https://www.electricitymaps.com/data-portal (ODbL 1.0).
Google Cloud, region-carbon-info. https://github.com/GoogleCloudPlatform/region-carbon-info
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import USER_SOURCE, Catalog, Region, Source, Zone
from .errors import InputError
from .formatting import exact

__all__ = [
    "Intensity",
    "Location",
    "basis_words",
    "custom_location",
    "region_location",
    "zone_location",
]


_BASIS_WORDS = {
    "life-cycle": "life-cycle",
    "direct": "direct (combustion only)",
    "provider": "provider's own figure",
}


def basis_words(basis: str) -> str:
    """The basis of an intensity in words: ``"life-cycle"``, ``"direct (combustion
    only)"`` or ``"provider's own figure"``."""
    return _BASIS_WORDS[basis]


@dataclass(frozen=True)
class Intensity:
    """A carbon intensity on one basis. [gCO2e/kWh]"""

    g_per_kwh: float
    basis: str  # "life-cycle", "direct" or "provider"
    description: str  # e.g. "life-cycle, yearly average 2024, grid zone SE-SE3"
    source: Source


@dataclass(frozen=True)
class Location:
    """Where the job runs and the carbon intensity of its electricity on the chosen
    basis (``intensity_g_per_kwh``, described by ``intensity_basis``), with every
    figure known for the place (``figures``)."""

    kind: str  # "region", "zone" or "intensity"
    key: str  # "gcp:us-central1", "FR" or "custom"
    label: str  # human-readable
    basis: str  # the basis of intensity_g_per_kwh (one of job.BASES)
    intensity_g_per_kwh: float
    intensity_basis: str  # the figure in words, e.g. "life-cycle, yearly average 2024"
    intensity_source: Source
    figures: tuple[Intensity, ...] = ()  # life-cycle, direct and provider's, as known
    provider: str | None = None
    zone_id: str | None = None
    cfe_pct: float | None = None  # provider's carbon-free-energy share, percent
    cfe_source: Source | None = None

    def figure(self, basis: str) -> Intensity | None:
        """The figure of this place on ``basis``, if one is known."""
        return next((f for f in self.figures if f.basis == basis), None)


def _zone_figures(zone: Zone, suffix: str = "") -> tuple[Intensity, ...]:
    """The grid zone's yearly figures: life-cycle, and direct where published."""
    year = zone.source.year
    figures = [Intensity(zone.intensity_lifecycle_g_per_kwh, "life-cycle",
                         f"life-cycle, yearly average {year}{suffix}", zone.source)]
    if zone.intensity_direct_g_per_kwh is not None:
        figures.append(Intensity(zone.intensity_direct_g_per_kwh, "direct",
                                 f"direct (combustion only), yearly average {year}{suffix}",
                                 zone.source))
    return tuple(figures)


def _on_basis(key: str, label: str, kind: str, figures: tuple[Intensity, ...], basis: str,
              **extra: object) -> Location:
    """The location with the figure of ``basis``; an :class:`InputError` on ``basis``
    when the place has none."""
    chosen = next((f for f in figures if f.basis == basis), None)
    if chosen is None:
        have = " or ".join(f.basis for f in figures)
        raise InputError("basis", basis, f"{have} for {label}, which has no "
                         f"{basis_words(basis)} figure")
    return Location(kind=kind, key=key, label=label, basis=basis,
                    intensity_g_per_kwh=chosen.g_per_kwh, intensity_basis=chosen.description,
                    intensity_source=chosen.source, figures=figures,
                    **extra)  # type: ignore[arg-type]


def zone_location(zone: Zone, basis: str) -> Location:
    """A grid zone on ``basis`` (life-cycle or direct)."""
    return _on_basis(zone.zone_id, zone.label, "zone", _zone_figures(zone), basis,
                     zone_id=zone.zone_id)


def region_location(catalog: Catalog, region: Region, basis: str) -> Location:
    """A cloud region on ``basis``: its grid zone's figure, or on the provider basis
    the provider's own published figure (raises :class:`InputError` on ``basis`` for a
    region whose provider publishes none)."""
    zone = catalog.zone(region.zone_id)
    provider = catalog.provider(region.provider)
    figures = list(_zone_figures(zone, f", grid zone {zone.zone_id}"))
    published = region.provider_source
    if region.provider_intensity_g_per_kwh is not None and published is not None:
        figures.append(Intensity(
            region.provider_intensity_g_per_kwh, "provider",
            f"{provider.name}'s own figure (operational, location-based, {published.year})",
            published))
    return _on_basis(region.key, f"{provider.name} {region.region_id} ({region.display_name})",
                     "region", tuple(figures), basis,
                     provider=region.provider, zone_id=zone.zone_id, cfe_pct=region.cfe_pct,
                     cfe_source=published if region.cfe_pct is not None else None)


def custom_location(intensity: float, basis: str) -> Location:
    """A custom intensity given by the user, taken to be on ``basis`` (life-cycle or
    direct: a custom figure is no provider's)."""
    if basis == "provider":
        raise InputError("basis", basis, "life-cycle or direct with a custom intensity "
                         "(the provider basis needs a cloud region whose provider "
                         "publishes its own figure)")
    description = f"{USER_SOURCE.citation}, taken as {basis_words(basis)}"
    figure = Intensity(intensity, basis, description, USER_SOURCE)
    return Location(kind="intensity", key="custom",
                    label=f"custom intensity {exact(intensity)} gCO2e/kWh", basis=basis,
                    intensity_g_per_kwh=intensity, intensity_basis=description,
                    intensity_source=USER_SOURCE, figures=(figure,))
