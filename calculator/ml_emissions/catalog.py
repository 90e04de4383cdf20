"""The compiled catalog: hardware with its peak throughput and embodied emissions, grid
zones, cloud regions, PUE, equivalents, constants.

The catalog is ``catalog.json`` in this package, compiled from ``data/*.csv`` by
``pipeline/build_catalog.py``; every row keeps its source, year and licence. It is read
once through :mod:`importlib.resources` and then looked up by name.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from .errors import UnknownNameError

__all__ = [
    "USER_SOURCE",
    "Catalog",
    "Constant",
    "EmbodiedFigure",
    "Equivalent",
    "Hardware",
    "Instance",
    "Provider",
    "PueDefault",
    "Region",
    "Source",
    "Throughput",
    "Zone",
    "load_catalog",
    "normalize_name",
]

CATALOG_FORMAT = 3
"""Version of the structure of ``catalog.json``; ``pipeline/build_catalog.py`` writes it."""

# Other names of the world-average zone (the one zone without a country code, GLOBAL).
WORLD_NAMES = ("World", "World average")


def normalize_name(name: str) -> str:
    """Return ``name`` lowercased, accents removed, and every non-alphanumeric
    character dropped.

    ``"A100 80GB SXM"``, ``"a100-80gb-sxm"`` and ``"A100_80GB_SXM"`` all give
    ``"a10080gbsxm"``, and ``"Québec"`` gives ``"quebec"``; catalog names are matched
    on this form.
    """
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return re.sub(r"[^0-9a-z]", "", decomposed)


@dataclass(frozen=True)
class Source:
    """Where a row comes from: citation, URL, year of the data and licence (SPDX id)."""

    citation: str
    url: str
    year: int
    licence: str

    @property
    def given_by_user(self) -> bool:
        """True for :data:`USER_SOURCE`, the source of a value the user gave."""
        return self == USER_SOURCE


USER_SOURCE = Source("given by the user", "", 0, "")
"""The source of every value the user gives (a custom power, intensity or PUE)."""


@dataclass(frozen=True)
class Hardware:
    """A device model. ``tdp_w`` is the rated power per device [W] (the chip's or board's
    TDP, ``power_basis == "tdp"``), the maximum wall power of the whole computer
    (``"system_wall"``, Apple's figures: power supply and system losses included), or
    the measured average draw (``"measured_average"``); it is ``None`` when
    ``power_basis == "unpublished"`` (the vendor publishes no power for the device, so
    an estimate needs a measured power). ``segment`` is where the device is built to
    run: ``"data-centre"`` or ``"workstation"`` (desktop GPUs, SoCs, desktop CPUs)."""

    hardware_id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    segment: str
    vendor: str
    tdp_w: float | None
    power_basis: str
    memory_gb: float | None
    release_year: int
    threads: int | None  # hardware threads per socket, for CPUs
    note: str
    source: Source


@dataclass(frozen=True)
class Instance:
    """A cloud instance type (or TPU slice): ``accelerator_count`` devices of
    ``accelerator_id``, ``vcpus`` host vCPUs of ``cpu_id`` (None where the provider
    names no model), each ``threads_per_vcpu`` of the CPU's hardware threads (2 where the
    vCPUs are physical cores without simultaneous multithreading), and ``memory_gb`` of
    host memory [GB, as the provider states it]."""

    provider: str
    instance_type: str
    family: str
    accelerator_id: str
    accelerator_count: int
    vcpus: int | None
    threads_per_vcpu: int
    memory_gb: float | None
    cpu_id: str | None
    note: str
    source: Source

    @property
    def key(self) -> str:
        """``"aws:p4d.24xlarge"``."""
        return f"{self.provider}:{self.instance_type}"


@dataclass(frozen=True)
class Throughput:
    """A device's peak dense throughput at one precision (``bf16``, ``fp16``, ``fp8``,
    ``tf32``, ``fp32``), without structured sparsity [TFLOPS]. ``datasheet_figure`` says
    what the source quotes: ``"dense"``, or ``"sparse"`` (twice ``dense_tflops``);
    ``epoch_tflops`` is Epoch AI's figure for the same device and precision, a
    cross-check (None where Epoch has none)."""

    hardware_id: str
    precision: str
    dense_tflops: float
    datasheet_figure: str
    epoch_tflops: float | None
    note: str
    source: Source


@dataclass(frozen=True)
class EmbodiedFigure:
    """What a device's manufacture emits: a published figure (``method ==
    "published"``, ``kg_co2e_per_device`` [kgCO2e]) or its die area for the die-area
    model (``"die-area"``, ``die_area_mm2`` [mm2]; see :mod:`.embodied`)."""

    hardware_id: str
    method: str
    kg_co2e_per_device: float | None
    die_area_mm2: float | None
    note: str
    source: Source


@dataclass(frozen=True)
class Zone:
    """An electricity grid zone (country or sub-national area) with its yearly average
    carbon intensities [gCO2e/kWh]; or, for ``GLOBAL`` (no country code), the world
    average, a fallback when the location of a job is unknown."""

    zone_id: str
    zone_name: str
    country: str
    country_code: str
    intensity_lifecycle_g_per_kwh: float
    intensity_direct_g_per_kwh: float | None  # None where only a life-cycle figure exists
    carbon_free_pct: float | None
    renewable_pct: float | None
    source: Source

    @property
    def label(self) -> str:
        """``"Québec, Canada (CA-QC)"`` or ``"France (FR)"``."""
        if self.zone_name == self.country or not self.country:
            return f"{self.zone_name} ({self.zone_id})"
        return f"{self.zone_name}, {self.country} ({self.zone_id})"

    @property
    def is_world_average(self) -> bool:
        """True for the world average (``GLOBAL``): not a grid, and in no country."""
        return not self.country_code


@dataclass(frozen=True)
class Provider:
    """A cloud provider."""

    provider_id: str
    name: str
    source: Source


@dataclass(frozen=True)
class Region:
    """A cloud region, the grid zone it draws from and what its provider publishes: its
    PUE, and its own grid intensity [gCO2e/kWh] and carbon-free share [%] of
    ``provider_year``, with their source ``provider_source`` (the latest operational year
    of ``data/intensity_history.csv``; None where the provider publishes none)."""

    provider: str
    region_id: str
    display_name: str
    city: str
    country_code: str
    zone_id: str
    pue: float | None
    pue_source_url: str
    pue_year: int | None
    note: str
    source: Source
    provider_intensity_g_per_kwh: float | None = None
    cfe_pct: float | None = None
    provider_year: int | None = None
    provider_source: Source | None = None

    @property
    def key(self) -> str:
        """The region's catalog key, ``"provider:region_id"``."""
        return f"{self.provider}:{self.region_id}"


