"""The cross-field rules of the tables: what a schema cannot say because it spans
columns, rows or tables. :mod:`pipeline.validate` applies them once every table has
passed its schema.

* a device's power is empty exactly when its vendor publishes none (``unpublished``);
* only a CPU has hardware threads (``threads``);
* no name or alias of a device names another one (as the engine matches names);
* a zone's country code is its id up to the first ``-``, and only the world average
  (``GLOBAL``, a life-cycle figure) has neither a code nor a direct figure;
* a region's published PUE comes with its source URL and year;
* a device's throughput that differs from Epoch AI's by more than 2 % says why in its
  note, and an FP32 (non-tensor) figure is never a structured-sparsity one;
* a device's embodied emissions are either a published figure or a die area, as its
  method says;
* an instance's host CPU is a CPU with its threads per socket (from which the engine
  derives its power), and its accelerator is not a CPU;
* a compute case gives its tokens or its FLOPs, and no more active parameters than
  parameters;
* every row cites an https source, except this project's own assumptions, which cite
  their section of the Methodology page;
* each constant the engine reads exists, within its bounds, the MFU range holds its
  default (mfu_low <= default_mfu <= mfu_high), and the limits on inputs are above every
  figure of the data;
* each facility's default PUE row exists;
* a PUE row has one name: a default's own (its ``name``), a provider's that of its
  provider in ``providers.csv`` (its ``pue_id`` is the provider's id, its ``name``
  empty), and no default is named as a provider is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ml_emissions.catalog import normalize_name
from ml_emissions.facility import FACILITY_PUE_IDS
from pipeline.schema import TableSchema
from pipeline.tables import Problem, Table

__all__ = ["CONSTANT_BOUNDS", "PROJECT_SOURCE", "check_rules"]

WORLD_ZONE = "GLOBAL"
UNPUBLISHED = "unpublished"
CPU = "cpu"
EPOCH_TOLERANCE = 0.02
"""Relative difference from Epoch AI's figure above which a throughput row needs a note."""
PROJECT_SOURCE = "ML Emissions Calculator, Methodology page"
"""How the source of a project assumption starts; such a row has no URL."""

CONSTANT_BOUNDS: dict[str, tuple[float, float, str]] = {
    # constant id: (lowest, highest, what the bounds say), both inclusive
    "memory_power_w_per_gb": (0.01, 10.0, "a DRAM power between 0.01 and 10 W per GB"),
    "default_utilization": (0.01, 1.0, "a share of the rated power between 0.01 and 1"),
    "range_utilization_rel": (0.0, 0.99, "a relative spread between 0 and 0.99"),
    "range_measured_power_rel": (0.0, 0.99, "a relative spread between 0 and 0.99"),
    "range_pue_overhead_rel": (0.0, 0.99, "a relative spread between 0 and 0.99"),
    "max_pue": (1.01, 10.0, "a PUE limit between 1.01 and 10"),
    "max_intensity_g_per_kwh": (100.0, 10_000.0, "a limit between 100 and 10,000 g/kWh"),
    "embodied_gpu_g_per_cm2": (100.0, 10_000.0, "between 100 and 10,000 gCO2e per cm² of die"),
    "embodied_gpu_base_g": (0.0, 1_000_000.0, "between 0 and 1,000,000 gCO2e per card"),
    "embodied_cpu_g_per_cm2": (100.0, 10_000.0, "between 100 and 10,000 gCO2e per cm² of die"),
    "embodied_cpu_base_g": (0.0, 1_000_000.0, "between 0 and 1,000,000 gCO2e per CPU"),
    "embodied_lifetime_years": (1.0, 20.0, "a lifetime between 1 and 20 years"),
    "embodied_use_rate": (0.01, 1.0, "a share of the lifetime between 0.01 and 1"),
    "flops_per_parameter_token": (2.0, 10.0, "between 2 (a forward pass) and 10 FLOP per "
                                  "parameter and token"),
    "default_mfu": (0.01, 1.0, "a share of the peak throughput between 0.01 and 1"),
    "mfu_low": (0.01, 1.0, "a share of the peak throughput between 0.01 and 1"),
    "mfu_high": (0.01, 1.0, "a share of the peak throughput between 0.01 and 1"),
    "max_flops": (1e24, 1e30, "a FLOP limit between 1e24 and 1e30"),
    "max_parameters": (1e12, 1e18, "a parameter limit between 1e12 and 1e18"),
    "max_tokens": (1e13, 1e20, "a token limit between 1e13 and 1e20"),
}
"""Every constant the engine reads, with its plausible bounds."""
MFU_RANGE = ("mfu_low", "default_mfu", "mfu_high")
"""The model FLOPs utilisation range and its default, which must lie within it."""

