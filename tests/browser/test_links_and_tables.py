"""The built site: every internal link and asset resolves (a link checker over the HTML,
raw-HTML links included), every page is in the search index, and the Data page's tables
filter and sort."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from playwright.sync_api import BrowserContext, expect

from tests.browser.pages import Guard, open_page


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical"):
                self.urls.append(values[name] or "")


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site_dir: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file an internal URL of ``page`` points to, and its fragment; None if external."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "mailto", "data", "blob") or parts.netloc:
        return None
    base = "/" + page.relative_to(site_dir).as_posix()
    resolved = urlsplit(urljoin(base, url))
    target = site_dir / unquote(resolved.path).lstrip("/")
    if resolved.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, resolved.fragment


def test_every_internal_link_and_asset_resolves(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    parsed = {page: _parse(page) for page in pages}
    broken = []
    checked = 0
    for page, links in parsed.items():
        for url in links.urls:
            found = _target(site_dir, page, url)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site_dir)}: {url} (no {target.name})")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if fragment not in ids:
                    broken.append(f"{page.relative_to(site_dir)}: {url} (no #{fragment})")
    assert checked > 500  # the checker did look at the links
    assert not broken, "\n".join(broken)


def test_links_to_other_origins_are_only_citations(site_dir: Path) -> None:
    """Pages may link out (sources), but never load anything from another origin."""
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for element in re.findall(r"<(?:script|img|iframe|link|source)\b[^>]*>", html):
            url = re.search(r"(?:src|href)=\"(https?://[^\"]+)\"", element)
            if url is None:
                continue  # a local resource
            # only the canonical address of the page itself, which loads nothing
            assert element.startswith("<link") and 'rel="canonical"' in element, (
                f"{page}: {element} loads {url.group(1)}")


def test_every_page_is_in_the_search_index(site_dir: Path) -> None:
    index = json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    pages = {page.relative_to(site_dir).parent.as_posix() + "/"
             for page in site_dir.rglob("index.html")
             if page.relative_to(site_dir).parts[0] not in ("assets", "search")}
    pages = {"" if p == "./" else p for p in pages}
    assert pages <= locations, sorted(pages - locations)


def test_data_tables_filter_and_sort(shared_context: BrowserContext, guard: Guard,
                                     site_url: str) -> None:
    page = open_page(shared_context, guard, site_url + "data/")
    box = page.locator('.mle-data-table[data-table="table-grid-zones"]')
    rows = box.locator("tbody tr")
    total = rows.count()
    assert total > 300
    box.locator("input.mle-filter").fill("quebec")
    expect(box.locator("tbody tr:not([hidden])")).to_have_count(1)
    expect(box.locator(".mle-row-count")).to_have_text(f"1 of {total} rows shown")
    box.locator("input.mle-filter").fill("")
    header = box.locator("th", has_text="intensity_lifecycle_g_per_kwh")
    header.locator("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    names = [th.inner_text() for th in box.locator("thead th").all()]
    column = next(i for i, name in enumerate(names)
                  if name.startswith("intensity_lifecycle_g_per_kwh"))
    values = [float(v) for v in box.locator(f"tbody tr td:nth-child({column + 1})")
              .all_inner_texts()]
    assert values == sorted(values)
    header.locator("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    page.close()
