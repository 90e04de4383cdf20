"""MkDocs hook: replace ``<!-- data:... -->`` markers in every page with content rendered
from the catalog, the data tables and the engine (:mod:`sitebuild.renderers`), and write the
generated assets (charts, CSV downloads) into the built site. An unknown or broken
marker fails the build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from sitebuild.renderers.markers import Context, MarkerError, render_markers

_assets: dict[str, bytes] = {}


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
