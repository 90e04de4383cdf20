"""MkDocs hook: build the calculator's wheel and ship it in the site, under ``wheels/``.

The Web Worker of the calculator page fetches it and unpacks it into Pyodide's
site-packages. :func:`scripts.build_wheel.build_wheel` builds it (deterministic bytes).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:  # MkDocs loads hooks by path: make `scripts` importable
    sys.path.insert(0, _ROOT)

from scripts.build_wheel import build_wheel  # noqa: E402

SITE_DIR = "wheels"
"""Where the wheel goes in the site."""


def on_files(files: Files, config: MkDocsConfig) -> Files:
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        files.append(File.generated(config, f"{SITE_DIR}/{wheel.name}",
                                    content=wheel.read_bytes()))
    return files
