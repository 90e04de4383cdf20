"""Build the engine's Pyodide memory snapshot: the WebAssembly memory of a Pyodide (the
``pyodide`` package of ``node_modules``, run under Node) that has unpacked the engine's
wheel, imported ``ml_emissions.web`` and answered one request of each kind. Restoring it
skips Python's start-up and the engine's imports (about 5 s of a cold start on a slow
machine). Three things make it small on the wire (31 MB of memory -> 3.4 MB):

* the memory the allocator holds free is zeroed before the snapshot is taken (what freed
  objects left there is of no use);
* the static data that ``pyodide.asm.wasm`` carries itself is stored as its XOR with the
  module's data segments (``docs/javascripts/snapshot-delta.mjs``, which the page's
  worker runs to undo it), mostly zeros;
* it is Brotli-compressed (:mod:`sitebuild.brotli_files`; the worker decodes it), so that
  it costs little whatever the host's compression.

Usage: ``python -m sitebuild.build_snapshot WHEEL PYODIDE_MJS STDLIB_ZIP OUT``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlencode

from ml_emissions import web
from sitebuild import brotli_files

__all__ = ["SNAPSHOT_SUFFIX", "SnapshotError", "make_snapshot"]


class SnapshotError(RuntimeError):
    """Node or Pyodide could not make the snapshot; the message says why."""


SNAPSHOT_SUFFIX = ".pyodide-snapshot" + brotli_files.SUFFIX

SNAPSHOT_DELTA = Path(__file__).resolve().parent.parent / "docs/javascripts/snapshot-delta.mjs"

# Run by Node: argv = pyodide.mjs path, snapshot-delta.mjs path, the standard library zip
# the site ships, wheel path, snapshot path, then the page's example inputs as a JSON
# request and as a permalink query (warm-up requests).
_MAKE_SNAPSHOT = """
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [pyodideMjs, deltaMjs, stdlib, wheelPath, snapshotPath, request, query] =
  process.argv.slice(-7);
const { loadPyodide } = await import(pathToFileURL(pyodideMjs).href);
const { xorStaticData } = await import(pathToFileURL(deltaMjs).href);
const pyodide = await loadPyodide({ _makeSnapshot: true, stdLibURL: stdlib });
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
// Zero the allocator's free memory: take every free block, largest first, without ever
// growing the memory, write zeros, give them back.
const heap = pyodide._module;
const brk = () => heap.HEAPU32[heap._emscripten_get_sbrk_ptr() >> 2];
const taken = [];
for (let size = 1 << 20; size >= 16; size >>= 1) {
  while (brk() + size + 64 <= heap.HEAP8.length) {
    const block = heap._malloc(size);
    if (!block) break;
    heap.HEAP8.fill(0, block, block + size);
    taken.push(block);
  }
}
for (const block of taken) heap._free(block);
const wasm = readFileSync(new URL("pyodide.asm.wasm", pathToFileURL(pyodideMjs)));
writeFileSync(snapshotPath, xorStaticData(pyodide.makeMemorySnapshot(), wasm));
"""


def make_snapshot(wheel: Path, pyodide_mjs: Path, stdlib: Path, target: Path) -> None:
    """Write to ``target`` the Brotli-compressed memory snapshot of a Pyodide with ``wheel``'s
    engine imported, run with the standard library zip ``stdlib`` (the one the site
    ships: the memory holds its directory); raise a :class:`SnapshotError` if Node or
    Pyodide fails."""
    node = shutil.which("node")
    if node is None or not pyodide_mjs.is_file():
        raise SnapshotError("calculator snapshot: needs Node and node_modules/pyodide: run "
                            "'npm ci' (or 'make site') first")
    raw = target.with_suffix(".raw")
    done = subprocess.run([node, "--input-type=module", "-e", _MAKE_SNAPSHOT, "--",
                           str(pyodide_mjs), str(SNAPSHOT_DELTA), str(stdlib), str(wheel),
                           str(raw),
                           json.dumps(web.DEFAULT_PARAMS), "?" + urlencode(web.DEFAULT_PARAMS)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 or not raw.is_file():
        raise SnapshotError(f"calculator snapshot: Node failed:\n{done.stderr[-2000:]}")
    target.write_bytes(brotli_files.compress(raw.read_bytes()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("pyodide_mjs", type=Path)
    parser.add_argument("stdlib", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    make_snapshot(args.wheel, args.pyodide_mjs, args.stdlib, args.out)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
