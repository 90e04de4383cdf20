"""Shared helpers: read the curated tables directly (csv module), independently of the
pipeline and the engine, so tests compare the engine against the data by hand; and the
site, built once with ``mkdocs build --strict`` and served on 127.0.0.1, for the site and
browser tests."""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import subprocess
import sys
import time
from functools import cache
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


@pytest.fixture(scope="session")
def _server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Path, str]:
    """The directory of the tests' site and its address: one build, served by one server
    process (tests/site_server.py) for every pytest-xdist worker of the run. The first
    worker to take the lock starts the server and builds the site; the others wait for
    it. The server stops when the run does."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" else base
    run = os.getppid() if worker_id != "master" else os.getpid()  # the whole run
    directory, port_file, url_file = (shared / "site", shared / "site.port",
                                      shared / "site.url")
    with (shared / "site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not url_file.exists():
            directory.mkdir(exist_ok=True)
            subprocess.Popen([sys.executable, str(ROOT / "tests" / "site_server.py"),
                              str(directory), str(port_file), str(run)],
                             stdin=subprocess.DEVNULL, start_new_session=True)
            for _ in range(200):
                if port_file.exists() and port_file.read_text():
                    break
                time.sleep(0.05)
            url = f"http://127.0.0.1:{port_file.read_text()}/"
            _build_site(directory, url)
            url_file.write_text(url, encoding="utf-8")
        url = url_file.read_text(encoding="utf-8")
    return directory, url


def _build_site(directory: Path, url: str) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    done = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(directory)],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "SITE_URL": url})
    if done.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{done.stderr}")


@pytest.fixture(scope="session")
def site_dir(_server: tuple[Path, str]) -> Path:
    """The site, built by ``mkdocs build --strict`` for the URL it is served at (Material's
    instant navigation needs ``site_url`` to match the origin)."""
    return _server[0]


@pytest.fixture(scope="session")
def site_url(site_dir: Path, _server: tuple[Path, str]) -> str:
    """The root URL of the built site."""
    return _server[1]
