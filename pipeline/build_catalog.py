"""Compile ``data/*.csv`` into the engine's catalog, ``calculator/ml_emissions/catalog.json``.

Validates every table first (:mod:`pipeline.validate`) and stops with the list of
problems if any rule fails. Each catalog table holds the columns of the engine's own
dataclass (:mod:`ml_emissions.catalog`), each converted by its schema's type
(:mod:`pipeline.schema`): a number to a float, an integer to an int, a list cell to a
list, an empty cell to None. A cloud region's own intensity and carbon-free share are
those of the latest operational year of ``intensity_history.csv``; a provider's PUE row
is named as its provider is in ``providers.csv`` (its ``name`` is empty in ``pue.csv``).

The output is deterministic: the same tables give the same bytes. Sources are stored once
in a ``sources`` list that rows point to by index, and each table is stored as
``{"columns": [...], "rows": [[...], ...]}`` to keep the file small for the browser.

Usage: ``python -m pipeline.build_catalog [--data DIR] [--out FILE] [--check]``; exit
status 2 when the data is invalid, 1 when ``--check`` finds the catalog out of date.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from ml_emissions import catalog as engine
from pipeline.schema import DATA, Field, TableSchema, load_schemas
from pipeline.tables import Table
from pipeline.validate import INVALID_DATA, load_tables, parse_cell

ROOT = DATA.parent
DEFAULT_OUT = ROOT / "calculator" / "ml_emissions" / "catalog.json"

CATALOG_TABLES: dict[str, tuple[str, type]] = {
    # catalog table: (data table, the engine's dataclass of its rows)
    "hardware": ("hardware", engine.Hardware),
    "zones": ("grid_zones", engine.Zone),
    "providers": ("providers", engine.Provider),
    "regions": ("cloud_regions", engine.Region),
    "pue": ("pue", engine.PueDefault),
    "equivalents": ("equivalents", engine.Equivalent),
    "constants": ("constants", engine.Constant),
    "throughput": ("throughput", engine.Throughput),
    "embodied": ("embodied", engine.EmbodiedFigure),
    "instances": ("instances", engine.Instance),
}
PROVIDER_FIGURES = "intensity_history"  # the providers' own figures per region and year
SOURCE_COLUMNS = ("source", "provider_source")  # stored as indices into the sources


class SourceIndex:
    """Deduplicates (citation, url, year, licence) tuples into a list."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self._index: dict[tuple[Any, ...], int] = {}

    def add(self, row: dict[str, str]) -> int:
        key = (row["source"], row["source_url"], int(row["source_year"]), row["licence"])
        if key not in self._index:
            self._index[key] = len(self.rows)
            self.rows.append(list(key))
        return self._index[key]


def data_version(data_dir: Path) -> str:
    """A short hash of every table's and schema's bytes: it changes whenever the data or
    its meaning does."""
    digest = hashlib.sha256()
    for name in load_schemas(data_dir / "schema"):
        for path in (data_dir / f"{name}.csv", data_dir / "schema" / f"{name}.json"):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def convert(field: Field, text: str) -> Any:
    """A valid cell as the catalog stores it: by the schema's type, a list where the
    field is one, ``None`` for an empty number."""
    if field.separator:
        return [item.strip() for item in text.split(field.separator) if item.strip()]
    value = parse_cell(field, text)
    return "" if value is None and field.type == "string" else value


def _provider_figures(tables: dict[str, Table], sources: SourceIndex
                      ) -> dict[tuple[str, str], dict[str, Any]]:
    """``(provider, region_id) -> {provider_intensity_g_per_kwh, cfe_pct, provider_year,
    provider_source}`` from the latest operational year of each region."""
    latest: dict[tuple[str, str], dict[str, str]] = {}
    for _, row in tables[PROVIDER_FIGURES].rows:
        key = (row["provider"], row["region_id"])
        if row["intensity_basis"] == "operational" and (
                key not in latest or int(row["year"]) > int(latest[key]["year"])):
            latest[key] = row
    return {key: {"provider_intensity_g_per_kwh": float(row["intensity_g_per_kwh"]),
                  "cfe_pct": float(row["cfe_pct"]) if row["cfe_pct"] else None,
                  "provider_year": int(row["year"]), "provider_source": sources.add(row)}
            for key, row in latest.items()}


def _pue_names(tables: dict[str, Table]) -> dict[tuple[str, ...], dict[str, Any]]:
    """``(pue_id,) -> {name}`` of each provider's PUE row: its provider's name in
    ``providers.csv`` (the row's own ``name`` is empty, as the rules require)."""
    providers = {row["provider_id"]: row["name"] for _, row in tables["providers"].rows}
    return {(row["pue_id"],): {"name": providers[row["pue_id"]]}
            for _, row in tables["pue"].rows if row["scope"] == "provider"}


def _table(schema: TableSchema, table: Table, dataclass: type, sources: SourceIndex,
           derived: dict[tuple[str, ...], dict[str, Any]]) -> dict[str, Any]:
    """The catalog table of ``table``: the columns of ``dataclass``, each from its column
    of the data, else from ``derived`` (by the row's primary key), else None."""
    columns = [f.name for f in dataclasses.fields(dataclass)]
    rows = []
    for _, row in table.rows:
        values: dict[str, Any] = {}
        for column in columns:
            if column == "source":
                values[column] = sources.add(row)
            elif column in schema.columns:
                values[column] = convert(schema.field(column), row[column])
            else:
                values[column] = None  # a derived column this row has no value for
        values.update(derived.get(tuple(row[k] for k in schema.primary_key), {}))
        rows.append([values[column] for column in columns])
    return {"columns": columns, "rows": rows}


def compile_catalog(tables: dict[str, Table], version: str,
                    schemas: dict[str, TableSchema]) -> dict[str, Any]:
    """Turn validated tables into the catalog structure."""
    sources = SourceIndex()
    catalog: dict[str, Any] = {"format": engine.CATALOG_FORMAT, "version": version}
    derived = {"cloud_regions": _provider_figures(tables, sources), "pue": _pue_names(tables)}
    for name, (table, dataclass) in CATALOG_TABLES.items():
        catalog[name] = _table(schemas[table], tables[table], dataclass, sources,
                               derived.get(table, {}))
    catalog["sources"] = sources.rows
    return catalog


def render(catalog: dict[str, Any]) -> str:
    """The catalog as compact, deterministic JSON text."""
    return json.dumps(catalog, ensure_ascii=False, separators=(",", ":")) + "\n"


def build(data_dir: Path) -> str:
    """Validate ``data_dir`` and return the catalog text; raise ``ValueError`` listing
    every problem when the tables are invalid."""
    tables, problems = load_tables(data_dir)
    if problems:
        raise ValueError("\n".join(str(p) for p in problems))
    schemas = load_schemas(data_dir / "schema")
    return render(compile_catalog(tables, data_version(data_dir), schemas))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="only check that --out is up to date with --data")
    args = parser.parse_args(argv)
    try:
        text = build(args.data)
    except ValueError as error:
        print(error, file=sys.stderr)
        return INVALID_DATA
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date with {args.data}: run 'make data'",
                  file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
