"""Validate the curated tables of ``data/``.

Each rule failure is reported with file, line, column and value, for example::

    data/hardware.csv, line 12 (hardware_id=nvidia-v100), column tdp_w: 2500 is outside 1-2000

Run ``python -m pipeline.validate [DATA_DIR]``; exit code 1 when a rule fails.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ml_emissions.catalog import normalize_name  # the engine's own matching key

PROVENANCE = ("source", "source_url", "source_year", "licence")
# A row whose source starts so is this project's own assumption: it cites a section of the
# Methodology page and needs no URL.
PROJECT_SOURCE = "ML Emissions Calculator, Methodology page"
LICENCES = {"CC-BY-4.0", "ODbL-1.0", "MIT", "Apache-2.0", "CC0-1.0"}


@dataclass(frozen=True)
class Number:
    """A numeric column: bounds (inclusive) and whether it may be empty."""

    minimum: float
    maximum: float
    optional: bool = False
    integer: bool = False


@dataclass(frozen=True)
class TableSpec:
    """What one CSV must hold."""

    file: str
    key: tuple[str, ...]
    text: tuple[str, ...] = ()  # required non-empty text columns
    optional_text: tuple[str, ...] = ()
    numbers: dict[str, Number] = field(default_factory=dict)
    enums: dict[str, frozenset[str]] = field(default_factory=dict)
    provenance: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        cols = (*self.key, *self.text, *self.optional_text, *self.numbers, *self.enums)
        if self.provenance:
            cols += PROVENANCE
        return tuple(dict.fromkeys(cols))


YEAR = Number(1950, 2100, integer=True)
WORLD_ZONE = "GLOBAL"  # grid_zones.csv: Ember's world average, the one row without a country
UNPUBLISHED = "unpublished"  # hardware power_basis: the vendor publishes no power figure

TABLES: dict[str, TableSpec] = {
    "hardware": TableSpec(
        file="hardware.csv",
        key=("hardware_id",),
        text=("name", "vendor"),
        optional_text=("aliases", "note"),
        numbers={
            "tdp_w": Number(1, 2000, optional=True),  # required unless unpublished
            "memory_gb": Number(0, 5000, optional=True),
            "release_year": YEAR,
            "fp16_tflops": Number(0, 100_000, optional=True),
            "fp32_tflops": Number(0, 100_000, optional=True),
        },
        enums={
            "kind": frozenset({"gpu", "tpu", "cpu", "npu", "soc"}),
            "segment": frozenset({"data-centre", "workstation"}),
            "power_basis": frozenset({"tdp", "system_wall", "measured_average", UNPUBLISHED}),
        },
    ),
    "zones": TableSpec(
        file="grid_zones.csv",
        key=("zone_id",),
        text=("zone_name", "country"),
        optional_text=("country_code", "data_origin"),
        numbers={
            "intensity_lifecycle_g_per_kwh": Number(0, 1500),
            "intensity_direct_g_per_kwh": Number(0, 1500, optional=True),  # GLOBAL: none
            "carbon_free_pct": Number(0, 100, optional=True),
            "renewable_pct": Number(0, 100, optional=True),
        },
    ),
    "providers": TableSpec(
        file="providers.csv",
        key=("provider_id",),
        text=("name", "website"),
    ),
    "regions": TableSpec(
        file="cloud_regions.csv",
        key=("provider", "region_id"),
        text=("display_name", "zone_id"),
        optional_text=("city", "country_code", "pue_source_url", "note"),
        numbers={
            "pue": Number(1.0, 3.0, optional=True),
            "pue_year": Number(1950, 2100, optional=True, integer=True),
            "cfe_pct": Number(0, 100, optional=True),
            "provider_intensity_g_per_kwh": Number(0, 1500, optional=True),
            "data_year": Number(1950, 2100, optional=True, integer=True),
        },
    ),
    "pue": TableSpec(
        file="pue.csv",
        key=("pue_id",),
        optional_text=("note",),
        numbers={"pue": Number(1.0, 3.0)},
        enums={"scope": frozenset({"provider", "default"}),
               "pue_type": frozenset({"fleet", "design", "survey", "estimate", "convention"})},
    ),
    "equivalents": TableSpec(
        file="equivalents.csv",
        key=("equivalent_id",),
        text=("label", "unit"),
        optional_text=("note",),
        numbers={"amount_per_unit": Number(1e-9, 1e12)},
        enums={"basis": frozenset({"co2e_kg", "energy_kwh"})},
    ),
    "constants": TableSpec(
        file="constants.csv",
        key=("constant_id",),
        text=("unit",),
        optional_text=("note",),
        numbers={"value": Number(-1e12, 1e12)},
    ),
    # Not compiled into the catalog (build_catalog.COLUMNS): the original calculator's
    # regions, kept for comparison (pipeline/importers/mlco2_regions.py).
    "legacy": TableSpec(
        file="legacy_mlco2_regions.csv",
        key=("provider", "region_id"),
        text=("legacy_provider",),
        optional_text=("legacy_region_id", "legacy_source", "note"),
        numbers={
            "legacy_intensity_g_per_kwh": Number(0, 1500),
            "legacy_pue": Number(1.0, 3.0, optional=True),
        },
    ),
    "history": TableSpec(
        file="intensity_history.csv",
        key=("provider", "region_id", "year"),
        numbers={
            "year": YEAR,
            "intensity_g_per_kwh": Number(0, 1500),
            "cfe_pct": Number(0, 100, optional=True),
        },
        enums={"intensity_basis": frozenset({"life-cycle", "operational"})},
    ),
    "published": TableSpec(
        file="published_estimates.csv",
        key=("estimate_id",),
        text=("publication", "location_in_publication", "model"),
        optional_text=("hardware", "note"),
        numbers={
            "watts": Number(0, 1e7, optional=True),
            "count": Number(1, 1e7, optional=True, integer=True),
            "hours": Number(0, 1e9, optional=True),
            "device_hours": Number(0, 1e12, optional=True),
            "pue": Number(1.0, 3.0, optional=True),
            "intensity_g_per_kwh": Number(0, 1500),
            "published_energy_kwh": Number(0, 1e12),
            "published_co2e": Number(0, 1e12),
            "tolerance_pct": Number(0, 100),
        },
        enums={"published_co2e_unit": frozenset({"kg", "t", "lb"})},
    ),
}

REQUIRED_PUE_IDS = ("unknown",)
REQUIRED_CONSTANTS = (
    "memory_power_w_per_gb",
    "default_utilization",
    "range_utilization_rel",
    "range_measured_power_rel",
    "range_pue_overhead_rel",
    "max_pue",
    "max_intensity_g_per_kwh",
)


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text (no type guessing, empty cells as ``""``)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


class Report:
    """Collects rule failures with their place."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.errors: list[str] = []

    def add(self, spec: TableSpec, index: int | None, column: str | None, message: str,
            row: pd.Series | None = None) -> None:
        place = f"data/{spec.file}"
        if index is not None:
            place += f", line {index + 2}"  # header is line 1
            if row is not None:
                place += " (" + ", ".join(f"{k}={row[k]}" for k in spec.key) + ")"
        if column is not None:
            place += f", column {column}"
        self.errors.append(f"{place}: {message}")


