"""More markers for the companion pages: the original calculator's regions then and now,
percentages, hardware tables, worked examples and their outputs, Google Cloud's yearly
series, and one job across a provider's regions.

Like every renderer of :mod:`sitebuild.renderers`, each one takes its figures from the data
tables, the catalog or the engine at build time, so the prose never types them.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import subprocess
import sys
from urllib.parse import urlsplit

from ml_emissions import InputError, Job, compare_regions, estimate
from ml_emissions import formatting as fmt
from ml_emissions.catalog import Catalog, Hardware, load_catalog
from ml_emissions.cli import main as cli_main
from ml_emissions.errors import each_error
from ml_emissions.facility import PUE_TYPE_WORDS, resolve_facility
from ml_emissions.reports import _share as share_text
from ml_emissions.reports import describe, describe_comparison, provider_figure_text
from ml_emissions.resolve import job_from_params, resolve
from pipeline.legacy_comparison import compare, summarize
from sitebuild.renderers.markers import Context, MarkerError
from sitebuild.renderers.safe import Markup, code, link, md_text
from sitebuild.renderers.tables import markdown_table
from sitebuild.renderers.values import DATA, alternative, read_rows

ROOT = DATA.parent


def _signed_percent(value: float) -> str:
    """``-12.3%`` or ``+4.5%`` (a change, always with its sign; U+2212 for minus)."""
    text = fmt.percent(abs(value))
    if value > 0:
        return "+" + text
    return "\u2212" + text if value < 0 else text


def _source_cell(text: str) -> str:
    """A source as the original calculator wrote it: an http(s) address becomes a link
    named by its host, anything else is kept as text."""
    text = " ".join(text.split())
    if text.startswith(("http://", "https://")):
        return link(urlsplit(text).netloc.removeprefix("www."), text)
    return text or "-"


# -- the original calculator's regions, then and now --------------------------------


def legacy_comparison(context: Context, provider: str = "") -> str:
    """Every region of the original calculator (data/legacy_mlco2_regions.csv): the
    intensity it used beside the one this engine uses today on the default basis, and
    the change (:func:`pipeline.legacy_comparison.compare`, which also writes the
    comparison of data/CHANGELOG.md)."""
    rows = [row for row in compare(context.catalog, DATA)
            if not provider or row.key.startswith(f"{provider}:")]
    if not rows:
        raise MarkerError(f"data/legacy_mlco2_regions.csv has no rows for {provider=}")
    lines = [[code(row.key), fmt.number(row.old), _source_cell(row.legacy_source),
              fmt.number(row.new), f"life-cycle, yearly average, grid zone {row.zone_id}",
              "-" if row.change_pct is None else _signed_percent(row.change_pct)]
             for row in sorted(rows, key=lambda r: r.key)]
    total = summarize(rows)
    median = "-" if total.median_change_pct is None else _signed_percent(
        total.median_change_pct)
    summary = (f"\n\n{total.regions} regions; the intensity is lower today for "
               f"{total.lower} of them and higher for {total.higher}; median change "
               f"{median}. Original values: {link('mlco2/impact', rows[0].source_url)}, "
               f"{code('data/impact.csv')} ({md_text(rows[0].licence)}).")
    return summary + markdown_table(
        ["Region", "Original gCO2e/kWh", "Original source", "Now gCO2e/kWh", "Basis now",
         "Change"], lines)


# -- inline figures -----------------------------------------------------------------


def percent(context: Context, **what: str) -> str:
    """A fraction of the catalog as a percentage. Exactly one of ``constant=ID`` (its
    value x 100 exactly, e.g. a range spread, as the reports give a share: ``85%``) or
    ``pue-overhead=ID`` ((PUE - 1) x 100 to three figures, the energy spent beyond the IT
    equipment)."""
    if len(what) != 1:
        raise MarkerError(f"percent needs exactly one selector, got {sorted(what)}")
    ((key, arg),) = what.items()
    if key == "constant":  # a share assumed, exactly, as the engine's reports write it
        return share_text(context.catalog.constant(arg).value)
    if key == "pue-overhead":
        row = context.catalog.pue_for(arg)
        if row is None:
            raise MarkerError(f"pue-overhead={arg!r} is not in data/pue.csv")
        return fmt.percent(100.0 * (row.pue - 1.0))
    raise MarkerError(f"unknown selector {key!r}: expected constant or pue-overhead")


def share(context: Context, of: str = "carbon-free", **what: str) -> str:
    """A carbon-free or renewable share. ``zone=ID`` with ``of=carbon-free`` or
    ``of=renewable`` (Electricity Maps, yearly), or ``region=PROVIDER:REGION`` for the
    provider's published carbon-free-energy share (CFE%) of a cloud region."""
    if len(what) != 1:
        raise MarkerError(f"share needs exactly one of zone= or region=, got {sorted(what)}")
    ((key, arg),) = what.items()
    catalog = context.catalog
    if key == "zone":
        zone = catalog.find_zone(arg)
        shares = {"carbon-free": zone.carbon_free_pct, "renewable": zone.renewable_pct}
        if of not in shares:
            raise MarkerError(f"of={of!r}: expected carbon-free or renewable")
        value = shares[of]
    elif key == "region":
        value = catalog.find_region(arg).cfe_pct
    else:
        raise MarkerError(f"unknown selector {key!r}: expected zone or region")
    if value is None:
        raise MarkerError(f"{key}={arg!r} has no published {of} share")
    return fmt.percent(value)


