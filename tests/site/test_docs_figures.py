"""The pages of docs/ take every catalog figure from the data, through markers.

* No catalog figure is typed in the prose: PUE values, constants, equivalence factors,
  life-cycle intensities of country-level grid zones (and of the world average), the
  intensity the engine uses for
  each cloud region, and device powers followed by " W", each as the engine formats it
  (``ml_emissions.formatting.number``) and as written in the CSV. Markers, HTML
  comments, fenced code, snippet inclusions (the included files are code) and link
  targets are removed first.
* Every page ends with the "cite this page" marker (except the lead's index and
  calculator pages).
* Every marker of every page renders.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

import ml_emissions
from ml_emissions import Catalog, load_catalog
from ml_emissions import formatting as fmt
from ml_emissions.job import params_from_query
from ml_emissions.location import region_location
from sitebuild.renderers import extra
from sitebuild.renderers.markers import MARKER, Context, MarkerError, render_markers
from sitebuild.renderers.tables import published_estimates
from tests.conftest import ROOT, data_rows, provider_figure

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
LEAD_PAGES: set[str] = set()  # every page ends with its cite box

# Figures quoted from publications, with their citation on the page, that happen to equal
# a catalog figure. Key: (page relative to docs/, figure as written); value: why it is
# allowed. Keep this list short: prefer a marker whenever the figure is the catalog's.
ALLOWED: dict[tuple[str, str], str] = {
    # Electricity Maps' default life-cycle factors (from IPCC 2014) for hydro and gas,
    # quoted with their citation; equal by chance to a grid-zone intensity at three
    # significant figures.
    ("factors/location.md", "24"): "IPCC 2014 hydro factor, via Electricity Maps' wiki",
    ("factors/location.md", "490"): "IPCC 2014 gas factor, via Electricity Maps' wiki",
    # Strubell et al. 2019 (case study of the cost of development): average job length of
    # 52 hours; equal by chance to the intensity of a cloud region's grid zone.
    ("factors/duration.md", "52"): "Strubell et al. 2019, average job length in hours",
}

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
SNIPPET_LINE = re.compile(r"^\s*-+8<-+\s*\S")  # --8<-- "file"
SNIPPET_BLOCK = re.compile(r"^\s*-+8<-+\s*$")  # a block of included file names
COMMENT = re.compile(r"<!--.*?-->", re.S)
LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
URL = re.compile(r"<?https?://[^\s>)]+>?")


def page_name(path: Path) -> str:
    return path.relative_to(DOCS).as_posix()


def prose(markdown: str) -> str:
    """The text a reader sees as prose: without markers and other HTML comments, fenced
    code blocks, snippet inclusions, link targets and URLs."""
    kept: list[str] = []
    fence: str | None = None
    in_snippet_block = False
    for line in markdown.splitlines():
        if fence is not None:
            if re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                fence = None
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)
            continue
        if SNIPPET_BLOCK.match(line):
            in_snippet_block = not in_snippet_block
            continue
        if in_snippet_block or SNIPPET_LINE.match(line):
            continue
        kept.append(line)
    text = COMMENT.sub(" ", "\n".join(kept))  # markers are HTML comments
    assert MARKER.search(text) is None
    text = LINK_TARGET.sub("]", text)
    return URL.sub(" ", text)


def _forms(raw: str, suffix: str = "") -> set[str]:
    """A CSV value as written, as the engine formats it (three significant figures) and
    as prose would type that without trailing zeros, with an optional unit."""
    raw = raw.strip()
    shown = fmt.number(float(raw))
    bare = shown.rstrip("0").rstrip(".") if "." in shown else shown
    return {raw + suffix, shown + suffix, bare + suffix}


def _trivial(raw: str) -> bool:
    # Whole numbers below 10 ("1", "1.0", "3") are everywhere in prose (step numbers,
    # counts, "PUE of 1" as a definition), and so are round hundreds ("100 years",
    # "per 100"); they are not tested.
    value = float(raw)
    rounded = float(fmt.number(value).replace(",", ""))
    return (value.is_integer() and abs(value) < 10) or rounded in (100.0, 1000.0)


def catalog_figures() -> dict[str, str]:
    """Every figure the prose must not type, mapped to where it comes from."""
    figures: dict[str, str] = {}

    def add(raw: str, origin: str, suffix: str = "") -> None:
        if raw.strip() and not _trivial(raw):
            for form in _forms(raw, suffix):
                figures.setdefault(form, origin)

    for row in data_rows("pue.csv"):
        add(row["pue"], f"pue.csv {row['pue_id']}")
        overhead = 100 * (float(row["pue"]) - 1)
        if overhead >= 10:  # single-digit percentages are as common as single digits
            figures.setdefault(fmt.percent(overhead), f"pue.csv {row['pue_id']} overhead")
    for row in data_rows("constants.csv"):
        add(row["value"], f"constants.csv {row['constant_id']}")
        if row["constant_id"].startswith("range_"):
            figures.setdefault(fmt.percent(100 * float(row["value"])),
                               f"constants.csv {row['constant_id']} as a percentage")
    for row in data_rows("equivalents.csv"):
        add(row["amount_per_unit"], f"equivalents.csv {row['equivalent_id']}")
    zones = {row["zone_id"]: row for row in data_rows("grid_zones.csv")}
    for row in zones.values():
        if row["zone_id"] == row["country_code"] or not row["country_code"]:  # or GLOBAL
            add(row["intensity_lifecycle_g_per_kwh"], f"grid_zones.csv {row['zone_id']}")
    catalog = load_catalog()
    for row in data_rows("cloud_regions.csv"):
        key = f"{row['provider']}:{row['region_id']}"
        own = provider_figure(row["provider"], row["region_id"])
        if own:
            add(own["intensity_g_per_kwh"], f"intensity_history.csv {key} (provider's)")
        for basis in ("life-cycle", "direct"):
            used = region_location(catalog, catalog.find_region(key), basis).intensity_g_per_kwh
            add(repr(used), f"cloud_regions.csv {key} ({basis}, as the engine uses it)")
    for row in data_rows("hardware.csv"):
        add(row["tdp_w"], f"hardware.csv {row['hardware_id']}", " W")
    return figures


FIGURES = catalog_figures()


def _pattern(figure: str) -> re.Pattern[str]:
    # not part of a longer number on either side ("1.15" must not match "11.15" or
    # "1.156"; "24" must not match "2,400", "24.5" or "24/7"), nor glued to a word
    return re.compile(rf"(?<![\w.,])(?<!\d/){re.escape(figure)}(?![\w]|[.,/]\d)")


PATTERNS = {figure: _pattern(figure) for figure in FIGURES}


def test_prose_strips_code_markers_and_links() -> None:
    text = prose('Keep 1.15 here.\n<!-- data:value pue=aws -->\n```sh\nx 1.28\n```\n'
                 '    --8<-- "docs/examples/cli.sh"\n[a](https://e.org/400)\n')
    assert "1.15" in text and "1.28" not in text and "400" not in text
    assert "data:" not in text and "cli.sh" not in text
    assert _pattern("1.15").search("PUE 1.15.") and not _pattern("1.15").search("11.15")
    assert not _pattern("24").search("2,400") and not _pattern("24").search("24.5")
    assert not _pattern("24").search("24/7") and _pattern("24").search("24 for hydro")
    assert _pattern("400 W").search("at 400 W,") and not _pattern("400 W").search("400 Wh")


def test_the_figure_list_covers_the_catalog() -> None:
    catalog = load_catalog()
    aws = catalog.pue_for("aws")
    assert aws is not None and fmt.number(aws.pue) in FIGURES
    assert fmt.number(catalog.find_hardware("A100 80GB SXM").tdp_w) + " W" in FIGURES
    assert fmt.number(catalog.find_zone("FR").intensity_lifecycle_g_per_kwh) in FIGURES


@pytest.mark.parametrize("path", PAGES, ids=page_name)
def test_no_catalog_figure_is_typed(path: Path) -> None:
    name = page_name(path)
    text = prose(path.read_text(encoding="utf-8"))
    found = []
    for figure, origin in FIGURES.items():
        if (name, figure) in ALLOWED:
            continue
        for match in PATTERNS[figure].finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{figure!r} ({origin}) in prose line {line}: "
                         f"{text.splitlines()[line - 1].strip()[:100]!r}")
    assert not found, (f"{name}: use a <!-- data:... --> marker instead of typing these "
                       "figures (or allowlist a quoted publication figure):\n"
                       + "\n".join(found))


def test_allowlist_entries_are_still_needed() -> None:
    for (name, figure), reason in ALLOWED.items():
        assert reason
        text = prose((DOCS / name).read_text(encoding="utf-8"))
        assert figure in FIGURES, f"{figure!r} is no longer a catalog figure: drop it"
        assert PATTERNS[figure].search(text), f"{figure!r} no longer on {name}: drop it"


@pytest.mark.parametrize("path", [p for p in PAGES if page_name(p) not in LEAD_PAGES],
                         ids=page_name)
def test_page_ends_with_the_cite_box(path: Path) -> None:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert lines and re.fullmatch(r"<!--\s*data:cite\s*-->", lines[-1]), (
        f"{page_name(path)} must end with <!-- data:cite -->")


def _site_file(src_uri: str, content: bytes = b"") -> SimpleNamespace:
    """What the calculator's renderers read of a MkDocs File: its path, URL and bytes."""
    return SimpleNamespace(src_uri=src_uri, url=src_uri, content_bytes=content)