def _check_number(report: Report, spec: TableSpec, index: int, row: pd.Series,
                  column: str, rule: Number) -> None:
    text = row[column].strip()
    if not text:
        if not rule.optional:
            report.add(spec, index, column, "is empty; a number is required", row)
        return
    try:
        value = float(text)
    except ValueError:
        report.add(spec, index, column, f"{text!r} is not a number", row)
        return
    if value != value or not rule.minimum <= value <= rule.maximum:
        report.add(spec, index, column,
                   f"{text} is outside {rule.minimum:g}-{rule.maximum:g}", row)
    elif rule.integer and not value.is_integer():
        report.add(spec, index, column, f"{text} is not a whole number", row)


def check_table(report: Report, spec: TableSpec, frame: pd.DataFrame) -> None:
    """Apply the generic rules of ``spec`` to one table."""
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        report.add(spec, None, None, "missing columns: " + ", ".join(missing))
        return
    required = (*spec.key, *spec.text, *(PROVENANCE if spec.provenance else ()))
    for index, row in frame.iterrows():
        assert isinstance(index, int)
        for column in required:
            if column == "source_url" and row["source"].startswith(PROJECT_SOURCE):
                continue  # a project assumption is cited by its Methodology section
            if not row[column].strip():
                report.add(spec, index, column, "is empty; a value is required", row)
        for column, rule in spec.numbers.items():
            _check_number(report, spec, index, row, column, rule)
        for column, allowed in spec.enums.items():
            if row[column] not in allowed:
                report.add(spec, index, column, f"{row[column]!r} is not one of "
                           + ", ".join(sorted(allowed)), row)
        if spec.provenance:
            if row["source_year"].strip():
                _check_number(report, spec, index, row, "source_year", YEAR)
            if row["licence"] and row["licence"] not in LICENCES:
                report.add(spec, index, "licence", f"{row['licence']!r} is not one of "
                           + ", ".join(sorted(LICENCES)), row)
            url = row["source_url"]
            if url and not url.startswith(("https://", "http://")):
                report.add(spec, index, "source_url", f"{url!r} is not an http(s) URL", row)
    keys = frame[list(spec.key)].apply(lambda r: tuple(s.lower() for s in r), axis=1)
    for index in frame.index[keys.duplicated(keep="first")]:
        first = keys[keys == keys[index]].index[0]
        report.add(spec, int(index), ",".join(spec.key),
                   f"duplicate id {':'.join(keys[index])} (first on line {first + 2})",
                   frame.loc[index])


