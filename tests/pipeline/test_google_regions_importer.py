"""pipeline/importers/google_regions.py on a small fixture of region-carbon-info's yearly
files (the headers as Google publishes them: "Lifecycle grid carbon intensity" until
2020, "Grid carbon intensity" from 2021; CFE as a fraction)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.importers import google_regions

COLUMNS = "Google Cloud Region,Location,Google CFE,"
HEADER_2020 = COLUMNS + "Lifecycle grid carbon intensity (gCO2eq / kWh)\n"
HEADER_2024 = COLUMNS + "Grid carbon intensity (gCO2eq / kWh)\n"


def _write(folder: Path, files: dict[str, str] | dict[str, str | bytes]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return folder


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = google_regions.main(args)
    return status, capsys.readouterr().err


def test_years_are_merged_with_their_basis_and_cfe_as_a_percentage(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write(tmp_path / "yearly", {
        "2020.csv": HEADER_2020 + "europe-west1,Belgium,0.62,201\n",
        "2024.csv": HEADER_2024 + "europe-west1,Belgium,0.845,103.5\n"
                                  "us-central1,Iowa,0.87,412.72\n\n",
        "README.md": "not a year\n",
    })
    out = tmp_path / "history.csv"
    status, err = _run([str(src), "--out", str(out)], capsys)
    assert status == 0, err
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == google_regions.OUT_COLUMNS
    # sorted by region, then year; intensities copied as published; 0.62 -> 62 %,
    # 0.845 -> 84.5 %, 0.87 -> 87 % (exact decimals)
    assert [(r["region_id"], r["year"], r["intensity_g_per_kwh"], r["intensity_basis"],
             r["cfe_pct"]) for r in rows] == [
        ("europe-west1", "2020", "201", "life-cycle", "62"),
        ("europe-west1", "2024", "103.5", "operational", "84.5"),
        ("us-central1", "2024", "412.72", "operational", "87"),
    ]
    assert {r["source"] for r in rows if r["year"] == "2024"} == {
        "Google Cloud, region-carbon-info 2024"}
    assert {(r["source_year"], r["licence"]) for r in rows} == {
        ("2020", "Apache-2.0"), ("2024", "Apache-2.0")}


def test_the_same_input_gives_the_same_bytes(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    src = _write(tmp_path / "yearly", {"2024.csv": HEADER_2024 + "a1,X,0.5,10\nb2,Y,,\n"})
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    assert _run([str(src), "--out", str(first)], capsys)[0] == 0
    assert _run([str(src), "--out", str(second)], capsys)[0] == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(("files", "status", "message"), [
    ({}, 2, "no YEAR.csv files"),
    ({"2024.csv": ""}, 2, "2024.csv: cannot read CSV"),
    ({"2024.csv": b"\xff\xfeG\x00o\x00"}, 2, "2024.csv: cannot read CSV"),
    ({"2024.csv": "Google Cloud Region,Google CFE\na,0.5\n"}, 2,
     "missing required column(s): 'Grid carbon intensity"),
    ({"2024.csv": HEADER_2024 + "a,X,0.5,10\na,X,0.5,11\n"}, 1, "duplicate regions: a"),
    ({"2024.csv": HEADER_2024 + "a,X,1.5,10\n"}, 1, "a: CFE 1.5 is not a fraction"),
    ({"2024.csv": HEADER_2024 + "a,X,0.5,ten\n"}, 1, "2024.csv a: 'ten' is not a number"),
    ({"2024.csv": HEADER_2024 + "a,X,0.5,99999\n"}, 1, "a: intensity 99999 outside"),
])
def test_bad_upstream_files_get_one_line_and_write_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        files: dict[str, str | bytes], status: int, message: str) -> None:
    src = _write(tmp_path / "yearly", files)
    out = tmp_path / "history.csv"
    got, err = _run([str(src), "--out", str(out)], capsys)
    assert got == status
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()
