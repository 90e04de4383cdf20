"""Every corruption of a data table that the old validator let through (issue "One
schema, one room per stage") is refused with a message naming the file, line, column and
rule; the pipeline's commands and the site build refuse it too, with exit status 2 and no
traceback; and a link from the data is escaped and scheme-checked even if the validator
were bypassed."""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from ml_emissions import web
from ml_emissions.catalog import Source, load_catalog
from ml_emissions.result_html import _source_link
from pipeline import build_catalog, build_datapackage, column_docs
from pipeline import validate as validator
from sitebuild.hooks.shortcodes import check_data
from sitebuild.renderers.markers import Context, render_markers
from tests.conftest import set_cell

HOSTILE_URL = "https://x.org/a)<img src=x onerror=alert(1)>"

# (file, line, column, value, what the message says)
CELLS = [
    ("pue.csv", 3, "source_url", HOSTILE_URL, "is not an https address"),
    ("cloud_regions.csv", 3, "pue_source_url", "javascript:alert(1)",
     "is not an https address"),
    ("cloud_regions.csv", 3, "region_id", "ap-east-1 ", "'ap-east-1 ' has spaces around it"),
    ("constants.csv", 3, "constant_id", "default_utilization ", "has spaces around it"),
    ("constants.csv", 3, "value", "-1", "-1 is not valid; expected a share of the rated "
     "power between 0.01 and 1"),
    ("constants.csv", 2, "value", "-1000", "-1000 is not valid; expected a DRAM power"),
    ("hardware.csv", 3, "tdp_w", "1_000", "'1_000' is not a number written with digits"),
    ("hardware.csv", 3, "tdp_w", "٣٠٠", "'٣٠٠' is not a number written with digits"),
    ("hardware.csv", 3, "tdp_w", "nan", "'nan' is not a number written with digits"),
    ("hardware.csv", 3, "tdp_w", "-300", "-300 is below the minimum 1"),
    ("hardware.csv", 3, "source_year", "2020.0", "'2020.0' is not a whole number"),
    ("hardware.csv", 3, "source_year", "2e3", "'2e3' is not a whole number"),
    ("hardware.csv", 3, "source_url", "https://", "'https://' is not an https address"),
    ("hardware.csv", 3, "source_url", "https://a b.org/x", "is not an https address"),
    ("hardware.csv", 3, "name", "NVIDIA\nA100", "holds the control character U+000A"),
    ("hardware.csv", 3, "name", "A\u200bB", "holds the control character U+200B"),
    ("cloud_regions.csv", 3, "zone_id", "XX-NOWHERE",
     "'XX-NOWHERE' is not a zone_id of data/grid_zones.csv"),
]


@pytest.mark.parametrize(("file", "line", "column", "value", "message"), CELLS,
                         ids=[f"{c[0]}:{c[2]}={c[3]!r}" for c in CELLS])
def test_a_corrupt_cell_is_refused_by_line_and_column(
        data_copy: Path, file: str, line: int, column: str, value: str, message: str) -> None:
    set_cell(data_copy / file, line, column, value)
    errors = validator.validate(data_copy)
    assert errors, f"{file} {column}={value!r} passed"
    first = errors[0]
    assert first.startswith(f"data/{file}, line {line} (") and f", column {column}: " in first
    assert message in first
    assert all("\n" not in error for error in errors)  # one line each


def test_the_max_pue_must_be_above_every_pue_of_the_data(data_copy: Path) -> None:
    line = next(i for i, row in enumerate((data_copy / "constants.csv").read_text(
        "utf-8").splitlines(), start=1) if row.startswith("max_pue,"))
    set_cell(data_copy / "constants.csv", line, "value", "0.5")
    errors = validator.validate(data_copy)
    assert errors[0] == (f"data/constants.csv, line {line} (constant_id=max_pue), column "
                         "value: 0.5 is not valid; expected a PUE limit between 1.01 and 10")
    assert "data/pue.csv, line 2 (pue_id=aws), column pue: 1.14 is above max_pue (0.5) of " \
           "data/constants.csv" in errors


def _constant_line(data_copy: Path, constant_id: str) -> int:
    return next(i for i, row in enumerate((data_copy / "constants.csv").read_text(
        "utf-8").splitlines(), start=1) if row.startswith(f"{constant_id},"))


