"""Compare the original ML CO2 Impact calculator's ``gpus.csv`` with ``data/hardware.csv``.

Usage::

    python scripts/import_mlco2_gpus.py PATH/TO/mlco2/gpus.csv [--hardware data/hardware.csv]

For every device in the upstream table (mlco2/impact, ``data/gpus.csv``, MIT licence) the
report names the ``hardware.csv`` row that matches it and shows where the power figures
differ. Names are matched the way the calculator matches them: lower case, with every
non-alphanumeric character removed, against each row's ``name`` and ``aliases``.

The upstream file is read only from the path given on the command line; this script
never looks for it anywhere else. It only prints; it writes no file.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd  # type: ignore[import-untyped, unused-ignore]

DEFAULT_HARDWARE = Path(__file__).resolve().parent.parent / "data" / "hardware.csv"
UPSTREAM_COLUMNS = ("name", "type", "tdp_watts", "source")


def normalize(text: str) -> str:
    """Lower-case ``text`` and drop every character that is not a letter or a digit."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class Match:
    """One upstream device and the ``hardware.csv`` row it resolves to, if any."""

    upstream_name: str
    upstream_type: str
    upstream_tdp: float | None
    malformed: bool
    hardware_id: str | None
    hardware_tdp: float | None
    power_basis: str | None

    @property
    def tdp_differs(self) -> bool:
        """True when both sides give a power figure and the figures are not equal."""
        if self.upstream_tdp is None or self.hardware_tdp is None:
            return False
        return not math.isclose(self.upstream_tdp, self.hardware_tdp)


def to_float(value: object) -> float | None:
    """Parse a CSV cell as a float; empty, ``NaN`` or unparsable cells give ``None``."""
    if value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return None if math.isnan(number) else number


def build_index(hardware: pd.DataFrame) -> dict[str, str]:
    """Map every normalized name and alias of ``hardware`` to its ``hardware_id``.

    Raises ``ValueError`` if one normalized key belongs to two devices.
    """
    index: dict[str, str] = {}
    for row in hardware.itertuples(index=False):
        hardware_id = str(row.hardware_id)
        keys = {normalize(str(row.name))}
        keys.update(normalize(alias) for alias in str(row.aliases).split(";") if alias.strip())
        for key in keys:
            if not key:
                continue
            owner = index.setdefault(key, hardware_id)
            if owner != hardware_id:
                raise ValueError(f"alias {key!r} matches both {owner} and {hardware_id}")
    return index


def read_upstream(path: Path) -> pd.DataFrame:
    """Read the mlco2 ``gpus.csv``, tolerating rows with a missing field.

    Adds a boolean ``malformed`` column: True where a row has fewer or more fields than
    the header (upstream's ``A10G`` row lacks one, which shifts its later values).
    """
    upstream = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    upstream.columns = [str(column).strip() for column in upstream.columns]
    missing = [column for column in UPSTREAM_COLUMNS if column not in upstream.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    with path.open(newline="", encoding="utf-8") as handle:
        records = [record for record in csv.reader(handle) if record]
    width = len(records[0])
    upstream["malformed"] = [len(record) != width for record in records[1:]]
    return upstream


def match_devices(upstream: pd.DataFrame, hardware: pd.DataFrame) -> list[Match]:
    """Resolve every upstream device to a ``hardware.csv`` row by normalized name."""
    index = build_index(hardware)
    by_id = hardware.set_index("hardware_id")
    matches: list[Match] = []
    for row in upstream.to_dict(orient="records"):
        name = str(row["name"]).strip()
        hardware_id = index.get(normalize(name))
        hardware_tdp = power_basis = None
        if hardware_id is not None:
            hardware_tdp = to_float(by_id.at[hardware_id, "tdp_w"])
            power_basis = str(by_id.at[hardware_id, "power_basis"])
        matches.append(
            Match(
                upstream_name=name,
                upstream_type=str(row["type"]).strip(),
                upstream_tdp=to_float(row["tdp_watts"]),
                malformed=bool(row["malformed"]),
                hardware_id=hardware_id,
                hardware_tdp=hardware_tdp,
                power_basis=power_basis,
            )
        )
    return matches


def format_watts(value: float | None) -> str:
    """Render a power figure without a needless ``.0``."""
    if value is None:
        return "-"
    return f"{value:g}"


def render_report(matches: list[Match], upstream_path: Path, hardware_path: Path) -> str:
    """Build the plain-text comparison report."""
    lines = [
        f"upstream: {upstream_path} ({len(matches)} devices)",
        f"hardware: {hardware_path}",
        "",
        f"{'upstream name':<24} {'type':<4} {'tdp':>5}  {'hardware_id':<32} {'tdp_w':>5}  status",
    ]
    for match in matches:
        if match.hardware_id is None:
            status = "NO MATCH"
        elif match.tdp_differs:
            delta = (match.hardware_tdp or 0.0) - (match.upstream_tdp or 0.0)
            status = f"tdp differs ({delta:+g} W)"
        else:
            status = "same tdp"
        if match.power_basis == "measured_average":
            status += ", measured average"
        if match.malformed:
            status += ", upstream row has a missing field"
        lines.append(
            f"{match.upstream_name:<24} {match.upstream_type:<4} "
            f"{format_watts(match.upstream_tdp):>5}  {match.hardware_id or '-':<32} "
            f"{format_watts(match.hardware_tdp):>5}  {status}"
        )
    matched = [match for match in matches if match.hardware_id is not None]
    differing = [match for match in matched if match.tdp_differs]
    lines += [
        "",
        f"matched {len(matched)}/{len(matches)}; tdp differs for {len(differing)}; "
        f"unmatched {len(matches) - len(matched)}",
    ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description="Compare the mlco2 gpus.csv with data/hardware.csv.",
    )
    parser.add_argument("upstream", type=Path, help="path to the mlco2/impact data/gpus.csv")
    parser.add_argument(
        "--hardware",
        type=Path,
        default=DEFAULT_HARDWARE,
        help="path to hardware.csv (default: this repository's data/hardware.csv)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Print the comparison report; return 0, or 1 if a file cannot be read."""
    args = parse_args(argv)
    try:
        upstream = read_upstream(args.upstream)
        hardware = pd.read_csv(args.hardware, dtype=str, keep_default_na=False)
        matches = match_devices(upstream, hardware)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(render_report(matches, args.upstream, args.hardware))
    return 0


if __name__ == "__main__":
    sys.exit(main())
