"""The Frictionless Data Package ``data/datapackage.json``: up to date with ``data/``,
describing every CSV with constraints derived from the validator's rules, and valid for
frictionless (a broken copy is not)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from frictionless import Package, validate
from frictionless.resources import TableResource

from pipeline import build_datapackage
from tests.conftest import DATA, set_cell

PACKAGE_PATH = DATA / "datapackage.json"


def _committed() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(PACKAGE_PATH.read_text("utf-8"))
    return result


def _resource(package: dict[str, Any], name: str) -> dict[str, Any]:
    resources: list[dict[str, Any]] = [r for r in package["resources"] if r["name"] == name]
    (resource,) = resources
    return resource


def _fields(package: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in _resource(package, name)["schema"]["fields"]}


def test_committed_package_is_up_to_date_with_data() -> None:
    committed = PACKAGE_PATH.read_text("utf-8")
    assert committed == build_datapackage.render(build_datapackage.build(DATA)), (
        "run 'python -m pipeline.build_datapackage'")
    assert build_datapackage.main(["--check"]) == 0


def test_build_is_deterministic() -> None:
    first = build_datapackage.render(build_datapackage.build(DATA))
    assert first == build_datapackage.render(build_datapackage.build(DATA))


def test_every_csv_is_described() -> None:
    paths = [r["path"] for r in _committed()["resources"]]
    assert sorted(paths) == sorted(p.name for p in DATA.glob("*.csv"))
    assert len(paths) == len(set(paths))


def test_bytes_and_hash_match_the_files() -> None:
    for resource in _committed()["resources"]:
        data = (DATA / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data), resource["path"]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_fields_follow_the_csv_headers_and_are_documented() -> None:
    for resource in _committed()["resources"]:
        with (DATA / resource["path"]).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        for field in fields:
            assert field["type"] in ("string", "integer", "number")
            assert len(field["description"]) > 10, (resource["name"], field["name"])
        assert resource["schema"]["missingValues"] == [""]
        assert set(resource["schema"]["primaryKey"]) <= set(header)
        assert resource["title"] and resource["description"] and resource["sources"]
        assert resource["licenses"]


def test_each_schema_is_its_tables_schema_file() -> None:
    # data/schema/<table>.json, with the provenance columns of _provenance.json before
    # the note column (or last): the package holds exactly that, nothing typed elsewhere
    package = _committed()
    provenance = json.loads((DATA / "schema" / "_provenance.json").read_text("utf-8"))
    for path in sorted((DATA / "schema").glob("[!_]*.json")):
        own = json.loads(path.read_text("utf-8"))
        schema = _resource(package, path.stem)["schema"]
        fields = [f["name"] for f in own["fields"]]
        if own.get("provenance"):
            at = fields.index("note") if "note" in fields else len(fields)
            fields[at:at] = [f["name"] for f in provenance["fields"]]
        assert [f["name"] for f in schema["fields"]] == fields, path.name
        by_name = {f["name"]: f for f in schema["fields"]}
        for field in own["fields"] + (provenance["fields"] if own.get("provenance") else []):
            packaged = by_name[field["name"]]
            assert packaged["type"] == field["type"]
            assert packaged["description"] == field["description"]
            assert packaged.get("constraints", {}) == field.get("constraints", {}), field
        assert schema["primaryKey"] == own["primaryKey"]
        assert schema.get("foreignKeys", []) == own.get("foreignKeys", [])
    licence = next(f for f in provenance["fields"] if f["name"] == "licence")
    assert licence["constraints"]["enum"] == sorted(build_datapackage.LICENCE_INFO)


def test_units() -> None:
    package = _committed()
    assert _fields(package, "hardware")["tdp_w"]["unit"] == "W"
    assert _fields(package, "grid_zones")["intensity_lifecycle_g_per_kwh"]["unit"] == \
        "gCO2e/kWh"
    assert _fields(package, "grid_zones")["carbon_free_pct"]["unit"] == "%"
    assert _fields(package, "legacy_mlco2_regions")["legacy_intensity_g_per_kwh"]["unit"] == \
        "gCO2e/kWh"


def test_keys_and_foreign_keys() -> None:
    package = _committed()
    regions = _resource(package, "cloud_regions")["schema"]
    assert regions["primaryKey"] == ["provider", "region_id"]
    references = {(tuple(fk["fields"]), fk["reference"]["resource"],
                   tuple(fk["reference"]["fields"])) for fk in regions["foreignKeys"]}
    assert references == {(("zone_id",), "grid_zones", ("zone_id",)),
                          (("provider",), "providers", ("provider_id",))}
    legacy = _resource(package, "legacy_mlco2_regions")["schema"]["foreignKeys"]
    assert legacy == [{"fields": ["provider", "region_id"],
                       "reference": {"resource": "cloud_regions",
                                     "fields": ["provider", "region_id"]}}]


def test_licences() -> None:
    package = _committed()
    # ODbL for the Electricity Maps rows, CC BY 4.0 for the GLOBAL row (Ember's data)
    ember, zones = _resource(package, "grid_zones")["licenses"]
    assert (ember["name"], zones["name"]) == ("CC-BY-4.0", "ODbL-1.0")
    for entry in (ember, zones):
        assert "Electricity Maps" in entry["attribution"] and "Ember" in entry["attribution"]
        assert entry["file"] == "LICENSE-grid_zones.md"
    for resource in package["resources"]:
        with (DATA / resource["path"]).open(encoding="utf-8", newline="") as handle:
            used = {row["licence"] for row in csv.DictReader(handle)}
        assert [lic["name"] for lic in resource["licenses"]] == sorted(used)
    assert {lic["name"] for lic in package["licenses"]} == {
        lic["name"] for r in package["resources"] for lic in r["licenses"]}


def test_frictionless_validates_the_package() -> None:
    report = validate(str(PACKAGE_PATH))
    assert report.flatten(["rowNumber", "fieldName", "type", "note"]) == []
    assert report.valid
    assert report.stats["errors"] == 0
    assert len(report.tasks) == len(list(DATA.glob("*.csv")))


def test_namibia_is_not_a_missing_value() -> None:
    resource = Package(str(PACKAGE_PATH)).get_resource("grid_zones")
    assert isinstance(resource, TableResource)
    rows = resource.read_rows()
    assert any(row["zone_id"] == "NA" and row["country_code"] == "NA" for row in rows)


def _rebuild(copy: Path) -> Path:
    assert build_datapackage.main(["--data", str(copy)]) == 0
    return copy / "datapackage.json"


def _errors(path: Path) -> list[tuple[str, int | None, str | None, str]]:
    """(resource, row number, field name, error type) of every error; the report must fail."""
    report = validate(str(path))
    assert not report.valid
    return [(task.name, getattr(error, "row_number", None), getattr(error, "field_name", None),
             error.type) for task in report.tasks for error in task.errors]


@pytest.mark.parametrize(
    ("file", "column", "value", "error"),
    [
        ("hardware.csv", "tdp_w", "2500", "constraint-error"),
        ("hardware.csv", "kind", "fpga", "constraint-error"),
        ("hardware.csv", "source_year", "19x9", "type-error"),
        ("pue.csv", "source", "", "constraint-error"),
        ("cloud_regions.csv", "zone_id", "XX-NOWHERE", "foreign-key"),
        ("legacy_mlco2_regions.csv", "region_id", "us-nowhere-9", "foreign-key"),
    ],
)
def test_frictionless_rejects_a_broken_copy(data_copy: Path, file: str, column: str,
                                            value: str, error: str) -> None:
    # the package's own schemas catch the broken cell, whatever our validator says (the
    # package is built from the valid data, then the copy is broken, and its hash fixed)
    package = _rebuild(data_copy)
    set_cell(data_copy / file, 3, column, value)
    described = json.loads(package.read_text("utf-8"))
    for resource in described["resources"]:
        data = (data_copy / resource["path"]).read_bytes()
        resource["bytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(
            data).hexdigest()
    package.write_text(json.dumps(described), "utf-8")
    errors = _errors(package)
    field = None if error == "foreign-key" else column  # a foreign key names no field
    assert errors == [(Path(file).stem, 3, field, error)]


def test_frictionless_rejects_a_stale_package(data_copy: Path) -> None:
    with (data_copy / "pue.csv").open("a", encoding="utf-8") as handle:
        handle.write("extra,Extra,default,1.5,survey,Somebody,https://example.org,2024,"
                     "CC-BY-4.0,\n")
    errors = _errors(data_copy / "datapackage.json")
    assert {("pue", None, None, "hash-count"), ("pue", None, None, "byte-count")} \
        == set(errors)
    assert build_datapackage.main(["--data", str(data_copy), "--check"]) == 1


def test_an_undescribed_csv_is_refused(data_copy: Path) -> None:
    (data_copy / "new_table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"new_table\.csv: has no schema in data/schema/"):
        build_datapackage.build(data_copy)
    assert build_datapackage.main(["--data", str(data_copy)]) == 2
