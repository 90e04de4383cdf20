"""Markers in Markdown pages, replaced at build time by content rendered from the data.

Syntax: ``<!-- data:NAME key=value key="value with spaces" -->``, inline or on a line of
its own. ``NAME`` is a renderer registered with :func:`renderer`; an unknown name or a
bad argument raises :class:`MarkerError`, which fails the site build.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ml_emissions import Catalog, load_catalog

MARKER = re.compile(r"<!--\s*data:([a-z0-9-]+)(.*?)-->", re.S)

Renderer = Callable[..., str]
RENDERERS: dict[str, Renderer] = {}


class MarkerError(ValueError):
    """A marker that cannot be rendered (unknown name, missing or bad argument)."""


@dataclass
class Context:
    """What renderers may use: the catalog, the page being rendered, generated assets."""

    catalog: Catalog = field(default_factory=load_catalog)
    page_title: str = ""
    page_url: str = ""  # e.g. "factors/location/" (site-relative, as MkDocs gives it)
    site_url: str = "http://127.0.0.1:8000/"
    build_date: date = field(default_factory=date.today)
    assets: dict[str, bytes] = field(default_factory=dict)  # site path -> content

    def link(self, site_path: str) -> str:
        """A URL to ``site_path`` (relative to the site root) from the current page."""
        depth = self.page_url.strip("/").count("/") + 1 if self.page_url.strip("/") else 0
        return "../" * depth + site_path


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    """Register a renderer for ``<!-- data:name ... -->``."""

    def register(function: Renderer) -> Renderer:
        if name in RENDERERS:
            raise ValueError(f"renderer {name!r} registered twice")
        RENDERERS[name] = function
        return function

    return register


def parse_arguments(text: str) -> dict[str, str]:
    """``'a=1 b="two words"'`` -> ``{"a": "1", "b": "two words"}``."""
    arguments: dict[str, str] = {}
    for token in shlex.split(text):
        key, sep, value = token.partition("=")
        if not sep or not key:
            raise MarkerError(f"argument {token!r} is not key=value")
        arguments[key] = value
    return arguments


def render_markers(markdown: str, context: Context) -> str:
    """Replace every marker of ``markdown``; raise :class:`MarkerError` naming the marker."""
    from sitebuild.renderers import (  # noqa: F401  (renderers)
        charts,
        cite,
        extra,
        files,
        tables,
        values,
    )

    def replace(match: re.Match[str]) -> str:
        name, raw = match.group(1), match.group(2)
        function = RENDERERS.get(name)
        if function is None:
            known = ", ".join(sorted(RENDERERS))
            raise MarkerError(f"unknown marker data:{name} on page {context.page_url!r}; "
                              f"known: {known}")
        try:
            arguments: dict[str, Any] = parse_arguments(raw)
            return function(context, **arguments)
        except MarkerError:
            raise
        except (TypeError, KeyError, ValueError) as error:
            raise MarkerError(f"marker data:{name}{raw.rstrip()} on page "
                              f"{context.page_url!r}: {error}") from error

    return MARKER.sub(replace, markdown)
