"""Projects of many jobs, from the records researchers have: a ``sacct -P`` log, CodeCarbon
files of both headers, a table of jobs. The fixtures in ``tests/engine/records/`` were
written for these tests; every total below is worked out by hand from them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ml_emissions import load_catalog
from ml_emissions.cli import main
from ml_emissions.project import ProjectJob, estimate_project
from ml_emissions.project_reports import render_project
from ml_emissions.records import FileKindError, ImportOptions, read_records
from tests.conftest import data_rows

RECORDS = Path(__file__).parent / "records"
MEMORY_W_PER_GB = 0.3725  # data/constants.csv, Green Algorithms
FR = next(float(r["intensity_lifecycle_g_per_kwh"]) for r in data_rows("grid_zones.csv")
          if r["zone_id"] == "FR")
SACCT_OPTIONS = ImportOptions(defaults={"zone": "FR"}, gpu_map={"a100": "A100 80GB SXM"},
                              partition_map={"gpu": "A100 80GB SXM"}, final=frozenset({"1005"}))


def sacct() -> bytes:
    return (RECORDS / "sacct_mixed.txt").read_bytes()


def test_sacct_jobs_steps_states_and_problems() -> None:
    records = read_records(sacct(), SACCT_OPTIONS)
    assert records.kind == "sacct log"
    # steps 1001.batch, .extern, .0 and 1002.batch fold into their jobs
    assert [j.label for j in records.jobs] == ["1001 pretrain", "1002 sweep-3",
                                               "1003 sweep-4", "1005 final"]
    assert [j.state for j in records.jobs] == ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT"]
    assert [j.phase for j in records.jobs] == ["development"] * 3 + ["final"]
    # 1004 is pending: skipped and listed
    assert [(p.line, p.label) for p in records.skipped] == [(9, "1004")]
    # 1006 has no GPU and no CPU power; 1007 has no readable time; 1008 is cut short
    assert [(p.line, p.label) for p in records.problems] == [(11, "1006"), (12, "1007"),
                                                             (13, "1008")]
    assert "AllocTRES" in records.problems[0].message
    assert "Elapsed" in records.problems[1].message


def test_sacct_totals_by_hand() -> None:
    records = read_records(sacct(), SACCT_OPTIONS)
    project = estimate_project(records.jobs, skipped=records.skipped,
                               problems=records.problems)
    jobs = {j.job.label: j for j in project.jobs}
    # 1001: 4 A100 (400 W) x 10 h + 256 GB x 0.3725 W x 10 h = 16,953.6 Wh
    # 1002: 2 H100 SXM (700 W) x 2.5 h + 64 GB x 0.3725 x 2.5 h = 3,559.6 Wh
    # 1003: 1 A100 (the partition's) x 24 h + 32 GB x 0.3725 x 24 h = 9,886.08 Wh
    # 1005: 8 A100 x 48 h + 512 GB x 0.3725 x 48 h = 162,754.56 Wh
    it_wh = {"1001 pretrain": 16_953.6, "1002 sweep-3": 3_559.6, "1003 sweep-4": 9_886.08,
             "1005 final": 162_754.56}
    first = project.profiles[jobs["1001 pretrain"].profile]
    pue = first.inputs.pue  # a cluster's: the facility hpc
    assert first.inputs.facility.kind == "hpc"
    for label, wh in it_wh.items():
        assert jobs[label].energy_kwh == pytest.approx(wh * pue / 1000)
    total_kwh = sum(it_wh.values()) * pue / 1000
    assert project.total.energy_kwh == pytest.approx(total_kwh)
    assert project.total.co2e_kg == pytest.approx(total_kwh * FR / 1000)
    assert project.total.device_hours == pytest.approx(40 + 5 + 24 + 384)
    assert project.failed.jobs == 3  # failed, cancelled, timed out: counted, shown apart
    assert project.final.co2e_kg == pytest.approx(162_754.56 * pue / 1000 * FR / 1000)
    assert project.final_share == pytest.approx(162_754.56 / sum(it_wh.values()))
    assert set(project.by_hardware) == {"NVIDIA A100 SXM4 80GB", "NVIDIA H100 SXM5 80GB"}
    assert project.by_hardware["NVIDIA A100 SXM4 80GB"].jobs == 3


def test_cli_project_text_json_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sacct.txt"
    path.write_bytes(sacct())
    args = ["project", str(path), "--zone", "FR", "--gpu-map", "a100=A100 80GB SXM",
            "--partition-map", "gpu=A100 80GB SXM", "--final", "1005"]
    assert main([*args, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["total"]["jobs"] == 4 and len(data["problems"]) == 3
    assert data["skipped"] == ["line 9 (1004): PENDING, 0 h: never ran"]
    assert err.startswith("warning: ") and err.count("\n") == 1
    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["row"] for r in rows] == ["job"] * 4 + ["total", "phase", "phase"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "Failed, cancelled or timed out" in text and "of the project" in text


def test_codecarbon_both_headers_re_estimated_beside_its_own_figure() -> None:
    catalog = load_catalog()
    records = read_records((RECORDS / "codecarbon_2x.csv").read_bytes())
    assert records.kind == "CodeCarbon emissions.csv"
    assert [p.line for p in records.problems] == [4]  # duration 'abc'
    gpu_run, laptop = records.jobs
    # 2 h; GPUs 2.4 kWh over 4 A100 40GB: 300 W each; CPU and RAM 0.4 kWh: 200 W
    assert gpu_run.params["hardware"] == "NVIDIA A100 SXM4 40GB"
    assert float(gpu_run.params["measured-watts"]) == pytest.approx(300)
    assert float(gpu_run.params["cpu-watts"]) == pytest.approx(200)
    assert gpu_run.params["region"] == "gcp:europe-west1"
    assert gpu_run.tracker is not None and gpu_run.tracker.co2e_kg == 0.2
    assert gpu_run.tracker.intensity_g_per_kwh == pytest.approx(0.2 / 2.8 * 1e6)
    # laptop: 0.025 kWh in 1 h, 25 W, France, no data-centre overhead
    assert float(laptop.params["measured-watts"]) == pytest.approx(25)
    assert laptop.params["facility"] == "workstation"
    project = estimate_project(records.jobs, catalog)
    laptop_est = project.jobs[1]
    assert laptop_est.energy_kwh == pytest.approx(0.025)
    assert laptop_est.co2e_kg == pytest.approx(0.025 * FR / 1000)
    text = render_project(project)
    assert "here " in text  # CodeCarbon's figure beside this project's, with both bases

    newer = read_records((RECORDS / "codecarbon_3x.csv").read_bytes())
    (h100,) = newer.jobs
    # 30 min; GPU 0.35 kWh: 700 W; CPU and RAM 0.07 kWh: 140 W; Germany, on premises
    assert h100.params["hardware"] == "NVIDIA H100 SXM5 80GB"
    assert float(h100.params["measured-watts"]) == pytest.approx(700)
    assert float(h100.params["cpu-watts"]) == pytest.approx(140)
    assert h100.params["zone"] == "DE" and h100.tracker is not None
    assert h100.tracker.pue == 1.2


def test_table_of_jobs_and_its_bad_rows() -> None:
    records = read_records((RECORDS / "jobs.csv").read_bytes())
    assert records.kind == "table of jobs"
    assert [p.line for p in records.problems] == [7]  # 'short': too few cells
    project = estimate_project(records.jobs, problems=records.problems)
    assert [j.job.label for j in project.jobs] == ["search", "ablation", "final model"]
    # typo: unknown device, close names suggested; nowhere: no location
    assert [(p.line, p.label) for p in project.problems] == [(5, "typo"), (6, "nowhere"),
                                                            (7, "")]
    assert "A100-80G-SMX" in project.problems[0].message
    assert "missing" in project.problems[1].message
    search = project.jobs[0]
    # 2,400 device-hours per run on 8 devices, 40 runs: 96,000 device-hours
    assert search.device_hours == 96_000
    assert project.final.jobs == 1


def test_bom_crlf_and_quoted_fields() -> None:
    text = (RECORDS / "jobs.csv").read_text().replace("final model", '"final, big"')
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    records = read_records(data)
    assert records.jobs[2].label == "final, big" and len(records.jobs) == 5
    utf16 = read_records(text.encode("utf-16"))
    assert [j.label for j in utf16.jobs] == [j.label for j in records.jobs]


@pytest.mark.parametrize(("data", "words"), [
    (b"", "an empty file"),
    (b"\x00\x01\x02binary", "a binary file"),
    (b"name,age\nada,36\n", "a file of an unknown kind"),
    (b"JobID|State\n1|COMPLETED\n", "a sacct log without AllocTRES, Elapsed"),
])
def test_a_file_of_the_wrong_kind_is_one_message(data: bytes, words: str) -> None:
    with pytest.raises(FileKindError) as info:
        read_records(data)
    assert words in info.value.describe("file")


def test_cli_bad_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"name,age\nada,36\n")
    assert main(["project", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --file: a file of an unknown kind") and err.count("\n") == 1
    assert main(["project", str(tmp_path / "missing.csv")]) == 2
    assert "a file that can be read" in capsys.readouterr().err


def test_template_is_a_table_of_jobs_that_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "--template"]) == 0
    template = capsys.readouterr().out
    project = estimate_project(read_records(template).jobs)
    assert len(project.jobs) == 3 and not project.problems


def test_python_api_from_typed_jobs() -> None:
    project = estimate_project([
        ProjectJob({"hardware": "V100 SXM2 32GB", "count": "4", "hours": "10", "zone": "FR"}),
        ProjectJob({"hardware": "V100 SXM2 32GB", "count": "4", "hours": "5", "zone": "FR"},
                   phase="final"),
    ])
    # 4 x 300 W x 15 h x PUE of a data centre of unknown operator
    pue = project.profiles[0].inputs.pue
    assert project.jobs[1].profile == 0  # the same configuration, scaled to its hours
    assert project.total.energy_kwh == pytest.approx(4 * 300 * 15 * pue / 1000)
    assert project.final_share == pytest.approx(5 / 15)


def test_the_json_report_opens_again_as_the_same_project() -> None:
    records = read_records(sacct(), SACCT_OPTIONS)
    project = estimate_project(records.jobs)
    report = render_project(project, "json")
    again = read_records(report)
    assert again.kind == "project file"
    reopened = estimate_project(again.jobs)
    assert reopened.total == project.total and reopened.by_phase == project.by_phase
    assert [j.job.state for j in reopened.jobs] == [j.job.state for j in project.jobs]
    with pytest.raises(FileKindError):
        read_records('{"format": "something else"}')


def test_a_long_reading_tells_its_progress() -> None:
    # 25,000 one-line jobs after the header: lines 10,000 and 20,000 of 25,001 are told,
    # then the estimating (1,000 jobs or more); the reply is the same with or without
    from ml_emissions import web
    table = "hardware,hours,zone\n" + "V100,1,FR\n" * 25_000
    told: list[str] = []
    request = json.dumps({"table": "", "import": table, "kind": "auto", "options": {}})
    reply = json.loads(web.project(request, told.append))
    assert told == ["Reading the file: line 10,000 of 25,001…",
                    "Reading the file: line 20,000 of 25,001…", "Estimating 25,000 jobs…"]
    assert reply["ok"] and reply["summary"].startswith("25,000 jobs counted")
    assert json.loads(web.project(request)) == reply
    # a short table tells nothing
    told.clear()
    web.project(json.dumps({"table": "hardware,hours,zone\nV100,1,FR\n"}), told.append)
    assert told == []
