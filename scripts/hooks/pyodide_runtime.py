"""MkDocs hook: ship the Pyodide runtime files from ``node_modules/pyodide`` in the site.

Only what ``loadPyodide()`` fetches at run time is copied, to ``pyodide/`` in the site;
the calculator needs no Pyodide package, so no package wheel is shipped.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
"""The files ``loadPyodide({indexURL})`` fetches from ``indexURL``."""

SITE_DIR = "pyodide"
"""Where the runtime goes in the site (the worker's ``indexURL``)."""


def runtime_files(source: Path) -> list[Path]:
    """The runtime files in ``source`` (``node_modules/pyodide``); raise a
    :class:`PluginError` that says to run ``npm ci`` if any is missing."""
    missing = [name for name in RUNTIME_FILES if not (source / name).is_file()]
    if missing:
        raise PluginError(
            f"the Pyodide runtime is missing from {source} ({', '.join(missing)}): "
            "run 'npm ci' (or 'make site') first"
        )
    return [source / name for name in RUNTIME_FILES]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    source = Path(config.config_file_path).parent / "node_modules" / "pyodide"
    for path in runtime_files(source):
        files.append(File.generated(config, f"{SITE_DIR}/{path.name}", abs_src_path=str(path)))
    return files
