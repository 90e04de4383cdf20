"""Describe every CSV of ``data/`` as a Frictionless Data Package, ``data/datapackage.json``.

One resource per CSV (``data/*.csv``; a CSV without a description here is an error), with
its schema: a field per column in the file's own order, typed ``string``, ``integer`` or
``number``, with a ``description``, a ``unit`` where the column has one, and constraints
(``required``, ``minimum``, ``maximum``, ``enum``) taken from the ``TableSpec`` objects of
``pipeline/validate.py``, plus the primary key, foreign keys, the row sources grouped
by URL, the licences that occur in the table's ``licence`` column (with the attribution of its
``LICENSE-<table>.md`` when there is one) and the file's ``bytes`` and sha256 ``hash``.

The package ``version`` is the catalog's data version (``build_catalog.data_version``).
Written with ``json.dumps(..., indent=2, sort_keys=True)``: the same files give the same
bytes. ``frictionless validate data/datapackage.json`` checks the tables against it.

Usage: ``python -m pipeline.build_datapackage [--data DIR] [--out FILE] [--check]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.build_catalog import data_version
from pipeline.validate import LICENCES, PROVENANCE, TABLES, YEAR, Number, TableSpec, read_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "data"
OUT_NAME = "datapackage.json"

LICENCE_INFO: dict[str, tuple[str, str]] = {  # SPDX id -> (title, URL)
    "Apache-2.0": ("Apache License 2.0", "https://www.apache.org/licenses/LICENSE-2.0"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
    "MIT": ("MIT License", "https://opensource.org/licenses/MIT"),
    "ODbL-1.0": ("Open Data Commons Open Database License v1.0",
                 "https://opendatacommons.org/licenses/odbl/1-0/"),
}

# Upstream data sets read by the import scripts (see pipeline/importers/).
PACKAGE_SOURCES = [
    {
        "title": "Electricity Maps, 2024 Yearly Carbon Intensity Data, as compiled in "
                 "Green-Algorithms-data (v3.1/carbon-intensity/electricitymap/"
                 "CI-electricitymap-yearly_2024.csv)",
        "path": "https://github.com/Cambridge-Sustainable-Computing-Lab/Green-Algorithms-data",
        "version": "Electricity Maps version January 27, 2025; repository commit 4a0c3fc",
    },
    {
        "title": "Ember, Global Electricity Review 2024: world electricity carbon intensity "
                 "2023 (the GLOBAL row of the same compiled file)",
        "path": "https://ember-energy.org/latest-insights/global-electricity-review-2024/"
                "global-electricity-trends/#global-power-sector-emissions",
        "version": "2024 edition, 2023 data",
    },
    {
        "title": "Google Cloud, region-carbon-info (data/yearly/*.csv)",
        "path": "https://github.com/GoogleCloudPlatform/region-carbon-info",
        "version": "repository commit 49f3f26",
    },
    {
        "title": "ML CO2 Impact calculator data (mlco2/impact), data/impact.csv and data/gpus.csv",
        "path": "https://github.com/mlco2/impact",
        "version": "repository commit d0d3ee5",
    },
]

PROVENANCE_DOCS: dict[str, tuple[str, str | None]] = {
    "source": ("Short citation of where the row's values come from (publisher, title, "
               "version).", None),
    "source_url": ("URL of that source (datasheet, report, data set); empty only for this "
                   "project's own assumptions, whose source names their section of the "
                   "Methodology page.", None),
    "source_year": ("Year of the data: for a yearly average the year it averages, else the "
                    "publication year.", None),
    "licence": ("SPDX id of the licence this row is distributed under here: the upstream "
                "data licence when the row is derived from an openly licensed data set, else "
                "CC-BY-4.0 (this project's compilation of published facts).", None),
    "note": ("Free-text remarks: disagreements between sources and which one was taken, "
             "assumptions.", None),
}
G_PER_KWH = "gCO2e/kWh"


@dataclass(frozen=True)
class ForeignKey:
    """Columns of this table that must match the key of another table."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class TableDoc:
    """What the data package says about one CSV beyond its validation rules."""

    title: str
    description: str
    columns: dict[str, tuple[str, str | None]]  # column -> (description, unit)
    foreign_keys: tuple[ForeignKey, ...] = ()


REGION_KEY = ForeignKey(("provider", "region_id"), "cloud_regions", ("provider", "region_id"))

