r"""The emissions model: energy and CO2e of a training job and its development cycle.

Notes
-----
For ``n`` devices drawing ``P_dev`` watts each, host CPUs drawing ``P_cpu`` watts and
``M`` GB of memory at ``k_mem`` W/GB, running ``h`` hours per run for ``r`` runs in a
facility of power usage effectiveness ``PUE`` on a grid of carbon intensity ``I``:

.. math::

    P_{IT} &= n P_{dev} + P_{cpu} + k_{mem} M                  \quad [W] \\
    E_{IT} &= P_{IT} \, h \, r / 1000                           \quad [kWh] \\
    E      &= \mathrm{PUE} \cdot E_{IT}                        \quad [kWh] \\
    C      &= E \cdot I / 1000                                  \quad [kg\,CO_2e]

with ``P_dev = u * P_rated`` for a utilization ``u`` (default 1, the rated power, as
in Lacoste et al. 2019) or a measured average power. This is the model of
Lacoste et al. (2019), extended with device count, host power (Lannelongue et al.
2021) and PUE (Strubell et al. 2019). ``I`` is on one basis (life-cycle, direct, or the
provider's own figure; see :mod:`.location`), and so is every comparison with other
places: the cleanest region of the same provider and the cleanest grid zone, offered
only when cleaner than the job's location. Where the provider publishes its own figure
``I_p`` and an hourly carbon-free-energy share ``CFE`` for the region, the estimate also
gives ``C_p = E I_p / 1000`` and the market-based approximation
``C_market = C_p (1 - CFE/100)``, labelled as such.

The range: the low and high bounds vary the power per device (utilization x (1 -/+
``range_utilization_rel``), the high bound capped at the rated power; or a measured
power x (1 -/+ ``range_measured_power_rel``)), the PUE overhead
((PUE - 1) x (1 -/+ ``range_pue_overhead_rel``)), constants of ``data/constants.csv``,
and, when the hours come from compute (:mod:`.compute`), the hours of the MFU range.

The hours ``h`` are given, or follow from the work (:mod:`.compute`). Embodied
emissions, the job's share of the devices' manufacture (:mod:`.embodied`), are a
separate figure, never added into ``C``.

References
----------
Lacoste, A., Luccioni, A., Schmidt, V., Dandres, T. (2019). Quantifying the Carbon
Emissions of Machine Learning. arXiv:1910.09700.
Strubell, E., Ganesh, A., McCallum, A. (2019). Energy and Policy Considerations for
Deep Learning in NLP. ACL 2019. doi:10.18653/v1/P19-1355.
Lannelongue, L., Grealey, J., Inouye, M. (2021). Green Algorithms: Quantifying the
Carbon Footprint of Computation. Advanced Science 8, 2100707. doi:10.1002/advs.202100707.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from . import formatting as fmt
from .catalog import Catalog, Source, load_catalog
from .embodied import EmbodiedEstimate, estimate_embodied
from .errors import InputError
from .facility import resolve_facility
from .job import Job
from .location import Location, basis_words, region_location, zone_location
from .resolve import ResolvedInputs, resolve

__all__ = [
    "Alternative",
    "Breakdown",
    "Comparison",
    "EquivalentValue",
    "Estimate",
    "ProviderFigure",
    "RegionOption",
    "compare_regions",
    "estimate",
]


@dataclass(frozen=True)
class Breakdown:
    """Facility energy of the whole development cycle by component. [kWh]"""

    accelerators_kwh: float
    host_cpu_kwh: float
    memory_kwh: float
    pue_overhead_kwh: float


@dataclass(frozen=True)
class EquivalentValue:
    """The estimate expressed as an everyday equivalent (``value`` ``unit``s)."""

    equivalent_id: str
    label: str
    value: float
    unit: str
    basis: str  # "co2e_kg" or "energy_kwh"
    source: Source


@dataclass(frozen=True)
class Alternative:
    """The same job elsewhere, on the estimate's basis: its CO2e and the saving."""

    key: str  # region key or zone id
    label: str
    intensity_g_per_kwh: float
    pue: float
    co2e_kg: float
    saving_kg: float
    saving_pct: float


@dataclass(frozen=True)
class Comparison:
    """The job's location against the cleanest place of a scope, on one basis.

    ``alternative`` is that cleanest place only when it is cleaner than the job's own
    location, else ``None``; ``scope`` names one of the places compared ("Google Cloud
    region", "grid zone")."""

    kind: str  # "same_provider" or "any_zone"
    scope: str
    basis: str
    alternative: Alternative | None


