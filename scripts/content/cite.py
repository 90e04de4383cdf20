"""``<!-- data:cite -->``: the "cite this page" box, a BibTeX ``@misc`` entry with the
page's title, URL, the site's version (tool and data) and the build date."""

from __future__ import annotations

import re
from html import escape

from ml_emissions import __version__
from ml_emissions.citation import TOOL_NAME
from scripts.content.markers import Context, renderer


def page_bibtex(context: Context) -> str:
    """The BibTeX entry citing the current page."""
    slug = re.sub(r"[^a-z0-9]+", "_", context.page_url.strip("/").lower()) or "home"
    url = context.site_url.rstrip("/") + "/" + context.page_url.lstrip("/")
    day = context.build_date.isoformat()
    return (
        f"@misc{{mlemissions_{slug},\n"
        f"  title = {{{context.page_title} -- {TOOL_NAME}}},\n"
        "  author = {{ML Emissions Calculator contributors}},\n"
        f"  howpublished = {{\\url{{{url}}}}},\n"
        f"  note = {{Site version {__version__}, data {context.catalog.version}; "
        f"accessed {day}}},\n"
        f"  year = {{{context.build_date.year}}}\n"
        "}"
    )


@renderer("cite")
def cite_box(context: Context) -> str:
    """The box itself (HTML styled as a Material admonition)."""
    return ('\n\n<div class="admonition quote mle-cite"><p class="admonition-title">'
            "Cite this page</p>\n<pre><code>" + escape(page_bibtex(context))
            + "</code></pre>\n</div>\n\n")
