"""The calculator page's interface to the engine: JSON in, JSON out.

The browser's Web Worker imports this module once in Pyodide and calls
:func:`calculate` with a JSON object of the form's values (strings, named like the
command-line flags and permalink keys); it never builds Python source. The site build
calls the same functions to render the form and the first estimate into the page.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any
from urllib.parse import urlencode

from . import formatting as fmt
from .catalog import Catalog, load_catalog
from .compare import COMPARE_KEYS, ScenarioComparison, compare, split_comparison, split_values
from .compute import DEFAULT_PRECISION, PRECISIONS
from .engine import estimate
from .errors import (
    InputError,
    InputErrors,
    UnknownParameterError,
    UnpublishedPowerError,
    each_error,
)
from .job import (
    BASES,
    FACILITIES,
    PARAMETERS,
    TRAINING_TYPES,
    Job,
    params_from_query,
)
from .location import basis_words
from .project import ProjectEstimate, ProjectJob, RowProblem, estimate_project
from .project_html import project_html
from .project_reports import PROJECT_FORMATS, render_project
from .records import ImportOptions, read_records
from .records.jobs_csv import write_jobs_table
from .records.text import device_map, power_per_cpu
from .reports import FORMATS, describe, render
from .resolve import job_from_params
from .result_html import comparison_html, estimate_html, summary_html

__all__ = [
    "DEFAULT_PARAMS",
    "FIELD_LABELS",
    "calculate",
    "calculate_query",
    "estimate_html",
    "exports_query",
    "form_options",
    "load_catalog",
    "project",
    "project_exports",
    "respond",
    "warm_up",
]

DEFAULT_PARAMS: dict[str, str] = {
    "hardware": "NVIDIA A100 SXM4 80GB",
    "count": "8",
    "hours": "24",
    "region": "gcp:us-central1",
}
"""The inputs of the estimate shown before the visitor changes anything."""

FIELD_LABELS: dict[str, str] = {
    "hardware": "Hardware",
    "watts": "Power per device (W)",
    "instance": "Cloud instance",
    "count": "Number of devices",
    "hours": "Hours per run",
    "device-hours": "Device-hours per run",
    "total-device-hours": "Device-hours in total",
    "flops": "Training FLOPs per run",
    "parameters": "Parameters",
    "active-parameters": "Active parameters (mixture of experts)",
    "tokens": "Training tokens",
    "precision": "Precision",
    "mfu": "Model FLOPs utilisation (0-1)",
    "utilization": "Utilization (0-1)",
    "measured-watts": "Measured power per device (W)",
    "cpu-watts": "Host CPU power (W)",
    "memory-gb": "Host memory (GB)",
    "pue": "PUE",
    "facility": "Facility",
    "region": "Cloud region",
    "zone": "Grid zone or country",
    "intensity": "Carbon intensity (gCO2e/kWh)",
    "basis": "Intensity basis",
    "runs": "Number of runs",
    "development-hours": "Development hours",
    "training-type": "Training type",
    "embodied": "Embodied emissions",
    "embodied-kg-per-device": "Manufacturing CO2e per device (kg)",
    "embodied-host-kg-per-device": "Host server share per device (kg)",
    "lifetime-years": "Hardware lifetime (years)",
    "use-rate": "Use rate (0-1)",
    "compare-hardware": "Compare with hardware",
    "compare-count": "Compare with device counts",
    "compare-location": "Compare with locations",
    "compare-precision": "Compare with precisions",
}
"""Form labels by parameter name; error messages name fields with these."""

_MAX_REQUEST_CHARS = 10_000


def _label(field: str) -> str:
    """The form label of a Job field or parameter name."""
    name = field.replace("_", "-")
    return FIELD_LABELS.get(name, name)


def _error(field: str, message: str) -> dict[str, Any]:
    return {"ok": False, "errors": [{"field": field, "message": message}]}


def _field_error(error: InputError) -> dict[str, str]:
    """One error as the page shows it: next to its form field, or above the form."""
    if isinstance(error, UnpublishedPowerError):
        # The form hides the measured-power field until the visitor picks it: say so
        # next to the device they just chose.
        return {"field": "hardware",
                "message": f"{FIELD_LABELS['hardware']}: {error.device}: {error.reason}; "
                           f"choose \"{FIELD_LABELS['measured-watts']}\" and give the "
                           "measured average power per device"}
    if isinstance(error, UnknownParameterError):  # a key of a link, not of the form
        return {"field": "form", "message": error.describe("Link", _label)}
    field = error.field.replace("_", "-")
    label = FIELD_LABELS.get(field, field)
    return {"field": field if field in FIELD_LABELS else "form",
            "message": error.describe(label, _label)}


def _given(params: dict[str, str]) -> dict[str, str]:
    """The known parameters of a request as given, to show in the form."""
    return {key: value for key, value in params.items()
            if (key.replace("-", "_") in PARAMETERS or key in COMPARE_KEYS)
            and isinstance(value, str)}


def _compare_field(error: InputError, params: dict[str, str]) -> InputError:
    """An error of a compared value, named by the comparison field that holds it (too
    many or too few scenarios: the last comparison field given)."""
    if error.field == "scenarios":
        given = [key for key in COMPARE_KEYS if params.get(key, "").strip()]
        if given:
            return InputError(given[-1].replace("-", "_"), error.value, error.allowed)
    for key, field in COMPARE_KEYS.items():
        fields = ("region", "zone") if field == "location" else (field,)
        values = split_values(params.get(key, ""))
        if error.field in fields and str(error.value).strip() in values:
            return InputError(key.replace("-", "_"), error.value, error.allowed,
                              error.suggestions, error.hint)
    return error


def _comparison(params: dict[str, str], catalog: Catalog) -> ScenarioComparison | None:
    """The comparison the parameters ask for, if any; errors named by their fields."""
    try:
        split = split_comparison(params)
        return None if split is None else compare(*split, catalog)
    except InputError as error:
        raise InputErrors([_compare_field(e, params) for e in each_error(error)]) from None


def respond(params: dict[str, str], catalog: Catalog | None = None, *,
            exports: bool = True) -> dict[str, Any]:
    """Estimate the job given by string ``params``; return what the page shows.

    On success: ``{"ok": True, "query", "params", "html", "summary", "exports", "pue"}``,
    where ``query`` is the permalink query, ``params`` the same inputs as a dict (to fill
    the form from a permalink; the region as its catalog key), ``html`` the result panel,
    ``summary`` its headline figures (CO2e and energy) for the page's compact summary,
    ``exports`` every report format (left out when ``exports`` is false: the live page
    asks for them with :func:`exports_query` only when the visitor copies or downloads
    one, which halves the work of a recalculation), ``pue`` the resolved PUE (to
    pre-fill the field) and ``announcement``, one sentence for screen readers. On
    invalid input: ``{"ok": False, "errors": [{"field", "message"}, ...], "params"}``,
    every invalid field at once, each named by its form field, and ``params`` the
    inputs as given (a permalink's valid fields are kept in the form).
    """
    catalog = catalog or load_catalog()
    try:
        comparison = _comparison(params, catalog)
        est = (comparison.scenarios[0].estimate if comparison is not None
               else estimate(job_from_params(params, catalog), catalog))
    except InputError as error:
        return {"ok": False, "errors": [_field_error(e) for e in each_error(error)],
                "params": _given(params)}
    job = est.job
    query = urlencode(job.to_params()) if comparison is None else comparison.query()
    params = job.to_params() if comparison is None else _given(params)
    if job.region is not None and comparison is None:
        params["region"] = est.inputs.location.key
    summary = describe(est)
    html = estimate_html(est, catalog, summary)
    if comparison is not None:
        html = comparison_html(comparison) + "\n" + html
    reply = {
        "ok": True,
        "query": query,
        "params": params,
        "html": html,
        "summary": summary_html(summary),
        "pue": {"value": summary["pue"], "origin": est.inputs.facility.pue_origin},
        "announcement": f"Estimate updated: {summary['co2e']} CO2e "
                        f"(range {summary['co2e_range']}, {summary['basis']}), "
                        f"{summary['energy']} of electricity.",
    }
    if exports:
        reply["exports"] = {name: render(est, name) for name in FORMATS}
    return reply


def _never_raises(entry: Callable[..., str]) -> Callable[..., str]:
    """An entry point of the page that answers every request with JSON: an error the
    engine did not foresee becomes a ``form`` error of one line, never an exception
    (which would put a traceback into the page). Its first argument is the request's
    text; any other (the Project page's progress messenger) is passed on."""
    @functools.wraps(entry)
    def guarded(argument: str, *others: Any) -> str:
        if not isinstance(argument, str):
            return json.dumps(_error("form", "the request must be text"))
        try:
            return entry(argument, *others)
        except Exception as error:
            detail = " ".join(str(error).split())[:200]
            return json.dumps(_error("form", f"the calculator could not answer "
                                     f"({type(error).__name__}: {detail})"))
    return guarded


@_never_raises
def calculate(request: str) -> str:
    """:func:`respond` for a JSON request text; returns JSON text. Never raises: a
    malformed request gives ``{"ok": false, "errors": [...]}``."""
    if len(request) > _MAX_REQUEST_CHARS:
        return json.dumps(_error("form", "the request is too long"))
    try:
        params = json.loads(request)
    except (ValueError, RecursionError):  # RecursionError: "[[[[...]]]]" nested too deep
        return json.dumps(_error("form", "the request is not valid JSON"))
    if not isinstance(params, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in params.items()
    ):
        return json.dumps(_error("form", "the request must map parameter names to text"))
    return json.dumps(respond(params, exports=False), ensure_ascii=False)


def _query_params(query: str) -> tuple[dict[str, str], None] | tuple[None, dict[str, Any]]:
    """``(params, None)`` for a readable permalink query, else ``(None, error reply)``."""
    if len(query) > _MAX_REQUEST_CHARS:
        return None, _error("form", "the link is too long")
    try:
        return params_from_query(query if query.startswith("?") else "?" + query,
                                 extra_keys=len(COMPARE_KEYS)), None
    except InputError as error:
        return None, _error("form", error.describe("Link"))


@_never_raises
def calculate_query(query: str) -> str:
    """:func:`calculate` for a permalink's query string (``"?hardware=V100&hours=3"``),
    read exactly as ``ml-emissions estimate --from-url`` reads it; returns JSON text.
    A key that is unknown or repeated is a ``form`` error; a bad value names its
    field, as in :func:`respond`."""
    params, error = _query_params(query)
    if params is None:
        return json.dumps(error, ensure_ascii=False)
    return json.dumps(respond(params, exports=False), ensure_ascii=False)


@_never_raises
def exports_query(query: str) -> str:
    """Every report of the estimate of a permalink query (the ``query`` of a reply),
    as JSON text ``{"ok": true, "exports": {format: text}}``: what the export buttons
    copy or download, byte-identical to ``ml-emissions estimate --format``."""
    params, error = _query_params(query)
    if params is None:
        return json.dumps(error, ensure_ascii=False)
    reply = respond(params)
    if reply["ok"]:
        reply = {"ok": True, "exports": reply["exports"]}
    return json.dumps(reply, ensure_ascii=False)


def warm_up(round_number: int) -> None:
    """One recalculation of the example inputs (the device count varied by
    ``round_number``), for the page's worker to call in idle moments after start-up.

    A Pyodide restored from a memory snapshot runs WebAssembly's baseline code until
    the engine has seen enough calls to optimize Python's hot paths: under Node, the
    first ten calls of :func:`calculate` took a median 14 ms, calls 100-200 about 3 ms and
    after 400 calls 1.8 ms (a fresh, non-restored Pyodide: 1.9 ms). These calls spend
    that warm-up while the visitor reads, not on their first changes.
    """
    calculate(json.dumps({**DEFAULT_PARAMS, "count": str(1 + round_number % 8)}))


def form_options(catalog: Catalog | None = None) -> dict[str, Any]:
    """Everything the form lists, for rendering it at build time: hardware grouped by
    kind (each device's ``watts`` is its power as a label, ``"400 W"``, or ``"power
    unpublished"`` when its vendor publishes none), providers with their regions and
    (``instance_providers``) with their instance types in the table's order, zones,
    training types, the parameter names and labels, the default inputs, and the value an
    optional field takes when left empty (``placeholders``)."""
    catalog = catalog or load_catalog()
    kinds = {"gpu": "GPUs", "tpu": "TPUs", "npu": "Other accelerators", "soc": "Systems on a chip",
             "cpu": "CPUs"}
    hardware = {
        label: [{"name": d.name, "aliases": list(d.aliases),
                 "watts": "power unpublished" if d.tdp_w is None else fmt.number(d.tdp_w) + " W"}
                for d in sorted(catalog.hardware, key=lambda d: (d.vendor, d.name))
                if d.kind == kind]
        for kind, label in kinds.items()
    }
    providers = [
        {"id": p.provider_id, "name": p.name,
         "regions": [{"key": r.key, "label": f"{r.region_id} ({r.display_name})"}
                     for r in sorted(catalog.regions_of(p.provider_id),
                                     key=lambda r: r.region_id)]}
        for p in sorted(catalog.providers, key=lambda p: p.name)
    ]
    zones = [{"id": z.zone_id, "label": z.label}
             for z in sorted(catalog.zones, key=lambda z: z.label)]
    instances = [
        {"id": p.provider_id, "name": p.name,
         "instances": [{"key": i.key, "label": f"{i.instance_type}: {i.accelerator_count} x "
                                                f"{catalog.device(i.accelerator_id).name}"}
                       for i in catalog.instances if i.provider == p.provider_id]}
        for p in sorted(catalog.providers, key=lambda p: p.name)
    ]
    placeholders = {
        field.name.replace("_", "-"): fmt.exact(field.default)
        for field in fields(Job)
        if isinstance(field.default, int | float) and not isinstance(field.default, bool)
    }
    placeholders["utilization"] = fmt.exact(catalog.constant("default_utilization").value)
    # what an empty field means without an instance (with one: the instance's)
    placeholders.update({"count": "1", "cpu-watts": "0", "memory-gb": "0"})
    for name, constant in (("mfu", "default_mfu"), ("lifetime-years", "embodied_lifetime_years"),
                           ("use-rate", "embodied_use_rate")):
        placeholders[name] = fmt.exact(catalog.constant(constant).value)
    for name in ("active-parameters", "embodied-kg-per-device",
                 "embodied-host-kg-per-device", *COMPARE_KEYS):
        placeholders[name] = ""  # optional, without a value of its own
    return {
        "hardware": {label: items for label, items in hardware.items() if items},
        "providers": providers,
        "instance_providers": [p for p in instances if p["instances"]],
        "zones": zones,
        "training_types": list(TRAINING_TYPES),
        "precisions": list(PRECISIONS),
        "default_precision": DEFAULT_PRECISION,
        "bases": [{"id": b, "label": basis_words(b)} for b in BASES],
        "facilities": list(FACILITIES),
        "parameters": [name.replace("_", "-") for name in PARAMETERS] + list(COMPARE_KEYS),
        "labels": FIELD_LABELS,
        "defaults": DEFAULT_PARAMS,
        "placeholders": placeholders,
    }


# -- the Project page ------------------------------------------------------------------

PROJECT_OPTION_LABELS = {
    "location": "Location of jobs without one",
    "gpu-map": "GPU types as catalog devices",
    "partition-map": "Partitions as catalog devices",
    "cpu-watts-per-cpu": "Power per CPU (W)",
    "final": "Final training jobs",
    "file": "File",
    "table": "Jobs",
}
"""The Project page's fields by name; its messages name them with these labels."""

_MAX_PROJECT_CHARS = 250_000_000
PROGRESS_JOBS = 1_000
"""From this many jobs, the Project page is told when the estimating starts."""


def _project_options(values: dict[str, str]) -> ImportOptions:
    """The import options of the Project page's fields; raises InputError."""
    location = values.get("location", "").strip()
    defaults = {} if not location else {("region" if ":" in location else "zone"): location}
    final = frozenset(v.strip() for v in values.get("final", "").split(";") if v.strip())
    return ImportOptions(
        defaults, device_map(values.get("gpu-map", "").split(";"), "gpu-map"),
        device_map(values.get("partition-map", "").split(";"), "partition-map"),
        power_per_cpu(values.get("cpu-watts-per-cpu"), "cpu-watts-per-cpu"), final)


def _project_error(error: InputError) -> dict[str, str]:
    field = error.field.replace("_", "-")
    label = PROJECT_OPTION_LABELS.get(field, field)
    return {"field": field if field in PROJECT_OPTION_LABELS else "file",
            "message": error.describe(label)}


def _project_of(request: dict[str, Any], progress: Callable[[str], None] | None = None
                ) -> tuple[str, ProjectEstimate, dict[str, Any]]:
    """``(table, project, import report)`` of a Project page request, telling ``progress``
    how far it is (in words); raises InputError."""
    def tell(text: str) -> None:
        if progress is not None:
            progress(text)

    table = request.get("table", "")
    imported = request.get("import", "")
    report: dict[str, Any] = {}
    catalog = load_catalog()
    jobs: list[ProjectJob] = []
    problems: list[RowProblem] = []
    if table.strip():
        read = read_records(table, ImportOptions(progress=lambda at: tell(f"Reading the jobs: "
                                                                          f"{at}…")),
                            "jobs", catalog)
        jobs, problems = list(read.jobs), list(read.problems)
    if imported.strip():
        if problems:  # a line the table would lose when rewritten with the new jobs
            raise InputError("table", str(problems[0]), "jobs that can be read before a "
                             "file is added to them: correct or remove that line")
        options = replace(_project_options(request.get("options", {})),
                          progress=lambda at: tell(f"Reading the file: {at}…"))
        records = read_records(imported, options, request.get("kind", "auto"), catalog)
        report = {"summary": records.summary,
                  "problems": [str(p) for p in (*records.problems, *records.skipped)]}
        jobs = [*jobs, *records.jobs]
        table = write_jobs_table(jobs)
        # each job numbered by its line of the new table (1 is the header), as a reading
        # of the table numbers them, without reading it again
        jobs = [replace(job, line=number) for number, job in enumerate(jobs, start=2)]
    if len(jobs) >= PROGRESS_JOBS:
        tell(f"Estimating {len(jobs):,} jobs…")
    return table, estimate_project(jobs, catalog, problems=problems), report


def _project_request(request: str) -> dict[str, Any] | str:
    """The request as a dict, or the reply (JSON text) that refuses it."""
    if len(request) > _MAX_PROJECT_CHARS:
        return json.dumps(_error("file", "the file is too large for the page; the command "
                                 "line reads it: ml-emissions project FILE"))
    try:
        data = json.loads(request)
    except (ValueError, RecursionError):
        return json.dumps(_error("form", "the request is not valid JSON"))
    fields_ok = isinstance(data, dict) and all(
        isinstance(data.get(k, ""), str) for k in ("table", "import", "kind"))
    options = data.get("options", {}) if isinstance(data, dict) else None
    if not fields_ok or not isinstance(options, dict) or not all(
            isinstance(v, str) for v in options.values()):
        return json.dumps(_error("form", "the request must map names to text"))
    checked: dict[str, Any] = data
    return checked


@_never_raises
def project(request: str, progress: Callable[[str], None] | None = None) -> str:
    """The Project page: ``{"table": CSV of the jobs, "import": a file's text to add to
    them, "kind": "auto", "options": {field: text}}`` as JSON text; ``progress`` (the
    worker's messenger) is told, in words, how far a long reading is. Returns JSON text
    ``{"ok": true, "table", "html", "summary", "import"}`` (``table``: the jobs as a table
    of jobs, the imported ones added, which the page keeps and ``ml-emissions project``
    reads) or ``{"ok": false, "errors": [...]}``."""
    data = _project_request(request)
    if isinstance(data, str):
        return data
    try:
        table, result, report = _project_of(data, progress)
    except InputError as error:
        return json.dumps({"ok": False, "errors": [_project_error(e) for e in each_error(error)]})
    total = result.total
    return json.dumps({
        "ok": True, "table": table, "html": project_html(result), "import": report,
        "summary": f"{total.jobs:,} jobs counted, {len(result.problems):,} not counted",
        "announcement": f"Project updated: {fmt.mass(total.co2e_kg)} CO2e for {total.jobs:,} "
                        "jobs.",
    }, ensure_ascii=False)


@_never_raises
def project_exports(request: str) -> str:
    """Every report of the Project page's jobs (``{"table": CSV}`` as JSON text), as
    JSON text ``{"ok": true, "exports": {format: text}}``: byte-identical to
    ``ml-emissions project TABLE --format ...`` on the downloaded table."""
    data = _project_request(request)
    if isinstance(data, str):
        return data
    try:
        _, result, _ = _project_of({"table": data.get("table", "")})
    except InputError as error:
        return json.dumps({"ok": False, "errors": [_project_error(e) for e in each_error(error)]})
    return json.dumps({"ok": True, "exports": {name: render_project(result, name)
                                               for name in PROJECT_FORMATS}},
                      ensure_ascii=False)
