"""MkDocs hook: ship the calculator's wheel in the site, under ``wheels/``, with a
Pyodide memory snapshot of the engine already imported, under ``snapshots/``.

The Web Worker of the calculator page fetches the wheel and unpacks it into Pyodide's
site-packages, or restores the snapshot instead of starting Python. Both are built by
their builders, :mod:`sitebuild.build_wheel` and :mod:`sitebuild.build_snapshot`
(deterministic wheel bytes; the snapshot under Node, with the Pyodide the site ships).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from sitebuild.build_snapshot import SNAPSHOT_SUFFIX, SnapshotError, make_snapshot
from sitebuild.build_wheel import build_wheel

SITE_DIR = "wheels"
"""Where the wheel goes in the site."""

SNAPSHOT_DIR = "snapshots"
"""Where the memory snapshot goes in the site."""


def on_files(files: Files, config: MkDocsConfig) -> Files:
    pyodide_mjs = Path(config.config_file_path).parent / "node_modules/pyodide/pyodide.mjs"
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        snapshot = Path(tmp) / (wheel.name.partition("-py3")[0] + SNAPSHOT_SUFFIX)
        try:
            make_snapshot(wheel, pyodide_mjs, snapshot)
        except SnapshotError as error:
            raise PluginError(str(error)) from error
        files.append(File.generated(config, f"{SITE_DIR}/{wheel.name}",
                                    content=wheel.read_bytes()))
        files.append(File.generated(config, f"{SNAPSHOT_DIR}/{snapshot.name}",
                                    content=snapshot.read_bytes()))
    return files