@dataclass(frozen=True)
class RegionOption:
    """One cloud region of a comparison: the job's CO2e there, on ``basis``."""

    key: str
    label: str
    basis: str
    intensity_g_per_kwh: float
    pue: float
    energy_kwh: float
    co2e_kg: float


@dataclass(frozen=True)
class ProviderFigure:
    """The provider's own published figure for the job's cloud region (Google's
    operational, location-based intensity and carbon-free-energy share), shown beside
    the estimate when the estimate is on another basis; ``market_co2e_kg`` is the
    approximate market-based CO2e, ``co2e_kg x (1 - cfe_pct / 100)``."""

    intensity_g_per_kwh: float
    description: str
    source: Source
    co2e_kg: float
    cfe_pct: float | None
    market_co2e_kg: float | None


@dataclass(frozen=True)
class Estimate:
    """The result of :func:`estimate`. Energies [kWh] and CO2e [kg] cover the whole
    development cycle (all runs) unless the name says ``per_run``; every intensity and
    comparison is on ``inputs.location.basis``."""

    job: Job
    inputs: ResolvedInputs
    it_power_w: float
    it_energy_kwh: float
    energy_kwh: float
    co2e_kg: float
    energy_kwh_per_run: float
    co2e_kg_per_run: float
    energy_low_kwh: float
    energy_high_kwh: float
    co2e_low_kg: float
    co2e_high_kg: float
    breakdown: Breakdown
    equivalents: tuple[EquivalentValue, ...]
    comparisons: tuple[Comparison, ...]
    provider_figure: ProviderFigure | None
    # the devices' manufacturing share, apart from co2e_kg; None when turned off or
    # when there is no figure for the device
    embodied: EmbodiedEstimate | None
    catalog_version: str
    # this job in every region of the chosen region's provider, cleanest first, on the
    # estimate's basis (empty unless the location is a cloud region); for the
    # calculator page's chart, not in the reports
    provider_regions: tuple[RegionOption, ...] = field(default=(), repr=False)

    @property
    def market_co2e_kg(self) -> float | None:
        """Approximate market-based CO2e from the provider's carbon-free-energy share,
        on the provider's own basis, where published. [kg]"""
        return self.provider_figure.market_co2e_kg if self.provider_figure else None

    @property
    def operational_and_embodied_kg(self) -> float | None:
        """Operational CO2e plus embodied CO2e, where embodied is estimated. [kg]"""
        return None if self.embodied is None else self.co2e_kg + self.embodied.co2e_kg

    def comparison(self, kind: str) -> Comparison | None:
        """The comparison of ``kind`` (``"same_provider"`` or ``"any_zone"``), if made."""
        return next((c for c in self.comparisons if c.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``energy_kwh`` (facility energy, all runs, after PUE),
        ``co2e_kg`` (location-based, on ``inputs.location.basis``), the resolved inputs
        with their sources, the range, breakdown, equivalents and comparisons; floats
        to ten significant digits."""
        data = asdict(self)
        del data["provider_regions"]
        data["job"] = self.job.to_params()
        data["inputs"]["device_hours"] = self.inputs.device_hours
        data["inputs"]["pue"] = self.inputs.pue
        data["inputs"]["location"]["basis_words"] = basis_words(self.inputs.location.basis)
        data["market_co2e_kg"] = self.market_co2e_kg
        if self.embodied is not None:
            data["embodied"]["co2e_kg"] = self.embodied.co2e_kg
        data["operational_and_embodied_co2e_kg"] = self.operational_and_embodied_kg
        result: dict[str, Any] = fmt.clean(data)
        return result


def _it_power_w(device_watts: float, inputs: ResolvedInputs) -> float:
    """IT power of the job: devices, host CPUs and memory. [W]"""
    return inputs.count * device_watts + inputs.cpu_watts + inputs.memory_watts


def _energy_kwh(it_power_w: float, inputs: ResolvedInputs, pue: float,
                hours_per_run: float | None = None) -> float:
    """Facility energy of the whole cycle for an IT power, a PUE and runs of
    ``hours_per_run`` (default: the job's). [kWh]"""
    hours = inputs.hours_per_run if hours_per_run is None else hours_per_run
    return pue * it_power_w * hours * inputs.runs / 1000.0


def _device_watts_bounds(inputs: ResolvedInputs, catalog: Catalog) -> tuple[float, float]:
    """Low and high average power per device for the range. [W]"""
    if inputs.device_watts_measured:
        spread = catalog.constant("range_measured_power_rel").value
        return inputs.device_watts * (1 - spread), inputs.device_watts * (1 + spread)
    assert inputs.utilization is not None and inputs.rated_watts is not None
    spread = catalog.constant("range_utilization_rel").value
    low = inputs.utilization * (1 - spread)
    high = max(inputs.utilization, min(inputs.utilization * (1 + spread), 1.0))
    return low * inputs.rated_watts, high * inputs.rated_watts


def _pue_bounds(pue: float, catalog: Catalog) -> tuple[float, float]:
    spread = catalog.constant("range_pue_overhead_rel").value
    return 1 + (pue - 1) * (1 - spread), 1 + (pue - 1) * (1 + spread)


def _co2e_kg(energy_kwh: float, intensity_g_per_kwh: float) -> float:
    return energy_kwh * intensity_g_per_kwh / 1000.0


def compare_regions(inputs: ResolvedInputs, provider: str, catalog: Catalog,
                    user_pue: float | None, basis: str | None = None) -> list[RegionOption]:
    """The job in every region of ``provider`` that has a figure on ``basis`` (default:
    the basis of ``inputs``), cleanest first.

    Each region gets its own PUE (unless the user fixed one) and intensity.
    """
    basis = basis or inputs.location.basis
    it_power = _it_power_w(inputs.device_watts, inputs)
    options = []
    for key, label, intensity, region_pue in _provider_regions(catalog, provider, basis):
        pue = region_pue if user_pue is None else user_pue
        energy = _energy_kwh(it_power, inputs, pue)
        options.append(RegionOption(key, label, basis, intensity, pue, energy,
                                    _co2e_kg(energy, intensity)))
    options.sort(key=lambda option: (option.co2e_kg, option.key))
    return options


def _provider_regions(catalog: Catalog, provider: str, basis: str
                      ) -> tuple[tuple[str, str, float, float], ...]:
    """``(key, label, intensity, cloud PUE)`` of every region of ``provider`` with a
    figure on ``basis``: catalog values only, worked out once per catalog and basis (the
    calculator page compares the regions on every change)."""
    def table() -> tuple[tuple[str, str, float, float], ...]:
        rows = []
        for region in catalog.regions_of(provider):
            location = region_location(catalog, region, "life-cycle")
            figure = location.figure(basis)
            if figure is None:
                continue
            pue = resolve_facility(catalog, "cloud", None, None, region).pue
            rows.append((region.key, location.label, figure.g_per_kwh, pue))
        return tuple(rows)

    return catalog.derived(("provider regions", provider, basis), table)


def _cleanest_zone(catalog: Catalog, basis: str) -> Location:
    """The grid zone of lowest intensity on ``basis`` (never the world average)."""
    def find() -> Location:
        zones = [z for z in catalog.zones if not z.is_world_average]  # GLOBAL: no grid
        figures = [(zone_location(z, basis), z.zone_id) for z in zones
                   if basis == "life-cycle" or z.intensity_direct_g_per_kwh is not None]
        return min(figures, key=lambda pair: (pair[0].intensity_g_per_kwh, pair[1]))[0]

    return catalog.derived(("cleanest zone", basis), find)


def _alternative(key: str, label: str, intensity: float, pue: float, alt_co2e: float,
                 co2e_kg: float) -> Alternative | None:
    """The place as an alternative, only if it is cleaner than the job's location."""
    saving = co2e_kg - alt_co2e
    if not saving > 0:
        return None
    return Alternative(key, label, intensity, pue, alt_co2e, saving, 100.0 * saving / co2e_kg)


def _comparisons(inputs: ResolvedInputs, catalog: Catalog, co2e: float, energy: float,
                 options: list[RegionOption]) -> tuple[Comparison, ...]:
    """The job's location against the cleanest region of its provider and the cleanest
    grid zone, on the estimate's basis. On the provider basis, only the provider's own
    regions are compared."""
    location = inputs.location
    basis = location.basis
    comparisons = []
    if location.provider is not None and options:
        best = options[0]
        name = catalog.provider(location.provider).name
        comparisons.append(Comparison(
            "same_provider", f"{name} region", basis,
            _alternative(best.key, best.label, best.intensity_g_per_kwh, best.pue,
                         best.co2e_kg, co2e)))
    if basis != "provider":
        zone = _cleanest_zone(catalog, basis)
        comparisons.append(Comparison(
            "any_zone", "grid zone", basis,
            _alternative(zone.key, zone.label, zone.intensity_g_per_kwh, inputs.pue,
                         _co2e_kg(energy, zone.intensity_g_per_kwh), co2e)))
    return tuple(comparisons)


def _provider_figure(location: Location, energy: float) -> ProviderFigure | None:
    """The provider's own figure for the region, with the market-based approximation."""
    figure = location.figure("provider")
    if figure is None:
        return None
    co2e = _co2e_kg(energy, figure.g_per_kwh)
    market = None if location.cfe_pct is None else co2e * (1 - location.cfe_pct / 100.0)
    return ProviderFigure(figure.g_per_kwh, figure.description, figure.source, co2e,
                          location.cfe_pct, market)


def _embodied(job: Job, inputs: ResolvedInputs, catalog: Catalog) -> EmbodiedEstimate | None:
    """The devices' embodied CO2e over the cycle's device-hours, unless turned off."""
    if not job.embodied:
        return None
    device = (catalog.find_hardware(inputs.hardware_id) if inputs.hardware_id is not None
              else None)
    return estimate_embodied(catalog, device, inputs.device_hours,
                             kg_per_device=job.embodied_kg_per_device,
                             host_kg_per_device=job.embodied_host_kg_per_device,
                             lifetime_years=job.lifetime_years, use_rate=job.use_rate)


def estimate(job: Job, catalog: Catalog | None = None) -> Estimate:
    """Estimate the energy and emissions of ``job`` (see the module notes for the model).

    Parameters
    ----------
    job
        The job; its fields are validated when it is created.
    catalog
        The catalog to resolve names against; default: the packaged one.

    Returns
    -------
    Estimate
        Energies in kWh and CO2e in kg for the whole development cycle, with the
        resolved inputs and their sources.

    Raises
    ------
    ml_emissions.errors.InputError
        For an unknown hardware, region or zone name, a basis the location has no figure
        on, an input beyond the catalog's limits, or a ``job`` that is no :class:`Job`.
    """
    if not isinstance(job, Job):
        raise InputError("job", job, "a Job, e.g. Job(hardware='V100', hours=10, zone='FR')")
    catalog = catalog or load_catalog()
    inputs = resolve(job, catalog)
    intensity = inputs.location.intensity_g_per_kwh

    it_power = _it_power_w(inputs.device_watts, inputs)
    energy = _energy_kwh(it_power, inputs, inputs.pue)
    it_energy = _energy_kwh(it_power, inputs, 1.0)
    co2e = _co2e_kg(energy, intensity)

    low_w, high_w = _device_watts_bounds(inputs, catalog)
    low_pue, high_pue = _pue_bounds(inputs.pue, catalog)
    low_h, high_h = inputs.hours_bounds
    energy_low = _energy_kwh(_it_power_w(low_w, inputs), inputs, low_pue, low_h)
    energy_high = _energy_kwh(_it_power_w(high_w, inputs), inputs, high_pue, high_h)

    cycle_h = inputs.hours_per_run * inputs.runs
    breakdown = Breakdown(
        accelerators_kwh=inputs.count * inputs.device_watts * cycle_h / 1000.0,
        host_cpu_kwh=inputs.cpu_watts * cycle_h / 1000.0,
        memory_kwh=inputs.memory_watts * cycle_h / 1000.0,
        pue_overhead_kwh=energy - it_energy,
    )

    equivalents = tuple(
        EquivalentValue(eq.equivalent_id, eq.label,
                        (co2e if eq.basis == "co2e_kg" else energy) / eq.amount_per_unit,
                        eq.unit, eq.basis, eq.source)
        for eq in catalog.equivalents
    )

    options: list[RegionOption] = []
    if inputs.location.provider is not None:
        options = compare_regions(inputs, inputs.location.provider, catalog, job.pue)

    return Estimate(
        job=job,
        inputs=inputs,
        it_power_w=it_power,
        it_energy_kwh=it_energy,
        energy_kwh=energy,
        co2e_kg=co2e,
        energy_kwh_per_run=energy / inputs.runs,
        co2e_kg_per_run=co2e / inputs.runs,
        energy_low_kwh=energy_low,
        energy_high_kwh=energy_high,
        co2e_low_kg=_co2e_kg(energy_low, intensity),
        co2e_high_kg=_co2e_kg(energy_high, intensity),
        breakdown=breakdown,
        equivalents=equivalents,
        comparisons=_comparisons(inputs, catalog, co2e, energy, options),
        provider_figure=_provider_figure(inputs.location, energy),
        embodied=_embodied(job, inputs, catalog),
        catalog_version=catalog.version,
        provider_regions=tuple(options),
    )
