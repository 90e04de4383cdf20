"""Importers of the records researchers already have, into a project of jobs: a Slurm
accounting log (``sacct -P``), CodeCarbon's ``emissions.csv``, and a table of jobs whose
columns are named like the command-line flags. Standard library only: they run in the
browser too, on a file that never leaves it.

Each importer returns an :class:`~ml_emissions.records.text.ImportResult`: the jobs it
read, each bad line with its problem (the good lines are kept), and the jobs the file
lists that never ran. :func:`read_records` picks the importer from the file's header.
"""

from __future__ import annotations

from ..catalog import Catalog, load_catalog
from .codecarbon import is_codecarbon, read_codecarbon
from .jobs_csv import is_jobs_table, read_jobs_table
from .slurm import SACCT_COMMAND, is_sacct, read_sacct
from .text import FileKindError, ImportOptions, ImportResult, decode, rows_of

__all__ = ["KINDS", "SACCT_COMMAND", "FileKindError", "ImportOptions", "ImportResult",
           "read_records"]

KINDS = ("auto", "sacct", "codecarbon", "jobs")
"""The kinds of file :func:`read_records` reads (``auto``: from the header)."""


def _kind(text: str) -> str:
    first = next((line for line in text.split("\n") if line.strip()), "")
    if "|" in first and is_sacct([cell.strip() for cell in first.split("|")]):
        return "sacct"
    header = next(rows_of(first), (0, []))[1]
    if is_codecarbon(header):
        return "codecarbon"
    if is_jobs_table(header):
        return "jobs"
    raise FileKindError("a file of an unknown kind (its first line is not a header this "
                        "calculator knows)", "a sacct -P log, CodeCarbon's emissions.csv or a "
                        "table of jobs with columns named like the command-line flags")


def read_records(data: bytes | str, options: ImportOptions | None = None, kind: str = "auto",
                 catalog: Catalog | None = None) -> ImportResult:
    """The jobs of a file of records, of ``kind`` (one of :data:`KINDS`). Raises
    :class:`FileKindError` for a file of another kind, an empty or a binary one."""
    text = decode(data)
    options = options or ImportOptions()
    catalog = catalog or load_catalog()
    chosen = _kind(text) if kind == "auto" else kind
    if chosen == "sacct":
        return read_sacct(text, options, catalog)
    if chosen == "codecarbon":
        return read_codecarbon(text, options, catalog)
    if chosen == "jobs":
        return read_jobs_table(text, options)
    raise FileKindError(f"the kind {kind!r}", "one of " + ", ".join(KINDS))