@dataclass(frozen=True)
class PueDefault:
    """A PUE value for a provider (``scope == "provider"``) or a default; ``pue_type``
    says what it is: ``fleet`` (a fleet-wide operating figure), ``design`` (a design
    target), ``survey`` (an industry survey average), ``estimate`` (a third party's
    estimate) or ``convention``."""

    pue_id: str
    name: str
    """Display name, as charts and tables show the row: a default's own (the facility or
    reference it stands for, e.g. "Data centre, operator unknown"), a provider's that of
    its provider (``providers.csv``, whose ``provider_id`` is the ``pue_id``)."""
    scope: str
    pue: float
    pue_type: str
    note: str
    source: Source


@dataclass(frozen=True)
class Equivalent:
    """An everyday equivalent: ``amount_per_unit`` kg CO2e (``basis == "co2e_kg"``) or
    kWh (``basis == "energy_kwh"``) per ``unit``."""

    equivalent_id: str
    label: str
    basis: str
    amount_per_unit: float
    unit: str
    note: str
    source: Source


@dataclass(frozen=True)
class Constant:
    """A model constant or documented assumption."""

    constant_id: str
    value: float
    unit: str
    note: str
    source: Source


T = TypeVar("T")


def _zones_by_name(zones: tuple[Zone, ...]) -> dict[str, Zone]:
    """Zones by normalized name: a country name finds the country-level zone ("France"
    -> FR); a zone's own name finds it where no other zone or country has that name
    ("Quebec" -> CA-QC); "Global" and "World" find the world average."""
    by_zone_name: dict[str, list[Zone]] = {}
    for zone in zones:
        by_zone_name.setdefault(normalize_name(zone.zone_name), []).append(zone)
    names = {key: found[0] for key, found in by_zone_name.items() if len(found) == 1}
    for zone in zones:
        if zone.zone_id == zone.country_code:
            names[normalize_name(zone.country)] = zone
        elif zone.is_world_average:
            for name in (zone.country, *WORLD_NAMES):
                names[normalize_name(name)] = zone
    return names


