"""Reading a table of ``data/`` strictly: UTF-8 text (a UTF-8 byte-order mark allowed),
CSV with one header row, every row as long as the header, no control character in any
cell. A file that breaks a rule gives one :class:`Problem` naming the file (and line); it
never raises.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "Table", "read_table"]


@dataclass(frozen=True)
class Problem:
    """One rule a data file breaks, as one line: ``file, line N (key), column C: what``."""

    file: str
    line: int | None
    column: str | None
    message: str
    key: str = ""

    def __str__(self) -> str:
        where = f"data/{self.file}"
        if self.line is not None:
            where += f", line {self.line}" + (f" ({self.key})" if self.key else "")
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Table:
    """The rows of one CSV as text, each with its line number in the file."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def _decode(file: str, data: bytes) -> tuple[str | None, Problem | None]:
    if not data.strip():
        return None, Problem(file, None, None, "the file is empty; expected a header row "
                             "and rows of comma-separated values")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(file, None, None, "the file is UTF-16; save it as UTF-8")
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        return None, Problem(file, line, None, "holds a NUL byte: the file is binary, "
                             "not CSV text")
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return None, Problem(file, line, None, f"byte {data[error.start]:#04x} is not "
                             "UTF-8; save the file as UTF-8")


def _control(text: str) -> str | None:
    """The first control or invisible format character of ``text``, if any."""
    return next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf")
                 and ch != "\ufeff"), None)


def _printable(text: str) -> str:
    """``text`` without its control characters, to quote it in a one-line message."""
    return "".join(ch if _control(ch) is None else "?" for ch in text)


def read_table(path: Path) -> tuple[Table | None, list[Problem]]:
    """The table at ``path`` and the problems of its form (not of its values)."""
    file = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(file, None, None, f"cannot be read ({error.strerror})")]
    text, problem = _decode(file, data)
    if text is None:
        return None, [problem] if problem else []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    rows: list[tuple[int, dict[str, str]]] = []
    header: tuple[str, ...] = ()
    try:
        end = 0
        for record in reader:
            line, end = end + 1, reader.line_num  # a quoted cell may span lines
            if not header:
                header = tuple(record)
                continue
            if not any(cell.strip() for cell in record):
                problems.append(Problem(file, line, None, "the row is empty"))
                continue
            if len(record) != len(header):
                problems.append(Problem(file, line, None, f"the row has {len(record)} "
                                        f"fields; the header has {len(header)}"))
                continue
            rows.append((line, dict(zip(header, record, strict=True))))
    except csv.Error as error:
        problems.append(Problem(file, reader.line_num, None, f"not valid CSV ({error})"))
        return None, problems
    for line, row in rows:
        for column, cell in row.items():
            bad = _control(cell)
            if bad is not None:
                problems.append(Problem(file, line, column, f"holds the control character "
                                        f"U+{ord(bad):04X}; a cell is one line of text",
                                        f"{header[0]}={_printable(row[header[0]])}"))
    return Table(file, header, tuple(rows)), problems