# Keyed by resource name (the file name without ".csv").
DOCS: dict[str, TableDoc] = {
    "hardware": TableDoc(
        title="Hardware",
        description="Accelerators and processors with their rated power per device: GPUs, "
                    "TPUs, CPUs, NPUs and systems on a chip.",
        columns={
            "hardware_id": ("Unique slug of the device, e.g. nvidia-a100-sxm4-80gb.", None),
            "name": ("Unique display name, e.g. NVIDIA A100 SXM4 80GB.", None),
            "aliases": ("Other names people type, separated by ';'. Matching ignores case, "
                        "spaces and punctuation; no alias matches two devices.", None),
            "kind": ("Kind of device.", None),
            "segment": ("Where the device is built to run: data-centre (servers), or "
                        "workstation (desktop and workstation GPUs and CPUs, systems on a "
                        "chip). With a grid zone or a custom intensity and no facility "
                        "given, a workstation device is estimated as a workstation "
                        "(PUE 1.0), a data-centre device in a data centre of unknown "
                        "operator.", None),
            "vendor": ("Maker of the device: NVIDIA, AMD, Google, Intel, AWS, Apple, ...",
                       None),
            "tdp_w": ("Rated power per device (TDP, TBP or maximum board power); for "
                      "power_basis system_wall, the maximum wall power of the whole "
                      "computer; for measured_average, the measured mean draw; empty "
                      "exactly when power_basis is unpublished.", "W"),
            "power_basis": ("What tdp_w is: the chip's or board's rated power (tdp), the "
                            "maximum wall power of the whole computer, power supply and "
                            "system losses included (system_wall, Apple's figures), a "
                            "measured average draw (measured_average), or none because the "
                            "vendor publishes "
                            "no power for the device (unpublished; an estimate then needs a "
                            "measured power).", None),
            "memory_gb": ("Device memory; empty when not published.", "GB"),
            "release_year": ("Year the device was released.", None),
            "fp16_tflops": ("Dense FP16/BF16 tensor throughput without sparsity; empty when "
                            "not published.", "TFLOPS"),
            "fp32_tflops": ("Dense FP32 (non-tensor) throughput; empty when not published.",
                            "TFLOPS"),
        },
    ),
    "grid_zones": TableDoc(
        title="Grid zones (Electricity Maps 2024 yearly averages) and the world average",
        description="Carbon intensity of electricity per Electricity Maps grid zone, yearly "
                    "averages for 2024; country aggregates included. A derivative database "
                    "of Electricity Maps data under the ODbL 1.0 (see LICENSE-grid_zones.md). "
                    "One more row, GLOBAL, is Ember's 2023 world average (Global Electricity "
                    "Review 2024, CC BY 4.0), a fallback when the location of a job is "
                    "unknown; it is not a grid zone.",
        columns={
            "zone_id": ("Electricity Maps zone id, e.g. FR, US-CAL-CISO, CA-QC; GLOBAL for "
                        "the world average.", None),
            "zone_name": ("Name of the zone.", None),
            "country": ("Name of the zone's country (Global for GLOBAL).", None),
            "country_code": ("ISO 3166-1 alpha-2 code of the country (the zone id up to the "
                             "first '-'); 'NA' is Namibia; empty for GLOBAL.", None),
            "intensity_lifecycle_g_per_kwh": ("Life-cycle carbon intensity of the zone's "
                                              "electricity, yearly average: the calculator's "
                                              "default.", G_PER_KWH),
            "intensity_direct_g_per_kwh": ("Direct (combustion only) carbon intensity, yearly "
                                           "average; empty for GLOBAL, whose Ember figure is "
                                           "life-cycle only.", G_PER_KWH),
            "carbon_free_pct": ("Share of carbon-free electricity; empty for GLOBAL.", "%"),
            "renewable_pct": ("Share of renewable electricity; empty for GLOBAL.", "%"),
            "data_origin": ("Electricity Maps' own 'Data source' column: how the zone's "
                            "values were obtained; Ember for GLOBAL.", None),
        },
    ),
    "cloud_regions": TableDoc(
        title="Cloud regions",
        description="Cloud regions of the supported providers, the grid zone each draws "
                    "from and, where the provider publishes them, its PUE, carbon-free "
                    "energy share and own grid intensity (Google Cloud).",
        columns={
            "provider": ("Provider slug (providers.csv).", None),
            "region_id": ("The provider's own region id; (provider, region_id) is unique.",
                          None),
            "display_name": ("The provider's display name, e.g. US East (N. Virginia).", None),
            "city": ("City of the region's data centres.", None),
            "country_code": ("ISO 3166-1 alpha-2 code of the region's country.", None),
            "zone_id": ("The grid_zones.csv zone the region draws electricity from.", None),
            "pue": ("The region's power usage effectiveness when the provider publishes it "
                    "(dimensionless ratio).", None),
            "pue_source_url": ("Source of pue.", None),
            "pue_year": ("Year of pue.", None),
            "cfe_pct": ("The provider's carbon-free-energy share for the region (Google "
                        "CFE).", "%"),
            "provider_intensity_g_per_kwh": ("The provider's own published grid carbon "
                                             "intensity for the region (Google); overrides "
                                             "the zone's.", G_PER_KWH),
            "data_year": ("Year of cfe_pct and provider_intensity_g_per_kwh.", None),
        },
        foreign_keys=(
            ForeignKey(("zone_id",), "grid_zones", ("zone_id",)),
            ForeignKey(("provider",), "providers", ("provider_id",)),
        ),
    ),
    "providers": TableDoc(
        title="Cloud providers",
        description="The cloud providers whose regions are listed in cloud_regions.csv.",
        columns={
            "provider_id": ("Provider slug, e.g. aws, gcp, azure.", None),
            "name": ("Display name of the provider.", None),
            "website": ("The provider's website.", None),
        },
    ),
    "pue": TableDoc(
        title="PUE defaults",
        description="Power usage effectiveness per provider and the defaults of each "
                    "facility: a data centre of unknown operator (unknown), an HPC centre "
                    "(hpc, where a survey publishes one) and a workstation (workstation).",
        columns={
            "pue_id": ("A provider slug, or the id of a default (unknown, workstation, ...).",
                       None),
            "scope": ("provider: a provider's fleet PUE; default: a default value.", None),
            "pue": ("Power usage effectiveness: total facility energy over IT energy "
                    "(dimensionless ratio).", None),
            "pue_type": ("What the figure is: fleet (a fleet-wide operating PUE, measured "
                         "over a year), design (a design target of new data centres, a "
                         "lower bound of operation), survey (an industry survey average), "
                         "estimate (a third party's estimate) or convention.", None),
        },
    ),
    "equivalents": TableDoc(
        title="Everyday equivalents",
        description="Quantities used to put an emission or an energy in everyday terms "
                    "(km driven, flights, tree-months, phone charges, ...).",
        columns={
            "equivalent_id": ("Unique slug, e.g. car_km, flight_paris_london.", None),
            "label": ("How the quantity reads after a number, e.g. 'km driven by an average "
                      "European passenger car'.", None),
            "basis": ("What one unit is equivalent to: kg of CO2e (co2e_kg) or kWh of "
                      "energy (energy_kwh).", None),
            "amount_per_unit": ("Amount of the basis per unit: kgCO2e per unit for co2e_kg, "
                                "kWh per unit for energy_kwh.", None),
            "unit": ("Name of one unit: km, flight, tree-month, charge, day.", None),
        },
    ),
    "constants": TableDoc(
        title="Model constants",
        description="Constants and documented assumptions of the model (memory power per "
                    "GB, default utilization, spreads of the uncertainty range, upper "
                    "bounds).",
        columns={
            "constant_id": ("Unique id of the constant, e.g. memory_power_w_per_gb.", None),
            "value": ("Value of the constant, in the unit of the unit column.", None),
            "unit": ("Unit of value, e.g. W/GB, relative, gCO2e/kWh.", None),
        },
    ),
    "intensity_history": TableDoc(
        title="Google Cloud region intensities by year",
        description="Google Cloud's yearly per-region grid carbon intensity and carbon-free "
                    "energy share, from GoogleCloudPlatform/region-carbon-info.",
        columns={
            "provider": ("Provider slug (gcp).", None),
            "region_id": ("Google Cloud region id.", None),
            "year": ("Year the values average.", None),
            "intensity_g_per_kwh": ("Google's published grid carbon intensity of the "
                                    "region for the year, on intensity_basis.", G_PER_KWH),
            "intensity_basis": ("What Google published for the year: life-cycle (2019-2020, "
                                "'Lifecycle grid carbon intensity') or operational (from "
                                "2021, 'the average operational gross emissions per unit of "
                                "energy from the grid'). A series or a change never spans "
                                "the two.", None),
            "cfe_pct": ("Google's carbon-free energy share of the region for the year; "
                        "empty when not published.", "%"),
        },
        foreign_keys=(REGION_KEY,),
    ),
    "published_estimates": TableDoc(
        title="Published estimates",
        description="Emission estimates published in the literature with the inputs they "
                    "state; the calculator reproduces each within the stated tolerance.",
        columns={
            "estimate_id": ("Unique slug of the estimate, e.g. strubell2019-elmo.", None),
            "publication": ("The publication (authors, year, title, venue).", None),
            "location_in_publication": ("Table or section and pages the numbers come from.",
                                        None),
            "model": ("The model whose training the estimate is about.", None),
            "hardware": ("Device name as in hardware.csv when the estimate uses its rated "
                         "power; empty when watts is given.", None),
            "watts": ("Power drawn per device (or by the whole system for count 1) as "
                      "stated.", "W"),
            "count": ("Number of devices; empty means 1.", None),
            "hours": ("Training time.", "h"),
            "device_hours": ("Total device-hours, when stated instead of count and hours.",
                             "h"),
            "pue": ("Power usage effectiveness the publication used (dimensionless ratio).",
                    None),
            "intensity_g_per_kwh": ("Carbon intensity the publication used.", G_PER_KWH),
            "published_energy_kwh": ("Energy as published.", "kWh"),
            "published_co2e": ("Emissions as published, in published_co2e_unit.", None),
            "published_co2e_unit": ("Unit of published_co2e: kg, t (tonnes) or lb.", None),
            "tolerance_pct": ("Relative tolerance of the reproduction, from how the "
                              "publication rounded.", "%"),
        },
    ),
    "legacy_mlco2_regions": TableDoc(
        title="Regions of the original ML CO2 Impact calculator",
        description="The 82 cloud regions of the paper's original calculator (mlco2/impact "
                    "impact.csv, MIT) with the values it used, as published, mapped to the "
                    "regions of cloud_regions.csv. Not used by the calculator: kept to "
                    "compare (see CHANGELOG.md).",
        columns={
            "provider": ("Provider slug in cloud_regions.csv today.", None),
            "region_id": ("Region id in cloud_regions.csv today.", None),
            "legacy_provider": ("Provider slug in the original calculator (ovh is now "
                                "ovhcloud).", None),
            "legacy_region_id": ("Region id in the original calculator (empty for its "
                                 "Scaleway row, now fr-par).", None),
            "legacy_intensity_g_per_kwh": ("Grid carbon intensity the original calculator "
                                           "used (its impact column), as published.",
                                           G_PER_KWH),
            "legacy_source": ("The original calculator's source for that intensity, as "
                              "published.", None),
            "legacy_pue": ("PUE listed by the original calculator (never applied by it); "
                           "empty when none (dimensionless ratio).", None),
            "note": ("How the key was mapped, the upstream comment, the source of "
                     "legacy_pue and known defects of the row.", None),
        },
        foreign_keys=(REGION_KEY,),
    ),
}


