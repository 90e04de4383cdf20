"""Compare the original calculator's region intensities with the ones the engine uses now.

For every row of ``data/legacy_mlco2_regions.csv`` (the 82 regions of the paper's ML CO2
Impact calculator) the Markdown table gives the intensity the original calculator used,
the intensity the engine uses today for the same region on its default basis
(:func:`ml_emissions.location.region_location`: the life-cycle yearly average of the
region's grid zone, for every provider alike), the change in percent, and the PUE the
engine now applies to a cloud region (:func:`ml_emissions.facility.resolve_facility`;
the original calculator applied none). A summary line follows the table.

``data/CHANGELOG.md`` embeds this output between the markers ``<!-- legacy-comparison:start
-->`` and ``<!-- legacy-comparison:end -->``; ``tests/test_legacy.py`` checks that it is up
to date.

Usage::

    python -m pipeline.legacy_comparison              # print the Markdown
    python -m pipeline.legacy_comparison --write      # refresh the block in data/CHANGELOG.md
    python -m pipeline.legacy_comparison --check      # exit 1 if that block is out of date
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from ml_emissions.catalog import Catalog, load_catalog
from ml_emissions.facility import resolve_facility
from ml_emissions.location import region_location
from pipeline.tables import read_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "data"
DEFAULT_CHANGELOG = DEFAULT_DATA / "CHANGELOG.md"
LEGACY_FILE = "legacy_mlco2_regions.csv"
START = "<!-- legacy-comparison:start -->"
END = "<!-- legacy-comparison:end -->"


@dataclass(frozen=True)
class Comparison:
    """One legacy region, then and now."""

    key: str  # provider:region_id in cloud_regions.csv
    legacy_key: str  # provider:region as the original calculator wrote it
    zone_id: str
    old: float  # [gCO2e/kWh]
    old_text: str  # as published
    new: float  # [gCO2e/kWh]
    basis: str  # "zone life-cycle 2024"
    pue: float
    legacy_source: str  # where the original calculator took its value from
    source_url: str  # of the original calculator's data
    licence: str

    @property
    def change_pct(self) -> float | None:
        """Relative change of the intensity, percent; ``None`` when the old value is 0."""
        return None if self.old == 0 else (self.new - self.old) / self.old * 100


def compare(catalog: Catalog, data_dir: Path) -> list[Comparison]:
    """Every legacy region beside the engine's intensity and PUE for it now."""
    legacy, problems = read_table(data_dir / LEGACY_FILE)
    if legacy is None or problems:
        raise ValueError("\n".join(str(p) for p in problems))
    rows = []
    for _, row in legacy.rows:
        region = catalog.find_region(f"{row['provider']}:{row['region_id']}")
        location = region_location(catalog, region, "life-cycle")
        pue = resolve_facility(catalog, "cloud", None, None, region).pue
        basis = f"zone life-cycle {location.intensity_source.year}"
        rows.append(Comparison(
            key=region.key,
            legacy_key=f"{row['legacy_provider']}:{row['legacy_region_id']}",
            zone_id=region.zone_id,
            old=float(row["legacy_intensity_g_per_kwh"]),
            old_text=row["legacy_intensity_g_per_kwh"],
            new=location.intensity_g_per_kwh,
            basis=basis,
            pue=pue,
            legacy_source=row["legacy_source"],
            source_url=row["source_url"],
            licence=row["licence"],
        ))
    return rows


@dataclass(frozen=True)
class Summary:
    """How the regions' intensities changed, over a set of comparisons."""

    regions: int
    higher: int
    lower: int
    same: int
    compared: int  # with a non-zero old value
    median_change_pct: float | None


def summarize(rows: list[Comparison]) -> Summary:
    """The counts and the median change of ``rows``."""
    changes = [row.change_pct for row in rows if row.change_pct is not None]
    higher = sum(1 for row in rows if row.new > row.old)
    lower = sum(1 for row in rows if row.new < row.old)
    return Summary(len(rows), higher, lower, len(rows) - higher - lower, len(changes),
                   statistics.median(changes) if changes else None)


def number(value: float) -> str:
    """A float as the shortest text that reads back the same, without a trailing ``.0``."""
    return repr(value).removesuffix(".0")


def percent(value: float | None) -> str:
    """``+12.3 %``, ``-4.0 %``, or ``n/a`` (no old value to compare with)."""
    return "n/a" if value is None else f"{value:+.1f} %"


def render(rows: list[Comparison]) -> str:
    """The Markdown table and its summary line (no trailing newline)."""
    lines = [
        "| region now | original calculator | grid zone | old gCO2e/kWh | new gCO2e/kWh "
        "| new value from | change | PUE applied now |",
        "|---|---|---|---:|---:|---|---:|---:|",
    ]
    for row in rows:
        if row.legacy_key == row.key:
            legacy = "same id"
        elif row.legacy_key.endswith(":"):
            legacy = f"`{row.legacy_key[:-1]}`, no region id"
        else:
            legacy = f"`{row.legacy_key}`"
        lines.append(
            f"| `{row.key}` | {legacy} | {row.zone_id} | {row.old_text} | {number(row.new)} "
            f"| {row.basis} | {percent(row.change_pct)} | {number(row.pue)} |"
        )
    total = summarize(rows)
    lines += [
        "",
        f"{total.regions} regions: the intensity is higher now for {total.higher}, lower for "
        f"{total.lower}, unchanged for {total.same}; median change "
        f"{percent(total.median_change_pct)} "
        f"(over the {total.compared} regions with a non-zero old value).",
    ]
    return "\n".join(lines)


def embedded(text: str) -> str:
    """The block of ``text`` between the markers (``ValueError`` if they are missing)."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"markers {START} / {END} not found")
    return text[start + len(START):end].strip("\n")


def embed(text: str, block: str) -> str:
    """``text`` with the block between the markers replaced by ``block``."""
    embedded(text)  # raises when the markers are missing
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{block}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    """Print, write or check the comparison; return 0, or 1 when ``--check`` fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="data directory")
    parser.add_argument("--catalog", type=Path,
                        help="compiled catalog.json (default: the engine's packaged catalog)")
    parser.add_argument("--changelog", type=Path, default=DEFAULT_CHANGELOG)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="refresh the block in --changelog")
    action.add_argument("--check", action="store_true",
                        help="exit 1 when the block in --changelog is out of date")
    args = parser.parse_args(argv)
    catalog = (Catalog.from_dict(json.loads(args.catalog.read_text("utf-8")))
               if args.catalog else load_catalog())
    block = render(compare(catalog, args.data))
    if not (args.write or args.check):
        print(block)
        return 0
    text = args.changelog.read_text("utf-8")
    if args.check:
        if embedded(text) != block:
            print(f"{args.changelog}: the legacy comparison is out of date; run "
                  "'python -m pipeline.legacy_comparison --write'", file=sys.stderr)
            return 1
        print(f"{args.changelog}: the legacy comparison is up to date")
        return 0
    args.changelog.write_text(embed(text, block), "utf-8")
    print(f"wrote the legacy comparison ({len(block.splitlines())} lines) to {args.changelog}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
