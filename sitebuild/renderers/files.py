"""Markers that put the project's own files on the site and link them, so that pages
never point at a repository: ``<!-- data:file-link file=... -->``,
``<!-- data:wheel-file -->`` and ``<!-- data:bibtex of=paper|tool -->``.
"""

from __future__ import annotations

from html import escape

from ml_emissions import __version__
from ml_emissions.citation import PAPER_BIBTEX, tool_bibtex
from sitebuild.renderers.extra import code_block
from sitebuild.renderers.markers import Context, MarkerError
from sitebuild.renderers.values import DATA

ROOT = DATA.parent

# Files a page may link, by where they are in the project -> where the site serves them.
SHARED_FILES = {
    "CITATION.cff": "CITATION.cff",
    "data/README.md": "data/README.md",
    "data/CHANGELOG.md": "data/CHANGELOG.md",
    "data/LICENSE-grid_zones.md": "data/LICENSE-grid_zones.md",
    "data/datapackage.json": "data/datapackage.json",
}
SHARED_FOLDERS = {"docs/examples/": "examples/", "data/": "data/"}


def _site_path(file: str) -> str:
    if file in SHARED_FILES:
        return SHARED_FILES[file]
    for folder, served in SHARED_FOLDERS.items():
        name = file.removeprefix(folder)
        if file.startswith(folder) and "/" not in name and name:
            return served + name
    allowed = ", ".join([*SHARED_FILES, *(f"{f}*" for f in SHARED_FOLDERS)])
    raise MarkerError(f"file={file!r} cannot be linked; expected one of {allowed}")


def file_link(context: Context, file: str, text: str = "") -> str:
    """A link to a file of the project, which the build copies into the site."""
    path = (ROOT / file).resolve()
    if ROOT.resolve() not in path.parents or not path.is_file():
        raise MarkerError(f"file={file!r} is not a file of the project")
    served = _site_path(file)
    url = context.asset(served, path.read_bytes())
    return f'<a href="{escape(url)}"><code>{escape(text or file)}</code></a>'


def wheel_name() -> str:
    """The file name of the engine's wheel, as ``sitebuild/hooks/calculator_wheel.py`` ships
    it in ``wheels/``."""
    return f"ml_emissions-{__version__}-py3-none-any.whl"


def wheel_file(context: Context, show: str = "link") -> str:
    """The engine's wheel on this site: ``show=link`` (a download link) or ``show=name``
    (its file name, e.g. for an install command)."""
    if show == "name":
        return wheel_name()
    if show != "link":
        raise MarkerError(f"show={show!r}: expected link or name")
    href = escape(context.link(f"wheels/{wheel_name()}"))
    return f'<a href="{href}" download><code>{escape(wheel_name())}</code></a>'


def bibtex(context: Context, of: str) -> str:
    """The BibTeX entry of the paper (``of=paper``) or of the tool (``of=tool``), as a code
    block: the entries the reports and ``ml-emissions cite`` give."""
    entries = {"paper": PAPER_BIBTEX, "tool": tool_bibtex()}
    if of not in entries:
        raise MarkerError(f"of={of!r}: expected paper or tool")
    return code_block(entries[of], "bibtex")
