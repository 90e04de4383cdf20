"""The data pipeline: the committed catalog is up to date, the build is deterministic,
and the validator names file, line and column for every broken rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import build_catalog
from scripts.validate_data import validate
from tests.conftest import DATA, ROOT, data_rows, set_cell


def test_committed_catalog_is_up_to_date_with_data() -> None:
    committed = (ROOT / "calculator" / "ml_emissions" / "catalog.json").read_text("utf-8")
    assert committed == build_catalog.build(DATA), "run 'make data'"


def test_build_is_deterministic() -> None:
    assert build_catalog.build(DATA) == build_catalog.build(DATA)


def test_current_data_is_valid() -> None:
    assert validate(DATA) == []


def _first_id(path: Path, column: str, line: int = 2) -> str:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))[line - 2][column]


@pytest.mark.parametrize(
    ("file", "column", "value", "message"),
    [
        ("hardware.csv", "source", "", "column source: is empty; a value is required"),
        ("hardware.csv", "source_year", "", "column source_year: is empty; a value is required"),
        ("hardware.csv", "tdp_w", "2500", "column tdp_w: 2500 is outside 1-2000"),
        ("hardware.csv", "tdp_w", "0.2", "column tdp_w: 0.2 is outside 1-2000"),
        ("hardware.csv", "tdp_w", "300W", "column tdp_w: '300W' is not a number"),
        ("hardware.csv", "tdp_w", "",
         "column tdp_w: is empty; a number is required unless power_basis is unpublished"),
        ("hardware.csv", "power_basis", "unpublished",
         "is given but power_basis is unpublished; leave it empty"),
        ("hardware.csv", "power_basis", "estimated", "column power_basis: 'estimated' is not "
         "one of measured_average, tdp, unpublished"),
        ("hardware.csv", "kind", "fpga", "column kind: 'fpga' is not one of"),
        ("hardware.csv", "licence", "proprietary", "column licence: 'proprietary' is not one of"),
        ("hardware.csv", "source_url", "nvidia.com", "column source_url: 'nvidia.com' is not"),
        ("grid_zones.csv", "intensity_lifecycle_g_per_kwh", "2000",
         "column intensity_lifecycle_g_per_kwh: 2000 is outside 0-1500"),
        ("grid_zones.csv", "intensity_direct_g_per_kwh", "-3",
         "column intensity_direct_g_per_kwh: -3 is outside 0-1500"),
        ("cloud_regions.csv", "pue", "0.9", "column pue: 0.9 is outside 1-3"),
        ("cloud_regions.csv", "pue", "3.5", "column pue: 3.5 is outside 1-3"),
        ("cloud_regions.csv", "zone_id", "XX-NOWHERE",
         "column zone_id: zone 'XX-NOWHERE' does not exist in data/grid_zones.csv"),
        ("pue.csv", "pue", "7", "column pue: 7 is outside 1-3"),
        ("equivalents.csv", "source_year", "19x9", "column source_year: '19x9' is not a number"),
    ],
)
def test_validator_names_file_line_and_column(data_copy: Path, file: str, column: str,
                                              value: str, message: str) -> None:
    set_cell(data_copy / file, 3, column, value)
    errors = validate(data_copy)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"data/{file}, line 3 (")
    assert message in errors[0]


def test_only_devices_without_a_published_power_have_an_empty_power() -> None:
    for row in data_rows("hardware.csv"):
        assert (row["tdp_w"] == "") == (row["power_basis"] == "unpublished"), row["hardware_id"]
        if row["power_basis"] == "unpublished":  # the note tells the user what to give
            assert "publish" in row["note"] and "measured-watts" in row["note"]


def test_validator_refuses_a_power_for_an_unpublished_device(data_copy: Path) -> None:
    line = next(i for i, row in enumerate(data_rows("hardware.csv"), start=2)
                if row["power_basis"] == "unpublished")
    set_cell(data_copy / "hardware.csv", line, "tdp_w", "250")
    errors = validate(data_copy)
    assert len(errors) == 1, errors
    hardware_id = data_rows("hardware.csv")[line - 2]["hardware_id"]
    assert errors[0] == (f"data/hardware.csv, line {line} (hardware_id={hardware_id}), column "
                         "tdp_w: 250 is given but power_basis is unpublished; leave it empty, "
                         "or name the basis of the figure")


def test_validator_reports_duplicate_ids(data_copy: Path) -> None:
    first = _first_id(data_copy / "hardware.csv", "hardware_id", 2)
    set_cell(data_copy / "hardware.csv", 4, "hardware_id", first)
    errors = validate(data_copy)
    assert any(e.startswith("data/hardware.csv, line 4") and f"duplicate id {first}" in e
               and "(first on line 2)" in e for e in errors), errors


def test_validator_reports_an_alias_shared_by_two_devices(data_copy: Path) -> None:
    other_name = _first_id(data_copy / "hardware.csv", "name", 2)
    set_cell(data_copy / "hardware.csv", 5, "aliases", other_name.upper().replace(" ", "-"))
    errors = validate(data_copy)
    assert len(errors) == 1, errors
    assert errors[0].startswith("data/hardware.csv, line 5")
    assert "column aliases" in errors[0] and "also names" in errors[0]


def test_validator_reports_a_missing_file_and_column(data_copy: Path) -> None:
    (data_copy / "pue.csv").unlink()
    text = (data_copy / "equivalents.csv").read_text("utf-8").replace("licence,", "lic,", 1)
    (data_copy / "equivalents.csv").write_text(text, "utf-8")
    errors = validate(data_copy)
    assert "data/pue.csv: file is missing" in errors
    assert "data/equivalents.csv: missing columns: licence" in errors


def test_build_refuses_invalid_data(data_copy: Path) -> None:
    set_cell(data_copy / "hardware.csv", 2, "tdp_w", "-1")
    with pytest.raises(ValueError, match="tdp_w: -1 is outside"):
        build_catalog.build(data_copy)
    assert build_catalog.main(["--data", str(data_copy), "--out",
                               str(data_copy / "c.json")]) == 1