def _history(region: str) -> dict[int, tuple[float, str]]:
    """``year -> (intensity, basis)`` of a Google Cloud region."""
    series = {int(row["year"]): (float(row["intensity_g_per_kwh"]), row["intensity_basis"])
              for row in read_rows("intensity_history.csv") if row["region_id"] == region}
    if not series:
        raise MarkerError(f"region {region!r} has no history in data/intensity_history.csv")
    return series


def history_value(context: Context, region: str, year: str, unit: str = "yes") -> str:
    """Google Cloud's published grid intensity of ``region`` for ``year``."""
    series = _history(region)
    if int(year) not in series:
        raise MarkerError(f"region {region!r} has no value for {year}")
    return fmt.number(series[int(year)][0]) + (" gCO2e/kWh" if unit != "no" else "")


def history_change(context: Context, region: str, start: str, end: str) -> str:
    """The relative change of ``region``'s intensity between two years, signed; both
    years must be on the same basis (Google's life-cycle 2019-2020 figures and its
    operational ones from 2021 do not compare)."""
    series = _history(region)
    first, last = series.get(int(start)), series.get(int(end))
    if first is None or last is None:
        raise MarkerError(f"region {region!r} lacks {start} or {end}")
    if first[1] != last[1]:
        raise MarkerError(f"region {region!r}: {start} is {first[1]} and {end} is {last[1]}; "
                          "a change must stay on one basis")
    return _signed_percent(100.0 * (last[0] - first[0]) / first[0])