@pytest.mark.parametrize(("constant_id", "value", "expected"), [
    ("embodied_use_rate", "85", "a share of the lifetime between 0.01 and 1"),
    ("embodied_gpu_g_per_cm2", "19.7", "between 100 and 10,000 gCO2e per cm² of die"),
    ("flops_per_parameter_token", "60", "between 2 (a forward pass) and 10 FLOP per parameter "
     "and token"),
    ("max_flops", "3e23", "a FLOP limit between 1e24 and 1e30"),
])
def test_a_new_constant_out_of_its_bounds_is_refused(data_copy: Path, constant_id: str,
                                                     value: str, expected: str) -> None:
    line = _constant_line(data_copy, constant_id)
    set_cell(data_copy / "constants.csv", line, "value", value)
    assert validator.validate(data_copy)[0] == (
        f"data/constants.csv, line {line} (constant_id={constant_id}), column value: {value} "
        f"is not valid; expected {expected}")


def test_the_default_mfu_lies_within_the_mfu_range(data_copy: Path) -> None:
    line = _constant_line(data_copy, "default_mfu")
    set_cell(data_copy / "constants.csv", line, "value", "0.6")
    assert validator.validate(data_copy) == [
        f"data/constants.csv, line {line} (constant_id=default_mfu), column value: 0.6 is not "
        "valid; expected mfu_low <= default_mfu <= mfu_high (0.1968 <= 0.6 <= 0.552 is not)"]


def test_ids_that_differ_only_in_case_or_unicode_form_are_duplicates(data_copy: Path) -> None:
    set_cell(data_copy / "hardware.csv", 4, "name",
             (data_copy / "hardware.csv").read_text("utf-8").splitlines()[2].split(",")[1]
             .upper())
    errors = validator.validate(data_copy)
    assert any(e.startswith("data/hardware.csv, line 4 (") and "column name: duplicate value"
               in e and "(first on line 3;" in e for e in errors), errors


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


FILES = [
    ("not UTF-8", lambda p: _write(p, p.read_bytes().replace(b"aws", b"\xe9ws", 1)),
     "data/pue.csv, line 2: byte 0xe9 is not UTF-8; save the file as UTF-8"),
    ("UTF-16", lambda p: _write(p, p.read_text("utf-8").encode("utf-16")),
     "data/pue.csv: the file is UTF-16; save it as UTF-8"),
    ("empty", lambda p: _write(p, b""), "data/pue.csv: the file is empty"),
    ("binary", lambda p: _write(p, bytes(range(256))), "holds a NUL byte"),
    ("NUL in a cell", lambda p: _write(p, p.read_bytes().replace(b"aws", b"a\x00ws", 1)),
     "data/pue.csv, line 2: holds a NUL byte"),
    ("one field too many", lambda p: _write(p, p.read_bytes().replace(b"\n", b",x\n", 2)
                                            .replace(b",x\n", b"\n", 1)),
     "data/pue.csv, line 2: the row has 11 fields; the header has 10"),
    ("an extra column", lambda p: _write(p, p.read_bytes().replace(b"\n", b",extra\n", 1)),
     "data/pue.csv, line 1: columns not in its schema 'extra'"),
    ("a missing column", lambda p: _write(p, p.read_bytes().replace(b"pue_type,", b"", 1)),
     "data/pue.csv, line 1: missing columns pue_type"),
    ("missing", lambda p: p.unlink(), "data/pue.csv: the file is missing"),
]


@pytest.mark.parametrize(("damage", "message"), [f[1:] for f in FILES],
                         ids=[f[0] for f in FILES])
def test_a_broken_file_gets_one_message_and_every_command_exit_status_2(
        data_copy: Path, damage: object, message: str) -> None:
    damage(data_copy / "pue.csv")  # type: ignore[operator]
    errors = validator.validate(data_copy)
    assert any(message in e for e in errors), errors
    for command in (
        lambda: validator.main([str(data_copy)]),
        lambda: build_catalog.main(["--data", str(data_copy), "--out", str(data_copy / "c")]),
        lambda: build_datapackage.main(["--data", str(data_copy)]),
    ):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            assert command() == validator.INVALID_DATA
        assert message in err.getvalue() and "Traceback" not in err.getvalue()


@pytest.mark.parametrize("damage", ["tdp_w=-300", "missing zone", "missing column",
                                    "empty providers"])
