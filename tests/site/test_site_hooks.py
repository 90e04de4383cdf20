"""The site build (sitebuild/): markers, the rendered form, the shipped runtime."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

import ml_emissions
from ml_emissions import web
from sitebuild import brotli_files, trimmed_stdlib
from sitebuild.hooks import npm_assets as pyodide_runtime
from sitebuild.runtime_files import RUNTIME_CACHE
from sitebuild.renderers import calculator
from sitebuild.renderers.markers import Context, MarkerError, render_markers
from tests.browser.pages import ROOT

PYODIDE_PACKAGE = ROOT / "node_modules" / "pyodide"
DECODER_PACKAGE = ROOT / "node_modules" / "brotli-dec-wasm"

# A runtime's addresses, for the renderers alone (no site built)
RUNTIME = calculator.RuntimeURLs("pyodide/", "wheels/x.whl", None,
                                 "pyodide/pyodide.asm.wasm.brotli")


class _Elements(HTMLParser):
    """Every start tag of an HTML text, with its attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags
                if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def form() -> _Elements:
    reply = web.respond(web.DEFAULT_PARAMS)
    html = calculator.render_form(RUNTIME, web.form_options(), reply)
    return _Elements(html)


# -- markers -------------------------------------------------------------------------------

TEST_RENDERERS = {"calculator": {"form": lambda context: "<form></form>",
                                  "result": lambda context: "<div>r</div>"}}


def test_markers_are_replaced_by_their_renderers() -> None:
    html = "<p>a</p>\n<!-- calculator:form -->\n<p>b</p><!--calculator:result-->"
    out = render_markers(html, Context(), TEST_RENDERERS)
    assert out == "<p>a</p>\n<form></form>\n<p>b</p><div>r</div>"


@pytest.mark.parametrize("marker", ["<!-- calculator:nope -->", "<!-- calculator: form -->",
                                    "<!-- calculator:Form -->", "<!-- data:form -->"])
def test_an_unknown_marker_fails_naming_the_marker(marker: str) -> None:
    with pytest.raises(MarkerError, match=r"unknown marker '<!-- ?(calculator|data):"):
        render_markers(marker, Context(), TEST_RENDERERS)


def test_a_page_without_markers_is_left_alone() -> None:
    html = "<p>The calculator: see the page.</p>"
    assert render_markers(html, Context(), TEST_RENDERERS) == html


def test_the_form_needs_the_runtime_and_the_wheel() -> None:
    with pytest.raises(MarkerError, match="Pyodide runtime and one wheel"):
        render_markers("<!-- calculator:form -->", Context(files=[]))


def test_an_unknown_marker_fails_the_site_build(tmp_path: Path) -> None:
    # one page and the one hook that reads its markers: no wheel, no snapshot to build
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Page\n\n<!-- calculator:typo -->\n")
    hook = ROOT / "sitebuild" / "hooks" / "shortcodes.py"
    (tmp_path / "mkdocs.yml").write_text(f"site_name: t\nstrict: true\nhooks:\n  - {hook}\n")
    done = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict"],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "index.md: unknown marker '<!-- calculator:typo -->'" in done.stderr


# -- the form ------------------------------------------------------------------------------

def test_every_parameter_has_a_labelled_control_named_like_it(form: _Elements) -> None:
    options = web.form_options()
    for name in options["parameters"]:
        (control,) = [a for t, a in form.tags if t in ("input", "select") and a.get("id") == name]
        assert control["name"] == name
        labels = [a for t, a in form.tags if t == "label" and a.get("for") == name]
        assert len(labels) == 1, name
        assert f"{name}-hint" in (control["aria-describedby"] or "")


def test_labels_are_the_field_labels(form: _Elements) -> None:
    html = calculator.render_form(RUNTIME)
    for name, label in web.FIELD_LABELS.items():
        assert re.search(rf'<label for="{name}">{re.escape(label)}</label>', html), name


def test_the_form_starts_with_the_default_inputs(form: _Elements) -> None:
    enabled = {a["name"]: a.get("value") for t, a in form.tags
               if t == "input" and a.get("type") == "text" and "disabled" not in a}
    assert {k: v for k, v in enabled.items() if v} == {
        k: v for k, v in web.DEFAULT_PARAMS.items() if k != "region"}
    (selected,) = [a for a in form.find("option") if "selected" in a
                   and a["value"] == web.DEFAULT_PARAMS["region"]]
    assert selected
    # the alternatives not chosen are hidden and disabled, so the form does not send them
    for name in ("watts", "device-hours", "measured-watts", "zone", "intensity",
                 "development-hours"):
        (control,) = [a for t, a in form.tags if a.get("id") == name]
        assert "disabled" in control, name