def specs() -> dict[str, TableSpec]:
    """Every table's rules, keyed by resource name (file name without ``.csv``)."""
    return {Path(spec.file).stem: spec for spec in TABLES.values()}


def _bound(value: float, integer: bool) -> int | float:
    return int(value) if integer or float(value).is_integer() else value


def field(column: str, spec: TableSpec, doc: TableDoc) -> dict[str, Any]:
    """The Table Schema field of one column, constraints derived from ``spec``."""
    description, unit = (doc.columns.get(column) or PROVENANCE_DOCS.get(column)
                         or ("", None))
    if not description:
        raise ValueError(f"data/{spec.file}: column {column} has no description")
    rule: Number | None = spec.numbers.get(column)
    if spec.provenance and column == "source_year":
        rule = YEAR
    constraints: dict[str, Any] = {}
    required = {*spec.key, *spec.text, *spec.enums}
    if spec.provenance:
        required.update(PROVENANCE)
        if spec.file == "constants.csv":  # project assumptions cite a page section instead
            required.discard("source_url")
    if rule is not None:
        kind = "integer" if rule.integer else "number"
        constraints["minimum"] = _bound(rule.minimum, rule.integer)
        constraints["maximum"] = _bound(rule.maximum, rule.integer)
        if not rule.optional:
            required.add(column)
    else:
        kind = "string"
    if column in spec.enums:
        constraints["enum"] = sorted(spec.enums[column])
    if spec.provenance and column == "licence":
        constraints["enum"] = sorted(LICENCES)
    if spec.provenance and column == "source_url":
        constraints["pattern"] = "https?://.+"
    constraints["required"] = column in required
    result: dict[str, Any] = {"name": column, "type": kind, "description": description,
                              "constraints": constraints}
    if unit:
        result["unit"] = unit
    return result


