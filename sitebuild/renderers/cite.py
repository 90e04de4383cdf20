"""``<!-- data:cite -->``: the "cite this page" box, a BibTeX ``@misc`` entry with the
page's title, address and the site's version (tool and data), and the tool's own entry.

The address is the deployed one when the build is given one (``SITE_URL``, as the deploy
sets it); otherwise ``javascripts/cite.js`` writes in the address the reader sees. The
date the reader accessed the page is written in by the same script, from the reader's
clock: the build date is not an access date, so without JavaScript the entry has none.
"""

from __future__ import annotations

import os
import re
from html import escape

from ml_emissions import __version__
from ml_emissions._version import __release_date__
from ml_emissions.citation import TOOL_NAME, tool_bibtex
from sitebuild.renderers.markers import Context

URL_SLOT = '<span class="mle-cite-url">{}</span>'
ACCESSED_SLOT = '<span class="mle-cite-accessed"></span>'


def deploy_url() -> str | None:
    """The site's address as the deploy configures it (``SITE_URL``), if it does."""
    return os.environ.get("SITE_URL") or None


def page_bibtex(context: Context, site: str | None) -> str:
    """The BibTeX entry citing the current page, as HTML (escaped) with the slots that
    ``cite.js`` fills: the address (when ``site`` is None) and the access date."""
    slug = re.sub(r"[^a-z0-9]+", "_", context.page_url.strip("/").lower()) or "home"
    path = "/" + context.page_url.lstrip("/")
    url = site.rstrip("/") + path if site else path
    return (
        escape(f"@misc{{mlemissions_{slug},\n"
               f"  title = {{{context.page_title} -- {TOOL_NAME}}},\n"
               "  author = {{ML Emissions Calculator contributors}},\n"
               "  howpublished = {\\url{")
        + URL_SLOT.format(escape(url)) + "}},\n"
        + escape(f"  note = {{Site version {__version__}, data {context.catalog.version}")
        + ACCESSED_SLOT + "},\n"
        + escape(f"  year = {{{__release_date__[:4]}}}\n}}")
    )


def cite_box(context: Context) -> str:
    """The box itself (HTML styled as a Material admonition): the page's entry, then the
    tool's, the same as ``ml-emissions cite`` prints."""
    site = deploy_url()
    mode = "deployed" if site else "reader"
    return (f'\n\n<div class="admonition quote mle-cite" data-url="{mode}">'
            '<p class="admonition-title">Cite this page</p>\n'
            f"<pre><code>{page_bibtex(context, site)}</code></pre>\n"
            "<p>The calculator itself:</p>\n"
            f"<pre><code>{escape(tool_bibtex())}</code></pre>\n</div>\n\n")
