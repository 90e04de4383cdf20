"""No input ends in a traceback (issue "One schema, one room per stage, and no traceback
from any input or file"): each case a user met gets a message naming the field, the
value and what is allowed; any text in any field gives an estimate or an InputError;
every valid job renders in every format, and its JSON is strict JSON."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_emissions import FORMATS, InputError, Job, estimate, load_catalog, render, web
from ml_emissions.cli import main
from ml_emissions.job import PARAMETERS
from ml_emissions.resolve import job_from_params

ML_EMISSIONS = str(Path(sys.executable).with_name("ml-emissions"))


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if status:
        assert out == "" and err.count("\n") == 1  # one line on stderr
    return status, err


def strict_json(text: str) -> object:
    """JSON as a strict parser reads it: no NaN, Infinity or -Infinity."""
    def refuse(constant: str) -> object:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(("args", "expected"), [
    (["--watts", "300", "--count", "2", "--device-hours", "5e-324", "--development-hours",
      "1", "--intensity", "400"],
     "error: --device-hours: '5e-324' is not valid; expected a duration of at least one "
     "second per run and device"),
    (["--watts", "300", "--hours", "5e-324", "--development-hours", "1", "--intensity",
      "400"], "error: --hours: '5e-324' is not valid; expected a duration of at least one "
               "second per run"),
    (["--from-url", "http://[::1"], "error: --from-url: 'http://[::1' is not valid; expected "
                                    "a calculator permalink"),
    (["--from-url", "?device-hours=1&device_hours=2"],
     "error: --from-url: 'device_hours' is not valid; expected each parameter once"),
    (["--hours", "1", "--hours", "2", "--watts", "1", "--zone", "FR"],
     "error: argument --hours: given twice; give each flag once"),
    (["--from-url", "?--hours=1&watts=1&zone=FR&hours=1"],
     "error: --from-url: '--hours' is not a parameter"),
    (["--watts", "1e400", "--hours", "1", "--zone", "FR"], "error: --watts: '1e400' is not "
                                                           "valid"),
])
def test_each_case_gets_one_line_naming_its_flag(args: list[str], expected: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    status, err = cli(["estimate", *args], capsys)
    assert status == 2
    assert err.startswith(expected), err


def test_control_characters_never_reach_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--from-url", "?hardware=\x1b[31mV100&hours=1&zone=FR"],
                 ["--hardware", "V100\nX", "--hours", "1", "--zone", "FR"],
                 ["--zone", "F\rR", "--hours", "1", "--watts", "1"]):
        status, err = cli(["estimate", *args], capsys)
        assert status == 2
        assert all(ch.isprintable() for ch in err.rstrip("\n")), repr(err)


def test_a_csv_cell_never_starts_a_formula() -> None:
    # names are matched without their punctuation: "=V100" is the V100 (OWASP's rule)
    result = estimate(Job(hardware="=V100", hours=1, zone="@France"))
    rows = dict(line.split(",", 1) for line in render(result, "csv").splitlines()[1:])
    assert rows["job.hardware"] == "'=V100" and rows["job.zone"] == "'@France"
    assert not [value for value in rows.values() if value[:1] in ("=", "+", "@")]


def test_render_names_the_formats_for_an_unknown_one() -> None:
    result = estimate(Job(watts=1, hours=1, zone="FR"))
    with pytest.raises(InputError, match="format: 'pdf' is not valid; expected one of text, "
                                         "json, csv, latex, markdown or model-card"):
        render(result, "pdf")


def test_the_python_entry_points_refuse_what_is_not_a_job() -> None:
    with pytest.raises(InputError, match=r"watts: 10{399,}0* is not valid"):
        Job(watts=10**400, hours=1, zone="FR")
    with pytest.raises(InputError, match="job: 'V100' is not valid; expected a Job"):
        estimate("V100")  # type: ignore[arg-type]


@pytest.mark.parametrize("request_text", [
    "[" * 5000 + "]" * 5000, "{" * 4000, '{"hours": "1", "hours": "2"}', "\udcff", "",
    json.dumps({"watts": "1", "hours": "1", "zone": "FR", "device_hours": "1",
                "device-hours": "2"}),
])
def test_the_web_entry_points_never_raise(request_text: str) -> None:
    for entry in (web.calculate, web.calculate_query, web.exports_query):
        reply = strict_json(entry(request_text))
        assert isinstance(reply, dict) and reply["ok"] is False
        assert all(set(error) == {"field", "message"} for error in reply["errors"])
    assert strict_json(web.calculate(None))  # type: ignore[arg-type]


def test_the_shortest_and_largest_jobs_give_finite_strict_json() -> None:
    catalog = load_catalog()
    largest = Job(watts=1e6, count=10_000_000, hours=1e7, runs=100_000_000,
                  intensity=catalog.constant("max_intensity_g_per_kwh").value,
                  pue=catalog.constant("max_pue").value)
    for job in (Job(watts=1e-9, hours=1 / 3600, intensity=0), largest):
        result = estimate(job)
        for name in FORMATS:
            assert render(result, name)
        data = strict_json(render(result, "json"))
        assert isinstance(data, dict) and math.isfinite(data["co2e_kg"])


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
fields = st.dictionaries(
    st.sampled_from([*[name.replace("_", "-") for name in PARAMETERS], "evil", "device_hours"]),
    st.one_of(texts, st.sampled_from(["1", "10", "14 d", "FR", "V100", "gcp:us-central1",
                                      "A100 80GB SXM", "direct", "hpc", "0", "-1", "1e400"])),
    max_size=8)
OPTIONAL = {"count": ["1", "8", "3,000"], "runs": ["1", "500"], "utilization": ["0.5", "1"],
            "cpu-watts": ["0", "150"], "memory-gb": ["0", "64"], "pue": ["1", "1.2"],
            "basis": ["life-cycle", "direct"], "facility": ["hpc", "workstation"],
            "training-type": ["fine-tuning"], "hours": ["90 min", "14 d", "2 w"]}
optional = st.sampled_from([(k, v) for k, values in OPTIONAL.items() for v in values])
# any fields alone, or a valid job with some optional fields set (valid jobs are hit too)
params = st.one_of(fields, st.lists(optional, max_size=5).map(
    lambda extra: {"watts": "100", "hours": "1", "zone": "FR", **dict(extra)}))


@settings(max_examples=300, deadline=None)
@given(given_params=params)
def test_any_text_in_any_field_gives_an_estimate_or_an_input_error(
        given_params: dict[str, str]) -> None:
    catalog = load_catalog()
    try:
        result = estimate(job_from_params(given_params, catalog), catalog)
    except InputError as error:
        assert str(error) and all(ch.isprintable() or ch == " " for ch in error.describe(
            error.field))
        return
    for name in FORMATS:
        assert render(result, name)
    strict_json(render(result, "json"))
    reply = strict_json(web.calculate(json.dumps(given_params)))
    assert isinstance(reply, dict) and reply["ok"] is True


def test_the_command_line_gives_no_traceback_as_a_process() -> None:
    done = subprocess.run([ML_EMISSIONS, "estimate", "--from-url", "http://[::1"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
