"""Describe every CSV of ``data/`` as a Frictionless Data Package, ``data/datapackage.json``.

One resource per table, its schema the table's own (``data/schema/<table>.json`` with the
provenance columns, :mod:`pipeline.schema`), plus the row sources grouped by URL, the
licences that occur in the table's ``licence`` column (with the attribution of its
``LICENSE-<table>.md`` when there is one) and the file's ``bytes`` and sha256 ``hash``.
The tables are validated first (:mod:`pipeline.validate`).

The package ``version`` is the catalog's data version (``build_catalog.data_version``).
Written with ``json.dumps(..., indent=2, sort_keys=True)``: the same files give the same
bytes. ``frictionless validate data/datapackage.json`` checks the tables against it.

Usage: ``python -m pipeline.build_datapackage [--data DIR] [--out FILE] [--check]``; exit
status 2 when the data is invalid, 1 when ``--check`` finds the package out of date.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.build_catalog import data_version
from pipeline.schema import DATA, TableSchema, load_schemas
from pipeline.tables import Table
from pipeline.validate import INVALID_DATA, load_tables

DEFAULT_DATA = DATA
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

def sources(table: Table) -> list[dict[str, str]]:
    """The table's row sources grouped by URL, with the years of the data."""
    groups: dict[str, list[dict[str, str]]] = {}
    for _, row in table.rows:
        groups.setdefault(row["source_url"], []).append(row)
    result = []
    for url, group in sorted(groups.items()):
        citations = sorted({row["source"] for row in group})
        if len(citations) <= 3:
            title = "; ".join(citations)
        else:
            title = (f"{len(citations)} citations, one per row in the source column, e.g. "
                     f"{citations[0]}")
        years = sorted({row["source_year"] for row in group})
        version = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
        entry = {"title": title, "version": version}
        if url:  # a project assumption has no URL
            entry["path"] = url
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


def licenses(table: Table, data_dir: Path, name: str) -> list[dict[str, str]]:
    """The licences that occur in the table's licence column (SPDX id, title, URL)."""
    note = attribution(data_dir, name)
    result = []
    for licence in sorted({row["licence"] for _, row in table.rows}):
        title, url = LICENCE_INFO[licence]
        entry = {"name": licence, "path": url, "title": title}
        if note:
            entry["attribution"] = note
            entry["file"] = f"LICENSE-{name}.md"
        result.append(entry)
    return result


def resource(path: Path, schema: TableSchema, table: Table) -> dict[str, Any]:
    """The data resource of one CSV."""
    data = path.read_bytes()
    return {
        "name": schema.name,
        "title": schema.title,
        "description": schema.description,
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "schema": schema.descriptor(),
        "sources": sources(table),
        "licenses": licenses(table, path.parent, path.stem),
    }


def build(data_dir: Path) -> dict[str, Any]:
    """The data package of every table of ``data_dir``; ``ValueError`` listing every
    problem when the tables are invalid."""
    tables, problems = load_tables(data_dir)
    if problems:
        raise ValueError("\n".join(str(p) for p in problems))
    schemas = load_schemas(data_dir / "schema")
    resources = [resource(data_dir / schema.file, schema, tables[name])
                 for name, schema in schemas.items()]
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
        return INVALID_DATA
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
