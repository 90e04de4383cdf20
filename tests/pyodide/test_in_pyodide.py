"""The engine inside the real Pyodide runtime, under Node: the page's runtime.

The npm package ``pyodide`` (node_modules/pyodide, Python 3.14) runs the ml_emissions
wheel that ``sitebuild/build_wheel.py`` builds. Inside it, the engine's own tests pass
(``run_in_pyodide.mjs pytest``; what is left out, and why, is listed in
``in_pyodide_plugin.py``), and ``web.respond`` gives exactly CPython's replies for the
cases below and for every device, cloud region and grid zone of the catalog
(``run_in_pyodide.mjs compare``). Both run with the standard library the site ships
(sitebuild/trimmed_stdlib.py), which the engine never reaches beyond (stdlib_guard.py).

Nothing here is skipped: without Node or node_modules/pyodide these tests fail and say
what to install (``make test`` runs ``npm ci``). The pure-Python wheels of pytest and
hypothesis for Pyodide are pinned in ``requirements.txt`` beside this file, downloaded
once with pip into ``.cache/pyodide-wheels/`` and reused while their hashes match.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ml_emissions
from ml_emissions import load_catalog, web
from ml_emissions.catalog import Hardware
from sitebuild.build_wheel import build_wheel
from sitebuild.trimmed_stdlib import trim
from tests.conftest import SUMMARY_PROPERTY

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RUNNER = HERE / "run_in_pyodide.mjs"
REQUIREMENTS = HERE / "requirements.txt"
WHEEL_CACHE = ROOT / ".cache" / "pyodide-wheels"
PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide"
EXPECTED_PYTHON = "3.14"
MIN_TESTS_IN_PYODIDE = 100  # the engine's own tests that must pass inside Pyodide
TIMEOUT_S = 600
SUMMARY_PREFIX = "pyodide-pytest-summary: "  # as in in_pyodide_plugin.py
OUTSIDE_PREFIX = "pyodide-outside-stdlib: "  # as in run_in_pyodide.mjs


# -- the cases compared between CPython and Pyodide ----------------------------------------

Case = dict[str, str] | str  # parameters for web.respond, or a request text for web.calculate
HOSTILE = '<img src=x onerror="alert(1)">'

# (id, case, whether CPython accepts it): the expectation keeps every case meaningful.
CASES: list[tuple[str, Case, bool]] = [
    ("default-form", dict(web.DEFAULT_PARAMS), True),
    ("alias-zone-device-hours-runs",
     {"hardware": "V100", "count": "4", "device-hours": "500", "zone": "FR", "runs": "20"},
     True),
    ("gcp-region-runs",
     {"hardware": "A100 80GB SXM", "count": "8", "hours": "120", "region": "gcp:us-central1",
      "runs": "5"}, True),
    ("aws-region-via-its-zone",
     {"hardware": "H100", "count": "64", "hours": "72", "region": "aws:us-east-1"}, True),
    ("azure-region-utilization",
     {"hardware": "AMD Instinct MI300X", "count": "8", "hours": "48",
      "region": "azure:swedencentral", "utilization": "0.65"}, True),
    ("oracle-region-host-cpu-memory",
     {"hardware": "NVIDIA L4", "count": "2", "hours": "300", "region": "oracle:eu-frankfurt-1",
      "cpu-watts": "180", "memory-gb": "256"}, True),
    ("coreweave-region-device-hours",
     {"hardware": "H100 SXM", "count": "256", "device-hours": "100000",
      "region": "coreweave:LAS1", "runs": "3"}, True),
    ("ovhcloud-region-soc", {"hardware": "Apple M2 Max", "hours": "5", "region": "ovhcloud:gra"},
     True),
    ("scaleway-region-npu",
     {"hardware": "Gaudi 2", "count": "8", "hours": "36", "region": "scaleway:fr-par"}, True),
    ("seeweb-region-fine-tuning",
     {"hardware": "L40S", "hours": "20", "region": "seeweb:fro2", "training-type": "fine-tuning"},
     True),
    ("tpu-gcp-region", {"hardware": "TPU v4", "count": "32", "hours": "10",
                        "region": "gcp:europe-west4"}, True),
    ("country-name-zone-measured-watts",
     {"hardware": "RTX 4090", "hours": "10", "zone": "France", "measured-watts": "310"}, True),
    ("sub-national-zone", {"hardware": "T4", "count": "16", "hours": "1000", "zone": "CA-QC"},
     True),
    ("cpu-device-us-zone",
     {"hardware": "AMD EPYC 7763", "count": "2", "hours": "100", "zone": "US-CAL-CISO"}, True),
    ("custom-watts-intensity-pue",
     {"watts": "300", "count": "2", "hours": "10", "intensity": "400", "pue": "1.2",
      "training-type": "fine-tuning"}, True),
    ("zero-intensity", {"watts": "300", "hours": "10", "intensity": "0"}, True),
    ("measured-watts-without-device",
     {"measured-watts": "123.4", "hours": "10", "zone": "DE", "pue": "1.0"}, True),
    ("development-hours",
     {"watts": "250", "hours": "120", "development-hours": "239942", "intensity": "300",
      "pue": "1.0"}, True),
    ("huge-job", {"hardware": "H100", "count": "10000000", "hours": "10000000", "zone": "PL"},
     True),
    ("tiny-job", {"watts": "0.5", "hours": "0.001", "zone": "NO"}, True),
    ("number-spellings",
     {"watts": " 1e3 ", "hours": "2.50", "count": "4.0", "intensity": "1E2", "runs": "7"}, True),
    ("awkward-floats",
     {"watts": "333.3", "hours": "0.1", "count": "3", "intensity": "123.456", "pue": "1.0001",
      "utilization": "0.3"}, True),
    # invalid input: the error replies must agree too
    ("negative-hours", {"watts": "300", "hours": "-2", "zone": "FR"}, False),
    ("nan-hours", {"watts": "300", "hours": "nan", "zone": "FR"}, False),
    ("infinite-watts", {"watts": "inf", "hours": "1", "zone": "FR"}, False),
    ("not-a-number", {"watts": "300", "hours": "ten", "zone": "FR"}, False),
    ("misspelled-device", {"hardware": "A100 80GB SMX", "hours": "1", "zone": "FR"}, False),
    ("unknown-device", {"hardware": "zzzzzzzz", "hours": "1", "zone": "FR"}, False),
    ("misspelled-country", {"watts": "300", "hours": "2", "zone": "Frence"}, False),
    ("unknown-region", {"watts": "100", "hours": "1", "region": "gcp:mars-1"}, False),
    ("misspelled-provider", {"watts": "100", "hours": "1", "region": "gpc:us-central1"}, False),
    ("zone-and-region",
     {"hardware": "T4", "hours": "1", "zone": "FR", "region": "gcp:us-central1"}, False),
    ("no-location", {"hardware": "T4", "hours": "1"}, False),
    ("no-duration", {"hardware": "T4", "zone": "FR"}, False),
    ("unknown-parameter", {"watts": "1", "hours": "1", "zone": "FR", "colour": "red"}, False),
    ("pue-below-1", {"watts": "100", "hours": "1", "zone": "FR", "pue": "0.5"}, False),
    ("utilization-above-1", {"watts": "100", "hours": "1", "zone": "FR", "utilization": "1.5"},
     False),
    ("fractional-count", {"watts": "100", "hours": "1", "zone": "FR", "count": "2.5"}, False),
    ("count-too-large", {"watts": "100", "hours": "1", "zone": "FR", "count": "1e9"}, False),
    ("development-shorter-than-a-run",
     {"watts": "250", "hours": "120", "development-hours": "100", "intensity": "300"}, False),
    ("runs-and-development-hours",
     {"watts": "250", "hours": "1", "runs": "3", "development-hours": "100", "intensity": "300"},
     False),
    ("intensity-too-high", {"watts": "100", "hours": "1", "intensity": "5000"}, False),
    ("hostile-zone", {"watts": "100", "hours": "1", "zone": HOSTILE}, False),
    ("hostile-training-type", {"watts": "100", "hours": "1", "zone": "FR",
                               "training-type": HOSTILE}, False),
    ("unicode-zone", {"watts": "100", "hours": "1", "zone": "Zürich 東京 🌍"}, False),
    ("blank-device", {"hardware": "  ", "hours": "1", "zone": "FR"}, False),
    # request texts, through web.calculate as the page's worker sends them
    ("request-valid",
     json.dumps({"hardware": "V100", "count": "2", "hours": "3", "zone": "SE-SE3"}), True),
    ("request-not-json", "not json", False),
    ("request-not-an-object", "[1, 2]", False),
    ("request-number-value", '{"hours": 5}', False),
    ("request-too-long", "{" + '"a": "b",' * 2000 + "}", False),
]


def catalog_sweep() -> list[dict[str, str]]:
    """Every device, cloud region and grid zone of the catalog once, with the other
    inputs varied deterministically (counts, durations, utilization, runs, PUE). A device
    whose vendor publishes no power gets a measured power instead of a utilization."""
    catalog = load_catalog()
    devices = list(catalog.hardware)
    zones = [z.zone_id for z in catalog.zones]

    def power(device: Hardware, i: int, utilization: str | None = None) -> dict[str, str]:
        if device.tdp_w is None:
            return {"measured-watts": str(80 + 10 * (i % 20))}
        return {"utilization": utilization} if utilization else {}

    cases = []
    for i, device in enumerate(devices):
        cases.append({"hardware": device.name, "count": str(1 + i % 8),
                      "hours": f"{1.5 * (i + 1):g}", "zone": zones[(7 * i) % len(zones)],
                      **power(device, i)})
    for i, region in enumerate(catalog.regions):
        device = devices[(5 * i) % len(devices)]
        cases.append({"hardware": device.name, "count": str(2 ** (i % 6)),
                      "device-hours": str(10 * (i + 1)), "region": region.key,
                      **power(device, i, f"{0.3 + (i % 7) / 10:g}")})
    for i, zone in enumerate(zones):
        case = {"watts": str(50 + 25 * (i % 30)), "hours": "24", "zone": zone,
                "runs": str(1 + i % 5)}
        if i % 3 == 0:
            case["pue"] = f"{1 + (i % 10) / 20:g}"
        cases.append(case)
    return cases


# -- running Node ----------------------------------------------------------------------------

@dataclass
class NodeRun:
    """One started ``run_in_pyodide.mjs``; its output goes to files (the compare run
    prints tens of MB), so that both runs can go on at once, one per core."""

    mode: str
    process: subprocess.Popen[bytes]
    stdout_path: Path
    stderr_path: Path

    def finish(self) -> tuple[int, str, str]:
        try:
            code = self.process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"run_in_pyodide.mjs {self.mode} did not finish in {TIMEOUT_S} s")
        return (code, self.stdout_path.read_text(encoding="utf-8"),
                self.stderr_path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Runner:
    node: str
    wheel: Path
    test_wheels: tuple[Path, ...]
    work_dir: Path

    def start(self, mode: str, *args: str) -> NodeRun:
        command = [self.node, str(RUNNER), mode, "--wheel", str(self.wheel), *args]
        stdout_path = self.work_dir / f"{mode}.stdout"
        stderr_path = self.work_dir / f"{mode}.stderr"
        with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
            process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL,
                                       stdout=stdout, stderr=stderr)
        return NodeRun(mode, process, stdout_path, stderr_path)


def _requirements() -> list[tuple[str, str, str]]:
    """(name, version, sha256) of each pin in requirements.txt."""
    text = re.sub(r"\\\n", " ", REQUIREMENTS.read_text(encoding="utf-8"))
    pins = []
    for line in text.splitlines():
        found = re.match(r"\s*([A-Za-z0-9._-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
        if found:
            pins.append((found[1], found[2], found[3]))
    return pins


def _cached_wheel(name: str, version: str, sha256: str) -> Path | None:
    prefix = f"{re.sub(r'[-_.]+', '_', name)}-{version}-".lower()
    for path in sorted(WHEEL_CACHE.glob("*.whl")):
        if (path.name.lower().startswith(prefix)
                and hashlib.sha256(path.read_bytes()).hexdigest() == sha256):
            return path
    return None


def _test_wheels() -> tuple[Path, ...]:
    """The pinned wheels, from the cache that ``make test`` fills before the tests run
    (no test downloads anything)."""
    pins = _requirements()
    assert len(pins) >= 7, "tests/pyodide/requirements.txt lost its pins"
    wheels = [_cached_wheel(*pin) for pin in pins]
    missing = [pin[0] for pin, wheel in zip(pins, wheels, strict=True) if wheel is None]
    assert not missing, (f"no wheel with the pinned hash in {WHEEL_CACHE} for {missing}: "
                         "run 'make test', which downloads them first")
    return tuple(wheel for wheel in wheels if wheel is not None)


ALL_CASES: list[Case] = [case for _, case, _ in CASES] + list(catalog_sweep())


@pytest.fixture(scope="session")
def node_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, NodeRun]]:
    """Both runs, started at once: the engine's tests, and the compare cases."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node is not installed: the Pyodide tests need Node >= 20 on the PATH")
    if not (PYODIDE_PACKAGE / "pyodide.mjs").is_file():
        pytest.fail(f"{PYODIDE_PACKAGE} is missing: run 'npm ci' (as 'make test' does)")
    work_dir = tmp_path_factory.mktemp("pyodide")
    runner = Runner(node, build_wheel(work_dir / "wheel"), _test_wheels(), work_dir)
    cases_file = work_dir / "cases.json"
    cases_file.write_text(json.dumps(ALL_CASES, ensure_ascii=False), encoding="utf-8")
    stdlib = work_dir / "python_stdlib.zip"  # the site's
    stdlib.write_bytes(trim((PYODIDE_PACKAGE / "python_stdlib.zip").read_bytes()))
    test_wheel_args = [arg for wheel in runner.test_wheels for arg in ("--test-wheel", str(wheel))]
    runs = {
        "pytest": runner.start("pytest", *test_wheel_args, "--stdlib", str(stdlib), "--",
                               "-q", "--durations=5"),
        "compare": runner.start("compare", "--input", str(cases_file), "--stdlib", str(stdlib)),
    }
    yield runs
    for run in runs.values():  # only if a test failed before waiting for its run
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()