Tables = dict[str, Table]
Rule = Callable[[dict[str, TableSchema], Tables], Iterator[Problem]]


def _rows(tables: Tables, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    yield from tables[name].rows


def _problem(schema: TableSchema, line: int, row: dict[str, str], column: str,
             message: str) -> Problem:
    key = ",".join(f"{k}={row[k]}" for k in schema.primary_key)
    return Problem(schema.file, line, column, message, key)


def _power(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["hardware"]
    for line, row in _rows(tables, "hardware"):
        unpublished = row["power_basis"] == UNPUBLISHED
        if unpublished and row["tdp_w"]:
            yield _problem(schema, line, row, "tdp_w", f"{row['tdp_w']} is given but "
                           "power_basis is unpublished; leave it empty, or name the basis "
                           "of the figure")
        elif not unpublished and not row["tdp_w"]:
            yield _problem(schema, line, row, "tdp_w", "is empty; a number is required "
                           "unless power_basis is unpublished")


def _threads(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["hardware"]
    for line, row in _rows(tables, "hardware"):
        if row["threads"] and row["kind"] != CPU:
            yield _problem(schema, line, row, "threads", f"{row['threads']} is given, but "
                           f"the device is a {row['kind']}; threads are for CPUs only")


def _aliases(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["hardware"]
    separator = schema.field("aliases").separator or ";"
    owner: dict[str, tuple[str, int]] = {}
    for line, row in _rows(tables, "hardware"):
        names = [row["hardware_id"], row["name"],
                 *[a for a in row["aliases"].split(separator) if a]]
        for name in names:
            key = normalize_name(name)
            if not key:
                yield _problem(schema, line, row, "aliases",
                               f"{name!r} has no letters or digits")
                continue
            other = owner.get(key)
            if other is not None and other[0] != row["hardware_id"]:
                yield _problem(schema, line, row, "aliases",
                               f"{name!r} also names {other[0]} (line {other[1]})")
            owner.setdefault(key, (row["hardware_id"], line))


def _zones(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["grid_zones"]
    for line, row in _rows(tables, "grid_zones"):
        code, zone = row["country_code"], row["zone_id"]
        if zone == WORLD_ZONE:
            if code:
                yield _problem(schema, line, row, "country_code",
                               f"{code!r} is given, but {WORLD_ZONE} is the world average")
            if row["intensity_direct_g_per_kwh"]:
                yield _problem(schema, line, row, "intensity_direct_g_per_kwh",
                               f"is given, but {WORLD_ZONE} (Ember) is a life-cycle figure "
                               "only; leave it empty")
            continue
        if code != zone.split("-", 1)[0]:
            yield _problem(schema, line, row, "country_code",
                           f"{code!r} is not the zone id up to its first '-'"
                           + (f"; only {WORLD_ZONE} may leave it empty" if not code else ""))
        if not row["intensity_direct_g_per_kwh"]:
            yield _problem(schema, line, row, "intensity_direct_g_per_kwh", "is empty; only "
                           f"{WORLD_ZONE} (a life-cycle figure only) may leave it empty")


def _region_pue(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["cloud_regions"]
    for line, row in _rows(tables, "cloud_regions"):
        if row["pue"]:
            for column in ("pue_source_url", "pue_year"):
                if not row[column]:
                    yield _problem(schema, line, row, column, "is empty; a published PUE "
                                   "needs its source URL and year")


def _throughput(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["throughput"]
    for line, row in _rows(tables, "throughput"):
        dense = float(row["dense_tflops"])
        if row["epoch_tflops"] and not row["note"]:
            epoch = float(row["epoch_tflops"])
            if abs(epoch - dense) > EPOCH_TOLERANCE * dense:
                yield _problem(schema, line, row, "note", f"is empty, but epoch_tflops "
                               f"({row['epoch_tflops']}) differs from dense_tflops "
                               f"({row['dense_tflops']}) by {abs(epoch - dense) / dense:.1%}, "
                               f"more than {EPOCH_TOLERANCE:.0%}; say why (sparse figure, "
                               "another clock or variant, another SKU)")
        if row["precision"] == "fp32" and row["datasheet_figure"] == "sparse":
            yield _problem(schema, line, row, "datasheet_figure", "is sparse, but fp32 is the "
                           "non-tensor figure, which has no structured-sparsity rate")


def _embodied(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["embodied"]
    for line, row in _rows(tables, "embodied"):
        published = row["method"] == "published"
        if published and not row["kg_co2e_per_device"]:
            yield _problem(schema, line, row, "kg_co2e_per_device", "is empty; a value is "
                           "required when method is published")
        elif not published and row["kg_co2e_per_device"]:
            yield _problem(schema, line, row, "kg_co2e_per_device", f"{row['kg_co2e_per_device']}"
                           f" is given but method is {row['method']}; leave it empty, or make "
                           "the method published")
        if row["method"] == "die-area" and not row["die_area_mm2"]:
            yield _problem(schema, line, row, "die_area_mm2", "is empty; a value is required "
                           "when method is die-area")


def _instances(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["instances"]
    devices = {row["hardware_id"]: row for _, row in _rows(tables, "hardware")}
    for line, row in _rows(tables, "instances"):
        accelerator = devices.get(row["accelerator_id"])
        if accelerator is not None and accelerator["kind"] == CPU:
            yield _problem(schema, line, row, "accelerator_id", f"{row['accelerator_id']!r} is "
                           "a CPU; give the instance's accelerator, its CPU as cpu_id")
        cpu = devices.get(row["cpu_id"]) if row["cpu_id"] else None
        if cpu is None:
            continue  # empty, or not a hardware_id (the foreign key says so)
        if cpu["kind"] != CPU:
            yield _problem(schema, line, row, "cpu_id", f"{row['cpu_id']!r} is a "
                           f"{cpu['kind']}, not a CPU")
        elif not cpu["threads"]:
            yield _problem(schema, line, row, "cpu_id", f"{row['cpu_id']!r} has no threads in "
                           "data/hardware.csv; give its threads per socket, from which the "
                           "engine derives the instance's CPU power")


def _compute_cases(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["compute_cases"]
    for line, row in _rows(tables, "compute_cases"):
        if not row["tokens"] and not row["flops"]:
            yield _problem(schema, line, row, "tokens", "and flops are both empty; give the "
                           "training tokens or the FLOPs the publication reports")
        if row["active_parameters"] and float(row["active_parameters"]) > float(
                row["parameters"]):
            yield _problem(schema, line, row, "active_parameters",
                           f"{row['active_parameters']} is above parameters "
                           f"({row['parameters']})")


def _sources(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    for name, schema in schemas.items():
        if "source_url" not in schema.columns:
            continue
        for line, row in _rows(tables, name):
            assumption = row["source"].startswith(PROJECT_SOURCE)
            if not row["source_url"] and not assumption:
                yield _problem(schema, line, row, "source_url", "is empty; a value is "
                               "required, except for this project's own assumptions (source "
                               f"{PROJECT_SOURCE!r}...)")
            elif row["source_url"] and assumption:
                yield _problem(schema, line, row, "source_url", "is given for a project "
                               "assumption, which cites its Methodology section instead")


def _constants(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["constants"]
    values = {}
    for line, row in _rows(tables, "constants"):
        values[row["constant_id"]] = float(row["value"])
        bounds = CONSTANT_BOUNDS.get(row["constant_id"])
        if bounds is None:
            yield _problem(schema, line, row, "constant_id", f"{row['constant_id']!r} is not "
                           "a constant the engine reads: " + ", ".join(CONSTANT_BOUNDS))
        elif not bounds[0] <= values[row["constant_id"]] <= bounds[1]:
            yield _problem(schema, line, row, "value", f"{row['value']} is not valid; "
                           f"expected {bounds[2]}")
    for constant_id in CONSTANT_BOUNDS:
        if constant_id not in values:
            yield Problem(schema.file, None, "constant_id",
                          f"the constant {constant_id!r} is missing")
    mfu = [values.get(c) for c in MFU_RANGE]
    if None not in mfu and not mfu[0] <= mfu[1] <= mfu[2]:
        line, row = next((line, row) for line, row in _rows(tables, "constants")
                         if row["constant_id"] == MFU_RANGE[1])
        yield _problem(schema, line, row, "value", f"{row['value']} is not valid; expected "
                       f"{MFU_RANGE[0]} <= {MFU_RANGE[1]} <= {MFU_RANGE[2]} "
                       f"({' <= '.join(f'{v:g}' for v in mfu)} is not)")
    yield from _limits_hold(schemas, tables, values)


def _limits_hold(schemas: dict[str, TableSchema], tables: Tables,
                 constants: dict[str, float]) -> Iterator[Problem]:
    """The limits on inputs are above every figure of the data itself."""
    checks = [("max_pue", "pue", ("pue",)), ("max_pue", "cloud_regions", ("pue",)),
              ("max_intensity_g_per_kwh", "grid_zones",
               ("intensity_lifecycle_g_per_kwh", "intensity_direct_g_per_kwh")),
              ("max_flops", "compute_cases", ("flops",)),
              ("max_parameters", "compute_cases", ("parameters", "active_parameters")),
              ("max_tokens", "compute_cases", ("tokens",))]
    for constant_id, name, columns in checks:
        limit = constants.get(constant_id)
        if limit is None:
            continue
        for line, row in _rows(tables, name):
            for column in columns:
                if row[column] and float(row[column]) > limit:
                    yield _problem(schemas[name], line, row, column,
                                   f"{row[column]} is above {constant_id} ({limit:g}) of "
                                   "data/constants.csv")


def _facility_pue(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    schema = schemas["pue"]
    ids = {row["pue_id"] for _, row in _rows(tables, "pue")}
    for facility, pue_id in FACILITY_PUE_IDS.items():
        if pue_id not in ids and facility != "hpc":  # hpc falls back to the default
            yield Problem(schema.file, None, "pue_id",
                          f"the default {pue_id!r} of the {facility} facility is missing")


def _pue_names(schemas: dict[str, TableSchema], tables: Tables) -> Iterator[Problem]:
    """A default row's name is its own; a provider row's is its provider's, in
    providers.csv (stored once: the catalog takes it from there)."""
    schema = schemas["pue"]
    providers = {row["provider_id"]: row["name"] for _, row in _rows(tables, "providers")}
    named = {name.casefold(): provider_id for provider_id, name in providers.items()}
    for line, row in _rows(tables, "pue"):
        if row["scope"] == "provider":
            name = providers.get(row["pue_id"])
            if name is None:
                yield _problem(schema, line, row, "pue_id", f"{row['pue_id']!r} is not a "
                               "provider_id of data/providers.csv; a provider row's pue_id "
                               "is its provider's id")
            elif row["name"]:
                yield _problem(schema, line, row, "name", f"{row['name']!r} is given, but a "
                               f"provider row is named by data/providers.csv ({name!r}); "
                               "leave it empty")
        elif not row["name"]:
            yield _problem(schema, line, row, "name", "is empty; a default row needs its "
                           "display name (a provider row takes its provider's, from "
                           "data/providers.csv)")
        elif row["name"].casefold() in named:
            yield _problem(schema, line, row, "name", f"{row['name']!r} is the name of the "
                           f"provider {named[row['name'].casefold()]!r} of "
                           "data/providers.csv; name the default otherwise")


RULES: tuple[Rule, ...] = (_power, _threads, _aliases, _zones, _region_pue, _throughput,
                           _embodied, _instances, _compute_cases, _sources, _constants,
                           _facility_pue, _pue_names)


def check_rules(schemas: dict[str, TableSchema], tables: Tables) -> list[Problem]:
    """Every problem the cross-field rules find."""
    return [problem for rule in RULES for problem in rule(schemas, tables)]