def test_the_lists_hold_the_whole_catalog(form: _Elements) -> None:
    catalog = web.load_catalog()
    hardware = {a["value"] for a in form.find("option") if a.get("label", "") and
                a["value"] in {d.name for d in catalog.hardware}}
    assert hardware == {d.name for d in catalog.hardware}
    zones = {a["value"] for a in form.find("option")} & {z.zone_id for z in catalog.zones}
    assert zones == {z.zone_id for z in catalog.zones}
    regions = {a["value"] for a in form.find("option")} & {r.key for r in catalog.regions}
    assert regions == {r.key for r in catalog.regions}
    providers = {a["data-provider"] for a in form.find("optgroup")}
    assert providers == {p.provider_id for p in catalog.providers}


def test_placeholders_show_what_an_empty_field_means(form: _Elements) -> None:
    reply = web.respond(web.DEFAULT_PARAMS)
    placeholders = {a["id"]: a.get("placeholder") for a in form.find("input") if a.get("id")}
    assert placeholders["pue"] == reply["pue"]["value"]
    for name, value in web.form_options()["placeholders"].items():
        assert placeholders[name] == value


def test_the_form_points_to_the_runtime_and_the_wheel(form: _Elements) -> None:
    (element,) = form.find("form")
    assert element["data-pyodide"] == "pyodide/" and element["data-wheel"] == "wheels/x.whl"
    assert element["data-runtime-cache"] == RUNTIME_CACHE
    assert element["data-parameters"] == " ".join(web.form_options()["parameters"])


def test_the_boot_script_in_the_head_starts_the_same_runtime(site_dir: Path) -> None:
    for page in ("calculator", "project"):
        html = (site_dir / page / "index.html").read_text(encoding="utf-8")
        head, body = html.split("</head>", 1)
        (boot,) = _Elements(head).find("script", src="../javascripts/calculator-boot.js")
        assert boot["type"] == "module" and "async" in boot
        (form,) = [f for f in _Elements(body).find("form") if "data-pyodide" in f]
        for name in ("data-pyodide", "data-wheel", "data-snapshot", "data-wasm",
                     "data-runtime-cache", "data-stall-ms", "data-start-ms"):
            assert boot[name] == form[name], (page, name)
    (home,) = [site_dir / "index.html"]
    assert "calculator-boot.js" not in home.read_text(encoding="utf-8")


def test_exports_embed_the_default_reports() -> None:
    reply = web.respond(web.DEFAULT_PARAMS)
    (box,) = _Elements(calculator.render_exports(reply)).find("div", id="mle-exports")
    assert json.loads(box["data-exports"] or "") == reply["exports"]


def test_there_is_a_button_for_every_export_format() -> None:
    reply = web.respond(web.DEFAULT_PARAMS)
    buttons = _Elements(calculator.render_exports(reply)).find("button")
    assert {b["data-export"] for b in buttons} == set(reply["exports"])
    assert {b["data-export"] for b in buttons if b["data-action"] == "download"} == {
        "json", "csv"}


def test_hostile_export_text_stays_inside_its_attribute() -> None:
    hostile = '"><script>alert(1)</script>\'<!--'
    reply = {"exports": {name: hostile for name in ("text", "json", "csv", "latex", "markdown",
                                                      "model-card")}}
    html = calculator.render_exports(reply)
    assert "<script" not in html
    (box,) = _Elements(html).find("div", id="mle-exports")
    assert json.loads(box["data-exports"] or "")["latex"] == hostile


# -- the Pyodide runtime -------------------------------------------------------------------

def test_runtime_files_are_those_pyodide_loads() -> None:
    files = pyodide_runtime.runtime_files(PYODIDE_PACKAGE)
    assert [f.name for f in files] == list(pyodide_runtime.RUNTIME_FILES)
    exported = json.loads((PYODIDE_PACKAGE / "package.json").read_text())["exports"]
    for name in pyodide_runtime.RUNTIME_FILES:
        assert f"./{name}" in exported, name


