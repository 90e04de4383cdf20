"""Matplotlib's SVG rewritten to be inlined in a page under a strict Content-Security-Policy
(``style-src 'self'``: no ``style`` attribute, no ``<style>`` element) and coloured by the
site's stylesheet, so that a chart follows the colour scheme the reader picks.

Matplotlib writes every paint and font as a ``style="..."`` attribute. :func:`inline_svg`
turns each declaration into a presentation attribute (``stroke-width="0.8"``,
``font-size="13"``), which no CSP governs, except colours: a chart is drawn with *token*
colours (``#0000NN``, one per role: text, axis, series...), and each token becomes a class
(``mle-f-ROLE`` for the fill, ``mle-s-ROLE`` for the stroke) that
``docs/stylesheets/charts.css`` paints with the site's colour variables. Any other colour,
CSS property or element it does not know raises :class:`ValueError`: the build fails
rather than shipping a chart that is black on the dark scheme.

It also drops what a page does not need (metadata, matplotlib's ``<style>``, ids nobody
references, the font family: the text takes the page's font), prefixes the ids it keeps
(several charts share a page), rounds coordinates to 1/100 px and gives the ``<svg>``
its accessible name. The output is
one line (a blank line would end Markdown's raw HTML block) and depends only on its
input: the same SVG gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from html import escape

__all__ = ["inline_svg"]

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# CSS properties matplotlib writes that are kept as presentation attributes, as they are.
_AS_ATTRIBUTES = frozenset({
    "text-anchor", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
    "stroke-dashoffset", "stroke-miterlimit", "fill-opacity", "stroke-opacity", "opacity",
    "font-style", "font-weight", "dominant-baseline",
})
_DROPPED_ELEMENTS = frozenset({"metadata", "style", "title", "desc"})
_KNOWN_ELEMENTS = frozenset({"svg", "g", "defs", "path", "use", "text", "tspan", "clipPath",
                             "rect", "circle", "ellipse", "line", "polyline", "polygon"})
_URL = re.compile(r"url\(#([^)]+)\)")
_FONT_SIZE = re.compile(r"^([0-9.]+)px$")
_NO_ROTATION = re.compile(r"^rotate\(-?0(?:\.0+)? [-0-9. ]+\)$")
_DECIMAL = re.compile(r"-?\d+\.\d{3,}")
_GEOMETRY = frozenset({"d", "x", "y", "transform", "width", "height"})


def _rounded(value: str) -> str:
    """Coordinates to 1/100 of a px (matplotlib writes 6 decimals): a third lighter."""
    def shorter(match: re.Match[str]) -> str:
        text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return _DECIMAL.sub(shorter, value)


def _local(tag: str) -> str:
    return tag.removeprefix(SVG_NS)


def _referenced_ids(root: ET.Element) -> set[str]:
    found: set[str] = set()
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in (XLINK_HREF, "href") and value.startswith("#"):
                found.add(value[1:])
            found.update(_URL.findall(value))
    return found


class _Rewriter:
    def __init__(self, prefix: str, colours: Mapping[str, str], referenced: set[str]) -> None:
        self.prefix = prefix
        self.colours = {hex_.lower(): role for hex_, role in colours.items()}
        self.referenced = referenced
        self.roles_used: set[str] = set()

    def _id(self, value: str) -> str:
        return f"{self.prefix}-{value}"

    def _paint(self, kind: str, value: str, attributes: dict[str, str],
               classes: list[str]) -> None:
        value = value.strip().lower()
        if value == "none":
            attributes[kind] = "none"
            return
        role = self.colours.get(value)
        if role is None:
            raise ValueError(f"{kind} {value!r} is not a chart colour; draw with the tokens "
                             f"of {sorted(self.colours)}")
        self.roles_used.add(role)
        classes.append(f"mle-{kind[0]}-{role}")

    def _style(self, tag: str, style: str, attributes: dict[str, str],
               classes: list[str]) -> None:
        for declaration in style.split(";"):
            if not declaration.strip():
                continue
            name, sep, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if not sep:
                raise ValueError(f"cannot read the style {style!r} of <{tag}>")
            if name in ("fill", "stroke"):
                self._paint(name, value, attributes, classes)
            elif name == "font-size":
                size = _FONT_SIZE.match(value)
                if size is None:
                    raise ValueError(f"font-size {value!r} of <{tag}> is not in px")
                attributes["font-size"] = size.group(1)
            elif name == "font-family":
                continue  # the page's font: matplotlib measured with a wider one
            elif name in _AS_ATTRIBUTES:
                attributes[name] = value
            else:
                raise ValueError(f"unexpected CSS property {name!r} on <{tag}>")

    def element(self, element: ET.Element, out: list[str]) -> None:
        tag = _local(element.tag)
        if tag in _DROPPED_ELEMENTS:
            return
        if tag not in _KNOWN_ELEMENTS:
            raise ValueError(f"unexpected SVG element <{tag}>")
        attributes: dict[str, str] = {}
        classes: list[str] = []
        for name, value in element.attrib.items():
            if name == "style":
                self._style(tag, value, attributes, classes)
            elif name == "id":
                if value in self.referenced:
                    attributes["id"] = self._id(value)
            elif name in (XLINK_HREF, "href"):
                # xlink:href, not href: Material's instant navigation rewrites the
                # [href] of every element of a page it loads (el.href = el.href), which
                # throws on an SVG <use> (its href is read-only); [href] does not match
                # the namespaced xlink:href, which every browser still resolves.
                attributes["xlink:href"] = "#" + self._id(value[1:])
            elif name == XML_SPACE or (name == "transform" and _NO_ROTATION.match(value)):
                continue  # the default, and matplotlib's rotation by 0 degrees
            elif name in _GEOMETRY:
                attributes[name] = _rounded(" ".join(value.split()))
            elif name in ("fill", "stroke"):
                self._paint(name, value, attributes, classes)
            elif name.startswith("{"):
                raise ValueError(f"unexpected attribute {name!r} on <{tag}>")
            else:
                attributes[name] = _URL.sub(lambda m: f"url(#{self._id(m.group(1))})", value)
        if tag == "text" and not any(c.startswith("mle-f-") for c in classes):
            raise ValueError(f"text {''.join(element.itertext())!r} has no chart colour")
        if classes:
            attributes = {"class": " ".join(classes), **attributes}
        inner: list[str] = []
        if element.text and element.text.strip():
            inner.append(escape(element.text.strip() if tag == "text" else element.text))
        for child in element:
            self.element(child, inner)
            if child.tail and child.tail.strip():
                inner.append(escape(child.tail))
        if tag in ("g", "defs") and not inner:
            return  # nothing left to draw
        if tag == "g" and not attributes:
            out.extend(inner)  # a group that only named its content
            return
        rendered = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
        if inner:
            out.append(f"<{tag}{rendered}>{''.join(inner)}</{tag}>")
        else:
            out.append(f"<{tag}{rendered}/>")


def inline_svg(svg: bytes, *, prefix: str, label: str, colours: Mapping[str, str],
               css_class: str = "mle-plot") -> str:
    """Matplotlib's ``svg`` as one line of HTML: an ``<svg>`` of class ``css_class`` and
    accessible name ``label``, its ids prefixed with ``prefix``, each colour of
    ``colours`` (token hex -> role) a class ``mle-f-ROLE`` / ``mle-s-ROLE``, and no
    ``style``. Raises :class:`ValueError` on a colour, property or element it does not
    know."""
    root = ET.fromstring(svg)
    if _local(root.tag) != "svg":
        raise ValueError("not an SVG document")
    x, y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    if (x, y) != (0, 0):
        raise ValueError(f"unexpected viewBox {root.attrib['viewBox']!r}")
    rewriter = _Rewriter(prefix, colours, _referenced_ids(root))
    inner: list[str] = []
    for child in root:
        rewriter.element(child, inner)

    def size(value: float) -> str:
        return f"{value:g}"

    return (f'<svg class="{escape(css_class)}" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {size(width)} {size(height)}" width="{size(width)}" '
            f'height="{size(height)}" role="img" aria-label="{escape(label)}" '
            'data-search-exclude stroke-linejoin="round" stroke-linecap="butt">'
            + "".join(inner) + "</svg>")
