"""What the importers share: their errors, reading an upstream CSV as text, exact decimal
numbers, and the bounds of the curated tables (from their schemas, :mod:`pipeline.schema`).

An importer exits with status 2 for an input it cannot read (:class:`InputError`) and 1
for upstream values that fail a check (:class:`DataError`); it never writes a table that
the validator would refuse.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from pipeline.schema import load_schemas

__all__ = ["DataError", "InputError", "bounds", "cfe_percent", "failure", "normalise_header",
           "parse_number", "plain", "read_text_csv", "require_columns", "write_table"]


class InputError(Exception):
    """An input file is missing, unreadable or lacks a required column (exit status 2)."""


class DataError(Exception):
    """An upstream value fails a consistency check (exit status 1)."""


def failure(error: InputError | DataError) -> int:
    """Print ``error`` as one line on stderr; return the importer's exit status for it."""
    print(f"error: {error}", file=sys.stderr)
    return 2 if isinstance(error, InputError) else 1


def write_table(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as the curated tables are written: UTF-8, ``\\n``, no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def normalise_header(name: str) -> str:
    """Column name without byte-order mark, surrounding or doubled spaces."""
    return " ".join(name.replace("\ufeff", "").split())


def read_text_csv(path: Path) -> pd.DataFrame:
    """A CSV with every cell as stripped text, '' for empty cells (never NaN)."""
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot read CSV: {exc}") from None
    frame.columns = [normalise_header(str(col)) for col in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def require_columns(frame: pd.DataFrame, columns: Iterable[str], path: Path) -> None:
    """Raise :class:`InputError` naming the columns of ``columns`` that ``frame`` lacks."""
    missing = [col for col in columns if col not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s): {', '.join(map(repr, missing))}")


def parse_number(text: str, what: str) -> Decimal:
    """``text`` as an exact, finite decimal; :class:`DataError` naming ``what`` else."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DataError(f"{what}: {text!r} is not a number") from None
    if not value.is_finite():
        raise DataError(f"{what}: {text!r} is not a finite number")
    return value


def plain(value: Decimal) -> str:
    """A decimal as plain text without exponent or trailing zeros: 15.0 -> '15'."""
    digits = format(value, "f")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits


def cfe_percent(text: str, is_percent: bool, what: str) -> str:
    """A carbon-free share as a percentage string, from a fraction (``'0.905'`` ->
    ``'90.5'``) or a percentage (``is_percent``); ``''`` stays empty."""
    if text == "":
        return ""
    value = parse_number(text, what)
    if not is_percent:
        if not 0 <= value <= 1:
            raise DataError(f"{what}: CFE {text} is not a fraction between 0 and 1")
        value = value.scaleb(2)
    if not 0 <= value <= 100:
        raise DataError(f"{what}: CFE {text} is not a percentage between 0 and 100")
    return plain(value)


def bounds(table: str, column: str) -> tuple[Decimal, Decimal]:
    """The minimum and maximum of a column of a curated table, as its schema states."""
    field = load_schemas()[table].field(column)
    assert field.minimum is not None and field.maximum is not None, (table, column)
    return Decimal(str(field.minimum)), Decimal(str(field.maximum))
