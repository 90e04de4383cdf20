"""MkDocs hook: the site as an installable web app that works offline.

* ``on_files``: the icons (:mod:`sitebuild.icons`, under ``assets/icons/``) and the web
  app manifest ``site.webmanifest``;
* ``on_post_build`` (after the Content-Security-Policy hook, on the final files): the
  service worker ``sw.js`` at the site's root: its code,
  ``docs/javascripts/service-worker.js``, below the build's file list
  (:func:`file_list`): every page and asset it precaches with its content hash, and the
  runtime's addresses (:mod:`sitebuild.runtime_files`), which the calculator's worker
  caches when it first loads them.

The service worker's script must sit at the root to serve the whole site, so its source
is left out of ``javascripts/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from sitebuild.icons import SIZES, icon_png
from sitebuild.runtime_files import HASH_CHARS, RUNTIME_CACHE, content_hash, find_runtime

SERVICE_WORKER = "sw.js"
SERVICE_WORKER_SOURCE = "javascripts/service-worker.js"
MANIFEST = "site.webmanifest"
ICONS = "assets/icons"

NOT_PRECACHED = (
    "pyodide/", "wheels/", "snapshots/",  # the runtime: cached when first loaded
    "data/", "examples/",                 # downloads: the data package, example scripts
    "assets/javascripts/lunr/",           # search languages the site does not use
)
"""Folders whose files the service worker does not precache (pages excepted: every
``index.html`` is)."""
NOT_PRECACHED_FILES = ("CITATION.cff", "sitemap.xml.gz", SERVICE_WORKER)
NOT_PRECACHED_SUFFIXES = (".map",)

_runtime: dict[str, Any] = {}  # the build's runtime (on_files), for on_post_build


def manifest(config: MkDocsConfig) -> dict[str, Any]:
    """The web app manifest: the site's name and description, its colour, the icons; it
    opens at the site's root, as a standalone app."""
    return {
        "name": config.site_name,
        "short_name": "ML CO2",
        "description": " ".join((config.site_description or "").split()),
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": config.extra["theme_color"],
        "icons": [{"src": f"{ICONS}/{name}.png", "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any maskable"}
                  for name, size in SIZES.items() if size >= 192],
    }


def on_files(files: Files, config: MkDocsConfig) -> Files:
    colour = config.extra["theme_color"]
    for name, size in SIZES.items():
        files.append(File.generated(config, f"{ICONS}/{name}.png", content=icon_png(size, colour)))
    files.append(File.generated(config, MANIFEST,
                                content=json.dumps(manifest(config), indent=2) + "\n"))
    source = files.get_file_from_path(SERVICE_WORKER_SOURCE)
    if source is not None:
        files.remove(source)
        _runtime["source"] = Path(source.abs_src_path or "").read_text(encoding="utf-8")
    _runtime["runtime"] = find_runtime(files)
    return files


def _precached(site_path: str) -> bool:
    if site_path.endswith(".html"):
        return True
    return not (site_path.startswith(NOT_PRECACHED) or site_path in NOT_PRECACHED_FILES
                or site_path.endswith(NOT_PRECACHED_SUFFIXES))


def _address(site_path: str) -> str:
    """A page's address (``calculator/index.html`` -> ``calculator/``), or the path."""
    if site_path == "index.html":
        return "./"
    return site_path.removesuffix("index.html")


def file_list(site_dir: Path) -> dict[str, Any]:
    """What the service worker of the site in ``site_dir`` knows of its build: every
    precached address with its content hash, the build's id (the hash of them all), and
    the runtime's addresses."""
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    precache = {}
    for path in files:
        site_path = path.relative_to(site_dir).as_posix()
        if _precached(site_path):
            precache[_address(site_path)] = content_hash(path.read_bytes())
    runtime = _runtime["runtime"]
    build = content_hash(json.dumps([precache, runtime.addresses]).encode())
    return {"id": build, "hashChars": HASH_CHARS, "precache": precache,
            "runtime": list(runtime.addresses), "runtimeCache": RUNTIME_CACHE}


def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    build = json.dumps(file_list(site_dir), indent=None, sort_keys=True)
    script = (f"// The build's files: written by sitebuild/hooks/offline.py.\n"
              f"const BUILD = {build};\n\n{_runtime['source']}")
    (site_dir / SERVICE_WORKER).write_text(script, encoding="utf-8")
