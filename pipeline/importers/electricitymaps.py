"""Import Electricity Maps 2024 yearly grid carbon intensities into ``data/grid_zones.csv``.

Upstream: Electricity Maps, "2024 Yearly Carbon Intensity Data" (version January 27, 2025),
one row per grid zone (351 zones, country aggregates included), as compiled in
Green-Algorithms-data (file
``v3.1/carbon-intensity/electricitymap/CI-electricitymap-yearly_2024.csv``), whose last
row, ``GLOBAL``, adds Ember's 2023 world average: 352 rows in all, every one kept.
Licence of the Electricity Maps rows: Open Database License (ODbL) 1.0, with attribution
to Electricity Maps. The generated table is a derivative database and stays under ODbL 1.0;
this script therefore also writes ``data/LICENSE-grid_zones.md``. The ``GLOBAL`` row is
not Electricity Maps data: it is Ember's (Global Electricity Review 2024), published under
CC BY 4.0, and its ``source``, ``source_url`` (the row's Ember URL without its ``utm_*``
tracking parameters), ``licence`` and ``data_origin`` say so. It has no carbon-free or
renewable share (empty cells, reported as warnings) and no country code.

Values are copied as text, exactly as published (no rounding, no re-formatting); only
surrounding whitespace is stripped. Same input, same output bytes.

Usage::

    python pipeline/importers/electricitymaps.py SRC_CSV [--out data/grid_zones.csv]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pandas as pd

from pipeline.importers.common import (
    DataError,
    InputError,
    bounds,
    failure,
    parse_number,
    read_text_csv,
    require_columns,
    write_table,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "data" / "grid_zones.csv"
LICENCE_NOTE_NAME = "LICENSE-grid_zones.md"

SOURCE_URL = "https://www.electricitymaps.com/data-portal"
LICENCE = "ODbL-1.0"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
GLOBAL_ZONE = "GLOBAL"

# The GLOBAL row: Ember's world average. Its "Data source" cell is an Ember URL (the
# Citation cell is empty); the licence is the one Ember publishes its data under.
EMBER_HOST = "ember-energy.org"
EMBER_SOURCE = ("Ember, Global Electricity Review 2024: world electricity carbon "
                "intensity 2023 (life-cycle, CO2e over 100 years)")
EMBER_ORIGIN = "Ember"
EMBER_LICENCE = "CC-BY-4.0"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"

# Upstream column names (the subscript two in "gCO₂eq" is U+2082).
COL_DATETIME = "Datetime (UTC)"
COL_COUNTRY = "Country"
COL_ZONE_NAME = "Zone name"
COL_ZONE_ID = "Zone id"
COL_DIRECT = "Carbon intensity gCO₂eq/kWh (direct)"
COL_LIFECYCLE = "Carbon intensity gCO₂eq/kWh (Life cycle)"
COL_CFE = "Carbon-free energy percentage (CFE%)"
COL_RE = "Renewable energy percentage (RE%)"
COL_DATA_SOURCE = "Data source"
COL_CITATION = "Citation"
REQUIRED_COLUMNS = [
    COL_DATETIME,
    COL_COUNTRY,
    COL_ZONE_NAME,
    COL_ZONE_ID,
    COL_DIRECT,
    COL_LIFECYCLE,
    COL_CFE,
    COL_RE,
    COL_DATA_SOURCE,
    COL_CITATION,
]

OUT_COLUMNS = [
    "zone_id",
    "zone_name",
    "country",
    "country_code",
    "intensity_lifecycle_g_per_kwh",
    "intensity_direct_g_per_kwh",
    "carbon_free_pct",
    "renewable_pct",
    "data_origin",
    "source",
    "source_url",
    "source_year",
    "licence",
]

# Numeric output columns and their allowed ranges (data/README.md).
# Numeric columns, checked against the bounds of data/schema/grid_zones.json.
NUMERIC_COLUMNS = ("intensity_lifecycle_g_per_kwh", "intensity_direct_g_per_kwh",
                   "carbon_free_pct", "renewable_pct")

# "... Electricity Maps. https://www.electricitymaps.com" -> text before the trailing URL.
TRAILING_URL = re.compile(r"\s+https?://\S+$")
CITATION_VERSION = re.compile(r"\(Version ([^)]+)\)")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
DATETIME_YEAR = re.compile(r"(\d{4})-\d{2}-\d{2}")


def read_upstream(path: Path) -> pd.DataFrame:
    """Read the upstream CSV with every cell as text (no NaN, no float conversion)."""
    frame = read_text_csv(path)
    require_columns(frame, REQUIRED_COLUMNS, path)
    return frame[REQUIRED_COLUMNS]


def country_code(zone_id: str) -> str:
    """ISO 3166-1 alpha-2 code: the zone id up to the first '-', empty for GLOBAL."""
    if zone_id == GLOBAL_ZONE:
        return ""
    prefix = zone_id.split("-", 1)[0]
    if not COUNTRY_CODE.fullmatch(prefix):
        raise DataError(f"zone {zone_id!r}: prefix {prefix!r} is not a two-letter country code")
    return prefix


def source_year(zone_id: str, datetime_text: str) -> str:
    """Year averaged by the row, taken from its 'Datetime (UTC)' cell."""
    match = DATETIME_YEAR.match(datetime_text)
    if not match:
        raise DataError(f"zone {zone_id!r}: unreadable Datetime {datetime_text!r}")
    return match.group(1)


def citation(zone_id: str, citation_text: str) -> tuple[str, str]:
    """(source, source_url) for a row: the upstream citation without its trailing URL."""
    if not citation_text:
        raise DataError(f"zone {zone_id!r}: empty Citation")
    return TRAILING_URL.sub("", citation_text), SOURCE_URL


def without_tracking(url: str) -> str:
    """``url`` without its ``utm_*`` query parameters (path and fragment kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.startswith("utm_")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def ember_url(zone_id: str, data_source: str) -> str:
    """The GLOBAL row's source URL: its 'Data source' cell, which must be an Ember page,
    without tracking parameters."""
    parts = urlsplit(data_source)
    if parts.scheme != "https" or parts.hostname != EMBER_HOST:
        raise DataError(f"zone {zone_id!r}: Data source {data_source!r} is not an "
                        f"https://{EMBER_HOST} URL")
    return without_tracking(data_source)


def check_numbers(table: pd.DataFrame) -> list[str]:
    """Raise on unparsable or out-of-range numbers; return warnings for empty cells."""
    warnings: list[str] = []
    for column in NUMERIC_COLUMNS:
        low, high = bounds("grid_zones", column)
        for zone_id, text in zip(table["zone_id"], table[column], strict=True):
            if text == "":
                warnings.append(f"zone {zone_id}: {column} is empty")
                continue
            value = parse_number(text, f"zone {zone_id}: {column}")
            if not low <= value <= high:
                raise DataError(f"zone {zone_id}: {column} {text} outside {low}-{high}")
    return warnings


def build_table(upstream: pd.DataFrame) -> pd.DataFrame:
    """Map upstream rows to the grid_zones.csv schema, sorted by zone_id."""
    duplicated = sorted(set(upstream.loc[upstream[COL_ZONE_ID].duplicated(), COL_ZONE_ID]))
    if duplicated:
        raise DataError(f"duplicate zone ids: {', '.join(duplicated)}")
    if (upstream[COL_ZONE_ID] == "").any():
        raise DataError("a row has an empty Zone id")

    rows: list[dict[str, str]] = []
    for record in upstream.to_dict(orient="records"):
        zone_id = record[COL_ZONE_ID]
        if zone_id == GLOBAL_ZONE:  # Ember's world average, not Electricity Maps data
            source, source_url = EMBER_SOURCE, ember_url(zone_id, record[COL_DATA_SOURCE])
            origin, licence = EMBER_ORIGIN, EMBER_LICENCE
        else:
            source, source_url = citation(zone_id, record[COL_CITATION])
            origin, licence = record[COL_DATA_SOURCE], LICENCE
        rows.append(
            {
                "zone_id": zone_id,
                "zone_name": record[COL_ZONE_NAME],
                "country": record[COL_COUNTRY],
                "country_code": country_code(zone_id),
                "intensity_lifecycle_g_per_kwh": record[COL_LIFECYCLE],
                # Ember's figure is life-cycle only; the upstream row repeats it in
                # the direct column, which is left empty here
                "intensity_direct_g_per_kwh": "" if zone_id == GLOBAL_ZONE
                else record[COL_DIRECT],
                "carbon_free_pct": record[COL_CFE],
                "renewable_pct": record[COL_RE],
                "data_origin": origin,
                "source": source,
                "source_url": source_url,
                "source_year": source_year(zone_id, record[COL_DATETIME]),
                "licence": licence,
            }
        )
    rows.sort(key=lambda row: row["zone_id"])
    return pd.DataFrame(rows, columns=OUT_COLUMNS, dtype=str)


def licence_note(upstream: pd.DataFrame, csv_name: str) -> str:
    """Text of the licence note that accompanies the generated table (with a paragraph on
    the ``GLOBAL`` row when the upstream file has one)."""
    versions = sorted(set(CITATION_VERSION.findall(" ".join(upstream[COL_CITATION]))))
    version = f"Version {versions[0]}" if len(versions) == 1 else "see the `source` column"
    has_global = bool((upstream[COL_ZONE_ID] == GLOBAL_ZONE).any())
    global_row = f"""
The `{GLOBAL_ZONE}` row is the exception, appended by the compiled file: it is not
Electricity Maps data but Ember's 2023 world average, from its Global Electricity Review
2024. Ember's figure is a life-cycle one (CO2e over 100 years, supply chain included), so
the row has no direct figure: its direct column is empty. Ember publishes its data under
the Creative Commons Attribution 4.0 licence (CC BY 4.0, <{CC_BY_URL}>);
the row's `licence` column says `{EMBER_LICENCE}` and its `source_url` names the Ember page.
""" if has_global else ""
    global_attribution = f"""
> World average (`{GLOBAL_ZONE}` row): Ember (2024), Global Electricity Review 2024,
> <https://ember-energy.org>, licensed under CC BY 4.0.
""" if has_global else ""
    only = f"Only `{csv_name}` is under the ODbL"
    if has_global:
        only += f", and its `{GLOBAL_ZONE}` row under CC BY 4.0"
    return f"""# Licence of `{csv_name}`

`{csv_name}` is derived from Electricity Maps' 2024 yearly carbon-intensity data
({version}, <{SOURCE_URL}>):
one row per grid zone with its life-cycle and direct carbon intensity, carbon-free and
renewable shares, and data sources.
It was imported from the copy compiled by the Green Algorithms project
(Green-Algorithms-data, `CI-electricitymap-yearly_2024.csv`), which is distributed
under the same licence.
{global_row}
## Licence

This table is a derivative database and is made available under the
Open Database License (ODbL) 1.0: <{ODBL_URL}>.
You may copy, share and adapt it, provided that you:

- attribute the data to Electricity Maps (see below);
- keep any database you derive from it under the ODbL 1.0 too, together with this notice;
- do not add technical restrictions that stop others from using it under these terms.

Databases built from this table, such as the grid-zone entries compiled into the
calculator's catalogue, therefore stay under the ODbL 1.0 as well. Results computed
with it (estimates, charts, reports) only need the attribution below.

## Attribution

> Grid carbon-intensity data: Electricity Maps (2025), 2024 Yearly Carbon Intensity Data,
> <https://www.electricitymaps.com>, licensed under the Open Database License 1.0.
{global_attribution}
The `source` column of each row gives the upstream citation for that row.

## Scope

{only}.
The other tables in `data/` are not: each of their rows states its own licence in its
`licence` column. The import scripts are project code and follow the project's licence.

To regenerate the table from the upstream file:
`python -m pipeline.importers.electricitymaps CI-electricitymap-yearly_2024.csv`
"""


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with '\\n' line endings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Import Electricity Maps yearly grid carbon intensities (ODbL 1.0)."
    )
    parser.add_argument("src_csv", type=Path, help="Electricity Maps yearly CSV (upstream copy)")
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output CSV (default: {DEFAULT_OUT.relative_to(REPO_ROOT)})",
    )
    parser.add_argument(
        "--licence-out",
        type=Path,
        default=None,
        help=f"licence note (default: {LICENCE_NOTE_NAME} next to --out)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    licence_out: Path = args.licence_out or out.with_name(LICENCE_NOTE_NAME)

    try:
        upstream = read_upstream(args.src_csv)
        table = build_table(upstream)
        warnings = check_numbers(table)
    except (InputError, DataError) as error:
        return failure(error)

    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_table(table, out)
    write_text(licence_out, licence_note(upstream, out.name))
    print(f"wrote {len(table)} zones to {out} and the licence note to {licence_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