def estimate_detail(context: Context, show: str, **params: str) -> str:
    """More figures of an engine estimate than ``data:estimate`` gives. ``show``:
    ``range`` (low to high CO2e), ``device-hours``, ``it-power``, ``rated-power``,
    ``cleanest-region`` (name), ``cleanest-region-co2e``, ``cleanest-zone`` (name),
    ``cleanest-zone-co2e``, ``overhead-energy`` (the PUE overhead), or
    ``equivalent:ID`` (the estimate in units of an everyday equivalent)."""
    result = estimate(Job.from_params(params), context.catalog)
    inputs = result.inputs
    if show.startswith("equivalent:"):
        wanted = show.partition(":")[2]
        matches = [e for e in result.equivalents if e.equivalent_id == wanted]
        if not matches:
            raise MarkerError(f"no equivalent {wanted!r} in data/equivalents.csv")
        return f"{fmt.number(matches[0].value)} {matches[0].label}"
    figures = {
        "range": lambda: describe(result)["co2e_range"],
        "device-hours": lambda: describe(result)["device_hours"],
        "it-power": lambda: fmt.number(result.it_power_w) + " W",
        "rated-power": lambda: fmt.number(inputs.rated_watts or 0.0) + " W",
        "cleanest-region": lambda: alternative(result, "same_provider").label,
        "cleanest-region-co2e": lambda: fmt.mass(alternative(result, "same_provider")
                                                 .co2e_kg) + " CO2e",
        "cleanest-zone": lambda: alternative(result, "any_zone").label,
        "cleanest-zone-co2e": lambda: fmt.mass(alternative(result, "any_zone").co2e_kg)
        + " CO2e",
        "overhead-energy": lambda: fmt.energy(result.breakdown.pue_overhead_kwh),
    }
    if show not in figures:
        raise MarkerError(f"show={show!r}: expected one of {', '.join(figures)}, "
                          "or equivalent:ID")
    return figures[show]()


# -- tables -------------------------------------------------------------------------


def _efficiency(catalog: Catalog, device: Hardware) -> str:
    efficiency = catalog.gflops_per_watt(device)
    return "-" if efficiency is None else fmt.number(efficiency)


def _half_precision(catalog: Catalog, device: Hardware) -> str:
    peak = catalog.half_precision_peak(device)
    return "-" if peak is None else fmt.number(peak.dense_tflops)


def _power(device: Hardware) -> str:
    return "-" if device.tdp_w is None else fmt.number(device.tdp_w)


def hardware_table(context: Context, names: str = "", basis: str = "", kind: str = "") -> str:
    """Devices of the catalog with their power and efficiency: the ``;``-separated
    ``names`` (in that order), or every device of a power ``basis`` and/or ``kind``."""
    catalog = context.catalog
    if names:
        devices = [catalog.find_hardware(name.strip()) for name in names.split(";")
                   if name.strip()]
    else:
        devices = [d for d in catalog.hardware
                   if (not basis or d.power_basis == basis) and (not kind or d.kind == kind)]
        devices.sort(key=lambda d: (d.release_year, d.name))
    if not devices:
        raise MarkerError("hardware-table selects no device")
    labels = {"tdp": "rated (TDP)", "measured_average": "measured average",
              "system_wall": "whole computer at the wall",
              "unpublished": "not published (give a measured power)"}
    rows = [[d.name, str(d.release_year), _power(d), labels[d.power_basis],
             _half_precision(catalog, d), _efficiency(catalog, d),
             link(d.source.citation, d.source.url)] for d in devices]
    return markdown_table(["Device", "Year", "Power (W)", "Power basis",
                           "BF16 (else FP16) dense TFLOPS", "GFLOPS per W", "Source"], rows)


def estimate_table(context: Context, **params: str) -> str:
    """A worked example: the inputs the engine resolved for the job (with their sources)
    and its results, as a two-column table."""
    result = estimate(Job.from_params(params), context.catalog)
    d = describe(result)
    rows = [
        ["Hardware", f"{d['hardware']} ({d['power']})"],
        ["Duration", f"{d['duration']} ({d['duration_detail']})"],
        ["Location", d["location"]],
        ["Carbon intensity", f"{d['intensity']} ({d['intensity_source']})"],
        ["Facility", d["facility"]],
        ["PUE", f"{d['pue']} ({d['pue_type']}; {d['pue_source']})"],
        ["Energy (after PUE)", d["energy"]],
        ["CO2e, location-based", f"{d['co2e']}, {d['basis']} (range {d['co2e_range']})"],
    ]
    provider = provider_figure_text(result)
    if provider:
        rows.append(["Provider's own figure", provider])
    if result.inputs.runs != 1:
        rows.append(["Per run", f"{fmt.energy(result.energy_kwh_per_run)}, "
                                f"{fmt.mass(result.co2e_kg_per_run)}"])
    for comparison in result.comparisons:
        where = ("Same provider" if comparison.kind == "same_provider" else "Any grid zone")
        rows.append([where, describe_comparison(comparison)])
    return markdown_table(["", "This job"], rows)


