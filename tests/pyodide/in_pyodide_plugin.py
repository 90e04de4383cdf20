"""pytest plugin for the run of the engine's own tests inside Pyodide.

``run_in_pyodide.mjs`` loads it with ``-p in_pyodide_plugin`` in the Pyodide run only
(CPython's pytest merely imports this file, for ``--doctest-modules``). It

* leaves out what cannot run in Pyodide: :data:`IGNORED_PATHS` and :data:`DESELECTED`,
  each entry with its reason; nothing else is left out, and nothing is skipped;
* keeps hypothesis's files out of the repository (which is mounted from the host) and
  allows for the slower runtime (profile ``pyodide``);
* prints one line, :data:`SUMMARY_PREFIX` + JSON, with the outcome counts and what was
  left out, which ``test_in_pyodide.py`` checks.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

SUMMARY_PREFIX = "pyodide-pytest-summary: "

# Everything the Pyodide run leaves out, and why. Paths are relative to the repository.
IGNORED_PATHS: dict[str, str] = {
    # Whole rooms of the test suite, not collected: they test build-time tooling or drive
    # other programs, and cannot even be imported in Pyodide or need processes throughout.
    "tests/pipeline": (
        "tests the data pipeline (pipeline/: pandas, frictionless): build-time tooling, no "
        "part of the engine or its pure-Python wheel"),
    "tests/site": (
        "tests the site build (sitebuild/: MkDocs, matplotlib) and runs docs/examples/ in "
        "subprocesses, which Pyodide cannot start: no part of the engine"),
    "tests/pyodide": "this harness itself: it starts Node and Pyodide from CPython",
    "tests/browser": "drives Chromium through Playwright from CPython",
}
DESELECTED: dict[str, str] = {
    # Node-id prefixes of single tests, collected and then deselected:
    "tests/engine/test_cli.py::test_python_m_and_console_script_run": (
        "starts 'python -m ml_emissions' and the ml-emissions script as subprocesses; "
        "Pyodide cannot start processes"),
    "tests/engine/test_paper_exports.py::test_the_latex_export_compiles_with_every_citation_": (
        "runs pdflatex and bibtex in subprocesses; Pyodide cannot start processes (the "
        "LaTeX text itself is tested here too)"),
    "tests/engine/test_paper_exports.py::test_citation_cff_is_valid_and_states_this_release": (
        "runs cffconvert in a subprocess; Pyodide cannot start processes"),
    "tests/engine/test_no_traceback.py::test_the_command_line_gives_no_traceback_as_a_": (
        "starts the ml-emissions script as a subprocess; Pyodide cannot start processes (the "
        "same cases run in-process above)"),
    "tests/engine/test_readme.py::test_console_example_runs[": (
        "runs each README console example through the installed ml-emissions script in a "
        "subprocess; Pyodide cannot start processes (the Python examples do run)"),
}

_state: dict[str, Any] = {"ignored": set(), "deselected": []}


def pytest_configure(config: pytest.Config) -> None:
    # Hypothesis writes its example database and caches under a storage directory,
    # by default ./.hypothesis in the mounted repository: use Pyodide's memory instead.
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = tempfile.mkdtemp(prefix="hypothesis-")
    from hypothesis import HealthCheck, settings

    # The tests' own @settings (max_examples, deadline) still apply; the profile only
    # turns off the database and the speed health check (Pyodide is slower than CPython,
    # which says nothing about the engine).
    settings.register_profile("pyodide", database=None, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("pyodide")


def _relative(path: Path, config: pytest.Config) -> str:
    try:
        return path.relative_to(config.rootpath).as_posix()
    except ValueError:
        return path.as_posix()


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    relative = _relative(collection_path, config)
    if relative in IGNORED_PATHS:
        _state["ignored"].add(relative)
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        prefix = next((p for p in DESELECTED if item.nodeid.startswith(p)), None)
        (kept if prefix is None else left_out).append(item)
        if prefix is not None:
            _state["deselected"].append([item.nodeid, DESELECTED[prefix]])
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_terminal_summary(terminalreporter: Any) -> None:
    stats = terminalreporter.stats
    counts = {key: len(stats.get(key, [])) for key in
              ("passed", "failed", "error", "skipped", "xfailed", "xpassed")}
    engine = sys.modules.get("ml_emissions")
    summary = {
        **counts,
        "deselected": _state["deselected"],
        "unused_deselections": [p for p in DESELECTED
                                if not any(n.startswith(p) for n, _ in _state["deselected"])],
        "ignored": [[path, IGNORED_PATHS[path]] for path in sorted(_state["ignored"])],
        "ml_emissions": getattr(engine, "__file__", None),
    }
    terminalreporter.write_line(SUMMARY_PREFIX + json.dumps(summary))
