"""Planning and projects on the site: the validation cases of ``data/compute_cases.csv``
with the model FLOPs utilisation each implies (``<!-- data:compute-cases -->``,
``<!-- data:compute-cases-covered -->``), comparisons of scenarios
(``<!-- data:comparison ... -->``, with the calculator's comparison keys), and the
``sacct`` command the Slurm importer reads (``<!-- data:sacct-command -->``)."""

from __future__ import annotations

from dataclasses import dataclass

from ml_emissions import formatting as fmt
from ml_emissions.compare import compare, split_comparison
from ml_emissions.compute import implied_mfu, peak_throughput, training_flops
from ml_emissions.records import SACCT_COMMAND
from ml_emissions.result_html import comparison_html
from sitebuild.renderers.markers import Context, MarkerError
from sitebuild.renderers.safe import Markup, link
from sitebuild.renderers.tables import markdown_table
from sitebuild.renderers.values import read_rows


@dataclass(frozen=True)
class Case:
    """One published training run and the MFU its FLOPs and device-hours imply."""

    row: dict[str, str]
    device: str
    flops: float
    peak_tflops: float
    implied_mfu: float | None
    covered: bool | None  # within the default MFU range


def compute_case_rows(context: Context) -> list[Case]:
    """Every row of ``data/compute_cases.csv`` worked out with the engine's formulas."""
    catalog = context.catalog
    low = catalog.constant("mfu_low").value
    high = catalog.constant("mfu_high").value
    factor = catalog.constant("flops_per_parameter_token").value
    cases = []
    for row in read_rows("compute_cases.csv"):
        device = catalog.find_hardware(row["hardware_id"])
        peak = peak_throughput(catalog, device, row["precision"])
        if row["tokens"]:
            active = float(row["active_parameters"] or row["parameters"])
            flops = training_flops(active, float(row["tokens"]), factor)
        else:
            flops = float(row["flops"])
        mfu = (implied_mfu(flops, float(row["device_hours"]), peak.dense_tflops)
               if row["device_hours"] else None)
        cases.append(Case(row, device.name, flops, peak.dense_tflops, mfu,
                          None if mfu is None else low <= mfu <= high))
    if not cases:
        raise MarkerError("data/compute_cases.csv has no rows")
    return cases


def compute_cases(context: Context) -> str:
    """The validation cases: FLOPs by 6ND beside the published figure, and the MFU each
    run's published device-hours imply on its hardware's dense peak."""
    rows = []
    for case in compute_case_rows(context):
        row = case.row
        reported = f" (published {fmt.scientific(float(row['flops']))})" if row["flops"] else ""
        size = fmt.count(float(row["parameters"]))
        if row["tokens"]:
            size += " x " + fmt.count(float(row["tokens"]))
        rows.append([
            link(row["model"], row["source_url"]),
            size,
            fmt.scientific(case.flops) + reported,
            f"{case.device} ({row['precision'].upper()}, {fmt.exact(case.peak_tflops)})",
            fmt.exact(float(row["device_hours"])) if row["device_hours"] else "-",
            "-" if case.implied_mfu is None else fmt.percent(100 * case.implied_mfu),
            {None: "-", True: "yes", False: "no"}[case.covered],
        ])
    return markdown_table(["Model", "Parameters x tokens", "FLOPs (6ND)",
                           "Device (precision, dense peak TFLOPS)", "Published GPU-hours",
                           "Implied MFU", "In the range"], rows)


def compute_cases_covered(context: Context) -> str:
    """``"4 of 6"``: how many cases with device-hours the default MFU range covers."""
    known = [case for case in compute_case_rows(context) if case.covered is not None]
    return f"{sum(1 for case in known if case.covered)} of {len(known)}"


def comparison(context: Context, **params: str) -> str:
    """A comparison of scenarios, as the calculator shows it (the engine's escaped HTML:
    table, chart and notes); the parameters are the calculator's, with its comparison
    keys (``compare-hardware="H100 SXM;B200"``)."""
    split = split_comparison(params)
    if split is None:
        raise MarkerError("comparison needs a compare-hardware, compare-count, "
                          "compare-location or compare-precision parameter")
    html = comparison_html(compare(*split, context.catalog), on_calculator=False)
    return Markup("\n\n" + html + "\n\n")


def sacct_command(context: Context) -> str:
    """The ``sacct`` command whose output the Slurm importer reads, as a code block."""
    return f"\n\n```sh\n{SACCT_COMMAND}\n```\n\n"