def job_regions(context: Context, provider: str, n: str = "5", **params: str) -> str:
    """One job in the ``n`` cleanest and ``n`` dirtiest regions of ``provider`` (each
    region with its own intensity and PUE)."""
    catalog = context.catalog
    if not catalog.regions_of(provider):
        raise MarkerError(f"provider={provider!r} has no regions")
    job = Job.from_params(params)
    options = compare_regions(resolve(job, catalog), provider, catalog, job.pue)
    count = int(n)
    shown = options if len(options) <= 2 * count else options[:count] + options[-count:]
    rows = []
    for rank, option in enumerate(shown, start=1):
        position = rank if rank <= count else len(options) - len(shown) + rank
        rows.append([str(position), code(option.key),
                     catalog.find_region(option.key).display_name,
                     fmt.number(option.intensity_g_per_kwh), fmt.number(option.pue),
                     fmt.mass(option.co2e_kg)])
        if rank == count and len(shown) < len(options):
            rows.append(["...", "", "", "", "", ""])
    return markdown_table(["Rank", "Region", "Location", "gCO2e/kWh", "PUE", "CO2e"], rows)


def facility_table(context: Context) -> str:
    """The PUE the engine applies in each facility when the user gives none: in the
    cloud, each provider's (a region's own where published); then a data centre of
    unknown operator, an HPC centre and a workstation. Each with what the figure is
    (``pue_type``), its source and, where a default stands in, why."""
    catalog = context.catalog
    rows = []
    for provider in sorted(catalog.providers, key=lambda p: p.name):
        regions = catalog.regions_of(provider.provider_id)
        if not regions:
            continue
        # a region without a PUE of its own: the provider's figure (or the default)
        region = next((r for r in regions if r.pue is None), regions[0])
        facility = resolve_facility(catalog, "cloud", None, None, region)
        rows.append((Markup(f"{code('cloud')}: {md_text(provider.name)}"), facility))
    for kind in ("data-centre", "hpc", "workstation"):
        rows.append((code(kind), resolve_facility(catalog, kind, None, None, None)))
    lines = [[where, fmt.number(f.pue), PUE_TYPE_WORDS[f.pue_type],
              link(f.pue_source.citation, f.pue_source.url), str(f.pue_source.year),
              f.pue_note or "-"] for where, f in rows]
    return markdown_table(["Facility", "PUE", "What the figure is", "Source", "Year",
                           "Note"], lines)


# (field, a value out of its range, what else the job needs, where the limit is set)
_LIMIT_PROBES: tuple[tuple[str, object, dict[str, object], str], ...] = (
    ("count", 0, {}, "engine"),
    ("runs", 0, {}, "engine"),
    ("hours", -1.0, {}, "engine"),
    ("device_hours", -1.0, {"hours": None}, "engine"),
    ("total_device_hours", -1.0, {"hours": None}, "engine"),
    ("development_hours", -1.0, {}, "engine"),
    ("watts", -1.0, {}, "engine"),
    ("measured_watts", -1.0, {}, "engine"),
    ("cpu_watts", -1.0, {}, "engine"),
    ("memory_gb", -1.0, {}, "engine"),
    ("utilization", -1.0, {}, "engine"),
    ("pue", 0.0, {}, "max_pue"),
    ("intensity", -1.0, {}, "max_intensity_g_per_kwh"),
)
_PROBE_JOB: dict[str, object] = {"watts": 100.0, "hours": 1.0, "intensity": 100.0}


