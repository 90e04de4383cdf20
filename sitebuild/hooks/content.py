"""MkDocs hook: replace ``<!-- data:... -->`` markers in every page with content rendered
from the catalog, the data tables and the engine (:mod:`sitebuild.renderers`), and write the
generated assets (charts, CSV downloads) into the built site. An unknown or broken
marker fails the build, and so does invalid data, or a catalog or data package that is
out of date with it (:func:`check_data`): the pages never show other figures than the
calculator uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from pipeline import build_catalog, build_datapackage
from pipeline.schema import DATA
from pipeline.validate import validate
from sitebuild.renderers.markers import Context, MarkerError, render_markers

_assets: dict[str, bytes] = {}


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
    check_data()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    context = Context(page_title=page.title or "", page_url=page.url,
                      site_url=config.site_url or "http://127.0.0.1:8000/")
    try:
        rendered = render_markers(markdown, context)
    except MarkerError as error:
        raise PluginError(str(error)) from error
    _assets.update(context.assets)
    return rendered


def on_post_build(config: Any, **_: Any) -> None:
    site = Path(config.site_dir)
    for path, content in sorted(_assets.items()):
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
