"""Where the calculator's runtime is in the built site, as the pages address it.

The runtime is what the calculator's Web Worker loads: the Pyodide files (hook
``npm_assets.py``, in a folder named by their content hash), the engine's wheel and its
memory snapshot (hook ``calculator_wheel.py``). Pyodide's WebAssembly module and the
snapshot are shipped Brotli-compressed (:mod:`sitebuild.brotli_files`). Every address
carries the content's hash (the folder's name, or ``?sha256=`` for the wheel and the
snapshot, whose own addresses stay fixed for downloads), so that no cache, the browser's
or the site's service worker's, can give one build's page another build's engine.

The calculator's form (``sitebuild/renderers/calculator.py``) and the service worker's
file list (``sitebuild/hooks/offline.py``) both read the addresses from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sitebuild.brotli_files import SUFFIX

HASH_CHARS = 16
"""Hex digits of SHA-256 kept in a content address (64 bits)."""

COMPRESSED_WASM = "pyodide.asm.wasm" + SUFFIX
"""Pyodide's WebAssembly module as the site ships it, Brotli-compressed: the calculator's
worker decodes it when Pyodide fetches ``pyodide.asm.wasm``."""

RUNTIME_CACHE = "mle-runtime"
"""The Cache Storage cache that holds the runtime once a page has loaded it (written by
the calculator's worker, pruned by the service worker)."""


def content_hash(content: bytes) -> str:
    """The content address of ``content``: the first :data:`HASH_CHARS` hex digits of its
    SHA-256."""
    return hashlib.sha256(content).hexdigest()[:HASH_CHARS]


@dataclass(frozen=True)
class Runtime:
    """Addresses relative to the site's root."""

    pyodide_dir: str  # e.g. "pyodide/0123456789abcdef/" (the worker's indexURL)
    pyodide_files: tuple[str, ...]  # every file of that folder
    wheel: str  # "wheels/NAME.whl?sha256=..."
    snapshot: str | None  # "snapshots/NAME.pyodide-snapshot.brotli?sha256=...", if any
    wasm: str  # "pyodide/0123456789abcdef/pyodide.asm.wasm.brotli" (in that folder)

    @property
    def addresses(self) -> tuple[str, ...]:
        """Every address the calculator's worker may load."""
        return (*self.pyodide_files, self.wheel, *([self.snapshot] if self.snapshot else []))


class RuntimeMissing(RuntimeError):
    """The site's files lack the runtime (a hook did not run)."""


def find_runtime(files: Iterable[Any]) -> Runtime:
    """The runtime among MkDocs' File objects of a build (``files``); raise
    :class:`RuntimeMissing` unless there is one Pyodide, one wheel and at most one
    snapshot."""
    files = list(files)
    runtime = [f for f in files if f.src_uri.rpartition("/")[2] == "pyodide.mjs"]
    wheels = [f for f in files if f.src_uri.endswith("-py3-none-any.whl")]
    snapshots = [f for f in files if f.src_uri.endswith(".pyodide-snapshot" + SUFFIX)]
    folder = runtime[0].url.rpartition("/")[0] + "/" if len(runtime) == 1 else None
    wasm = [f for f in files if f.url == f"{folder}{COMPRESSED_WASM}"]
    if folder is None or len(wasm) != 1 or len(wheels) != 1 or len(snapshots) > 1:
        raise RuntimeMissing("the site must hold the Pyodide runtime and one wheel (hooks "
                             "npm_assets.py and calculator_wheel.py)")
    return Runtime(
        pyodide_dir=folder,
        pyodide_files=tuple(sorted(f.url for f in files if f.url.startswith(folder))),
        wasm=wasm[0].url,
        wheel=f"{wheels[0].url}?sha256={content_hash(wheels[0].content_bytes)}",
        snapshot=(f"{snapshots[0].url}?sha256={content_hash(snapshots[0].content_bytes)}"
                  if snapshots else None))