def _allowed(field: str, values: dict[str, object]) -> str:
    """What the engine allows for ``field``, in its own words: the ``allowed`` phrase of
    the error it raises for ``values``."""
    params = {k.replace("_", "-"): repr(v) for k, v in values.items() if v is not None}
    try:
        job_from_params(params, load_catalog())  # the job's own limits and the catalog's
    except InputError as error:
        for single in each_error(error):
            if single.field == field:
                return single.allowed
    raise MarkerError(f"input-limits: the engine accepts {values!r}; update the probe of "
                      f"{field!r} in sitebuild/renderers/extra.py")


def input_limits(context: Context) -> str:
    """Every limit the engine puts on an input, in the words of its own error messages
    (so the table cannot drift from ``job.py``), and where each limit is set: the engine
    itself, or a constant of ``data/constants.csv``."""
    rows = []
    for field, bad, extra_values, origin in _LIMIT_PROBES:
        allowed = _allowed(field, {**_PROBE_JOB, **extra_values, field: bad})
        where = (Markup(f"the engine ({code('job.py')})") if origin == "engine"
                 else Markup(f"{code(origin)}, data/constants.csv"))
        rows.append([code(field.replace("_", "-")), allowed, where])
    shortest = _allowed("hours", {**_PROBE_JOB, "hours": 1e-12})
    rows.append([Markup(f"one run ({code('hours')}, or device-hours per device)"), shortest,
                 Markup(f"the engine ({code('job.py')})")])
    return markdown_table(["Input", "Allowed", "Set by"], rows)


# -- examples and their output ------------------------------------------------------


def _verbatim(character: str) -> str:
    """A character of a code block: ASCII letters, digits and spaces as they are, any other
    ASCII character (punctuation, newline) as a numeric character reference."""
    if not character.isascii() or character.isalnum() or character == " ":
        return character
    return f"&#{ord(character)};"


def code_block(text: str, language: str = "text") -> str:
    """A code block that shows, copies and selects as exactly ``text``, on a single line
    of HTML so that the marker may sit at any indentation (inside a content tab or an
    admonition, where Markdown treats it as inline HTML in a paragraph). Every ASCII
    character but letters, digits and spaces is a character reference (``&#36;`` for
    ``$``, ``&#92;`` for a backslash, ``&#10;`` for a newline): no inline pattern of
    Markdown or its extensions (backslash escapes, emphasis, links, arithmatex's
    ``$...$`` and ``\\(...\\)`` maths, which KaTeX would typeset) can match in it, and
    the browser shows the characters themselves."""
    body = "".join(_verbatim(character) for character in text)
    return (f'<div class="language-{language} highlight"><pre><span></span>'
            f"<code>{body}</code></pre></div>")


def example_output(context: Context, file: str) -> str:
    """Run a Python example of ``docs/examples/`` at build time and show what it prints."""
    path = (ROOT / file).resolve()
    examples = (ROOT / "docs" / "examples").resolve()
    if path.parent != examples or path.suffix != ".py" or not path.exists():
        raise MarkerError(f"file={file!r} is not a Python file of docs/examples/")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=120)
    if done.returncode != 0 or not done.stdout.strip():
        raise MarkerError(f"{file} failed (exit {done.returncode}): {done.stderr.strip()}")
    return code_block(done.stdout)


def cli_output(context: Context, args: str) -> str:
    """Run ``ml-emissions ARGS`` in-process at build time and show the command, then in a
    block of its own exactly what it prints (its copy button copies that output)."""
    argv = shlex.split(args)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = cli_main(argv)
    if status != 0:
        raise MarkerError(f"ml-emissions {args} failed (exit {status}): {stderr.getvalue()}")
    return (code_block(f"ml-emissions {args}\n", "sh")
            + code_block(stdout.getvalue(), "text"))


__all__ = [
    "cli_output",
    "code_block",
    "estimate_detail",
    "estimate_table",
    "example_output",
    "facility_table",
    "hardware_table",
    "history_change",
    "history_value",
    "input_limits",
    "job_regions",
    "legacy_comparison",
    "percent",
    "share",
]