def check_power(report: Report, frame: pd.DataFrame) -> None:
    """A device's ``tdp_w`` is empty exactly when its ``power_basis`` is ``unpublished``."""
    spec = TABLES["hardware"]
    for index, row in frame.iterrows():
        assert isinstance(index, int)
        power = row["tdp_w"].strip()
        if row["power_basis"] == UNPUBLISHED and power:
            report.add(spec, index, "tdp_w", f"{power} is given but power_basis is "
                       f"{UNPUBLISHED}; leave it empty, or name the basis of the figure", row)
        elif row["power_basis"] != UNPUBLISHED and not power:
            report.add(spec, index, "tdp_w", "is empty; a number is required unless "
                       f"power_basis is {UNPUBLISHED}", row)


def check_country_codes(report: Report, frame: pd.DataFrame) -> None:
    """A zone's ``country_code`` is its id up to the first '-'; only the world average
    (``GLOBAL``) has none."""
    spec = TABLES["zones"]
    for index, row in frame.iterrows():
        assert isinstance(index, int)
        code = row["country_code"]
        if row["zone_id"] == WORLD_ZONE:
            if code:
                report.add(spec, index, "country_code",
                           f"{code!r} is given, but {WORLD_ZONE} is the world average", row)
        elif code != row["zone_id"].split("-", 1)[0]:
            report.add(spec, index, "country_code", f"{code!r} is not the zone id up to "
                       "its first '-'" + (f"; only {WORLD_ZONE} may leave it empty"
                                          if not code else ""), row)
        if row["zone_id"] != WORLD_ZONE and not row["intensity_direct_g_per_kwh"].strip():
            report.add(spec, index, "intensity_direct_g_per_kwh", "is empty; only "
                       f"{WORLD_ZONE} (a life-cycle figure only) may leave it empty", row)