def _marked(stdout: str, prefix: str) -> Any:
    """The JSON after ``prefix`` on the one line of ``stdout`` that starts with it."""
    lines = [line for line in stdout.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, f"expected one line starting with {prefix!r}:\n{stdout[-3000:]}"
    return json.loads(lines[0][len(prefix):])


@dataclass(frozen=True)
class PytestRun:
    code: int
    output: str
    runtime: dict[str, str]
    summary: dict[str, Any]
    outside_stdlib: list[str] | None


@pytest.fixture(scope="session")
def pytest_run(node_runs: dict[str, NodeRun]) -> PytestRun:
    code, stdout, stderr = node_runs["pytest"].finish()
    output = stdout + stderr
    assert "pyodide-runtime: " in stdout, f"Pyodide did not start:\n{output[-5000:]}"
    return PytestRun(code, output, _marked(stdout, "pyodide-runtime: "),
                     _marked(stdout, SUMMARY_PREFIX) if SUMMARY_PREFIX in stdout else {},
                     _marked(stdout, OUTSIDE_PREFIX) if OUTSIDE_PREFIX in stdout else None)


@dataclass(frozen=True)
class CompareRun:
    runtime: dict[str, str]
    replies: list[dict[str, Any]]
    outside_stdlib: list[str]


@pytest.fixture(scope="session")
def compare_run(node_runs: dict[str, NodeRun]) -> CompareRun:
    code, stdout, stderr = node_runs["compare"].finish()
    assert code == 0, stdout[-3000:] + stderr[-5000:]
    replies = _marked(stdout, "pyodide-results: ")
    assert len(replies) == len(ALL_CASES)
    return CompareRun(_marked(stdout, "pyodide-runtime: "), replies,
                      _marked(stdout, OUTSIDE_PREFIX))


# -- the tests -------------------------------------------------------------------------------

def test_runtime_is_python_314_of_the_npm_package(pytest_run: PytestRun,
                                                  compare_run: CompareRun) -> None:
    package = json.loads((PYODIDE_PACKAGE / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((PYODIDE_PACKAGE / "pyodide-lock.json").read_text(encoding="utf-8"))
    for runtime in (pytest_run.runtime, compare_run.runtime):
        assert runtime["python"].startswith(EXPECTED_PYTHON + "."), runtime
        assert runtime["python"] == lock["info"]["python"]
        assert runtime["implementation"] == "cpython"
        assert runtime["platform"] == "emscripten"  # WebAssembly, not this machine's Python
        assert runtime["pyodide"] == package["version"]
        # the wheel, not the source tree
        assert runtime["ml_emissions"] == (
            f"/lib/python{EXPECTED_PYTHON}/site-packages/ml_emissions/__init__.py")
        assert runtime["ml_emissions_version"] == ml_emissions.__version__


def test_engine_tests_pass_inside_pyodide(pytest_run: PytestRun,
                                          record_property: Callable[[str, object], None]
                                          ) -> None:
    summary, output = pytest_run.summary, pytest_run.output
    assert pytest_run.code == 0, f"pytest failed inside Pyodide:\n{output[-20000:]}"
    assert summary, f"no summary line from in_pyodide_plugin:\n{output[-5000:]}"
    ran = summary["passed"]
    deselected: dict[str, list[str]] = {}
    for node_id, reason in summary["deselected"]:
        deselected.setdefault(reason, []).append(node_id)
    runtime = pytest_run.runtime
    lines = [f"Inside Pyodide {runtime['pyodide']} (Python {runtime['python']}): {ran} of the "
             f"engine's tests passed; {len(summary['deselected'])} deselected:"]
    for reason, node_ids in deselected.items():
        lines += [f"  - {node_id}" for node_id in node_ids] + [f"    because it {reason}"]
    lines.append("and not collected:")
    lines += [f"  - {path}: {reason}" for path, reason in summary["ignored"]]
    record_property(SUMMARY_PROPERTY, "\n".join(lines))  # shown in every run (conftest.py)
    assert ran >= MIN_TESTS_IN_PYODIDE, f"only {ran} tests ran inside Pyodide"
    left_over = {key: summary[key] for key in ("failed", "error", "skipped", "xfailed", "xpassed")
                 if summary[key]}
    assert not left_over, f"inside Pyodide: {left_over}\n{output[-20000:]}"
    assert summary["unused_deselections"] == [], "DESELECTED lists tests that no longer exist"
    assert summary["ml_emissions"].startswith(f"/lib/python{EXPECTED_PYTHON}/site-packages/")


def test_the_engine_needs_no_more_than_the_sites_standard_library(
        pytest_run: PytestRun, compare_run: CompareRun) -> None:
    shipped = trim((PYODIDE_PACKAGE / "python_stdlib.zip").read_bytes())
    for runtime in (pytest_run.runtime, compare_run.runtime):  # Python ran with it
        assert runtime["stdlib_sha256"] == hashlib.sha256(shipped).hexdigest()
    for run, reached in (("pytest", pytest_run.outside_stdlib),
                         ("compare", compare_run.outside_stdlib)):
        assert reached == [], (
            f"in the {run} run, the engine imported {reached}, which the site's standard "
            "library lacks: add their files to sitebuild/stdlib_files.txt")


def _difference(expected: Any, actual: Any) -> str:
    """A short line diff of two replies, by top-level key."""
    lines: list[str] = []
    for key in sorted(set(expected) | set(actual)):
        if expected.get(key) != actual.get(key):
            lines += difflib.unified_diff(
                json.dumps(expected.get(key), indent=1, ensure_ascii=False).splitlines(),
                json.dumps(actual.get(key), indent=1, ensure_ascii=False).splitlines(),
                f"CPython {key}", f"Pyodide {key}", n=1, lineterm="")
    return "\n".join(lines[:80])


def _cpython_reply(case: Case) -> dict[str, Any]:
    if isinstance(case, str):
        return dict(json.loads(web.calculate(case)))
    return dict(json.loads(json.dumps(web.respond(case), ensure_ascii=False)))


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case_id for case_id, _, _ in CASES])
def test_respond_in_pyodide_equals_cpython(index: int, compare_run: CompareRun) -> None:
    _, case, accepted = CASES[index]
    expected = _cpython_reply(case)
    assert expected["ok"] is accepted, expected.get("errors")
    actual = compare_run.replies[index]
    assert actual == expected, _difference(expected, actual)


def test_every_device_region_and_zone_gives_the_same_reply(compare_run: CompareRun) -> None:
    sweep = ALL_CASES[len(CASES):]
    catalog = load_catalog()
    assert len(sweep) == len(catalog.hardware) + len(catalog.regions) + len(catalog.zones)
    mismatches = []
    for index, case in enumerate(sweep, start=len(CASES)):
        expected = _cpython_reply(case)
        assert expected["ok"], (case, expected["errors"])
        if compare_run.replies[index] != expected:
            mismatches.append(f"{case}:\n{_difference(expected, compare_run.replies[index])}")
    assert not mismatches, f"{len(mismatches)} of {len(sweep)} differ; first:\n{mismatches[0]}"


def test_make_downloads_the_wheels_for_pyodides_python() -> None:
    # the Makefile's download (before the tests) names the same Python as this harness
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"--python-version {EXPECTED_PYTHON} " in makefile
    assert "-r tests/pyodide/requirements.txt -d $(PYODIDE_WHEELS)" in makefile
