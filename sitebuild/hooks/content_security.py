"""MkDocs hook: a Content-Security-Policy on every page, as a ``<meta>`` tag (static hosts
such as GitHub Pages let a site set no response header).

The policy (:data:`POLICY`) lets a page load scripts, styles, fonts, images, data and
workers from the site's own origin only, compile WebAssembly (Pyodide, in the
calculator's worker) and nothing else: no inline script but Material's own few, each
allowed by its SHA-256 hash (the hashes of every page, so that instant navigation to any
page finds its scripts allowed), no inline style, no plug-in, no form posted elsewhere.
``data:`` images are allowed for the icons Material's stylesheet draws with
``url("data:image/svg+xml,...")``.

It runs after the build (``on_post_build``), when every page's final HTML is on disk, and
writes the tag as the first element of each page's ``<head>`` after its charset.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],  # + the inline scripts' hashes
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
"""Directive -> sources. (``frame-ancestors`` and reporting cannot be set by a meta tag.)"""

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
_CHARSET = re.compile(r'<meta charset="utf-8">', re.I)
META_NAME = 'http-equiv="Content-Security-Policy"'


def _runs(attrs: str) -> bool:
    """True for an inline script the browser executes (no src, a JavaScript type)."""
    if re.search(r"\bsrc\s*=", attrs):
        return False
    kind = re.search(r'\btype\s*=\s*"([^"]*)"', attrs)
    return kind is None or kind.group(1) in ("text/javascript", "module", "")


def inline_script_hashes(html: str) -> set[str]:
    """CSP sources (``'sha256-...'``) of the inline scripts ``html`` executes."""
    return {"'sha256-" + base64.b64encode(hashlib.sha256(m["body"].encode()).digest()).decode()
            + "'" for m in _INLINE_SCRIPT.finditer(html) if _runs(m["attrs"])}


def policy_text(hashes: set[str]) -> str:
    """The policy as the meta tag's content, with ``hashes`` allowed as scripts."""
    directives = {**POLICY, "script-src": POLICY["script-src"] + sorted(hashes)}
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def on_post_build(config: MkDocsConfig) -> None:
    pages = sorted(Path(config.site_dir).rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    hashes = set().union(*(inline_script_hashes(text) for text in texts.values()))
    meta = f'<meta {META_NAME} content="{policy_text(hashes)}">'
    for page, text in texts.items():
        if META_NAME in text:
            continue  # written by an earlier pass of this hook (mkdocs serve)
        tagged, count = _CHARSET.subn(lambda m: m.group(0) + meta, text, count=1)
        if count != 1:
            raise PluginError(f"content security: no <meta charset> in {page}")
        page.write_text(tagged, encoding="utf-8")
