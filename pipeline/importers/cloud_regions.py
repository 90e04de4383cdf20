"""Check ``data/cloud_regions.csv`` against upstream tables and refresh its Google columns.

``data/cloud_regions.csv`` is curated by hand (see ``data/README.md``); this helper keeps it
honest against three upstream files, all given on the command line (nothing is read from
outside the project unless its path is passed):

``--mlco2-impact PATH``
    ``data/impact.csv`` of the original ML CO2 Impact calculator (mlco2/impact, MIT).
    Every region of it must be in the table. The provider slug ``ovh`` is now
    ``ovhcloud``, and the Scaleway row with an empty region id is ``fr-par``
    (``REGION_KEY_FIXES``). For each region the old intensity (``impact`` column, g/kWh)
    is printed beside the 2024 life-cycle intensity of the region's grid zone and, for
    Google Cloud, Google's own 2024 figure.
``--google-year-csv PATH``
    One yearly file of GoogleCloudPlatform/region-carbon-info (``data/yearly/2024.csv``,
    Apache-2.0). Its "Google CFE" fraction (0-1) is written to ``cfe_pct`` as a percentage
    with exact decimal arithmetic, its grid intensity is copied as published to
    ``provider_intensity_g_per_kwh``, and its year (from the file name ``YYYY.csv`` or
    ``--google-year``) to ``data_year``, for every ``gcp`` row. Every region of the file
    must be in the table.
``--zones PATH``
    Electricity Maps yearly averages (the upstream ``yearly_2024.csv``, column "Zone id")
    or the project's ``data/grid_zones.csv`` (column ``zone_id``). Every ``zone_id`` of
    the table must be one of its zones. Read with ``keep_default_na=False``: Namibia's
    zone id is ``NA``.

Without ``--write`` nothing is written: the script reports what the refresh would change.
With ``--write`` the table is rewritten sorted by ``provider`` then ``region_id`` (plain
string order), UTF-8, ``\\n`` line endings, every cell kept as text: same input, same
output bytes.

Exit status: 0 all checks pass, 1 a check failed, 2 an input file is missing or unreadable.

Usage::

    python pipeline/importers/cloud_regions.py --mlco2-impact PATH --google-year-csv PATH \\
        --zones PATH [--regions data/cloud_regions.csv] [--google-year YEAR] [--write]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REGIONS = REPO_ROOT / "data" / "cloud_regions.csv"

COLUMNS = [
    "provider",
    "region_id",
    "display_name",
    "city",
    "country_code",
    "zone_id",
    "pue",
    "pue_source_url",
    "pue_year",
    "cfe_pct",
    "provider_intensity_g_per_kwh",
    "data_year",
    "source",
    "source_url",
    "source_year",
    "licence",
    "note",
]
LICENCES = {"CC-BY-4.0", "Apache-2.0", "MIT", "ODbL-1.0"}
GCP = "gcp"

# Original calculator (provider, region) -> this table's (provider, region_id).
PROVIDER_SLUGS = {"ovh": "ovhcloud"}
REGION_KEY_FIXES = {("scaleway", ""): ("scaleway", "fr-par")}

# Column names of the upstream files.
MLCO2_COLUMNS = ["provider", "region", "impact"]
GOOGLE_REGION = "Google Cloud Region"
GOOGLE_CFE = "Google CFE"
GOOGLE_INTENSITY = [
    "Grid carbon intensity (gCO2eq / kWh)",  # 2021-2024
    "Lifecycle grid carbon intensity (gCO2eq / kWh)",  # 2019-2020
]
ZONE_FORMATS = [  # (zone id column, life-cycle intensity column)
    ("Zone id", "Carbon intensity gCO₂eq/kWh (Life cycle)"),  # Electricity Maps yearly file
    ("zone_id", "intensity_lifecycle_g_per_kwh"),  # data/grid_zones.csv
]
YEAR_FILE = re.compile(r"(\d{4})\.csv")
PROVIDER_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
YEAR = re.compile(r"(19|20)\d\d")


class InputError(Exception):
    """An input file is missing, unreadable or lacks a required column (exit status 2)."""


class DataError(Exception):
    """A value fails a consistency check (exit status 1)."""


# -- reading -------------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """Column name without byte-order mark, surrounding or doubled spaces."""
    return " ".join(name.replace("\ufeff", "").split())


def read_text_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every cell as stripped text; '' for empty cells (never NaN)."""
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot read CSV: {exc}") from None
    frame.columns = [normalise_header(str(col)) for col in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def require_columns(frame: pd.DataFrame, columns: Iterable[str], path: Path) -> None:
    missing = [col for col in columns if col not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s): {', '.join(map(repr, missing))}")


def read_regions(path: Path) -> pd.DataFrame:
    """The curated table, columns exactly as ``COLUMNS``."""
    frame = read_text_csv(path)
    if list(frame.columns) != COLUMNS:
        raise InputError(f"{path}: columns are {list(frame.columns)}, expected {COLUMNS}")
    return frame


def read_zones(path: Path) -> dict[str, str]:
    """Zone id -> life-cycle intensity (text, g/kWh) from either accepted format."""
    frame = read_text_csv(path)
    for id_col, intensity_col in ZONE_FORMATS:
        if id_col in frame.columns and intensity_col in frame.columns:
            zones = frame[[id_col, intensity_col]]
            zones = zones[zones[id_col] != ""]
            return dict(zip(zones[id_col], zones[intensity_col], strict=True))
    accepted = " or ".join(f"{a!r} + {b!r}" for a, b in ZONE_FORMATS)
    raise InputError(f"{path}: no zone columns ({accepted})")


def read_mlco2(path: Path) -> pd.DataFrame:
    """The original calculator's regions: provider, region, impact, and this table's key."""
    frame = read_text_csv(path)
    require_columns(frame, MLCO2_COLUMNS, path)
    frame = frame[(frame != "").any(axis=1)]
    keys = [
        REGION_KEY_FIXES.get((p, r), (PROVIDER_SLUGS.get(p, p), r))
        for p, r in zip(frame["provider"], frame["region"], strict=True)
    ]
    frame = frame.assign(new_provider=[k[0] for k in keys], new_region=[k[1] for k in keys])
    return frame


def google_year(path: Path, given: int | None) -> int:
    if given is not None:
        return given
    match = YEAR_FILE.fullmatch(path.name)
    if match is None:
        raise InputError(f"{path}: cannot tell the year from the file name; pass --google-year")
    return int(match.group(1))


def read_google(path: Path) -> dict[str, tuple[str, str]]:
    """Google region -> (CFE fraction text, grid intensity text), as published."""
    frame = read_text_csv(path)
    intensity_col = next((col for col in GOOGLE_INTENSITY if col in frame.columns), None)
    cfe_col = next((col for col in frame.columns if col.startswith(GOOGLE_CFE)), None)
    if intensity_col is None or cfe_col is None or GOOGLE_REGION not in frame.columns:
        raise InputError(
            f"{path}: needs {GOOGLE_REGION!r}, {GOOGLE_CFE!r} and one of "
            + ", ".join(map(repr, GOOGLE_INTENSITY))
        )
    if "%" in cfe_col:
        raise InputError(f"{path}: CFE column {cfe_col!r} is a percentage, expected 0-1")
    frame = frame[(frame != "").any(axis=1)]
    duplicated = sorted(set(frame.loc[frame[GOOGLE_REGION].duplicated(), GOOGLE_REGION]))
    if duplicated:
        raise DataError(f"{path}: duplicate regions: {', '.join(duplicated)}")
    return {
        region: (cfe, intensity)
        for region, cfe, intensity in zip(
            frame[GOOGLE_REGION], frame[cfe_col], frame[intensity_col], strict=True
        )
    }


# -- values --------------------------------------------------------------------------------


def parse_number(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DataError(f"{what}: {text!r} is not a number") from None
    if not value.is_finite():
        raise DataError(f"{what}: {text!r} is not a finite number")
    return value


def plain(value: Decimal) -> str:
    """Decimal as plain text without exponent or trailing zeros: 15.0 -> '15'."""
    digits = format(value, "f")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits


def cfe_percent(fraction: str, what: str) -> str:
    """Google CFE fraction as a percentage string: '0.15' -> '15', '' -> ''."""
    if fraction == "":
        return ""
    value = parse_number(fraction, what)
    if not 0 <= value <= 1:
        raise DataError(f"{what}: CFE {fraction} is not a fraction between 0 and 1")
    return plain(value.scaleb(2))


def check_range(text: str, low: Decimal, high: Decimal, what: str) -> None:
    if text != "" and not low <= parse_number(text, what) <= high:
        raise DataError(f"{what}: {text} outside {low}-{high}")


# -- checks --------------------------------------------------------------------------------


def check_table(regions: pd.DataFrame) -> list[str]:
    """Schema checks of data/README.md; returns warnings, raises DataError on errors."""
    errors: list[str] = []
    warnings: list[str] = []
    keys = list(zip(regions["provider"], regions["region_id"], strict=True))
    seen: set[tuple[str, str]] = set()
    for row in regions.itertuples(index=False):
        key = f"{row.provider}:{row.region_id}"
        if (row.provider, row.region_id) in seen:
            errors.append(f"{key}: duplicate (provider, region_id)")
        seen.add((row.provider, row.region_id))
        if not PROVIDER_SLUG.fullmatch(row.provider):
            errors.append(f"{key}: provider {row.provider!r} is not a lower-case slug")
        for column in ("region_id", "display_name", "zone_id", "source", "source_url"):
            if getattr(row, column) == "":
                errors.append(f"{key}: {column} is empty")
        if not COUNTRY_CODE.fullmatch(row.country_code):
            errors.append(f"{key}: country_code {row.country_code!r} is not ISO 3166 alpha-2")
        elif row.zone_id.split("-")[0] != row.country_code:
            warnings.append(f"{key}: zone {row.zone_id} is not in country {row.country_code}")
        if row.licence not in LICENCES:
            errors.append(f"{key}: licence {row.licence!r} not one of {sorted(LICENCES)}")
        if not YEAR.fullmatch(row.source_year):
            errors.append(f"{key}: source_year {row.source_year!r} is not a year")
        try:
            check_range(row.pue, Decimal("1.0"), Decimal(3), f"{key} pue")
            check_range(row.cfe_pct, Decimal(0), Decimal(100), f"{key} cfe_pct")
            check_range(
                row.provider_intensity_g_per_kwh,
                Decimal(0),
                Decimal(1500),
                f"{key} provider_intensity_g_per_kwh",
            )
        except DataError as exc:
            errors.append(str(exc))
        if row.pue != "" and (row.pue_source_url == "" or not YEAR.fullmatch(row.pue_year)):
            errors.append(f"{key}: pue without pue_source_url and pue_year")
        if row.pue == "" and (row.pue_source_url or row.pue_year):
            errors.append(f"{key}: pue_source_url/pue_year without pue")
        has_provider_data = row.cfe_pct != "" or row.provider_intensity_g_per_kwh != ""
        if has_provider_data and not YEAR.fullmatch(row.data_year):
            errors.append(f"{key}: cfe_pct/provider intensity without data_year")
        if not has_provider_data and row.data_year != "":
            errors.append(f"{key}: data_year without cfe_pct or provider intensity")
    if keys != sorted(keys):
        warnings.append("rows are not sorted by provider, region_id (--write sorts them)")
    if errors:
        raise DataError("\n".join(errors))
    return warnings


def check_zones(regions: pd.DataFrame, zones: dict[str, str]) -> list[str]:
    """Rows whose zone_id is not a known zone."""
    rows = zip(regions["provider"], regions["region_id"], regions["zone_id"], strict=True)
    return [f"{p}:{r}: zone {z!r} not in the zone list" for p, r, z in rows if z not in zones]


def coverage(regions: pd.DataFrame, mlco2: pd.DataFrame, zones: dict[str, str]) -> list[str]:
    """Print every original region beside its row now; return the missing ones."""
    by_key = {(row.provider, row.region_id): row for row in regions.itertuples(index=False)}
    missing = []
    header = (
        f"{'original region':36} {'now':38} {'zone':13} {'old g/kWh':>9} "
        f"{'zone 2024':>9} {'provider':>9}"
    )
    print(header)
    print("-" * len(header))
    for old in mlco2.itertuples(index=False):
        old_key = f"{old.provider}:{old.region}"
        row = by_key.get((old.new_provider, old.new_region))
        if row is None:
            missing.append(f"{old_key} (as {old.new_provider}:{old.new_region})")
            print(f"{old_key:36} MISSING")
            continue
        new_key = f"{row.provider}:{row.region_id}"
        shown = "=" if new_key == old_key else new_key
        zone_intensity = zones.get(row.zone_id, "?")
        print(
            f"{old_key:36} {shown:38} {row.zone_id:13} {old.impact:>9} "
            f"{zone_intensity:>9} {row.provider_intensity_g_per_kwh or '-':>9}"
        )
    return missing


def refresh_google(
    regions: pd.DataFrame, google: dict[str, tuple[str, str]], year: int, path: Path
) -> tuple[pd.DataFrame, list[str]]:
    """The table with gcp cfe_pct, provider intensity and data_year from Google's file."""
    refreshed = regions.copy()
    is_gcp = refreshed["provider"] == GCP
    gcp_ids = set(refreshed.loc[is_gcp, "region_id"])
    missing = sorted(set(google) - gcp_ids)
    if missing:
        raise DataError(f"{path}: regions not in cloud_regions.csv: {', '.join(missing)}")
    notes = [
        f"gcp:{region_id} not in {path.name}: its Google values are left as they are"
        for region_id in sorted(gcp_ids - set(google))
    ]
    for index in refreshed.index[is_gcp]:
        region_id = refreshed.at[index, "region_id"]
        if region_id not in google:
            continue
        cfe, intensity = google[region_id]
        what = f"{path.name} {region_id}"
        check_range(intensity, Decimal(0), Decimal(1500), f"{what} intensity")
        if intensity != "":
            parse_number(intensity, what)
        refreshed.at[index, "cfe_pct"] = cfe_percent(cfe, what)
        refreshed.at[index, "provider_intensity_g_per_kwh"] = intensity
        has_data = cfe != "" or intensity != ""
        refreshed.at[index, "data_year"] = str(year) if has_data else ""
    return refreshed, notes


def changed_cells(before: pd.DataFrame, after: pd.DataFrame) -> list[str]:
    changes = []
    for index in before.index:
        for column in ("cfe_pct", "provider_intensity_g_per_kwh", "data_year"):
            old, new = before.at[index, column], after.at[index, column]
            if old != new:
                key = f"{before.at[index, 'provider']}:{before.at[index, 'region_id']}"
                changes.append(f"{key} {column}: {old!r} -> {new!r}")
    return changes


def sort_table(regions: pd.DataFrame) -> pd.DataFrame:
    return regions.sort_values(["provider", "region_id"], kind="stable").reset_index(drop=True)


def write_table(regions: pd.DataFrame, path: Path) -> None:
    regions.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check data/cloud_regions.csv and refresh its Google Cloud columns."
    )
    parser.add_argument(
        "--mlco2-impact", type=Path, required=True, help="mlco2/impact data/impact.csv (MIT)"
    )
    parser.add_argument(
        "--google-year-csv",
        type=Path,
        required=True,
        help="region-carbon-info yearly file, e.g. 2024.csv (Apache-2.0)",
    )
    parser.add_argument(
        "--zones",
        type=Path,
        required=True,
        help="Electricity Maps yearly CSV or data/grid_zones.csv",
    )
    parser.add_argument(
        "--regions",
        type=Path,
        default=DEFAULT_REGIONS,
        help=f"table to check (default: {DEFAULT_REGIONS.relative_to(REPO_ROOT)})",
    )
    parser.add_argument(
        "--google-year", type=int, help="year of --google-year-csv (default: from its name)"
    )
    parser.add_argument(
        "--write", action="store_true", help="rewrite --regions with the refreshed values"
    )
    args = parser.parse_args(argv)

    try:
        regions = read_regions(args.regions)
        zones = read_zones(args.zones)
        mlco2 = read_mlco2(args.mlco2_impact)
        year = google_year(args.google_year_csv, args.google_year)
        google = read_google(args.google_year_csv)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    failed = False
    try:
        refreshed, notes = refresh_google(regions, google, year, args.google_year_csv)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        for warning in check_table(refreshed):
            print(f"warning: {warning}", file=sys.stderr)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    missing = coverage(refreshed, mlco2, zones)
    if missing:
        failed = True
        print(f"error: {len(missing)} original region(s) missing:", file=sys.stderr)
        for key in missing:
            print(f"  {key}", file=sys.stderr)
    unknown = check_zones(refreshed, zones)
    if unknown:
        failed = True
        print(f"error: {len(unknown)} unknown zone id(s):", file=sys.stderr)
        for line in unknown:
            print(f"  {line}", file=sys.stderr)

    changes = changed_cells(regions, refreshed)
    per_provider = refreshed["provider"].value_counts().sort_index()
    counts = ", ".join(f"{p} {n}" for p, n in per_provider.items())
    print(f"\n{len(refreshed)} regions ({counts}); {len(mlco2)} original regions checked")
    print(f"Google {year}: {len(changes)} cell(s) differ from {args.regions.name}")
    for change in changes:
        print(f"  {change}")
    if failed:
        return 1
    if args.write:
        output = sort_table(refreshed)
        write_table(output, args.regions)
        print(f"wrote {len(output)} rows to {args.regions}")
    elif changes:
        print("(not written: pass --write)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