# The files the site's hooks ship for the calculator page (npm_assets, calculator_wheel).
RUNTIME_FILES = [_site_file("pyodide/0123456789abcdef/pyodide.mjs"),
                 _site_file("pyodide/0123456789abcdef/pyodide.asm.wasm.brotli"),
                 _site_file("wheels/ml_emissions-0-py3-none-any.whl", b"wheel")]


def _context(path: Path) -> Context:
    name = page_name(path).removesuffix(".md")
    url = "" if name == "index" else (name.removesuffix("/index") + "/")
    return Context(page_title=path.stem, page_url=url, files=RUNTIME_FILES)


@pytest.mark.parametrize("path", PAGES, ids=page_name)
def test_every_marker_renders(path: Path) -> None:
    markdown = path.read_text(encoding="utf-8")
    rendered = render_markers(markdown, _context(path))  # raises on an unknown marker
    assert MARKER.search(rendered) is None


def test_legacy_comparison_needs_its_file(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    monkeypatch.setattr(extra, "DATA", tmp_path)
    with pytest.raises(MarkerError, match=r"legacy_mlco2_regions\.csv"):
        render_markers("<!-- data:legacy-comparison -->", Context(page_url="data/"))


def test_unknown_marker_fails() -> None:
    with pytest.raises(MarkerError, match="unknown marker"):
        render_markers("<!-- data:no-such-marker -->", Context(page_url="x/"))


def test_zone_counts_and_rankings_leave_out_the_world_average() -> None:
    grids = [row for row in data_rows("grid_zones.csv") if row["zone_id"] != "GLOBAL"]
    context = Context(page_url="data/")

    def render(marker: str) -> str:
        return render_markers(f"<!-- data:{marker} -->", context).strip()

    assert render("value count=zones") == f"{len(grids):,}"
    assert render("value count=countries") == f"{len({r['country_code'] for r in grids}):,}"
    lowest = min(float(r["intensity_lifecycle_g_per_kwh"]) for r in grids)
    assert render("value zones=min") == f"{fmt.number(lowest)} gCO2e/kWh"
    for order in ("cleanest", "dirtiest"):
        ranked = render(f"zones-ranked order={order} n=1000")
        assert "GLOBAL" not in ranked
        assert ranked.count("\n") + 1 == len(grids) + 2  # header and rule lines
    (world,) = [row for row in data_rows("grid_zones.csv") if row["zone_id"] == "GLOBAL"]
    assert render("value zone=GLOBAL") == (  # selectable by id, like any zone
        f"{fmt.number(float(world['intensity_lifecycle_g_per_kwh']))} gCO2e/kWh")


def test_each_published_estimate_links_to_the_calculator_with_its_inputs() -> None:
    table = published_estimates(Context(page_url="validation/"))
    links = re.findall(r"\[Open [^\]]+\]\(calculator\.md(\?[^)]+)\)", table)
    rows = data_rows("published_estimates.csv")
    assert len(links) == len(rows)

    def numbers(params: dict[str, str]) -> dict[str, str | float]:
        return {key: value if key == "hardware" else float(value)
                for key, value in params.items()}

    for row, query in zip(rows, links, strict=True):
        columns = {"hardware": "hardware", "watts": "watts", "count": "count",
                   "hours": "hours", "device-hours": "device_hours", "pue": "pue"}
        expected = {key: row[column] for key, column in columns.items() if row[column]}
        expected["intensity"] = row["intensity_g_per_kwh"]
        assert numbers(params_from_query(query)) == numbers(expected), row["estimate_id"]


def test_the_cite_box_cites_the_deployed_address_or_leaves_it_to_the_reader(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sitebuild.renderers import cite
    from sitebuild.renderers.markers import Context

    context = Context(page_title="Location", page_url="factors/location/")
    monkeypatch.setenv("SITE_URL", "https://example.org/emissions/")
    deployed = cite.cite_box(context)
    assert 'data-url="deployed"' in deployed
    assert '<span class="mle-cite-url">https://example.org/emissions/factors/location/' \
           "</span>" in deployed
    monkeypatch.delenv("SITE_URL")
    reader = cite.cite_box(context)
    assert 'data-url="reader"' in reader  # cite.js writes the reader's address in
    assert '<span class="mle-cite-url">/factors/location/</span>' in reader
    for box in (deployed, reader):  # no build date passes for an access date
        assert "<span class=\"mle-cite-accessed\"></span>" in box and "; accessed" not in box
        assert "127.0.0.1" not in box


def test_file_links_copy_the_project_file_into_the_site() -> None:
    from sitebuild.renderers import files
    from sitebuild.renderers.markers import Context, MarkerError

    context = Context(page_title="Data", page_url="data/")
    link = files.file_link(context, file="data/LICENSE-grid_zones.md")
    # the page data/ links to the file beside it, data/LICENSE-grid_zones.md
    assert link == '<a href="LICENSE-grid_zones.md"><code>data/LICENSE-grid_zones.md' \
                   "</code></a>"
    assert context.assets["data/LICENSE-grid_zones.md"] == (
        ROOT / "data" / "LICENSE-grid_zones.md").read_bytes()
    assert "examples/cli.sh" in files.file_link(context, file="docs/examples/cli.sh")
    for outside in ("../shared/STYLE.md", "Makefile", "docs/examples/../../Makefile"):
        with pytest.raises(MarkerError):
            files.file_link(context, file=outside)
    assert files.wheel_file(context, show="name") == (
        f"ml_emissions-{ml_emissions.__version__}-py3-none-any.whl")


def test_the_input_limits_are_the_engines_own() -> None:
    from ml_emissions import InputError
    from ml_emissions.errors import each_error
    from ml_emissions.resolve import job_from_params

    table = render_markers("<!-- data:input-limits -->", Context(page_url="methodology/"))

    def allowed(**fields: object) -> str:
        params = {k: repr(v) for k, v in {"watts": 100.0, "intensity": 100.0,
                                            **fields}.items()}
        with pytest.raises(InputError) as raised:
            job_from_params(params, load_catalog())
        return each_error(raised.value)[0].allowed

    constants = {row["constant_id"]: float(row["value"]) for row in data_rows("constants.csv")}
    too_high_pue = allowed(hours=1.0, pue=constants["max_pue"] + 1)
    assert f"| <code>pue</code> | {too_high_pue} | <code>max_pue</code>, data/constants.csv |" \
        in table
    assert f"at most {constants['max_pue']:g}" in too_high_pue
    too_high = allowed(hours=1.0, intensity=constants["max_intensity_g_per_kwh"] + 1)
    assert f"| <code>intensity</code> | {too_high} |" in table
    assert allowed(hours=1e-9) in table  # the shortest run the engine accepts
    assert allowed(hours=1.0, count=0) in table
    for name in ("count", "runs", "hours", "device-hours", "total-device-hours",
                 "development-hours", "watts", "measured-watts", "cpu-watts", "memory-gb",
                 "utilization"):
        assert f"| <code>{name}</code> |" in table


def test_the_facility_table_gives_each_facilitys_pue_and_its_type() -> None:
    table = render_markers("<!-- data:facility-table -->", Context(page_url="factors/pue/"))
    pue = {row["pue_id"]: row for row in data_rows("pue.csv")}
    workstation = fmt.number(float(pue["workstation"]["pue"]))
    assert f"| <code>workstation</code> | {workstation} | convention |" in table
    unknown = fmt.number(float(pue["unknown"]["pue"]))
    assert f"| <code>data-centre</code> | {unknown} | survey average |" in table
    (hpc,) = [line for line in table.splitlines() if line.startswith("| <code>hpc</code>")]
    assert f"| {unknown} |" in hpc and "no survey publishes" in hpc  # pue.csv has no hpc row
    assert "hpc" not in pue
    providers = {row["provider"] for row in data_rows("cloud_regions.csv")}
    assert table.count("| <code>cloud</code>: ") == len(providers)
    (azure,) = [line for line in table.splitlines() if "Microsoft Azure" in line]
    assert f"| {fmt.number(float(pue['azure']['pue']))} | fleet-wide operating PUE |" in azure


def test_the_hardware_table_shows_whole_computer_wall_power() -> None:
    table = render_markers("<!-- data:hardware-table basis=system_wall -->",
                           Context(page_url="factors/hardware/"))
    wall = [row for row in data_rows("hardware.csv") if row["power_basis"] == "system_wall"]
    assert wall and table.count("whole computer at the wall") == len(wall)


def test_the_data_year_on_the_pages_is_the_year_of_the_data() -> None:
    from sitebuild.renderers.values import data_year

    # the grid zones' source year, as grid_zones.csv states it (world average aside)
    (zones_year,) = {row["source_year"] for row in data_rows("grid_zones.csv")
                     if row["zone_id"] != "GLOBAL"}
    context = Context(page_url="x/")
    assert render_markers("<!-- data:value year=zones -->", context) == zones_year
    # Google's latest year on the operational basis, as intensity_history.csv states it
    provider_year = max(int(row["year"]) for row in data_rows("intensity_history.csv")
                        if row["intensity_basis"] == "operational")
    assert render_markers("<!-- data:value year=provider -->", context) == str(provider_year)
    # a catalog whose zones hold two years has no one year to print
    catalog = load_catalog()
    zones = tuple(replace(z, source=replace(z.source, year=int(zones_year) - 1))
                  if z.zone_id == "FR" else z for z in catalog.zones)
    mixed = Catalog(version=catalog.version, hardware=catalog.hardware, zones=zones,
                    providers=catalog.providers, regions=catalog.regions, pue=catalog.pue,
                    equivalents=catalog.equivalents, constants=catalog.constants)
    with pytest.raises(MarkerError, match="holds 2 years"):
        data_year(Context(catalog=mixed), "zones")
