"""Markers in Markdown pages, replaced at build time by content rendered from the data.

Syntax: ``<!-- KIND:NAME key=value key="value with spaces" -->``, inline or on a line of
its own, ``KIND`` being ``data`` (figures, tables, charts) or ``calculator`` (the
calculator page's form, result and exports). Which function renders which marker is one
explicit table, :data:`sitebuild.hooks.shortcodes.RENDERERS`; an unknown marker or a bad
argument raises :class:`MarkerError`, which fails the site build.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ml_emissions import Catalog, load_catalog

__all__ = ["MARKER", "Context", "MarkerError", "Renderer", "parse_arguments", "render_markers"]

MARKER = re.compile(r"<!--\s*(data|calculator):([A-Za-z0-9-]*)(.*?)-->", re.S)

Renderer = Callable[..., str]


class MarkerError(ValueError):
    """A marker that cannot be rendered (unknown name, missing or bad argument)."""


@dataclass
class Context:
    """What renderers may use: the catalog, the page being rendered, the site's files
    (MkDocs' :class:`~mkdocs.structure.files.Files`, when a build renders the page), the
    files the renderers generate for the site (charts, downloads) and the elements they
    put in the page's ``<head>`` (a script that must start early)."""

    catalog: Catalog = field(default_factory=load_catalog)
    page_title: str = ""
    page_url: str = ""  # e.g. "factors/location/" (site-relative, as MkDocs gives it)
    files: Any = None  # mkdocs.structure.files.Files of the build, if any
    assets: dict[str, bytes] = field(default_factory=dict)  # site path -> content
    head: list[str] = field(default_factory=list)  # HTML for the page's <head> (main.html)

    def link(self, site_path: str) -> str:
        """The URL of ``site_path`` (relative to the site root) from the current page, as
        MkDocs resolves one file's URL relative to another's."""
        from mkdocs.utils import get_relative_url

        return get_relative_url(site_path or ".", self.page_url or "/")

    def asset(self, site_path: str, content: bytes) -> str:
        """Put ``content`` on the site at ``site_path`` (the build writes it) and return
        its URL from the current page."""
        self.assets[site_path] = content
        return self.link(site_path)


def parse_arguments(text: str) -> dict[str, str]:
    """``'a=1 b="two words"'`` -> ``{"a": "1", "b": "two words"}``."""
    arguments: dict[str, str] = {}
    for token in shlex.split(text):
        key, sep, value = token.partition("=")
        if not sep or not key:
            raise MarkerError(f"argument {token!r} is not key=value")
        arguments[key] = value
    return arguments


def render_markers(markdown: str, context: Context,
                   renderers: Mapping[str, Mapping[str, Renderer]] | None = None) -> str:
    """Replace every marker of ``markdown`` by what its renderer of ``renderers`` (kind ->
    name -> function; default: the site's table) gives; raise :class:`MarkerError`
    naming the marker."""
    if renderers is None:
        from sitebuild.hooks.shortcodes import RENDERERS  # the site's table
    table = RENDERERS if renderers is None else renderers

    def replace(match: re.Match[str]) -> str:
        kind, name, raw = match.group(1), match.group(2), match.group(3)
        function = table.get(kind, {}).get(name)
        if function is None:
            known = ", ".join(f"<!-- {k}:{n} -->" for k in table for n in table[k])
            raise MarkerError(f"unknown marker {match.group(0)!r}; known markers: {known}")
        try:
            arguments: dict[str, Any] = parse_arguments(raw)
            return function(context, **arguments)
        except (TypeError, KeyError, ValueError) as error:  # MarkerError is a ValueError
            raise MarkerError(f"marker {kind}:{name}{raw.rstrip()}: {error}") from error

    return MARKER.sub(replace, markdown)
