"""The built site's web app files and policy, read from disk: the service worker's file
list (sitebuild/hooks/offline.py) against the files themselves, the manifest and its
icons, and the Content-Security-Policy of every page (sitebuild/hooks/content_security.py)
against the inline scripts the pages hold. Hashes and sizes are computed here, with
hashlib, html.parser and the PNG header, not with the hooks' code."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from tests.browser.test_offline import build_files


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:16]


def test_the_service_worker_lists_every_page_and_asset_by_its_hash(site_dir: Path) -> None:
    build = build_files(site_dir)
    for address, digest in build["precache"].items():
        path = site_dir / (address + "index.html" if address.endswith("/") else address)
        if address == "./":
            path = site_dir / "index.html"
        assert _sha(path.read_bytes()) == digest, address
    pages = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")}
    listed = {"index.html" if a == "./" else a + "index.html" if a.endswith("/") else a
              for a in build["precache"]}
    assert pages <= listed
    for asset in ("assets/javascripts/workers/", "javascripts/calculator-worker.js",
                  "search/search_index.json", "site.webmanifest", "assets/katex/fonts/"):
        assert any(a.startswith(asset) for a in listed), asset
    # the runtime is never precached: the calculator's worker caches it when it loads it
    assert not [a for a in listed if a.startswith(("pyodide/", "wheels/", "snapshots/"))]


def test_the_runtime_addresses_carry_their_contents_hash(site_dir: Path) -> None:
    build = build_files(site_dir)
    (folder,) = (site_dir / "pyodide").iterdir()
    expected = {f"pyodide/{folder.name}/{p.name}" for p in folder.iterdir()}
    for kind in ("wheels", "snapshots"):
        (file,) = (site_dir / kind).iterdir()
        expected.add(f"{kind}/{file.name}?sha256={_sha(file.read_bytes())}")
    assert set(build["runtime"]) == expected
    page = (site_dir / "calculator" / "index.html").read_text(encoding="utf-8")
    for attribute in ("data-wheel", "data-snapshot"):
        value = re.search(rf'{attribute}="([^"]+)"', page)
        assert value and value.group(1).replace("&amp;", "&") in expected
    assert f'data-pyodide="pyodide/{folder.name}/"' in page
    assert f'data-runtime-cache="{build["runtimeCache"]}"' in page


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_manifest_makes_the_site_installable(site_dir: Path) -> None:
    manifest = json.loads((site_dir / "site.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "ML Emissions Calculator"
    assert manifest["display"] == "standalone" and manifest["start_url"] == "./"
    sizes = set()
    for icon in manifest["icons"]:
        width, height = _png_size(site_dir / icon["src"])
        assert icon["sizes"] == f"{width}x{height}" and width == height
        sizes.add(width)
    assert {192, 512} <= sizes
    css = (Path(__file__).parents[2] / "docs/stylesheets/site.css").read_text()
    primary = re.search(r"--md-primary-fg-color: (#[0-9a-f]{6});", css)
    assert primary and manifest["theme_color"] == primary.group(1)  # the site's colour
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="site.webmanifest">' in page
    assert f'<meta name="theme-color" content="{primary.group(1)}">' in page


class _Head(HTMLParser):
    """The CSP meta tag's content, whether a script or stylesheet comes before it, and
    the bodies of the inline scripts the browser runs."""

    def __init__(self) -> None:
        super().__init__()
        self.policy: str | None = None
        self.late = False  # a script or stylesheet before the policy
        self.scripts: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, Any] = dict(attrs)
        if tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            self.policy = found["content"]
        if tag in ("script", "link", "style") and self.policy is None:
            self.late = True
        if tag == "script" and "src" not in found and found.get("type") in (None, "module"):
            self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def test_every_page_has_the_policy_and_it_allows_only_the_sites_scripts(
        site_dir: Path) -> None:
    policies = set()
    for path in site_dir.rglob("*.html"):
        head = _Head()
        head.feed(path.read_text(encoding="utf-8"))
        assert head.policy is not None, path
        assert not head.late, path  # it governs every script and stylesheet
        policies.add(head.policy)
        directives = dict(d.strip().split(" ", 1) for d in head.policy.split(";"))
        allowed = set(directives["script-src"].split())
        for body in head.scripts:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, (path, body[:60])
    assert len(policies) == 1  # one policy, whichever page a visit starts on
    directives = dict(d.strip().split(" ", 1) for d in policies.pop().split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"  # no inline style
    assert directives["object-src"] == "'none'"
    assert {s for s in directives["script-src"].split() if not s.startswith("'sha256-")} == {
        "'self'", "'wasm-unsafe-eval'"}
