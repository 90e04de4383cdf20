"""The calculator runtime's two big files, Brotli-compressed by the build: Pyodide's
``pyodide.asm.wasm`` and the engine's memory snapshot.

Static hosts compress with gzip at best (GitHub Pages sends no ``br``), and a browser's
``DecompressionStream`` reads no Brotli. So the site ships these two files compressed at
Brotli's highest quality, with a name ending in :data:`SUFFIX` (which no host takes for
a content encoding), and the calculator's worker decodes them as they arrive
(``docs/javascripts/calculator-worker.js``, with the decoder of the npm package
``brotli-dec-wasm``, shipped beside Pyodide by the hook ``npm_assets.py``).

Measured on Pyodide 314.0.7 (bytes): ``pyodide.asm.wasm`` 3,558,222 as a host gzips it
(level 6) -> 2,766,607; the snapshot 4,923,782 gzipped (level 9) -> 3,360,356: about
2.35 MB less for a first visit, for a 99 KB decoder (gzipped). Compressing takes about
35 s a file on this project's machines, so a result is kept in :data:`CACHE` by the hash
of its input.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import brotli

from sitebuild.build_cache import cached

SUFFIX = ".brotli"
"""Ends the name of a compressed file: ``pyodide.asm.wasm.brotli``."""

QUALITY = 11
"""Brotli's highest quality (0-11)."""

WINDOW_BITS = 24
"""A 16 MiB window, the largest a standard decoder reads."""

CACHE = ".cache/brotli"
"""Files compressed before, under the project's root, by the hash of their input."""


def compress(data: bytes, root: Path | None = None) -> bytes:
    """``data`` Brotli-compressed at :data:`QUALITY` and :data:`WINDOW_BITS`; reused from
    (and kept in) ``root / CACHE`` when a project root is given."""
    if root is None:
        return bytes(brotli.compress(data, quality=QUALITY, lgwin=WINDOW_BITS))
    key = hashlib.sha256(data + f"\0{QUALITY}\0{WINDOW_BITS}".encode()).hexdigest()
    return cached(root / CACHE / (key + SUFFIX), lambda: compress(data))


def decompress(data: bytes) -> bytes:
    """The bytes a file of this module's was compressed from."""
    return bytes(brotli.decompress(data))