def test_the_served_zone_table_has_its_licence_notice_beside_it(site_dir: Path) -> None:
    assert (site_dir / "data" / "grid_zones.csv").exists()
    notice = site_dir / "data" / "LICENSE-grid_zones.md"
    assert notice.read_bytes() == (ROOT / "data" / "LICENSE-grid_zones.md").read_bytes()
    page = (site_dir / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="LICENSE-grid_zones.md"' in page  # data/index.html -> data/LICENSE-...


def test_the_sdist_carries_the_zone_licence_notice(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "build", "--sdist", "--no-isolation",
                           "--outdir", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    (sdist,) = tmp_path.glob("ml_emissions-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {Path(name).relative_to(Path(name).parts[0]).as_posix()
                 for name in archive.getnames() if len(Path(name).parts) > 1}
    assert {"data/LICENSE-grid_zones.md", "calculator/ml_emissions/catalog.json"} <= names


def test_a_missing_runtime_says_to_run_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match=r"run 'npm ci'"):
        pyodide_runtime.runtime_files(tmp_path / "node_modules" / "pyodide")


# The runtime's files in the site, and where each comes from in node_modules
SHIPPED_FROM = {**{name: PYODIDE_PACKAGE / name for name in pyodide_runtime.RUNTIME_FILES
                   if name != "pyodide.asm.wasm"},
                "pyodide.asm.wasm.brotli": PYODIDE_PACKAGE / "pyodide.asm.wasm",
                "brotli_dec_wasm.js": DECODER_PACKAGE / "pkg" / "brotli_dec_wasm.js",
                "brotli_dec_wasm_bg.wasm": DECODER_PACKAGE / "pkg" / "brotli_dec_wasm_bg.wasm"}


def test_the_site_ships_the_runtime_and_the_wheel_only(site_dir: Path) -> None:
    (folder,) = (site_dir / "pyodide").iterdir()  # one folder, named by its content
    shipped = sorted(p.name for p in folder.iterdir())
    assert shipped == sorted(SHIPPED_FROM)
    whole = hashlib.sha256()
    for name in shipped:
        content = (folder / name).read_bytes()
        package = SHIPPED_FROM[name].read_bytes()
        if name.endswith(brotli_files.SUFFIX):  # the package's bytes, a quarter smaller
            assert brotli_files.decompress(content) == package
            assert len(content) < 0.8 * len(gzip.compress(package, 6))  # as hosts send it
        elif name == "python_stdlib.zip":  # the listed files only, the same bytes each
            with zipfile.ZipFile(folder / name) as trimmed, \
                    zipfile.ZipFile(PYODIDE_PACKAGE / name) as full:
                listed = trimmed_stdlib.kept_files()
                assert trimmed.namelist() == listed
                assert all(trimmed.read(f) == full.read(f) for f in listed)
            assert len(content) < len(package) / 2
        else:
            assert content == package
        whole.update(name.encode() + b"\0" + content)
    assert folder.name == whole.hexdigest()[:16]
    licence = site_dir / "assets" / "brotli-dec-wasm" / "LICENSE-MIT.txt"  # the decoder's
    assert licence.read_bytes() == (DECODER_PACKAGE / "LICENSE-MIT.txt").read_bytes()
    (wheel,) = (site_dir / "wheels").iterdir()
    assert wheel.name == f"ml_emissions-{ml_emissions.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        modules = {Path(name).name for name in archive.namelist()
                   if name.startswith("ml_emissions/")}
        notice = archive.read("ml_emissions/LICENSE-grid_zones.md").decode("utf-8")
    # the catalog holds Electricity Maps' zone data: its ODbL notice travels with it
    assert notice == (ROOT / "data" / "LICENSE-grid_zones.md").read_text(encoding="utf-8")
    assert "Open Database License (ODbL) 1.0" in notice
    package = ROOT / "calculator" / "ml_emissions"
    assert {p.name for p in package.glob("*.py")} | {"catalog.json", "py.typed"} <= modules
    page = (site_dir / "calculator" / "index.html").read_text(encoding="utf-8")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
    assert f'data-wheel="wheels/{wheel.name}?sha256={digest}"' in page
    assert "<!-- calculator:" not in page


def test_the_site_ships_a_memory_snapshot_of_the_engine(site_dir: Path) -> None:
    (snapshot,) = (site_dir / "snapshots").iterdir()
    assert snapshot.name == f"ml_emissions-{ml_emissions.__version__}.pyodide-snapshot.brotli"
    memory = brotli_files.decompress(snapshot.read_bytes())  # a whole stream
    # Pyodide's snapshot header: the memory starts at the offset in its second word, and
    # whole 64 KiB WebAssembly pages follow
    start = int.from_bytes(memory[4:8], "little")
    assert 0 < start < 1024 and (len(memory) - start) % 65536 == 0
    page = (site_dir / "calculator" / "index.html").read_text(encoding="utf-8")
    digest = hashlib.sha256(snapshot.read_bytes()).hexdigest()[:16]
    assert f'data-snapshot="snapshots/{snapshot.name}?sha256={digest}"' in page
    (folder,) = (site_dir / "pyodide").iterdir()
    assert f'data-wasm="pyodide/{folder.name}/pyodide.asm.wasm.brotli"' in page


def test_a_site_without_snapshot_leaves_it_out_of_the_form() -> None:
    reply = web.respond(web.DEFAULT_PARAMS)
    html = calculator.render_form(RUNTIME, web.form_options(), reply)
    assert "data-snapshot" not in html
