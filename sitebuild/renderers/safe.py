"""Text from the data, made safe for the Markdown and HTML of a page.

Every renderer puts data into pages through these: a plain ``str`` is data and is
escaped (:func:`md_text`); :class:`Markup` is text a renderer built from escaped parts
(a link, a code span) and is left as it is. A link is rendered only for an http(s)
address without spaces, quotes or angle brackets (:func:`link`), even if a table holding
another one passed the validator.
"""

from __future__ import annotations

import re
from html import escape

__all__ = ["Markup", "code", "link", "md_text"]

from ml_emissions.result_html import is_safe_url

_MARKDOWN = re.compile(r"([\\`*_\[\]|#])")


class Markup(str):
    """Text that is already safe Markdown/HTML (built from escaped parts)."""


def md_text(text: str) -> str:
    """Data text as Markdown that shows exactly that text: HTML escaped, Markdown's
    punctuation backslash-escaped, line breaks as spaces; :class:`Markup` as it is."""
    if isinstance(text, Markup):
        return text
    return _MARKDOWN.sub(r"\\\1", escape(" ".join(text.split()), quote=False))


def link(text: str, url: str) -> Markup:
    """``text`` linked to ``url`` when that is a safe http(s) address, else the text."""
    if not url or not is_safe_url(url):
        return Markup(md_text(text))
    return Markup(f'<a href="{escape(url, quote=True)}">{escape(text)}</a>')


def code(text: str) -> Markup:
    """``text`` as inline code."""
    return Markup(f"<code>{escape(text)}</code>")
