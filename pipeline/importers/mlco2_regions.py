"""Import the original ML CO2 Impact calculator's regions into ``data/legacy_mlco2_regions.csv``.

Upstream: ``data/impact.csv`` of the paper's calculator (repository mlco2/impact @ d0d3ee5,
MIT licence): 82 cloud regions of 7 providers, each with the grid carbon intensity the
calculator used (column ``impact``, gCO2e/kWh), its source and, for a few, a PUE. The file
is read only from the path given on the command line.

Every region is written with the key it has in ``data/cloud_regions.csv`` today
(``provider``, ``region_id``), mapped by :data:`PROVIDER_SLUGS` and :data:`REGION_KEY_FIXES`
(``PROVIDER_SLUGS``: ``ovh`` -> ``ovhcloud``; ``REGION_KEY_FIXES``: the Scaleway row with an
empty region id is ``fr-par``), followed by the original values as published
(``legacy_*``, copied as text: ``34.5`` stays ``34.5``) and the provenance columns.
``source_year`` is the latest year the row itself states outside URLs (``measured on July
2, 2019``, ``average for oct21-oct22`` -> 2022), else 2019, the year of the calculator's
data. ``note`` records the key mapping, the upstream comment, the source of the PUE and
known defects of the row.

Rows keep the upstream order. Output: UTF-8, ``\\n`` line endings, every cell text: the same
input gives the same bytes. Every mapped key must exist in ``--regions`` (exit status 1
otherwise; 2 when an input file is missing or unreadable).

Usage::

    python -m pipeline.importers.mlco2_regions PATH/TO/mlco2/impact.csv \\
        [--regions data/cloud_regions.csv] [--out data/legacy_mlco2_regions.csv]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from pipeline.importers.common import (
    DataError,
    InputError,
    failure,
    read_text_csv,
    require_columns,
    write_table,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REGIONS = REPO_ROOT / "data" / "cloud_regions.csv"
DEFAULT_OUT = REPO_ROOT / "data" / "legacy_mlco2_regions.csv"

COLUMNS = [
    "provider",
    "region_id",
    "legacy_provider",
    "legacy_region_id",
    "legacy_intensity_g_per_kwh",
    "legacy_source",
    "legacy_pue",
    "source",
    "source_url",
    "source_year",
    "licence",
    "note",
]
UPSTREAM_COLUMNS = ["source", "PUE", "PUE source", "comment"]

SOURCE = "ML CO2 Impact calculator data (mlco2/impact), impact.csv"
SOURCE_URL = "https://github.com/mlco2/impact"
LICENCE = "MIT"
DEFAULT_YEAR = 2019  # the calculator's data (Lacoste et al. 2019)

# Known defects of single rows of the original data, by upstream (provider, region).
KNOWN_DEFECTS = {
    ("aws", "ca-central-1"): "known defect: still 20 g/kWh (Hydro-Québec) while the calculator "
    "corrected gcp northamerica-northeast1 (Montréal) to 34.5",
    ("azure", "canadaeast"): "known defect: still 20 g/kWh (Hydro-Québec) while the calculator "
    "corrected gcp northamerica-northeast1 (Montréal) to 34.5",
}

# Original calculator (provider, region) -> cloud_regions.csv's (provider, region_id).
PROVIDER_SLUGS = {"ovh": "ovhcloud"}
REGION_KEY_FIXES = {("scaleway", ""): ("scaleway", "fr-par")}
MLCO2_COLUMNS = ["provider", "region", "impact"]

URL = re.compile(r"https?://\S+")
FULL_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
MONTH_YEAR = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(\d\d)\b",
                        re.IGNORECASE)


def read_mlco2(path: Path) -> pd.DataFrame:
    """The original calculator's regions: provider, region, impact, and this table's key."""
    frame = read_text_csv(path)
    require_columns(frame, MLCO2_COLUMNS, path)
    frame = frame[(frame != "").any(axis=1)]
    keys = [
        REGION_KEY_FIXES.get((p, r), (PROVIDER_SLUGS.get(p, p), r))
        for p, r in zip(frame["provider"], frame["region"], strict=True)
    ]
    return frame.assign(new_provider=[k[0] for k in keys], new_region=[k[1] for k in keys])


def stated_year(*texts: str) -> int | None:
    """The latest year written in ``texts`` outside URLs (``2019``, ``oct22``), if any."""
    years: list[int] = []
    for text in texts:
        text = URL.sub(" ", text)
        years += [int(year) for year in FULL_YEAR.findall(text)]
        years += [2000 + int(year) for year in MONTH_YEAR.findall(text)]
    return max(years) if years else None


def row_note(provider: str, region: str, new_provider: str, new_region: str,
             pue_source: str, comment: str) -> str:
    """The ``note`` of one row: key mapping, upstream comment, PUE source, known defects."""
    parts = []
    if new_provider != provider:
        parts.append(f"provider slug '{provider}' is '{new_provider}' in cloud_regions.csv")
    if new_region != region:
        shown = f"'{region}'" if region else "empty"
        parts.append(f"upstream region id {shown}; '{new_region}' in cloud_regions.csv")
    if comment:
        parts.append(f"upstream comment: {comment}")
    if pue_source:
        parts.append(f"legacy_pue source: {pue_source}")
    if (provider, region) in KNOWN_DEFECTS:
        parts.append(KNOWN_DEFECTS[(provider, region)])
    return "; ".join(parts)


def legacy_table(path: Path) -> pd.DataFrame:
    """The upstream regions as rows of ``data/legacy_mlco2_regions.csv``."""
    upstream = read_mlco2(path)
    require_columns(upstream, UPSTREAM_COLUMNS, path)
    rows = []
    for old in upstream.to_dict(orient="records"):
        year = stated_year(old["source"], old["comment"]) or DEFAULT_YEAR
        rows.append({
            "provider": old["new_provider"],
            "region_id": old["new_region"],
            "legacy_provider": old["provider"],
            "legacy_region_id": old["region"],
            "legacy_intensity_g_per_kwh": old["impact"],
            "legacy_source": old["source"],
            "legacy_pue": old["PUE"],
            "source": SOURCE,
            "source_url": SOURCE_URL,
            "source_year": str(year),
            "licence": LICENCE,
            "note": row_note(old["provider"], old["region"], old["new_provider"],
                             old["new_region"], old["PUE source"], old["comment"]),
        })
    return pd.DataFrame(rows, columns=COLUMNS, dtype=str)


def unmapped(table: pd.DataFrame, regions: pd.DataFrame) -> list[str]:
    """Keys of ``table`` that are not a (provider, region_id) of ``regions``."""
    known = set(zip(regions["provider"], regions["region_id"], strict=True))
    return [f"{p}:{r}" for p, r in zip(table["provider"], table["region_id"], strict=True)
            if (p, r) not in known]


def main(argv: list[str] | None = None) -> int:
    """Write the legacy table; return 0, 1 (unmapped region) or 2 (unreadable input)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("impact_csv", type=Path, help="mlco2/impact data/impact.csv (MIT)")
    parser.add_argument("--regions", type=Path, default=DEFAULT_REGIONS,
                        help="cloud regions table the keys must exist in")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="table to write")
    args = parser.parse_args(argv)
    try:
        table = legacy_table(args.impact_csv)
        regions = read_text_csv(args.regions)
        require_columns(regions, ["provider", "region_id"], args.regions)
        missing = unmapped(table, regions)
        if missing:
            raise DataError(f"{len(missing)} region(s) not in {args.regions}: "
                            + ", ".join(missing))
    except (InputError, DataError) as error:
        return failure(error)
    write_table(table, args.out)
    providers = table["legacy_provider"].nunique()
    print(f"wrote {len(table)} regions of {providers} providers to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