def check_aliases(report: Report, frame: pd.DataFrame) -> None:
    """No name or alias of one device may match another device (after normalization)."""
    spec = TABLES["hardware"]
    owner: dict[str, tuple[str, int]] = {}
    for index, row in frame.iterrows():
        assert isinstance(index, int)
        names = [row["hardware_id"], row["name"], *[a for a in row["aliases"].split(";") if a]]
        for name in names:
            key = normalize_name(name)
            if not key:
                report.add(spec, index, "aliases", f"{name!r} has no letters or digits", row)
                continue
            other = owner.get(key)
            if other is not None and other[0] != row["hardware_id"]:
                report.add(spec, index, "aliases",
                           f"{name!r} also names {other[0]} (line {other[1] + 2})", row)
            owner.setdefault(key, (row["hardware_id"], index))


def check_foreign_keys(report: Report, tables: dict[str, pd.DataFrame]) -> None:
    """Every region's zone and provider exist; every legacy and history row names an
    existing cloud region; the required defaults exist."""
    spec = TABLES["regions"]
    zones = set(tables["zones"]["zone_id"])
    providers = set(tables["providers"]["provider_id"])
    for index, row in tables["regions"].iterrows():
        assert isinstance(index, int)
        if row["zone_id"] not in zones:
            report.add(spec, index, "zone_id",
                       f"zone {row['zone_id']!r} does not exist in data/grid_zones.csv", row)
        if row["provider"] not in providers:
            report.add(spec, index, "provider",
                       f"provider {row['provider']!r} does not exist in data/providers.csv", row)
    regions = set(zip(tables["regions"]["provider"], tables["regions"]["region_id"],
                      strict=True))
    region_providers = {provider for provider, _ in regions}
    for name in ("legacy", "history"):  # tables whose rows name a cloud region
        for index, row in tables[name].iterrows():
            assert isinstance(index, int)
            if (row["provider"], row["region_id"]) not in regions:
                column = "region_id" if row["provider"] in region_providers else "provider"
                report.add(TABLES[name], index, column,
                           f"region '{row['provider']}:{row['region_id']}' does not exist in "
                           "data/cloud_regions.csv", row)
    pue_ids = set(tables["pue"]["pue_id"])
    for pue_id in REQUIRED_PUE_IDS:
        if pue_id not in pue_ids:
            report.add(TABLES["pue"], None, "pue_id", f"the default {pue_id!r} is missing")
    constant_ids = set(tables["constants"]["constant_id"])
    for constant_id in REQUIRED_CONSTANTS:
        if constant_id not in constant_ids:
            report.add(TABLES["constants"], None, "constant_id",
                       f"the constant {constant_id!r} is missing")


def load_tables(data_dir: Path) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Read every table of :data:`TABLES`; return them and the errors found."""
    report = Report(data_dir)
    tables: dict[str, pd.DataFrame] = {}
    for name, spec in TABLES.items():
        path = data_dir / spec.file
        if not path.exists():
            report.add(spec, None, None, "file is missing")
            continue
        tables[name] = read_table(path)
        check_table(report, spec, tables[name])
    if "hardware" in tables and set(TABLES["hardware"].columns) <= set(tables["hardware"]):
        check_power(report, tables["hardware"])
    if "zones" in tables and set(TABLES["zones"].columns) <= set(tables["zones"]):
        check_country_codes(report, tables["zones"])
    if report.errors:  # structural problems: stop before cross-table rules
        return tables, report.errors
    check_aliases(report, tables["hardware"])
    check_foreign_keys(report, tables)
    return tables, report.errors


def validate(data_dir: Path) -> list[str]:
    """Return every rule failure in ``data_dir`` (empty when the tables are valid)."""
    return load_tables(data_dir)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("data"))
    args = parser.parse_args(argv)
    errors = validate(args.data_dir)
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"{len(errors)} problem(s) in {args.data_dir}", file=sys.stderr)
        return 1
    print(f"{args.data_dir}: all tables valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
