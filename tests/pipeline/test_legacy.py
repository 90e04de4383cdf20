"""The original calculator's regions: all 82 present and mapped to a cloud region, the
importer's mapping rules, the validator's foreign-key rule, and the CHANGELOG's generated
region table up to date."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ml_emissions.catalog import load_catalog
from pipeline import legacy_comparison
from pipeline.importers import mlco2_regions as import_mlco2_regions
from pipeline.validate import validate
from tests.conftest import DATA, data_rows, set_cell

LEGACY = "legacy_mlco2_regions.csv"
ROWS = data_rows(LEGACY)


def test_all_82_original_regions_are_present() -> None:
    assert len(ROWS) == 82
    keys = {(r["legacy_provider"], r["legacy_region_id"]) for r in ROWS}
    assert len(keys) == 82
    assert {r["legacy_provider"] for r in ROWS} == {
        "gcp", "aws", "azure", "ovh", "scaleway", "coreweave", "seeweb"}


def test_every_legacy_region_maps_to_a_cloud_region() -> None:
    regions = {(r["provider"], r["region_id"]) for r in data_rows("cloud_regions.csv")}
    keys = [(r["provider"], r["region_id"]) for r in ROWS]
    assert len(set(keys)) == len(keys)
    assert [key for key in keys if key not in regions] == []


def test_renamed_keys() -> None:
    by_legacy = {(r["legacy_provider"], r["legacy_region_id"]): r for r in ROWS}
    assert (by_legacy[("ovh", "gra")]["provider"], by_legacy[("ovh", "gra")]["region_id"]) \
        == ("ovhcloud", "gra")
    scaleway = by_legacy[("scaleway", "")]
    assert (scaleway["provider"], scaleway["region_id"]) == ("scaleway", "fr-par")
    unchanged = [r for r in ROWS if r["legacy_provider"] not in ("ovh", "scaleway")]
    assert all(r["provider"] == r["legacy_provider"]
               and r["region_id"] == r["legacy_region_id"] for r in unchanged)


def test_values_and_provenance() -> None:
    montreal = next(r for r in ROWS if r["region_id"] == "northamerica-northeast1")
    assert montreal["legacy_intensity_g_per_kwh"] == "34.5"  # kept as published
    for row in ROWS:
        assert 0 <= float(row["legacy_intensity_g_per_kwh"]) <= 1500
        assert row["source"] == import_mlco2_regions.SOURCE
        assert row["source_url"] == "https://github.com/mlco2/impact"
        assert row["licence"] == "MIT"
        assert row["source_year"] in ("2019", "2022")
    coreweave = [r for r in ROWS if r["provider"] == "coreweave"]
    assert {r["source_year"] for r in coreweave} == {"2022"}  # "average for oct21-oct22"


@pytest.mark.parametrize(
    ("texts", "year"),
    [
        (("measured on  July 2, 2019 between 8 and 9 PM",), 2019),
        (("electricitymap", "average for oct21-oct22"), 2022),
        (("https://www.carbonfootprint.com/docs/2018_8_electricity_factors.pdf",), None),
        (("eGRID", ""), None),
    ],
)
def test_stated_year(texts: tuple[str, ...], year: int | None) -> None:
    assert import_mlco2_regions.stated_year(*texts) == year


def test_importer_maps_keys_and_keeps_values_as_published(tmp_path: Path) -> None:
    upstream = tmp_path / "impact.csv"
    upstream.write_text(
        "provider,providerName,offsetRatio,region,regionName,country,state,city,impact,"
        "source,PUE,PUE source,comment\n"
        "ovh,OVHCloud,0,gra,Gravelines,France,,Gravelines,105.50,somewhere,,,\n"
        "scaleway,Scaleway,100,,Paris,France,,Paris,105,x,1.2,https://pue.example,\n"
        "coreweave,CoreWeave,0,LGA1,US East,USA,,Weehawken,282.75,electricitymap,,,"
        "average for oct21-oct22\n",
        encoding="utf-8",
    )
    out = tmp_path / "legacy.csv"
    regions = DATA / "cloud_regions.csv"
    argv = [str(upstream), "--regions", str(regions), "--out", str(out)]
    assert import_mlco2_regions.main(argv) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["provider"], r["region_id"]) for r in rows] == [
        ("ovhcloud", "gra"), ("scaleway", "fr-par"), ("coreweave", "LGA1")]
    assert rows[0]["legacy_intensity_g_per_kwh"] == "105.50"
    assert rows[1]["legacy_pue"] == "1.2" and "https://pue.example" in rows[1]["note"]
    assert [r["source_year"] for r in rows] == ["2019", "2019", "2022"]
    first = out.read_bytes()
    assert import_mlco2_regions.main(argv) == 0
    assert out.read_bytes() == first  # deterministic


def test_importer_refuses_an_unmapped_region(tmp_path: Path) -> None:
    upstream = tmp_path / "impact.csv"
    upstream.write_text("provider,region,impact,source,PUE,PUE source,comment\n"
                        "aws,mars-north-1,1,x,,,\n", encoding="utf-8")
    argv = [str(upstream), "--out", str(tmp_path / "out.csv")]
    assert import_mlco2_regions.main(argv) == 1
    assert not (tmp_path / "out.csv").exists()
    assert import_mlco2_regions.main([str(tmp_path / "missing.csv")]) == 2


def test_changelog_table_is_up_to_date() -> None:
    text = (DATA / "CHANGELOG.md").read_text("utf-8")
    expected = legacy_comparison.render(legacy_comparison.compare(load_catalog(), DATA))
    assert legacy_comparison.embedded(text) == expected, (
        "run 'python -m pipeline.legacy_comparison --write'")
    assert len(expected.splitlines()) == 2 + 82 + 2


def test_embed_replaces_only_the_block() -> None:
    text = f"head\n{legacy_comparison.START}\nold\n{legacy_comparison.END}\ntail\n"
    new = legacy_comparison.embed(text, "| a |")
    assert new == f"head\n{legacy_comparison.START}\n| a |\n{legacy_comparison.END}\ntail\n"
    with pytest.raises(ValueError, match="markers"):
        legacy_comparison.embedded("no markers")


# -- the validator's foreign-key rule ---------------------------------------------------------


def test_validator_checks_the_legacy_table() -> None:
    assert (DATA / "schema" / LEGACY.replace(".csv", ".json")).exists()
    assert validate(DATA) == []


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("region_id", "us-nowhere-9", "column region_id: 'aws:us-nowhere-9' is not a "
         "provider/region_id of data/cloud_regions.csv"),
        ("provider", "ovh", "column region_id: 'ovh:"),
    ],
)
def test_validator_reports_an_unmapped_legacy_region(data_copy: Path, column: str, value: str,
                                                     message: str) -> None:
    line = next(i for i, r in enumerate(ROWS, start=2) if r["provider"] == "aws")
    if column == "provider":
        line = next(i for i, r in enumerate(ROWS, start=2) if r["legacy_provider"] == "ovh")
    set_cell(data_copy / LEGACY, line, column, value)
    errors = validate(data_copy)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"data/{LEGACY}, line {line} (")
    assert message in errors[0]


def test_validator_reports_a_bad_legacy_value(data_copy: Path) -> None:
    set_cell(data_copy / LEGACY, 4, "legacy_intensity_g_per_kwh", "2000")
    errors = validate(data_copy)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"data/{LEGACY}, line 4 (")
    assert "column legacy_intensity_g_per_kwh: 2000 is above the maximum 1500" in errors[0]
