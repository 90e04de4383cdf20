"""What every importer shares: reading a file's bytes as text whatever its encoding, byte
order mark and line ends; the options a user gives for a whole file; and the result."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ..errors import InputError
from ..job import check_number, parse_number
from ..project import ProjectJob, RowProblem

__all__ = ["MAX_FILE_BYTES", "FileKindError", "ImportOptions", "ImportResult", "decode",
           "device_map", "power_per_cpu", "rows_of"]

MAX_WATTS_PER_CPU = 1000.0

PROGRESS_LINES = 10_000
"""How often a reading tells its progress, in lines."""

MAX_FILE_BYTES = 200_000_000
"""The largest file read (a 100,000-line ``sacct`` log is about 15 MB)."""


class FileKindError(InputError):
    """A file that is not of the kind expected (or of any kind known), in one message."""

    def __init__(self, what: str, allowed: str) -> None:
        super().__init__("file", what, allowed)

    def describe(self, label: str, name: object = None) -> str:
        return f"{label}: {self.value}; expected {self.allowed}"


@dataclass(frozen=True)
class ImportOptions:
    """What the user says of a whole file.

    ``defaults`` are job inputs for every job that its file does not give (a location
    such as ``{"zone": "FR"}``, a facility, a PUE, a basis), named like the CLI flags;
    ``gpu_map`` maps a scheduler's GPU type (``a100``) and ``partition_map`` a partition
    to a catalog device name, for files that name no model or an ambiguous one;
    ``cpu_watts_per_cpu`` is the power of one allocated CPU [W] (host CPU power is then
    that times the job's CPUs); ``final`` holds the ids of the final training jobs.
    ``progress``, when given, is told how far the reading is, in words ("line 20,000 of
    100,001"), every :data:`PROGRESS_LINES` lines (the Project page shows it)."""

    defaults: Mapping[str, str] = field(default_factory=dict)
    gpu_map: Mapping[str, str] = field(default_factory=dict)
    partition_map: Mapping[str, str] = field(default_factory=dict)
    cpu_watts_per_cpu: float | None = None
    final: frozenset[str] = frozenset()
    progress: Callable[[str], None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ImportResult:
    """The jobs read from a file, each bad line with its problem, the jobs that never
    ran (skipped and listed), and what kind of file it was."""

    kind: str
    jobs: tuple[ProjectJob, ...]
    problems: tuple[RowProblem, ...]
    skipped: tuple[RowProblem, ...]
    lines: int

    @property
    def summary(self) -> str:
        """``"12 jobs read, 2 lines with problems, 3 jobs skipped (never ran)"``."""
        jobs = f"{len(self.jobs):,} job{'' if len(self.jobs) == 1 else 's'} read"
        parts = [jobs, f"{len(self.problems):,} line(s) with problems",
                 f"{len(self.skipped):,} job(s) skipped (never ran)"]
        return f"{self.kind}: " + ", ".join(parts)


def device_map(items: Iterable[str], field: str) -> dict[str, str]:
    """``["a100=A100 80GB SXM"]`` as ``{"a100": "A100 80GB SXM"}`` (a GPU type's or a
    partition's device, as the user maps it); empty items are skipped. Raises
    :class:`InputError` naming ``field``."""
    out = {}
    for item in items:
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(field, item.strip(), "NAME=DEVICE, e.g. a100=A100 80GB SXM")
        out[key.strip()] = value.strip()
    return out


def power_per_cpu(text: str | None, field: str = "cpu_watts_per_cpu") -> float | None:
    """The power of one allocated CPU typed as ``text`` [W], or None when not given.
    Raises :class:`InputError` naming ``field``."""
    if text is None or not text.strip():
        return None
    try:
        value = parse_number(text)
    except ValueError:
        raise InputError(field, text, "a power in watts, e.g. 10") from None
    try:
        return check_number(field, value, minimum=0, maximum=MAX_WATTS_PER_CPU)
    except InputError as error:  # the value as the user wrote it
        raise InputError(field, text, error.allowed) from None


def decode(data: bytes | str) -> str:
    """A file's text: UTF-8 (with or without a byte order mark), UTF-16 with its mark,
    else Windows-1252 (which reads any byte); line ends made ``\\n``. Raises
    :class:`FileKindError` for an empty or binary file."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise FileKindError(f"a file of {len(data):,} bytes",
                                f"at most {MAX_FILE_BYTES:,} bytes")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        raise FileKindError("a binary file", "a text file: a CSV or a sacct -P log")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise FileKindError("an empty file", "a header line and one line per job")
    return text


def rows_of(text: str, delimiter: str = ",", *, quoted: bool = True,
            progress: Callable[[str], None] | None = None
            ) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` of each non-empty line; with ``quoted``, fields may be
    quoted to hold the delimiter (CSV's rules), else quotes are plain characters
    (``sacct -P``). ``progress`` is told the line reached every :data:`PROGRESS_LINES`
    lines of a longer text."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter,
                        quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE)
    total = text.count("\n") + (not text.endswith("\n")) if progress else 0
    next_report = PROGRESS_LINES
    for cells in reader:
        if progress and reader.line_num >= next_report:
            progress(f"line {reader.line_num:,} of {total:,}")
            next_report += PROGRESS_LINES
        if any(cell.strip() for cell in cells):
            yield reader.line_num, [cell.strip() for cell in cells]
