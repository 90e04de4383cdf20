"""MkDocs hook: ship the front-end files the site needs from ``node_modules`` (installed
by ``npm ci`` from ``package-lock.json``), so the site makes no request to another origin.

* the Pyodide runtime -> ``pyodide/HASH/``: only what ``loadPyodide({indexURL})`` fetches
  (the calculator needs no Pyodide package, so no package wheel is shipped), with the
  standard library cut down to what Pyodide and the engine import
  (:mod:`sitebuild.trimmed_stdlib`) and ``pyodide.asm.wasm`` Brotli-compressed
  (:mod:`sitebuild.brotli_files`), beside the decoder the calculator's worker reads it
  with (``brotli-dec-wasm``; its licence in ``assets/``), in a folder named by the
  files' content hash (:mod:`sitebuild.runtime_files`);
* KaTeX -> ``assets/katex/``: the script, the stylesheet and its WOFF2 fonts (every
  browser the site supports reads WOFF2, so the stylesheet's other formats are never
  requested).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from sitebuild import brotli_files
from sitebuild.runtime_files import COMPRESSED_WASM, content_hash
from sitebuild.trimmed_stdlib import trim


@dataclass(frozen=True)
class Vendored:
    """Files of one npm package (globs relative to ``source``) and where they go."""

    source: str  # under node_modules/
    target: str  # under the site root
    patterns: tuple[str, ...]


RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
"""The files ``loadPyodide({indexURL})`` fetches from ``indexURL``."""

SITE_DIR = "pyodide"
"""Where the runtime goes in the site, in a folder named by its content hash (the worker's
``indexURL``)."""

DECODER = Vendored("brotli-dec-wasm", SITE_DIR, ("pkg/brotli_dec_wasm.js",
                                                 "pkg/brotli_dec_wasm_bg.wasm"))
"""The Brotli decoder's module and WebAssembly, shipped with the runtime's files (the
worker imports it from ``indexURL``)."""

VENDORED = (
    Vendored("katex/dist", "assets/katex", ("katex.min.js", "katex.min.css", "fonts/*.woff2")),
    Vendored("brotli-dec-wasm", "assets/brotli-dec-wasm", ("LICENSE-MIT.txt",)),  # DECODER's
)


def package_files(node_modules: Path, package: Vendored) -> list[Path]:
    """The files of ``package`` in ``node_modules``; raise a :class:`PluginError` that
    says to run ``npm ci`` if one is missing."""
    source = node_modules / package.source
    found: list[Path] = []
    missing: list[str] = []
    for pattern in package.patterns:
        matches = sorted(source.glob(pattern))
        found += matches
        if not matches:
            missing.append(pattern)
    if missing:
        raise PluginError(
            f"{', '.join(missing)} missing from {source}: run 'npm ci' (or 'make site') first"
        )
    return found


def runtime_files(source: Path) -> list[Path]:
    """The Pyodide runtime files in ``source`` (``node_modules/pyodide``)."""
    return package_files(source.parent, Vendored(source.name, SITE_DIR, RUNTIME_FILES))


STDLIB = "python_stdlib.zip"


def runtime_content(source: Path, cache_root: Path | None = None) -> dict[str, bytes]:
    """The runtime files the site ships, by name, from ``source`` (``node_modules/pyodide``):
    the package's own, but the standard library, trimmed, and ``pyodide.asm.wasm``,
    compressed as :data:`COMPRESSED_WASM` (reused from ``cache_root``'s cache, see
    :func:`brotli_files.compress`); and the decoder of ``node_modules/brotli-dec-wasm``."""
    content = {path.name: path.read_bytes() for path in runtime_files(source)}
    content[STDLIB] = trim(content[STDLIB])
    wasm = content.pop(COMPRESSED_WASM.removesuffix(brotli_files.SUFFIX))
    content[COMPRESSED_WASM] = brotli_files.compress(wasm, cache_root)
    for path in package_files(source.parent, DECODER):
        content[path.name] = path.read_bytes()
    return content


def runtime_folder(content: dict[str, bytes]) -> str:
    """The runtime's folder in the site: ``pyodide/`` and the hash of every file's name
    and content."""
    whole = b"".join(name.encode() + b"\0" + data for name, data in sorted(content.items()))
    return f"{SITE_DIR}/{content_hash(whole)}"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    node_modules = root / "node_modules"
    runtime = runtime_content(node_modules / "pyodide", root)
    folder = runtime_folder(runtime)
    for name, data in runtime.items():
        files.append(File.generated(config, f"{folder}/{name}", content=data))
    for package in VENDORED:
        source = node_modules / package.source
        for path in package_files(node_modules, package):
            site_path = f"{package.target}/{path.relative_to(source).as_posix()}"
            files.append(File.generated(config, site_path, abs_src_path=str(path)))
    return files
