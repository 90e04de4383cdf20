"""Every row of data/pue.csv has one display name, stored once: a default row's is its
``name``, a provider row's that of its provider in data/providers.csv (its ``name`` left
empty). A missing or empty name, a name given twice, or a provider row of no provider is
refused with one line naming the file, line and column; the catalog gives every row its
name. Expected values are read from the CSVs with the csv module."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pipeline import build_catalog
from pipeline import validate as validator
from tests.conftest import data_rows, set_cell


def _line(pue_id: str) -> int:
    """The file line of a row of data/pue.csv (the header is line 1)."""
    return next(i for i, row in enumerate(data_rows("pue.csv"), start=2)
                if row["pue_id"] == pue_id)


def _providers() -> dict[str, str]:
    return {row["provider_id"]: row["name"] for row in data_rows("providers.csv")}


def test_every_default_row_has_a_name_and_no_provider_row_repeats_its_providers() -> None:
    rows = data_rows("pue.csv")
    assert list(rows[0])[:2] == ["pue_id", "name"]
    for row in rows:
        if row["scope"] == "provider":
            assert row["pue_id"] in _providers() and row["name"] == "", row["pue_id"]
        else:
            assert row["name"] and row["name"] == row["name"].strip(), row["pue_id"]
            assert row["name"].casefold() not in {n.casefold() for n in _providers().values()}
    defaults = [row["name"].casefold() for row in rows if row["scope"] == "default"]
    assert len(defaults) == len(set(defaults))


def test_an_empty_name_of_a_default_row_is_refused(data_copy: Path) -> None:
    line = _line("unknown")
    set_cell(data_copy / "pue.csv", line, "name", "")
    assert validator.validate(data_copy) == [
        f"data/pue.csv, line {line} (pue_id=unknown), column name: is empty; a default row "
        "needs its display name (a provider row takes its provider's, from "
        "data/providers.csv)"]


def test_a_name_of_spaces_is_refused(data_copy: Path) -> None:
    line = _line("workstation")
    set_cell(data_copy / "pue.csv", line, "name", "  ")
    errors = validator.validate(data_copy)
    assert errors[0] == (f"data/pue.csv, line {line} (pue_id=workstation), column name: "
                         "'  ' has spaces around it")


def test_a_missing_name_column_is_refused(data_copy: Path) -> None:
    path = data_copy / "pue.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index("name")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(r[:at] + r[at + 1:] for r in rows)
    assert validator.validate(data_copy) == [
        "data/pue.csv, line 1: missing columns name (data/schema/pue.json)"]


def test_a_provider_rows_name_is_its_providers_not_a_second_copy(data_copy: Path) -> None:
    line = _line("aws")
    set_cell(data_copy / "pue.csv", line, "name", "AWS")
    assert validator.validate(data_copy) == [
        f"data/pue.csv, line {line} (pue_id=aws), column name: 'AWS' is given, but a "
        f"provider row is named by data/providers.csv ({_providers()['aws']!r}); leave it "
        "empty"]


def test_a_provider_row_must_be_of_a_provider(data_copy: Path) -> None:
    line = _line("oracle")
    set_cell(data_copy / "pue.csv", line, "pue_id", "oci")
    errors = validator.validate(data_copy)
    assert errors == [f"data/pue.csv, line {line} (pue_id=oci), column pue_id: 'oci' is not "
                      "a provider_id of data/providers.csv; a provider row's pue_id is its "
                      "provider's id"]


def test_a_default_may_not_take_a_providers_name_or_anothers(data_copy: Path) -> None:
    line = _line("workstation")
    set_cell(data_copy / "pue.csv", line, "name", _providers()["gcp"].upper())
    assert validator.validate(data_copy) == [
        f"data/pue.csv, line {line} (pue_id=workstation), column name: "
        f"{_providers()['gcp'].upper()!r} is the name of the provider 'gcp' of "
        "data/providers.csv; name the default otherwise"]
    other = next(r["name"] for r in data_rows("pue.csv")
                 if r["scope"] == "default" and r["pue_id"] != "workstation")
    set_cell(data_copy / "pue.csv", line, "name", other)
    errors = validator.validate(data_copy)
    assert len(errors) == 1 and errors[0].startswith(f"data/pue.csv, line {line} (")
    assert f"column name: duplicate value {other!r}" in errors[0]


def test_the_catalog_names_every_row(data_copy: Path) -> None:
    catalog = json.loads(build_catalog.build(data_copy))
    columns = catalog["pue"]["columns"]
    names = {row[columns.index("pue_id")]: row[columns.index("name")]
             for row in catalog["pue"]["rows"]}
    expected = {row["pue_id"]: row["name"] or _providers()[row["pue_id"]]
                for row in data_rows("pue.csv")}
    assert names == expected
    # a provider's new name reaches its PUE row: the name is stored once
    line = next(i for i, row in enumerate(data_rows("providers.csv"), start=2)
                if row["provider_id"] == "azure")
    set_cell(data_copy / "providers.csv", line, "name", "Azure")
    catalog = json.loads(build_catalog.build(data_copy))
    assert [row[columns.index("name")] for row in catalog["pue"]["rows"]
            if row[columns.index("pue_id")] == "azure"] == ["Azure"]