def sources(frame: pd.DataFrame) -> list[dict[str, str]]:
    """The table's row sources grouped by URL, with the years of the data."""
    result = []
    for url, group in sorted(frame.groupby("source_url"), key=lambda item: str(item[0])):
        citations = sorted(set(group["source"]))
        if len(citations) <= 3:
            title = "; ".join(citations)
        else:
            title = (f"{len(citations)} citations, one per row in the source column, e.g. "
                     f"{citations[0]}")
        years = sorted(set(group["source_year"]))  # text: describe, do not validate here
        version = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
        entry = {"title": title, "version": version}
        if url:  # a project assumption has no URL
            entry["path"] = str(url)
        result.append(entry)
    return result


def attribution(data_dir: Path, name: str) -> str | None:
    """The attribution quoted under '## Attribution' in ``LICENSE-<name>.md``, if any."""
    path = data_dir / f"LICENSE-{name}.md"
    if not path.exists():
        return None
    lines, inside = [], False
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("## "):
            inside = line.strip() == "## Attribution"
        elif inside and line.startswith(">"):
            lines.append(line.lstrip("> ").strip())
    if not lines:
        raise ValueError(f"{path}: no quoted attribution under '## Attribution'")
    return " ".join(lines)


def licenses(frame: pd.DataFrame, data_dir: Path, name: str) -> list[dict[str, str]]:
    """The licences that occur in the table's licence column (SPDX id, title, URL)."""
    note = attribution(data_dir, name)
    result = []
    for licence in sorted(set(frame["licence"])):
        title, url = LICENCE_INFO[licence]
        entry = {"name": licence, "path": url, "title": title}
        if note:
            entry["attribution"] = note
            entry["file"] = f"LICENSE-{name}.md"
        result.append(entry)
    return result


