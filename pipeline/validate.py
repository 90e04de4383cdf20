"""Validate the tables of ``data/`` against their schemas (``data/schema/``) and the
cross-field rules (:mod:`pipeline.rules`).

Each problem is one line naming the file, line, key, column and rule, for example::

    data/hardware.csv, line 12 (hardware_id=nvidia-v100), column tdp_w: 2500 is above the
    maximum 2000

Checks, in order: the file's form (:mod:`pipeline.tables`: encoding, CSV, row lengths,
control characters); its header against the schema; every cell against its field (no
space around it; numbers written plainly, ``300`` or ``1.5e3``, never ``1_000``, ``٣٠٠``,
``nan``; whole numbers for integers; bounds, enums, patterns); unique values and keys
(after stripping and Unicode NFC normalisation, case ignored); foreign keys; then
Frictionless' own validation of the same schemas, for anything the checks above let
pass; then the rules. Nothing here raises for a bad file.

Run ``python -m pipeline.validate [DATA_DIR]``: exit status 2 when a rule fails.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from pipeline.rules import check_rules
from pipeline.schema import DATA, LARGE, Field, SchemaError, TableSchema, load_schemas
from pipeline.tables import Problem, Table, read_table

__all__ = ["INVALID_DATA", "Problem", "load_tables", "parse_cell", "validate"]

INVALID_DATA = 2  # exit status of every pipeline command for invalid data

_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_INTEGER = re.compile(r"-?[0-9]+")


def key_text(value: str) -> str:
    """A key as compared for uniqueness: stripped, NFC-normalised, case ignored."""
    return unicodedata.normalize("NFC", value.strip()).casefold()


def parse_cell(field: Field, text: str) -> float | int | str | None:
    """The value of a valid cell: None when empty, a float or int by the field's type,
    else the text. Raises ``ValueError`` with the rule it breaks."""
    if text == "":
        if field.required:
            raise ValueError("is empty; a value is required")
        return None
    if text != text.strip():
        raise ValueError(f"{text!r} has spaces around it")
    if field.type == "integer":
        if not _INTEGER.fullmatch(text):
            raise ValueError(f"{text!r} is not a whole number (digits only)")
        value: float | int | str = int(text)
    elif field.type == "number":
        if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
            raise ValueError(f"{text!r} is not a number written with digits, such as 300 "
                             "or 1.5e3")
        value = float(text)
    else:
        value = text
        if field.enum and text not in field.enum:
            raise ValueError(f"{text!r} is not one of " + ", ".join(sorted(field.enum)))
        if field.pattern is not None and not field.pattern.fullmatch(text):
            raise ValueError(f"{text!r} is not {_form(field)}")
    if isinstance(value, int | float):
        shown = _plain(value)
        if field.minimum is not None and value < field.minimum:
            raise ValueError(f"{shown} is below the minimum {_plain(field.minimum)}")
        if field.maximum is not None and value > field.maximum:
            raise ValueError(f"{shown} is above the maximum {_plain(field.maximum)}")
    return value


def _form(field: Field) -> str:
    """What a field's pattern asks for, in words."""
    assert field.pattern is not None
    if field.pattern.pattern.startswith("https://"):
        return "an https address (https://..., without spaces, quotes or angle brackets)"
    return f"of the form {field.pattern.pattern}"


def _plain(value: float) -> str:
    if abs(value) >= LARGE:  # 1e+20, not 100000000000000000000
        return f"{float(value):.6g}"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _key(schema: TableSchema, row: dict[str, str]) -> str:
    return ",".join(f"{k}={row.get(k, '')}" for k in schema.primary_key)


def _cells(schema: TableSchema, table: Table) -> Iterator[Problem]:
    for line, row in table.rows:
        for field in schema.fields:
            try:
                parse_cell(field, row[field.name])
            except ValueError as error:
                yield Problem(table.file, line, field.name, str(error), _key(schema, row))


