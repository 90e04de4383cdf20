"""MkDocs hook: build the calculator's wheel and ship it in the site, under ``wheels/``,
with a Pyodide memory snapshot of the engine already imported, under ``snapshots/``.

The Web Worker of the calculator page fetches the wheel and unpacks it into Pyodide's
site-packages. :func:`sitebuild.build_wheel.build_wheel` builds it (deterministic bytes).

The snapshot (made here under Node, with the ``pyodide`` package of ``node_modules``
the site ships) is the WebAssembly memory of a Pyodide that has unpacked this wheel,
imported ``ml_emissions.web`` and answered one request of each kind: restoring it skips
Python's start-up and the engine's imports (about 5 s of a cold start on a slow
machine). It is gzipped (about 31 MB -> 7 MB, the worker inflates it with
``DecompressionStream``) so that it costs little whatever the host's compression.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ml_emissions import web
from sitebuild.build_wheel import build_wheel

SITE_DIR = "wheels"
"""Where the wheel goes in the site."""

SNAPSHOT_DIR = "snapshots"
"""Where the memory snapshot goes in the site."""

SNAPSHOT_SUFFIX = ".pyodide-snapshot.gz"

# Run by Node: argv = pyodide.mjs path, wheel path, snapshot path, then the page's
# example inputs as a JSON request and as a permalink query (warm-up requests).
_MAKE_SNAPSHOT = """
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [pyodideMjs, wheelPath, snapshotPath, request, query] = process.argv.slice(-5);
const { loadPyodide } = await import(pathToFileURL(pyodideMjs).href);
const pyodide = await loadPyodide({ _makeSnapshot: true });
const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel",
                      { extractDir: sitePackages });
pyodide.pyimport("importlib").invalidate_caches();
const web = pyodide.pyimport("ml_emissions.web");
for (const reply of [web.calculate(request), web.calculate_query(query)]) {
  if (!JSON.parse(reply).ok) throw new Error(`warm-up request failed: ${reply}`);
}
web.destroy();
pyodide.runPython("import gc; gc.collect()");
writeFileSync(snapshotPath, pyodide.makeMemorySnapshot());
"""


def make_snapshot(wheel: Path, pyodide_mjs: Path, target: Path) -> None:
    """Write to ``target`` the gzipped memory snapshot of a Pyodide with ``wheel``'s
    engine imported; raise a :class:`PluginError` if Node or Pyodide fails."""
    node = shutil.which("node")
    if node is None or not pyodide_mjs.is_file():
        raise PluginError("calculator snapshot: needs Node and node_modules/pyodide: run "
                          "'npm ci' (or 'make site') first")
    raw = target.with_suffix(".raw")
    done = subprocess.run([node, "--input-type=module", "-e", _MAKE_SNAPSHOT, "--",
                           str(pyodide_mjs), str(wheel), str(raw),
                           json.dumps(web.DEFAULT_PARAMS), "?" + urlencode(web.DEFAULT_PARAMS)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not raw.is_file():
        raise PluginError(f"calculator snapshot: Node failed:\n{done.stderr[-2000:]}")
    target.write_bytes(gzip.compress(raw.read_bytes(), compresslevel=9, mtime=0))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    pyodide_mjs = Path(config.config_file_path).parent / "node_modules/pyodide/pyodide.mjs"
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        snapshot = Path(tmp) / (wheel.name.partition("-py3")[0] + SNAPSHOT_SUFFIX)
        make_snapshot(wheel, pyodide_mjs, snapshot)
        files.append(File.generated(config, f"{SITE_DIR}/{wheel.name}",
                                    content=wheel.read_bytes()))
        files.append(File.generated(config, f"{SNAPSHOT_DIR}/{snapshot.name}",
                                    content=snapshot.read_bytes()))
    return files
