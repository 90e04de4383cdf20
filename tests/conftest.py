"""Shared helpers: read the curated tables directly (csv module), independently of the
pipeline and the engine, so tests compare the engine against the data by hand."""

from __future__ import annotations

import csv
import shutil
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@cache
def data_rows(file: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/<file>`` as dicts of strings."""
    with (DATA / file).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def zone_intensity(zone_id: str) -> float:
    """Life-cycle intensity of a zone, read from data/grid_zones.csv. [g/kWh]"""
    (row,) = [r for r in data_rows("grid_zones.csv") if r["zone_id"] == zone_id]
    return float(row["intensity_lifecycle_g_per_kwh"])


def region_row(provider: str, region_id: str) -> dict[str, str]:
    """The row of one cloud region in data/cloud_regions.csv."""
    (row,) = [r for r in data_rows("cloud_regions.csv")
              if r["provider"] == provider and r["region_id"] == region_id]
    return row


def pue_row(pue_id: str) -> dict[str, str]:
    """The row of one PUE in data/pue.csv."""
    (row,) = [r for r in data_rows("pue.csv") if r["pue_id"] == pue_id]
    return row


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ in a temporary folder, for tests that break a table."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Set ``column`` of the row on file line ``line`` of a CSV (header = line 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