def _uniques(schema: TableSchema, table: Table) -> Iterator[Problem]:
    columns = [(tuple(schema.primary_key), "id")]
    columns += [((f.name,), "value") for f in schema.fields if f.unique]
    for names, what in columns:
        seen: dict[tuple[str, ...], int] = {}
        for line, row in table.rows:
            value = tuple(key_text(row[name]) for name in names)
            if not all(value):
                continue
            if value in seen:
                shown = ":".join(row[name] for name in names)
                yield Problem(table.file, line, ",".join(names),
                              f"duplicate {what} {shown!r} (first on line {seen[value]}; "
                              "case, surrounding spaces and Unicode forms are ignored)",
                              _key(schema, row))
            else:
                seen[value] = line


def _foreign_keys(schemas: dict[str, TableSchema],
                  tables: dict[str, Table]) -> Iterator[Problem]:
    for schema in schemas.values():
        table = tables.get(schema.name)
        if table is None:
            continue
        for fk in schema.foreign_keys:
            target = tables.get(fk.resource)
            if target is None:
                continue
            keys = {tuple(key_text(r[c]) for c in fk.reference) for _, r in target.rows}
            for line, row in table.rows:
                value = tuple(row[c] for c in fk.fields)
                if all(value) and tuple(key_text(v) for v in value) not in keys:
                    yield Problem(table.file, line, fk.fields[-1],
                                  f"{':'.join(value)!r} is not a "
                                  f"{'/'.join(fk.reference)} of data/{fk.resource}.csv",
                                  _key(schema, row))


def _header(schema: TableSchema, table: Table) -> list[Problem]:
    if table.header == schema.columns:
        return []
    missing = [c for c in schema.columns if c not in table.header]
    extra = [c for c in table.header if c not in schema.columns]
    parts = []
    if missing:
        parts.append("missing columns " + ", ".join(missing))
    if extra:
        parts.append("columns not in its schema " + ", ".join(repr(c) for c in extra))
    if not parts:
        parts.append("columns out of the schema's order; expected " + ",".join(schema.columns))
    return [Problem(table.file, 1, None, "; ".join(parts)
                    + f" (data/schema/{schema.name}.json)")]


def _frictionless(schema: TableSchema, data_dir: Path, reported: set[tuple[int | None,
                  str | None]]) -> list[Problem]:
    """Frictionless' validation of one table against its schema: whatever it finds that
    the checks above did not (same line and column) is reported too."""
    from frictionless import Resource, Schema

    descriptor = schema.descriptor()
    descriptor.pop("foreignKeys", None)  # across tables: checked above, with all of them
    resource = Resource(path=schema.file, basepath=str(data_dir),
                        schema=Schema.from_descriptor(descriptor))
    report = resource.validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            if (line, column) in reported or line in {at for at, _ in reported}:
                continue  # the line's problem is reported already, in our own words
            problems.append(Problem(schema.file, line, column, f"{error.type}: {error.note}"))
    return problems


def load_tables(data_dir: Path = DATA) -> tuple[dict[str, Table], list[Problem]]:
    """Every table of ``data_dir`` with a schema, and every problem found."""
    try:
        schemas = load_schemas(data_dir / "schema")
    except SchemaError as error:
        return {}, [Problem("schema", None, None, str(error))]
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for path in sorted(data_dir.glob("*.csv")):
        if path.stem not in schemas:
            problems.append(Problem(path.name, None, None, "has no schema in data/schema/"))
    for name, schema in schemas.items():
        path = data_dir / schema.file
        if not path.exists():
            problems.append(Problem(schema.file, None, None, "the file is missing"))
            continue
        table, found = read_table(path)
        problems += found
        if table is None:
            continue
        header = _header(schema, table)
        if header:
            problems += header
            continue
        table_problems = [*_cells(schema, table), *_uniques(schema, table)]
        problems += table_problems
        if not found:
            reported = {(p.line, p.column) for p in table_problems}
            problems += _frictionless(schema, data_dir, reported)
        tables[name] = table
    problems += _foreign_keys(schemas, tables)
    if len(tables) == len(schemas) and not problems:
        problems += check_rules(schemas, tables)
    return tables, problems


def validate(data_dir: Path = DATA) -> list[str]:
    """Every problem of ``data_dir`` as a line of text (empty when the tables are valid)."""
    return [str(p) for p in load_tables(data_dir)[1]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DATA)
    args = parser.parse_args(argv)
    errors = validate(args.data_dir)
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"{len(errors)} problem(s) in {args.data_dir}", file=sys.stderr)
        return INVALID_DATA
    print(f"{args.data_dir}: all tables valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
