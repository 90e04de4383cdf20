"""Shared helpers: read the curated tables directly (csv module), independently of the
pipeline and the engine, so tests compare the engine against the data by hand; and the
site, built once with ``mkdocs build --strict`` and served on 127.0.0.1, for the site and
browser tests."""

from __future__ import annotations

import csv
import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import cache
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SUMMARY_PROPERTY = "summary"
"""A test's ``record_property`` name for a text shown at the end of every run (e.g. what
ran inside Pyodide, and what did not and why), also when the tests run in parallel
workers (pytest-xdist sends each report's properties to the main process)."""
_summaries: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _summaries.extend(str(value) for name, value in report.user_properties
                          if name == SUMMARY_PROPERTY)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for text in _summaries:
        terminalreporter.write_line("")
        for line in text.splitlines():
            terminalreporter.write_line(line)


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


def provider_figure(provider: str, region_id: str) -> dict[str, str] | None:
    """The provider's own figure for a region: the row of data/intensity_history.csv of its
    latest operational year (None where the provider publishes none)."""
    rows = [r for r in data_rows("intensity_history.csv") if r["provider"] == provider
            and r["region_id"] == region_id and r["intensity_basis"] == "operational"]
    return max(rows, key=lambda r: int(r["year"])) if rows else None


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


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def _server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """An http.server on a free port of 127.0.0.1 and the directory it serves."""
    directory = tmp_path_factory.mktemp("site")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield directory, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_dir(_server: tuple[Path, str]) -> Path:
    """The site, built by ``mkdocs build --strict`` for the URL it is served at (Material's
    instant navigation needs ``site_url`` to match the origin)."""
    directory, url = _server
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(directory)],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "SITE_URL": url})
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    return directory


@pytest.fixture(scope="session")
def site_url(site_dir: Path, _server: tuple[Path, str]) -> str:
    """The root URL of the built site."""
    return _server[1]