def test_the_site_build_refuses_invalid_data(data_copy: Path, damage: str) -> None:
    if damage == "tdp_w=-300":
        set_cell(data_copy / "hardware.csv", 3, "tdp_w", "-300")
    elif damage == "missing zone":
        set_cell(data_copy / "cloud_regions.csv", 3, "zone_id", "ZZ")
    elif damage == "missing column":
        path = data_copy / "hardware.csv"
        path.write_text(path.read_text("utf-8").replace("segment,", "", 1), "utf-8")
    else:
        path = data_copy / "providers.csv"
        path.write_text(path.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    with pytest.raises(PluginError, match="the data is invalid"):
        check_data(data_copy)


def test_the_site_build_refuses_a_stale_catalog(data_copy: Path, tmp_path: Path) -> None:
    stale = tmp_path / "catalog.json"
    stale.write_text("{}", "utf-8")
    with pytest.raises(PluginError, match=r"out of date .*catalog\.json.*run 'make data'"):
        check_data(data_copy, stale)
    check_data()  # the project's own data and compiled files are in step


def test_the_readme_column_tables_are_up_to_date() -> None:
    assert column_docs.main(["--check"]) == 0


# -- the cross-field rules of the throughput, embodied and compute-case tables ------------

def _line(path: Path, **where: str) -> int:
    """The file line of the first row whose columns have the given values."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return next(i for i, row in enumerate(rows, start=2)
                if all(row[column] == value for column, value in where.items()))


def test_a_throughput_far_from_epochs_needs_a_note(data_copy: Path) -> None:
    path = data_copy / "throughput.csv"
    line = _line(path, hardware_id="nvidia-h100-sxm5-80gb", precision="bf16")
    set_cell(path, line, "epoch_tflops", "1979")  # Epoch's figure were the sparse one
    assert validator.validate(data_copy) == []  # the row has a note
    set_cell(path, line, "note", "")
    assert validator.validate(data_copy) == [
        f"data/throughput.csv, line {line} (hardware_id=nvidia-h100-sxm5-80gb,precision=bf16), "
        "column note: is empty, but epoch_tflops (1979) differs from dense_tflops (989.5) by "
        "100.0%, more than 2%; say why (sparse figure, another clock or variant, another SKU)"]
    set_cell(path, line, "epoch_tflops", "1000")  # within 2 %: no note needed
    assert validator.validate(data_copy) == []


@pytest.mark.parametrize(("column", "value", "message"), [
    ("precision", "bf16", "column hardware_id,precision: duplicate id "
     "'nvidia-h100-sxm5-80gb:bf16'"),
    ("precision", "int8", "column precision: 'int8' is not one of bf16, fp16, fp32, fp8, tf32"),
    ("hardware_id", "nvidia-h999", "column hardware_id: 'nvidia-h999' is not a hardware_id of "
     "data/hardware.csv"),
    ("dense_tflops", "0", "column dense_tflops: 0 is below the minimum 0.01"),
    ("datasheet_figure", "both", "column datasheet_figure: 'both' is not one of dense, sparse"),
])
def test_a_broken_throughput_row_is_refused(data_copy: Path, column: str, value: str,
                                            message: str) -> None:
    path = data_copy / "throughput.csv"
    line = _line(path, hardware_id="nvidia-h100-sxm5-80gb", precision="tf32")
    set_cell(path, line, column, value)
    errors = validator.validate(data_copy)
    assert errors and errors[0].startswith(f"data/throughput.csv, line {line} ("), errors
    assert message in errors[0]


def test_an_fp32_figure_is_never_a_sparse_one(data_copy: Path) -> None:
    path = data_copy / "throughput.csv"
    line = _line(path, hardware_id="nvidia-h100-sxm5-80gb", precision="fp32")
    set_cell(path, line, "datasheet_figure", "sparse")
    assert validator.validate(data_copy) == [
        f"data/throughput.csv, line {line} (hardware_id=nvidia-h100-sxm5-80gb,precision=fp32), "
        "column datasheet_figure: is sparse, but fp32 is the non-tensor figure, which has no "
        "structured-sparsity rate"]


@pytest.mark.parametrize(("hardware_id", "column", "value", "message"), [
    ("nvidia-a100-sxm4-80gb", "kg_co2e_per_device", "",
     "column kg_co2e_per_device: is empty; a value is required when method is published"),
    ("nvidia-h100-sxm5-80gb", "kg_co2e_per_device", "164",
     "column kg_co2e_per_device: 164 is given but method is die-area; leave it empty, or make "
     "the method published"),
    ("nvidia-h100-sxm5-80gb", "die_area_mm2", "",
     "column die_area_mm2: is empty; a value is required when method is die-area"),
    ("nvidia-h100-sxm5-80gb", "method", "published",
     "column kg_co2e_per_device: is empty; a value is required when method is published"),
])
def test_embodied_emissions_are_a_published_figure_or_a_die_area(
        data_copy: Path, hardware_id: str, column: str, value: str, message: str) -> None:
    path = data_copy / "embodied.csv"
    line = _line(path, hardware_id=hardware_id)
    set_cell(path, line, column, value)
    assert validator.validate(data_copy) == [
        f"data/embodied.csv, line {line} (hardware_id={hardware_id}), {message}"]


def test_a_published_figure_may_come_with_its_die_area(data_copy: Path) -> None:
    path = data_copy / "embodied.csv"
    line = _line(path, hardware_id="nvidia-a100-sxm4-80gb")
    set_cell(path, line, "die_area_mm2", "")  # for reference only
    assert validator.validate(data_copy) == []
    set_cell(path, line, "hardware_id", "nvidia-a100-sxm4-81gb")
    assert validator.validate(data_copy) == [
        f"data/embodied.csv, line {line} (hardware_id=nvidia-a100-sxm4-81gb), column "
        "hardware_id: 'nvidia-a100-sxm4-81gb' is not a hardware_id of data/hardware.csv"]


@pytest.mark.parametrize(("column", "value", "message"), [
    ("tokens", "", "column tokens: and flops are both empty; give the training tokens or the "
     "FLOPs the publication reports"),
    ("active_parameters", "8e11", "column active_parameters: 8e11 is above parameters (70e9)"),
    ("precision", "fp8", "column precision: 'nvidia-a100-sxm4-80gb:fp8' is not a "
     "hardware_id/precision of data/throughput.csv"),
    ("hardware_id", "nvidia-a100", "column hardware_id: 'nvidia-a100' is not a hardware_id of "
     "data/hardware.csv"),
    ("tokens", "2e21", "column tokens: 2e+21 is above the maximum 1e+20"),
])
def test_a_broken_compute_case_is_refused(data_copy: Path, column: str, value: str,
                                          message: str) -> None:
    path = data_copy / "compute_cases.csv"
    line = _line(path, case_id="touvron2023-llama2-70b")
    set_cell(path, line, column, value)
    errors = validator.validate(data_copy)
    assert errors and errors[0] == (
        f"data/compute_cases.csv, line {line} (case_id=touvron2023-llama2-70b), {message}"), errors


def test_the_limits_on_inputs_are_above_every_compute_case(data_copy: Path) -> None:
    line = _constant_line(data_copy, "max_parameters")
    set_cell(data_copy / "constants.csv", line, "value", "1e12")
    path = data_copy / "compute_cases.csv"
    set_cell(path, _line(path, case_id="brown2020-gpt3"), "parameters", "2e12")
    gpt3 = _line(path, case_id="brown2020-gpt3")
    assert validator.validate(data_copy) == [
        f"data/compute_cases.csv, line {gpt3} (case_id=brown2020-gpt3), column parameters: 2e12 "
        "is above max_parameters (1e+12) of data/constants.csv"]


# -- the hardware threads per socket of CPUs --------------------------------------------

def test_only_a_cpu_has_threads(data_copy: Path) -> None:
    path = data_copy / "hardware.csv"
    line = _line(path, hardware_id="nvidia-h100-sxm5-80gb")
    set_cell(path, line, "threads", "128")
    assert validator.validate(data_copy) == [
        f"data/hardware.csv, line {line} (hardware_id=nvidia-h100-sxm5-80gb), column threads: "
        "128 is given, but the device is a gpu; threads are for CPUs only"]
    cpu = _line(path, hardware_id="amd-epyc-7r13")
    set_cell(path, line, "threads", "")
    set_cell(path, cpu, "threads", "")  # a CPU may leave it empty, unless an instance uses it
    assert all("column threads" not in e for e in validator.validate(data_copy))


@pytest.mark.parametrize(("value", "message"), [
    ("0", "column threads: 0 is below the minimum 1"),
    ("96.5", "column threads: '96.5' is not a whole number (digits only)"),
])
def test_a_broken_threads_cell_is_refused(data_copy: Path, value: str, message: str) -> None:
    path = data_copy / "hardware.csv"
    line = _line(path, hardware_id="amd-epyc-7r13")
    set_cell(path, line, "threads", value)
    errors = validator.validate(data_copy)
    assert errors and errors[0] == (
        f"data/hardware.csv, line {line} (hardware_id=amd-epyc-7r13), {message}"), errors


# -- the cloud instances: their accelerator and host CPU --------------------------------

@pytest.mark.parametrize(("column", "value", "message"), [
    ("cpu_id", "nvidia-t4", "column cpu_id: 'nvidia-t4' is a gpu, not a CPU"),
    ("cpu_id", "intel-xeon-platinum-8160", "column cpu_id: 'intel-xeon-platinum-8160' has no "
     "threads in data/hardware.csv; give its threads per socket, from which the engine derives "
     "the instance's CPU power"),
    ("cpu_id", "intel-xeon-8259", "column cpu_id: 'intel-xeon-8259' is not a hardware_id of "
     "data/hardware.csv"),
    ("accelerator_id", "intel-xeon-platinum-8259cl", "column accelerator_id: "
     "'intel-xeon-platinum-8259cl' is a CPU; give the instance's accelerator, its CPU as cpu_id"),
    ("provider", "digitalocean", "column provider: 'digitalocean' is not a provider_id of "
     "data/providers.csv"),
    ("accelerator_count", "0", "column accelerator_count: 0 is below the minimum 1"),
    ("vcpus", "4.5", "column vcpus: '4.5' is not a whole number (digits only)"),
])
def test_a_broken_instance_row_is_refused(data_copy: Path, column: str, value: str,
                                          message: str) -> None:
    path = data_copy / "instances.csv"
    line = _line(path, provider="aws", instance_type="g4dn.xlarge")
    set_cell(path, line, column, value)
    errors = validator.validate(data_copy)
    key = "provider=digitalocean" if value == "digitalocean" else "provider=aws"
    assert errors and errors[0] == (
        f"data/instances.csv, line {line} ({key},instance_type=g4dn.xlarge), {message}"), errors


def test_an_instance_is_unique_per_provider_and_a_host_cpu_needs_its_threads(
        data_copy: Path) -> None:
    path = data_copy / "instances.csv"
    line = _line(path, provider="aws", instance_type="g4dn.2xlarge")
    set_cell(path, line, "instance_type", "G4dn.xlarge")  # case is ignored
    errors = validator.validate(data_copy)
    assert errors and errors[0].startswith(f"data/instances.csv, line {line} ") and (
        "column provider,instance_type: duplicate id 'aws:G4dn.xlarge'" in errors[0]), errors
    set_cell(path, line, "instance_type", "g4dn.2xlarge")
    set_cell(path, line, "cpu_id", "")  # a host CPU is optional
    assert validator.validate(data_copy) == []
    hardware = data_copy / "hardware.csv"
    set_cell(hardware, _line(hardware, hardware_id="intel-xeon-platinum-8259cl"), "threads", "")
    assert {e.split(", column")[0] for e in validator.validate(data_copy)} == {
        f"data/instances.csv, line {n} (provider=aws,instance_type={t})"
        for n, t in _instance_lines(path, "intel-xeon-platinum-8259cl")}


def _instance_lines(path: Path, cpu_id: str) -> list[tuple[int, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(i, row["instance_type"]) for i, row in enumerate(csv.DictReader(handle), start=2)
                if row["cpu_id"] == cpu_id]


# -- links from the data, even if the validator were bypassed ----------------------------

def test_a_hostile_source_url_never_becomes_markup() -> None:
    catalog = load_catalog()
    pue = tuple(replace(p, source=replace(p.source, url=HOSTILE_URL)) for p in catalog.pue)
    hostile = type(catalog)(version=catalog.version, hardware=catalog.hardware,
                            zones=catalog.zones, providers=catalog.providers,
                            regions=catalog.regions, pue=pue,
                            equivalents=catalog.equivalents, constants=catalog.constants)
    for marker in ("pue-table", "facility-table"):
        html = render_markers(f"<!-- data:{marker} -->",
                              Context(catalog=hostile, page_url="factors/pue/"))
        assert "<img" not in html and "onerror" not in html.replace("onerror=", "")
        assert "href=" not in html or HOSTILE_URL not in html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.org",
                                 HOSTILE_URL])
def test_the_result_panel_links_only_http_addresses(url: str) -> None:
    html = _source_link(Source("a <b>source</b>", url, 2024, "CC-BY-4.0"))
    assert "href" not in html and "<b>" not in html
    assert _source_link(Source("x", "https://example.org/a?b=1&c=2", 2024, "")) == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener">x</a>')
    assert web.respond(web.DEFAULT_PARAMS)["ok"]
