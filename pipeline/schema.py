"""The tables' schemas: ``data/schema/<table>.json``, one hand-edited Frictionless Table
Schema for each CSV of ``data/``, and ``data/schema/_provenance.json``, the columns every
table with ``"provenance": true`` holds (before its ``note``, or last).

Everything else about a table is derived from its schema: the validator
(:mod:`pipeline.validate`), the catalog compiler's converters
(:mod:`pipeline.build_catalog`), ``data/datapackage.json``
(:mod:`pipeline.build_datapackage`) and the column tables of ``data/README.md`` and the
Data page (:mod:`pipeline.column_docs`). Field properties beyond the Table Schema
standard: ``unit`` (of a number) and ``listSeparator`` (a cell holding a list).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DATA", "SCHEMA_DIR", "Field", "ForeignKey", "SchemaError", "TableSchema",
           "load_provenance", "load_schemas"]

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMA_DIR = DATA / "schema"
PROVENANCE_FILE = "_provenance.json"
TYPES = ("string", "number", "integer")
LARGE = 1e15
"""From this magnitude on a bound is written in exponent form (1e+30), not as digits."""


class SchemaError(ValueError):
    """A schema file that cannot be read or used; the message names the file."""


@dataclass(frozen=True)
class Field:
    """One column: its type and constraints, as its schema states them."""

    name: str
    type: str  # one of TYPES
    description: str
    unit: str | None = None
    required: bool = False
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    separator: str | None = None  # a list of values in one cell, e.g. "a;b"

    def descriptor(self) -> dict[str, Any]:
        """The field as a Table Schema descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type,
                               "description": self.description}
        if self.unit:
            out["unit"] = self.unit
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        for key in ("minimum", "maximum"):
            value = getattr(self, key)
            if value is not None:  # a whole number as an integer, unless too large (1e30)
                whole = float(value).is_integer() and abs(value) < LARGE
                constraints[key] = int(value) if whole else value
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern is not None:
            constraints["pattern"] = self.pattern.pattern
        if constraints:
            out["constraints"] = constraints
        if self.separator:
            out["listSeparator"] = self.separator
        return out


@dataclass(frozen=True)
class ForeignKey:
    """Columns of a table whose values must be the key of a row of another table."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class TableSchema:
    """The schema of ``data/<name>.csv``."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def file(self) -> str:
        """The CSV's file name."""
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        """The CSV's header, in order."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        return next(f for f in self.fields if f.name == name)

    def descriptor(self) -> dict[str, Any]:
        """The whole schema as a Table Schema descriptor, provenance columns included."""
        out: dict[str, Any] = {"fields": [f.descriptor() for f in self.fields],
                               "missingValues": [""], "primaryKey": list(self.primary_key)}
        if self.foreign_keys:
            out["foreignKeys"] = [{"fields": list(fk.fields),
                                   "reference": {"resource": fk.resource,
                                                 "fields": list(fk.reference)}}
                                  for fk in self.foreign_keys]
        return out


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SchemaError(f"{path}: not a readable JSON file ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        raise SchemaError(f"{path}: expected an object with a list of fields")
    return data


def _field(path: Path, data: object) -> Field:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise SchemaError(f"{path}: every field needs a name")
    name = data["name"]
    if data.get("type") not in TYPES:
        raise SchemaError(f"{path}: field {name}: type {data.get('type')!r} is not one of "
                          + ", ".join(TYPES))
    if not data.get("description"):
        raise SchemaError(f"{path}: field {name} has no description")
    c = data.get("constraints", {})
    try:
        pattern = re.compile(c["pattern"]) if "pattern" in c else None
    except re.error as error:
        raise SchemaError(f"{path}: field {name}: bad pattern ({error})") from None
    return Field(name=name, type=data["type"], description=data["description"],
                 unit=data.get("unit"), required=bool(c.get("required")),
                 unique=bool(c.get("unique")), minimum=c.get("minimum"),
                 maximum=c.get("maximum"), enum=tuple(c.get("enum", ())), pattern=pattern,
                 separator=data.get("listSeparator"))


def _with_provenance(fields: list[Field], provenance: list[Field]) -> list[Field]:
    """``fields`` with the provenance columns before ``note``, or last."""
    names = [f.name for f in fields]
    at = names.index("note") if "note" in names else len(fields)
    return fields[:at] + provenance + fields[at:]


def load_provenance(schema_dir: Path = SCHEMA_DIR) -> list[Field]:
    """The provenance columns, as ``_provenance.json`` defines them."""
    path = schema_dir / PROVENANCE_FILE
    return [_field(path, f) for f in _read(path)["fields"]]


def load_schemas(schema_dir: Path = SCHEMA_DIR) -> dict[str, TableSchema]:
    """Every table's schema, by table name (the CSV's stem), in file-name order; raises
    :class:`SchemaError` naming the file for a schema that cannot be used."""
    if not schema_dir.is_dir():
        raise SchemaError(f"{schema_dir}: no schema folder")
    provenance = load_provenance(schema_dir)
    schemas = {}
    for path in sorted(schema_dir.glob("*.json")):
        if path.name == PROVENANCE_FILE:
            continue
        data = _read(path)
        fields = [_field(path, f) for f in data["fields"]]
        if data.get("provenance"):
            fields = _with_provenance(fields, provenance)
        names = [f.name for f in fields]
        if len(set(names)) != len(names):
            raise SchemaError(f"{path}: a field name is repeated")
        key = tuple(data.get("primaryKey", ()))
        if not key or not set(key) <= set(names):
            raise SchemaError(f"{path}: primaryKey {list(key)} must name fields")
        foreign = tuple(ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"],
                                   tuple(fk["reference"]["fields"]))
                        for fk in data.get("foreignKeys", ()))
        schemas[path.stem] = TableSchema(name=path.stem, title=data.get("title", path.stem),
                                         description=data.get("description", ""),
                                         fields=tuple(fields), primary_key=key,
                                         foreign_keys=foreign)
    for schema in schemas.values():
        for fk in schema.foreign_keys:
            if fk.resource not in schemas:
                raise SchemaError(f"{schema_dir / (schema.name + '.json')}: foreign key to "
                                  f"unknown table {fk.resource!r}")
    return schemas