def _words(text: str) -> list[str]:
    """The lower-case words of ``text`` (runs of letters and digits)."""
    return [w for w in re.split(r"[^0-9a-z]+", text.lower()) if w]


def _suggest(query: str, names: dict[str, str], n: int = 3) -> list[str]:
    """Up to ``n`` display names whose normalized form is close to ``query``."""
    close = difflib.get_close_matches(normalize_name(query), list(names), n=n, cutoff=0.6)
    out: list[str] = []
    for key in close:
        if names[key] not in out:
            out.append(names[key])
    return out


class Catalog:
    """All catalog tables, with look-ups by name.

    Build one with :func:`load_catalog` (the packaged catalog) or
    :meth:`Catalog.from_dict` (a compiled catalog held in memory).
    """

    def __init__(
        self,
        *,
        version: str,
        hardware: tuple[Hardware, ...],
        zones: tuple[Zone, ...],
        providers: tuple[Provider, ...],
        regions: tuple[Region, ...],
        pue: tuple[PueDefault, ...],
        equivalents: tuple[Equivalent, ...],
        constants: tuple[Constant, ...],
        throughput: tuple[Throughput, ...] = (),
        embodied: tuple[EmbodiedFigure, ...] = (),
        instances: tuple[Instance, ...] = (),
    ) -> None:
        self.version = version
        self.hardware = hardware
        self.zones = zones
        self.providers = providers
        self.regions = regions
        self.pue = pue
        self.equivalents = equivalents
        self.constants = constants
        self.throughput = throughput
        self.embodied = embodied
        self._peaks: dict[str, dict[str, Throughput]] = {}
        for peak in throughput:
            self._peaks.setdefault(peak.hardware_id, {})[peak.precision] = peak
        self._embodied_by_id = {figure.hardware_id: figure for figure in embodied}
        self.instances = instances
        self._instance_by_key = {normalize_name(i.key): i for i in instances}
        self._hardware_by_id = {device.hardware_id: device for device in hardware}
        self._vendors = sorted({normalize_name(d.vendor) for d in hardware}, key=len,
                               reverse=True)
        self._hardware_by_key: dict[str, Hardware] = {}
        for device in hardware:
            for name in (device.hardware_id, device.name, *device.aliases):
                self._hardware_by_key[normalize_name(name)] = device
        self._zone_by_id = {zone.zone_id.upper(): zone for zone in zones}
        self._zone_by_name = _zones_by_name(zones)
        self._region_by_key = {region.key.lower(): region for region in regions}
        self._provider_by_id = {p.provider_id: p for p in providers}
        self._pue_by_id = {p.pue_id: p for p in pue}
        self._constant_by_id = {c.constant_id: c for c in constants}
        self._derived: dict[Hashable, Any] = {}

    # -- construction ------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Catalog:
        """Build a catalog from the compiled JSON structure (see ``build_catalog.py``)."""
        if data.get("format") != CATALOG_FORMAT:
            raise ValueError(f"catalog format {data.get('format')!r} is not {CATALOG_FORMAT}")
        sources = tuple(Source(*row) for row in data["sources"])

        def rows(table: str) -> list[dict[str, Any]]:
            columns: list[str] = data[table]["columns"]
            return [dict(zip(columns, row, strict=True)) for row in data[table]["rows"]]

        def with_source(row: dict[str, Any]) -> dict[str, Any]:
            for column in ("source", "provider_source"):  # indices into the sources
                if row.get(column) is not None:
                    row[column] = sources[row[column]]
            return row

        hardware = []
        for row in rows("hardware"):
            row["aliases"] = tuple(row["aliases"])
            hardware.append(Hardware(**with_source(row)))
        return cls(
            version=str(data["version"]),
            hardware=tuple(hardware),
            zones=tuple(Zone(**with_source(r)) for r in rows("zones")),
            providers=tuple(Provider(**with_source(r)) for r in rows("providers")),
            regions=tuple(Region(**with_source(r)) for r in rows("regions")),
            pue=tuple(PueDefault(**with_source(r)) for r in rows("pue")),
            equivalents=tuple(Equivalent(**with_source(r)) for r in rows("equivalents")),
            constants=tuple(Constant(**with_source(r)) for r in rows("constants")),
            throughput=tuple(Throughput(**with_source(r)) for r in rows("throughput")),
            embodied=tuple(EmbodiedFigure(**with_source(r)) for r in rows("embodied")),
            instances=tuple(Instance(**with_source(r)) for r in rows("instances")),
        )

    # -- look-ups ----------------------------------------------------------------

    def find_hardware(self, name: str, field: str = "hardware",
                      count: int | None = None) -> Hardware:
        """Return the device called ``name`` (its name, an alias or its id; case,
        spaces and punctuation ignored, and a leading vendor name when the rest is an
        alias: ``"NVIDIA H100 80GB HBM3"``, as ``nvidia-smi`` names it). Raises
        :class:`UnknownNameError` with close names, the likeliest for ``count`` devices
        first (:meth:`_likeliest`)."""
        key = normalize_name(name)
        device = self._hardware_by_key.get(key)
        if device is None:  # "NVIDIA H100 80GB HBM3", as nvidia-smi names it
            vendor = next((v for v in self._vendors if key.startswith(v)), None)
            device = self._hardware_by_key.get(key[len(vendor):]) if vendor else None
        if device is None or not key:
            names = {normalize_name(n): d.name for d in self.hardware for n in (d.name, *d.aliases)}
            instance = self._instance_named(name)
            hint = (f"is it the cloud instance {instance.key}? give it as the cloud instance "
                    "instead" if instance else "run 'ml-emissions hardware' for the list")
            close = _suggest(name, names, n=6)
            if instance is not None:
                close.insert(0, self.device(instance.accelerator_id).name)
            raise UnknownNameError(
                field,
                name,
                "a device name from the catalog, or a custom power in watts",
                self._likeliest(name, close, count)[:3],
                hint=hint,
            )
        return device

    def _likeliest(self, query: str, names: list[str], count: int | None) -> list[str]:
        """``names`` (devices' display names), without repeats, ordered by how many words
        of ``query`` their names and aliases hold, then by how many of the cloud
        instances of ``count`` devices (any count when None) carry them, then as given:
        where the query does not tell variants apart, the likelier comes first (eight
        H100s are SXM boards, not NVL cards; "H100 PCIe" is still the PCIe card)."""
        words = _words(query)
        carried: dict[str, int] = {}
        for instance in self.instances:
            if count is None or instance.accelerator_count == count:
                carried[instance.accelerator_id] = carried.get(instance.accelerator_id, 0) + 1

        def rank(name: str) -> tuple[int, int]:
            device = self._hardware_by_key[normalize_name(name)]
            spelled = " ".join(normalize_name(n) for n in (device.name, *device.aliases))
            return (-sum(w in spelled for w in words), -carried.get(device.hardware_id, 0))

        return sorted(dict.fromkeys(names), key=rank)

    def _instance_named(self, name: str) -> Instance | None:
        """Of the instance types whose name holds every word of ``name`` (at least two),
        the one with the most accelerators (``"ND H100 v5"``:
        ``azure:Standard_ND96isr_H100_v5``, eight H100 SXM); None when none does."""
        words = _words(name)
        if len(words) < 2:
            return None
        found = [i for i in self.instances
                 if all(w in normalize_name(i.instance_type) for w in words)]
        return max(found, key=lambda i: i.accelerator_count, default=None)

    def device(self, hardware_id: str) -> Hardware:
        """The device with this exact id (for ids taken from the catalog itself)."""
        return self._hardware_by_id[hardware_id]

    def find_instance(self, key: str, field: str = "instance") -> Instance:
        """The instance type ``"provider:type"`` (``aws:p4d.24xlarge``; case, spaces and
        punctuation ignored). Raises :class:`UnknownNameError` with close names."""
        instance = self._instance_by_key.get(normalize_name(key))
        if instance is None:
            names = {normalize_name(i.key): i.key for i in self.instances}
            raise UnknownNameError(
                field, key, "a cloud instance type written PROVIDER:TYPE, such as "
                "'aws:p4d.24xlarge' or 'gcp:a3-highgpu-8g'", _suggest(key, names),
                hint="run 'ml-emissions instances' for the list")
        return instance

    def find_zone(self, name: str, field: str = "zone") -> Zone:
        """Return the grid zone with id ``name`` (``FR``, ``us-cal-ciso``), the
        country-level zone of the country called ``name`` (``France``), the zone called
        ``name`` (``Québec`` or ``Quebec``: case and accents ignored), or the world
        average (``GLOBAL``, also called ``World``)."""
        zone = self._zone_by_id.get(name.strip().upper()) or self._zone_by_name.get(
            normalize_name(name)
        )
        if zone is None or not name.strip():
            names = {normalize_name(z.zone_id): z.zone_id for z in self.zones}
            names.update({key: z.zone_id for key, z in self._zone_by_name.items()})
            raise UnknownNameError(
                field,
                name,
                "an Electricity Maps zone id such as 'FR' or 'US-CAL-CISO', a zone or "
                "country name, or 'GLOBAL' (world average)",
                _suggest(name, names),
                hint="run 'ml-emissions zones' for the list",
            )
        return zone

    def zone(self, zone_id: str) -> Zone:
        """Return the zone with this exact id (for ids taken from the catalog itself)."""
        return self._zone_by_id[zone_id.upper()]

    def find_region(self, key: str, field: str = "region") -> Region:
        """Return the cloud region ``"provider:region_id"`` (``gcp:us-central1``)."""
        provider, sep, region_id = key.strip().partition(":")
        region = self._region_by_key.get(f"{provider.strip()}:{region_id.strip()}".lower())
        if region is None:
            names = {normalize_name(r.key): r.key for r in self.regions}
            allowed = "a cloud region written PROVIDER:REGION, such as 'gcp:us-central1'"
            if sep and provider.lower() in self._provider_by_id:
                names = {
                    normalize_name(r.key): r.key
                    for r in self.regions
                    if r.provider == provider.lower()
                }
            elif sep:
                allowed += "; providers: " + ", ".join(sorted(self._provider_by_id))
            raise UnknownNameError(
                field,
                key,
                allowed,
                _suggest(key, names),
                hint="run 'ml-emissions regions' for the list",
            )
        return region

    def provider(self, provider_id: str) -> Provider:
        """Return the provider with this id."""
        return self._provider_by_id[provider_id]

    def regions_of(self, provider_id: str) -> tuple[Region, ...]:
        """All regions of one provider, in catalog order."""
        return tuple(r for r in self.regions if r.provider == provider_id)

    def pue_for(self, pue_id: str) -> PueDefault | None:
        """The PUE row for a provider id or default id (``unknown``), if any."""
        return self._pue_by_id.get(pue_id)

    def peak(self, device: Hardware, precision: str) -> Throughput | None:
        """The device's peak dense throughput at ``precision``, if published."""
        return self._peaks.get(device.hardware_id, {}).get(precision)

    def precisions(self, device: Hardware) -> tuple[str, ...]:
        """The precisions the device has a published peak throughput for."""
        return tuple(self._peaks.get(device.hardware_id, {}))

    def half_precision_peak(self, device: Hardware) -> Throughput | None:
        """The device's dense 16-bit peak (BF16, else FP16): the throughput the site's
        hardware table and efficiency chart compare devices by."""
        return self.peak(device, "bf16") or self.peak(device, "fp16")

    def gflops_per_watt(self, device: Hardware) -> float | None:
        """Dense 16-bit throughput per watt of rated power, ``1000 x TFLOPS / tdp_w``
        [GFLOPS/W]; None without both figures."""
        peak = self.half_precision_peak(device)
        if peak is None or device.tdp_w is None:
            return None
        return 1000.0 * peak.dense_tflops / device.tdp_w

    def embodied_figure(self, device: Hardware) -> EmbodiedFigure | None:
        """The device's manufacturing-emissions figure or die area, if known."""
        return self._embodied_by_id.get(device.hardware_id)

    def constant(self, constant_id: str) -> Constant:
        """Return a model constant by id (``memory_power_w_per_gb``, ...)."""
        return self._constant_by_id[constant_id]

    def derived(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, computed once per catalog and ``key``: for values that depend on
        the catalog alone (each provider's region table, the cleanest zone), which every
        recalculation of the calculator page would otherwise rebuild."""
        if key not in self._derived:
            self._derived[key] = make()
        result: T = self._derived[key]
        return result


@cache
def load_catalog() -> Catalog:
    """Load the catalog packaged with :mod:`ml_emissions` (read once, then cached)."""
    text = resources.files(__package__).joinpath("catalog.json").read_text(encoding="utf-8")
    return Catalog.from_dict(json.loads(text))
