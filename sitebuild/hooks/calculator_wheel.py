"""MkDocs hook: ship the calculator's wheel in the site, under ``wheels/``, with a
Pyodide memory snapshot of the engine already imported, under ``snapshots/``.

The Web Worker of the calculator page fetches the wheel and unpacks it into Pyodide's
site-packages, or restores the snapshot instead of starting Python. Both are built by
their builders, :mod:`sitebuild.build_wheel` and :mod:`sitebuild.build_snapshot`
(deterministic wheel bytes; the snapshot under Node, with the Pyodide the site ships and
its standard library, from the hook ``npm_assets.py``).

Making a snapshot takes about 45 s (10 s to make, 35 s to compress): one made from the
same inputs (the wheel, the runtime, the builder's code) is reused from
``.cache/snapshots/``.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ml_emissions import web
from sitebuild import build_snapshot
from sitebuild.build_cache import cached
from sitebuild.build_snapshot import SNAPSHOT_SUFFIX, SnapshotError, make_snapshot
from sitebuild.build_wheel import build_wheel

SITE_DIR = "wheels"
"""Where the wheel goes in the site."""

SNAPSHOT_DIR = "snapshots"
"""Where the memory snapshot goes in the site."""


CACHE = ".cache/snapshots"
"""Snapshots made before, under the project's root, by the hash of their inputs."""


def _inputs_hash(wheel: bytes, runtime: list[File]) -> str:
    """The hash of everything a snapshot is made from."""
    digest = hashlib.sha256(wheel)
    for file in sorted(runtime, key=lambda f: f.src_uri):
        digest.update(file.src_uri.encode() + b"\0" + file.content_bytes)
    for code in (Path(build_snapshot.__file__), build_snapshot.SNAPSHOT_DELTA):
        digest.update(code.read_bytes())
    digest.update(repr(sorted(web.DEFAULT_PARAMS.items())).encode())  # the warm-up's inputs
    return digest.hexdigest()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    pyodide_mjs = root / "node_modules/pyodide/pyodide.mjs"
    runtime = [f for f in files if f.src_uri.startswith("pyodide/")]
    (stdlib,) = [f for f in runtime if f.src_uri.endswith("/python_stdlib.zip")]
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        made = Path(tmp) / (wheel.name.partition("-py3")[0] + SNAPSHOT_SUFFIX)

        def make() -> bytes:
            (Path(tmp) / "python_stdlib.zip").write_bytes(stdlib.content_bytes)
            try:
                make_snapshot(wheel, pyodide_mjs, Path(tmp) / "python_stdlib.zip", made)
            except SnapshotError as error:
                raise PluginError(str(error)) from error
            return made.read_bytes()

        key = _inputs_hash(wheel.read_bytes(), runtime)
        snapshot = cached(root / CACHE / (key + SNAPSHOT_SUFFIX), make)
        files.append(File.generated(config, f"{SITE_DIR}/{wheel.name}",
                                    content=wheel.read_bytes()))
        files.append(File.generated(config, f"{SNAPSHOT_DIR}/{made.name}", content=snapshot))
    return files
