"""MkDocs hook: replace the markers of every page (``<!-- data:NAME ... -->``,
``<!-- calculator:NAME -->``) with content rendered from the catalog, the data tables and
the engine, by the renderers of :data:`RENDERERS`, and write the files they generate
(charts, CSV downloads) into the built site; what they put in the page's ``<head>``
goes to the page's meta (``head_html``), which overrides/main.html writes there.

An unknown or broken marker fails the build, and so does invalid data, or a catalog or
data package that is out of date with it (:func:`check_data`): the pages never show
other figures than the calculator uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from pipeline import build_catalog, build_datapackage
from pipeline.schema import DATA
from pipeline.validate import validate
from sitebuild.renderers import calculator, charts, cite, extra, files, planning, tables, values
from sitebuild.renderers.markers import Context, MarkerError, Renderer, render_markers

# Every marker of the site: kind -> name -> renderer (see each renderer's docstring).
RENDERERS: dict[str, dict[str, Renderer]] = {
    "data": {
        # single figures, in running text
        "value": values.value,
        "estimate": values.estimate_value,
        "percent": extra.percent,
        "share": extra.share,
        "history-value": extra.history_value,
        "history-change": extra.history_change,
        # tables
        "zones-ranked": tables.zones_ranked,
        "regions-ranked": tables.regions_ranked,
        "pue-table": tables.pue_table,
        "equivalents-table": tables.equivalents_table,
        "constants-table": tables.constants_table,
        "published-estimates": tables.published_estimates,
        "region-history": tables.region_history,
        "columns": tables.columns,
        "data-table": tables.data_table,
        "hardware-table": extra.hardware_table,
        "estimate-table": extra.estimate_table,
        "estimate-detail": extra.estimate_detail,
        "job-regions": extra.job_regions,
        "facility-table": extra.facility_table,
        "input-limits": extra.input_limits,
        "legacy-comparison": extra.legacy_comparison,
        "compute-cases": planning.compute_cases,
        "compute-cases-covered": planning.compute_cases_covered,
        "comparison": planning.comparison,
        "sacct-command": planning.sacct_command,
        # outputs of the tool, as it prints them
        "example-output": extra.example_output,
        "cli-output": extra.cli_output,
        # charts (SVG files)
        "chart-zones": charts.chart_zones,
        "chart-regions": charts.chart_regions,
        "chart-history": charts.chart_history,
        "chart-efficiency": charts.chart_efficiency,
        "chart-pue": charts.chart_pue,
        "chart-cycle": charts.chart_cycle,
        # files and citations
        "file-link": files.file_link,
        "wheel-file": files.wheel_file,
        "bibtex": files.bibtex,
        "cite": cite.cite_box,
    },
    "calculator": {
        "form": calculator.form,
        "result": calculator.result,
        "exports": calculator.exports,
        "project": calculator.project,
    },
}

_assets: dict[str, bytes] = {}  # site path -> content, from every page's renderers


def check_data(data_dir: Path = DATA, catalog: Path = build_catalog.DEFAULT_OUT) -> None:
    """Raise a :class:`PluginError` listing every problem of the data, or naming the
    compiled file that is out of date with it (run ``make data``)."""
    problems = validate(data_dir)
    if problems:
        raise PluginError(f"the data is invalid ({len(problems)} problem(s)):\n"
                          + "\n".join(problems))
    stale = []
    if not catalog.exists() or catalog.read_text("utf-8") != build_catalog.build(data_dir):
        stale.append(str(catalog))
    package = data_dir / build_datapackage.OUT_NAME
    current = build_datapackage.render(build_datapackage.build(data_dir))
    if not package.exists() or package.read_text("utf-8") != current:
        stale.append(str(package))
    if stale:
        raise PluginError(f"out of date with {data_dir}: {', '.join(stale)}; run 'make data'")


def on_pre_build(config: Any, **_: Any) -> None:
    _assets.clear()
    check_data()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    context = Context(page_title=page.title or "", page_url=page.url, files=files)
    try:
        rendered = render_markers(markdown, context, RENDERERS)
    except MarkerError as error:
        raise PluginError(f"{page.file.src_uri}: {error}") from error
    _assets.update(context.assets)
    page.meta["head_html"] = "".join(context.head)  # overrides/main.html puts it in <head>
    return rendered


def on_post_build(config: Any, **_: Any) -> None:
    site = Path(config.site_dir)
    for path, content in sorted(_assets.items()):
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
