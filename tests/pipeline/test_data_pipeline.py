"""The data pipeline: the committed catalog is up to date, the build is deterministic,
the grid-zone importer keeps every upstream row (the GLOBAL row with Ember as its
source), and the validator names file, line and column for every broken rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import build_catalog
from pipeline.importers import electricitymaps as import_electricitymaps
from pipeline.validate import validate
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
        ("hardware.csv", "tdp_w", "2500", "column tdp_w: 2500 is above the maximum 2000"),
        ("hardware.csv", "tdp_w", "0.2", "column tdp_w: 0.2 is below the minimum 1"),
        ("hardware.csv", "tdp_w", "300W", "column tdp_w: '300W' is not a number written"),
        ("hardware.csv", "tdp_w", "",
         "column tdp_w: is empty; a number is required unless power_basis is unpublished"),
        ("hardware.csv", "power_basis", "unpublished",
         "is given but power_basis is unpublished; leave it empty"),
        ("hardware.csv", "power_basis", "estimated", "column power_basis: 'estimated' is not "
         "one of measured_average, system_wall, tdp, unpublished"),
        ("hardware.csv", "kind", "fpga", "column kind: 'fpga' is not one of"),
        ("hardware.csv", "licence", "proprietary", "column licence: 'proprietary' is not one of"),
        ("hardware.csv", "source_url", "nvidia.com", "column source_url: 'nvidia.com' is not "
         "an https address"),
        ("grid_zones.csv", "intensity_lifecycle_g_per_kwh", "2000",
         "column intensity_lifecycle_g_per_kwh: 2000 is above the maximum 1500"),
        ("grid_zones.csv", "intensity_direct_g_per_kwh", "-3",
         "column intensity_direct_g_per_kwh: -3 is below the minimum 0"),
        ("grid_zones.csv", "country_code", "",
         "column country_code: '' is not the zone id up to its first '-'; only GLOBAL may "
         "leave it empty"),
        ("grid_zones.csv", "country_code", "ZZ",
         "column country_code: 'ZZ' is not the zone id up to its first '-'"),
        ("cloud_regions.csv", "pue", "0.9", "column pue: 0.9 is below the minimum 1"),
        ("cloud_regions.csv", "pue", "3.5", "column pue: 3.5 is above the maximum 3"),
        ("cloud_regions.csv", "zone_id", "XX-NOWHERE",
         "column zone_id: 'XX-NOWHERE' is not a zone_id of data/grid_zones.csv"),
        ("pue.csv", "pue", "7", "column pue: 7 is above the maximum 3"),
        ("equivalents.csv", "source_year", "19x9", "column source_year: '19x9' is not a whole "
         "number"),
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
    assert any(e.startswith("data/hardware.csv, line 4") and f"duplicate id {first!r}" in e
               and "(first on line 2;" in e for e in errors), errors


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
    assert "data/pue.csv: the file is missing" in errors
    assert ("data/equivalents.csv, line 1: missing columns licence; columns not in its schema "
            "'lic' (data/schema/equivalents.json)") in errors


def test_build_refuses_invalid_data(data_copy: Path) -> None:
    set_cell(data_copy / "hardware.csv", 2, "tdp_w", "-1")
    with pytest.raises(ValueError, match="tdp_w: -1 is below the minimum 1"):
        build_catalog.build(data_copy)
    assert build_catalog.main(["--data", str(data_copy), "--out",
                               str(data_copy / "c.json")]) == 2


# An upstream file shaped like Electricity Maps' 2024 yearly CSV as compiled by
# Green-Algorithms-data: two of its zones (values as in data/grid_zones.csv; upstream puts
# direct before life-cycle), then the appended GLOBAL row (Ember's world average, its URL
# in the Data source cell, with a tracking parameter as upstream has one; empty Citation).
UPSTREAM_HEADER = ("Datetime (UTC),Country,Zone name,Zone id,"
                   "Carbon intensity gCO\u2082eq/kWh (direct),"
                   "Carbon intensity gCO\u2082eq/kWh (Life cycle),"
                   "Carbon-free energy percentage (CFE%),Renewable energy percentage (RE%),"
                   "Data source,Citation\n")
EM_CITATION = ('"Electricity Maps (2025). {0} 2024 Yearly Carbon Intensity Data (Version '
               'January 27, 2025). Electricity Maps. https://www.electricitymaps.com"')
EMBER_PAGE = ("https://ember-energy.org/latest-insights/global-electricity-review-2024/"
              "global-electricity-trends/")
GLOBAL_ROW = ("2023-01-01 00:00:00,Global,Global,GLOBAL,480.0,480.0,,,"
              f"{EMBER_PAGE}?utm_source=example.com#global-power-sector-emissions,\n")


def _upstream(path: Path, global_row: str = GLOBAL_ROW) -> Path:
    path.write_text(
        UPSTREAM_HEADER
        + "2024-01-01 00:00:00,France,France,FR,18.4,33.44,95.95,28.57,"
        + "opendata.reseaux-energies.fr; Electricity Maps Estimation,"
        + EM_CITATION.format("France") + "\n"
        + "2024-01-01 00:00:00,Canada,Qu\u00e9bec,CA-QC,5.48,35.04,98.65,96.4,"
        + "Electricity Maps Estimation; hydroquebec.com,"
        + EM_CITATION.format("Canada") + "\n"
        + global_row,
        encoding="utf-8",
    )
    return path


def _read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_importer_keeps_the_global_row_with_ember_as_its_source(tmp_path: Path) -> None:
    upstream = _upstream(tmp_path / "yearly.csv")
    out = tmp_path / "grid_zones.csv"
    argv = [str(upstream), "--out", str(out)]
    assert import_electricitymaps.main(argv) == 0
    rows = {row["zone_id"]: row for row in _read_csv(out)}
    assert list(rows) == ["CA-QC", "FR", "GLOBAL"]  # every upstream row, sorted by id
    world = rows["GLOBAL"]
    assert world["source"] == ("Ember, Global Electricity Review 2024: world electricity "
                               "carbon intensity 2023 (life-cycle, CO2e over 100 years)")
    assert world["source_url"] == EMBER_PAGE + "#global-power-sector-emissions"
    assert (world["source_year"], world["licence"], world["data_origin"]) == (
        "2023", "CC-BY-4.0", "Ember")
    assert (world["country"], world["zone_name"], world["country_code"]) == (
        "Global", "Global", "")
    # Ember's figure is life-cycle only: the direct column, where upstream repeats it, is empty
    assert (world["intensity_lifecycle_g_per_kwh"], world["intensity_direct_g_per_kwh"]) == (
        "480.0", "")
    assert (world["carbon_free_pct"], world["renewable_pct"]) == ("", "")
    france = rows["FR"]
    assert (france["licence"], france["source_year"], france["intensity_lifecycle_g_per_kwh"]) \
        == ("ODbL-1.0", "2024", "33.44")
    assert france["data_origin"] == "opendata.reseaux-energies.fr; Electricity Maps Estimation"
    assert france["source"] == ("Electricity Maps (2025). France 2024 Yearly Carbon Intensity "
                                "Data (Version January 27, 2025). Electricity Maps.")
    assert france["source_url"] == "https://www.electricitymaps.com/data-portal"
    note = (tmp_path / "LICENSE-grid_zones.md").read_text("utf-8")
    assert "Open Database License (ODbL) 1.0" in note
    assert "The `GLOBAL` row is the exception" in note and "CC BY 4.0" in note
    first = out.read_bytes(), note
    assert import_electricitymaps.main(argv) == 0
    assert (out.read_bytes(), (tmp_path / "LICENSE-grid_zones.md").read_text("utf-8")) == first


def test_importer_refuses_a_global_row_not_from_ember(tmp_path: Path) -> None:
    upstream = _upstream(tmp_path / "yearly.csv", GLOBAL_ROW.replace(
        "https://ember-energy.org", "https://example.org"))
    out = tmp_path / "grid_zones.csv"
    assert import_electricitymaps.main([str(upstream), "--out", str(out)]) == 1
    assert not out.exists()


@pytest.mark.parametrize(("content", "message"), [
    (None, "file not found"), (b"", "cannot read CSV"), (b"\xff\xfez\x00o\x00", "cannot read CSV"),
    (b"Zone id,Year\nFR,2024\n", "missing column(s)"),
])
def test_importer_refuses_an_unreadable_file_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None,
        message: str) -> None:
    upstream = tmp_path / "yearly.csv"
    if content is not None:
        upstream.write_bytes(content)
    out = tmp_path / "grid_zones.csv"
    assert import_electricitymaps.main([str(upstream), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_committed_zones_hold_every_upstream_row() -> None:
    rows = data_rows("grid_zones.csv")
    assert len(rows) == 352  # Electricity Maps 2024 yearly file as compiled: 351 + GLOBAL
    (world,) = [row for row in rows if row["zone_id"] == "GLOBAL"]
    assert (world["source_year"], world["licence"], world["data_origin"]) == (
        "2023", "CC-BY-4.0", "Ember")
    assert world["source_url"].startswith("https://ember-energy.org/")
    assert "utm_" not in world["source_url"]
    others = [row for row in rows if row["zone_id"] != "GLOBAL"]
    assert {row["licence"] for row in others} == {"ODbL-1.0"}
    assert all(row["country_code"] for row in others)


def test_validator_refuses_a_country_code_for_the_world_average(data_copy: Path) -> None:
    line = next(i for i, row in enumerate(data_rows("grid_zones.csv"), start=2)
                if row["zone_id"] == "GLOBAL")
    set_cell(data_copy / "grid_zones.csv", line, "country_code", "GL")
    errors = validate(data_copy)
    assert errors == [f"data/grid_zones.csv, line {line} (zone_id=GLOBAL), column "
                      "country_code: 'GL' is given, but GLOBAL is the world average"]
