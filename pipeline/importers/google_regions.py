"""Import Google Cloud's yearly per-region carbon data into ``data/intensity_history.csv``.

Upstream: GoogleCloudPlatform/region-carbon-info, ``data/yearly/YEAR.csv`` (one file per
year, 2019-2024): for every Google Cloud region, the yearly average grid carbon intensity
(gCO2eq/kWh) and Google's carbon-free energy (CFE) share. Licence: Apache-2.0
(https://github.com/GoogleCloudPlatform/region-carbon-info).

The headers differ between years: the intensity column is "Lifecycle grid carbon intensity
(gCO2eq / kWh)" in 2019-2020 and "Grid carbon intensity (gCO2eq / kWh)" from 2021 (Google's
README: "the average operational gross emissions per unit of energy from the grid"); both
are read as ``intensity_g_per_kwh``, and ``intensity_basis`` says which it is
(``life-cycle`` or ``operational``), so that no series or change mixes the two.
"Google CFE" is published as a fraction (0-1) and written as a percentage (0-100) with
exact decimal arithmetic. Intensities are copied as text,
exactly as published. Same input, same output bytes.

Usage::

    python -m pipeline.importers.google_regions SRC_DIR [--out data/intensity_history.csv]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from pipeline.importers.common import (
    DataError,
    InputError,
    bounds,
    cfe_percent,
    failure,
    parse_number,
    read_text_csv,
    write_table,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "data" / "intensity_history.csv"

PROVIDER = "gcp"
SOURCE_URL = "https://github.com/GoogleCloudPlatform/region-carbon-info"
LICENCE = "Apache-2.0"
YEAR_FILE = re.compile(r"(\d{4})\.csv")

COL_REGION = "Google Cloud Region"
COL_CFE = "Google CFE"
# Accepted names of the intensity column, by the years that use them, and the basis of
# the figures under each.
INTENSITY_BASES = {
    "Grid carbon intensity (gCO2eq / kWh)": "operational",  # 2021-2024
    "Lifecycle grid carbon intensity (gCO2eq / kWh)": "life-cycle",  # 2019-2020
}
INTENSITY_COLUMNS = list(INTENSITY_BASES)

OUT_COLUMNS = [
    "provider",
    "region_id",
    "year",
    "intensity_g_per_kwh",
    "intensity_basis",
    "cfe_pct",
    "source",
    "source_url",
    "source_year",
    "licence",
]


def year_files(src_dir: Path) -> list[tuple[int, Path]]:
    """Every YEAR.csv in src_dir, oldest first."""
    if not src_dir.is_dir():
        raise InputError(f"input directory not found: {src_dir}")
    found = []
    for path in src_dir.iterdir():
        match = YEAR_FILE.fullmatch(path.name)
        if match and path.is_file():
            found.append((int(match.group(1)), path))
    if not found:
        raise InputError(f"no YEAR.csv files (e.g. 2024.csv) in {src_dir}")
    return sorted(found)


def read_year(path: Path) -> tuple[pd.DataFrame, str, bool]:
    """Read one yearly file as text; return it, its intensity column and whether CFE is %."""
    frame = read_text_csv(path)
    intensity_col = next((col for col in INTENSITY_COLUMNS if col in frame.columns), None)
    cfe_col = next((col for col in frame.columns if col.startswith(COL_CFE)), None)
    missing = [
        name
        for name, present in [
            (COL_REGION, COL_REGION in frame.columns),
            (" or ".join(repr(col) for col in INTENSITY_COLUMNS), intensity_col is not None),
            (COL_CFE, cfe_col is not None),
        ]
        if not present
    ]
    if missing or intensity_col is None or cfe_col is None:
        raise InputError(f"{path}: missing required column(s): {', '.join(missing)}")
    frame = frame[(frame != "").any(axis=1)]  # drop blank lines
    cfe_is_percent = "%" in cfe_col
    table = frame[[COL_REGION, intensity_col, cfe_col]]
    table.columns = ["region_id", "intensity", "cfe"]
    return table, intensity_col, cfe_is_percent


def build_table(src_dir: Path) -> tuple[pd.DataFrame, dict[int, str]]:
    """All years as intensity_history.csv rows; also the intensity header used per year."""
    rows: list[dict[str, str]] = []
    headers: dict[int, str] = {}
    for year, path in year_files(src_dir):
        table, intensity_col, cfe_is_percent = read_year(path)
        headers[year] = intensity_col
        duplicated = sorted(set(table.loc[table["region_id"].duplicated(), "region_id"]))
        if duplicated:
            raise DataError(f"{path}: duplicate regions: {', '.join(duplicated)}")
        for region_id, intensity, cfe in table.itertuples(index=False):
            what = f"{path.name} {region_id}"
            if region_id == "":
                raise DataError(f"{path}: a row has an empty region id")
            low, high = bounds("intensity_history", "intensity_g_per_kwh")
            if intensity != "" and not low <= parse_number(intensity, what) <= high:
                raise DataError(f"{what}: intensity {intensity} outside {low}-{high}")
            rows.append(
                {
                    "provider": PROVIDER,
                    "region_id": region_id,
                    "year": str(year),
                    "intensity_g_per_kwh": intensity,
                    "intensity_basis": INTENSITY_BASES[intensity_col],
                    "cfe_pct": cfe_percent(cfe, cfe_is_percent, what),
                    "source": f"Google Cloud, region-carbon-info {year}",
                    "source_url": SOURCE_URL,
                    "source_year": str(year),
                    "licence": LICENCE,
                }
            )
    rows.sort(key=lambda row: (row["region_id"], int(row["year"])))
    return pd.DataFrame(rows, columns=OUT_COLUMNS, dtype=str), headers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Import Google Cloud region-carbon-info yearly files (Apache-2.0)."
    )
    parser.add_argument("src_dir", type=Path, help="folder holding the YEAR.csv files")
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output CSV (default: {DEFAULT_OUT.relative_to(REPO_ROOT)})",
    )
    args = parser.parse_args(argv)

    try:
        table, headers = build_table(args.src_dir)
    except (InputError, DataError) as error:
        return failure(error)

    for column in ("intensity_g_per_kwh", "cfe_pct"):
        empty = table.loc[table[column] == "", ["region_id", "year"]]
        if not empty.empty:
            listed = ", ".join(f"{r} {y}" for r, y in empty.itertuples(index=False))
            print(f"note: {column} empty for {len(empty)} rows: {listed}", file=sys.stderr)
    out: Path = args.out
    write_table(table, out)
    years = ", ".join(f"{year}: {header!r}" for year, header in headers.items())
    print(f"intensity column per year: {years}")
    print(f"wrote {len(table)} rows ({len(headers)} years) to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
