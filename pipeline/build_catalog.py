"""Compile ``data/*.csv`` into the engine's catalog, ``calculator/ml_emissions/catalog.json``.

Validates every table first (``pipeline/validate.py``) and stops with the list of
problems if any rule fails. The output is deterministic: the same tables give the same
bytes. Sources are stored once in a ``sources`` list that rows point to by index, and
each table is stored as ``{"columns": [...], "rows": [[...], ...]}`` to keep the file
small for the browser.

Usage: ``python -m pipeline.build_catalog [--data DIR] [--out FILE] [--check]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.validate import TABLES, load_tables

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "data"
DEFAULT_OUT = ROOT / "calculator" / "ml_emissions" / "catalog.json"
CATALOG_FORMAT = 1

Converter = Callable[[str], Any]


def _text(value: str) -> str:
    return value.strip()


def _number(value: str) -> float | None:
    return float(value) if value.strip() else None


def _integer(value: str) -> int | None:
    return int(float(value)) if value.strip() else None


def _aliases(value: str) -> list[str]:
    return [alias.strip() for alias in value.split(";") if alias.strip()]


# table -> [(catalog column, csv column, converter)], in the order of the engine's
# dataclasses (ml_emissions.catalog); "source" is added to every row.
COLUMNS: dict[str, list[tuple[str, str, Converter]]] = {
    "hardware": [
        ("hardware_id", "hardware_id", _text),
        ("name", "name", _text),
        ("aliases", "aliases", _aliases),
        ("kind", "kind", _text),
        ("segment", "segment", _text),
        ("vendor", "vendor", _text),
        ("tdp_w", "tdp_w", _number),
        ("power_basis", "power_basis", _text),
        ("memory_gb", "memory_gb", _number),
        ("release_year", "release_year", _integer),
        ("fp16_tflops", "fp16_tflops", _number),
        ("fp32_tflops", "fp32_tflops", _number),
        ("note", "note", _text),
    ],
    "zones": [
        ("zone_id", "zone_id", _text),
        ("zone_name", "zone_name", _text),
        ("country", "country", _text),
        ("country_code", "country_code", _text),
        ("intensity_lifecycle_g_per_kwh", "intensity_lifecycle_g_per_kwh", _number),
        ("intensity_direct_g_per_kwh", "intensity_direct_g_per_kwh", _number),
        ("carbon_free_pct", "carbon_free_pct", _number),
        ("renewable_pct", "renewable_pct", _number),
    ],
    "providers": [
        ("provider_id", "provider_id", _text),
        ("name", "name", _text),
    ],
    "regions": [
        ("provider", "provider", _text),
        ("region_id", "region_id", _text),
        ("display_name", "display_name", _text),
        ("city", "city", _text),
        ("country_code", "country_code", _text),
        ("zone_id", "zone_id", _text),
        ("pue", "pue", _number),
        ("pue_source_url", "pue_source_url", _text),
        ("pue_year", "pue_year", _integer),
        ("cfe_pct", "cfe_pct", _number),
        ("provider_intensity_g_per_kwh", "provider_intensity_g_per_kwh", _number),
        ("data_year", "data_year", _integer),
        ("note", "note", _text),
    ],
    "pue": [
        ("pue_id", "pue_id", _text),
        ("scope", "scope", _text),
        ("pue", "pue", _number),
        ("pue_type", "pue_type", _text),
        ("note", "note", _text),
    ],
    "equivalents": [
        ("equivalent_id", "equivalent_id", _text),
        ("label", "label", _text),
        ("basis", "basis", _text),
        ("amount_per_unit", "amount_per_unit", _number),
        ("unit", "unit", _text),
        ("note", "note", _text),
    ],
    "constants": [
        ("constant_id", "constant_id", _text),
        ("value", "value", _number),
        ("unit", "unit", _text),
        ("note", "note", _text),
    ],
}


class SourceIndex:
    """Deduplicates (citation, url, year, licence) tuples into a list."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self._index: dict[tuple[Any, ...], int] = {}

    def add(self, row: pd.Series) -> int:
        key = (row["source"].strip(), row["source_url"].strip(), int(float(row["source_year"])),
               row["licence"].strip())
        if key not in self._index:
            self._index[key] = len(self.rows)
            self.rows.append(list(key))
        return self._index[key]


def data_version(data_dir: Path) -> str:
    """A short hash of every table's bytes: changes whenever the data changes."""
    digest = hashlib.sha256()
    for spec in TABLES.values():
        digest.update(spec.file.encode())
        digest.update((data_dir / spec.file).read_bytes())
    return digest.hexdigest()[:12]


def compile_catalog(tables: dict[str, pd.DataFrame], version: str) -> dict[str, Any]:
    """Turn validated tables into the catalog structure."""
    sources = SourceIndex()
    catalog: dict[str, Any] = {"format": CATALOG_FORMAT, "version": version}
    for table, columns in COLUMNS.items():
        rows = []
        for _, row in tables[table].iterrows():
            values = [convert(row[csv_column]) for _, csv_column, convert in columns]
            rows.append([*values, sources.add(row)])
        catalog[table] = {"columns": [name for name, _, _ in columns] + ["source"], "rows": rows}
    catalog["sources"] = sources.rows
    return catalog


def render(catalog: dict[str, Any]) -> str:
    """The catalog as compact, deterministic JSON text."""
    return json.dumps(catalog, ensure_ascii=False, separators=(",", ":")) + "\n"


def build(data_dir: Path) -> str:
    """Validate ``data_dir`` and return the catalog text; raise ``ValueError`` listing
    every problem when the tables are invalid."""
    tables, errors = load_tables(data_dir)
    if errors:
        raise ValueError("\n".join(errors))
    return render(compile_catalog(tables, data_version(data_dir)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="only check that --out is up to date with --data")
    args = parser.parse_args(argv)
    try:
        text = build(args.data)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
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
