"""The tables' columns in words, from their schemas (:mod:`pipeline.schema`): the column
tables of ``data/README.md`` (written between ``<!-- columns:TABLE:start -->`` and
``<!-- columns:TABLE:end -->`` by ``make data``, checked by ``make check-data``) and of
the site's Data page (``<!-- data:columns table=TABLE -->``).

Usage: ``python -m pipeline.column_docs [--write | --check]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from pipeline.schema import (
    DATA,
    LARGE,
    Field,
    SchemaError,
    TableSchema,
    load_provenance,
    load_schemas,
)

__all__ = ["column_rows", "embed", "type_text"]

README = DATA / "README.md"
PROVENANCE = "provenance"  # the marker name of the provenance columns' table
_BLOCK = re.compile(r"<!-- columns:([a-z_]+):start -->\n.*?<!-- columns:\1:end -->", re.S)


def _bound(value: float | None, integer: bool) -> str:
    """A bound as the column's values are written: years plainly, large numbers grouped."""
    if value is None:
        return ""
    if abs(value) >= LARGE:
        return f"{value:.0e}".replace("e+", "e")
    if not float(value).is_integer():
        return f"{value:g}"
    return str(int(value)) if integer else f"{int(value):,}"


def type_text(field: Field, schema: TableSchema | None = None) -> str:
    """What a column holds: ``number, 1-2,000, or empty``, ``` `a`, `b` or `c` ```."""
    if field.enum:
        items = [f"`{item}`" for item in field.enum]
        text = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
    elif field.separator:
        text = f"`{field.separator}` list"
    elif field.type in ("number", "integer"):
        text = "whole number" if field.type == "integer" else "number"
        if field.minimum is not None or field.maximum is not None:
            integer = field.type == "integer"
            text += (f", {_bound(field.minimum, integer)}-"
                     f"{_bound(field.maximum, integer)}")
    elif field.pattern is not None and field.pattern.pattern.startswith("https://"):
        text = "https URL"
    else:
        text = "text"
    if schema is not None and field.name in schema.primary_key:
        text += ", key" if len(schema.primary_key) == 1 else ", part of the key"
    elif field.unique:
        text += ", unique"
    if not field.required:
        text += ", or empty"
    return text


def column_rows(fields: tuple[Field, ...] | list[Field],
                schema: TableSchema | None = None) -> list[list[str]]:
    """``[column, type, meaning]`` of each field; the unit follows the meaning."""
    return [[f"`{f.name}`", type_text(f, schema),
             f.description + (f" [{f.unit}]" if f.unit else "")] for f in fields]


def markdown(rows: list[list[str]]) -> str:
    lines = ["| column | type | meaning |", "|---|---|---|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in rows]
    return "\n".join(lines)


def _tables(schemas: dict[str, TableSchema]) -> dict[str, str]:
    provenance = load_provenance()
    provenance_names = {f.name for f in provenance}
    blocks = {PROVENANCE: markdown(column_rows(provenance))}
    for name, schema in schemas.items():
        own = [f for f in schema.fields if f.name not in provenance_names]
        rows = column_rows(own, schema)
        if len(own) < len(schema.fields):
            at = next((i for i, f in enumerate(own) if f.name == "note"), len(own))
            rows.insert(at, ["provenance columns", "", "see above"])
        blocks[name] = markdown(rows)
    return blocks


def embed(text: str, blocks: dict[str, str]) -> str:
    """``text`` with every column block replaced by the table's current one."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in blocks:
            raise SchemaError(f"{README}: no table {name!r} for its columns block")
        return f"<!-- columns:{name}:start -->\n{blocks[name]}\n<!-- columns:{name}:end -->"

    return _BLOCK.sub(replace, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true")
    action.add_argument("--check", action="store_true")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    try:
        text = args.readme.read_text(encoding="utf-8")
        updated = embed(text, _tables(load_schemas()))
    except (OSError, SchemaError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.check:
        if updated != text:
            print(f"{args.readme}: the column tables are out of date; run 'make data'",
                  file=sys.stderr)
            return 1
        print(f"{args.readme}: the column tables are up to date")
    elif args.write:
        args.readme.write_text(updated, encoding="utf-8")
        print(f"wrote the column tables of {args.readme}")
    else:
        print(updated, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