def resource(path: Path, spec: TableSpec, doc: TableDoc) -> dict[str, Any]:
    """The data resource of one CSV."""
    frame = read_table(path)
    data = path.read_bytes()
    schema: dict[str, Any] = {
        "fields": [field(column, spec, doc) for column in frame.columns],
        "missingValues": [""],
        "primaryKey": list(spec.key),
    }
    if doc.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.fields),
             "reference": {"resource": fk.resource, "fields": list(fk.reference)}}
            for fk in doc.foreign_keys
        ]
    return {
        "name": path.stem,
        "title": doc.title,
        "description": doc.description,
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "schema": schema,
        "sources": sources(frame),
        "licenses": licenses(frame, path.parent, path.stem),
    }


def build(data_dir: Path) -> dict[str, Any]:
    """The data package of every CSV in ``data_dir``; ``ValueError`` if one is not described."""
    rules = specs()
    undescribed = [p.name for p in sorted(data_dir.glob("*.csv"))
                   if p.stem not in rules or p.stem not in DOCS]
    if undescribed:
        raise ValueError("not described in pipeline/build_datapackage.py: "
                         + ", ".join(undescribed))
    resources = [resource(path, rules[path.stem], DOCS[path.stem])
                 for path in sorted(data_dir.glob("*.csv"))]
    used = sorted({entry["name"] for res in resources for entry in res["licenses"]})
    return {
        "name": "ml-emissions-calculator-data",
        "title": "ML Emissions Calculator data tables",
        "description": "The curated tables of the ML Emissions Calculator: hardware power, "
                       "grid carbon intensities, cloud regions, PUE, equivalents, model "
                       "constants, Google Cloud's intensity history, published estimates "
                       "and the original ML CO2 Impact calculator's regions. Every row "
                       "cites its source and states its licence (columns source, "
                       "source_url, source_year, licence); see README.md.",
        "profile": "tabular-data-package",
        "version": data_version(data_dir),
        "keywords": ["carbon intensity", "machine learning", "emissions", "energy", "PUE",
                     "cloud regions", "TDP"],
        "licenses": [{"name": name, "title": LICENCE_INFO[name][0],
                      "path": LICENCE_INFO[name][1]} for name in used],
        "sources": PACKAGE_SOURCES,
        "resources": resources,
    }


def render(package: dict[str, Any]) -> str:
    """The package as deterministic JSON text."""
    return json.dumps(package, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the data package; return 0 or 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, help=f"default: DATA/{OUT_NAME}")
    parser.add_argument("--check", action="store_true",
                        help="only check that --out is up to date with --data")
    args = parser.parse_args(argv)
    out: Path = args.out or args.data / OUT_NAME
    try:
        package = build(args.data)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    text = render(package)
    if args.check:
        current = out.read_text("utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date with {args.data}: run 'make data'", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    out.write_text(text, "utf-8")
    print(f"wrote {out} ({len(package['resources'])} resources, {len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
