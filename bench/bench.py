"""``make bench``: speed and size figures of the calculator, printed as a table.

Not a test: nothing here fails on timing. Figures:

* catalog: size of ``catalog.json`` (raw and gzip) and its load time in CPython;
* engine: one estimate, one recalculation of the page (``web.calculate``) and its
  reports (``web.exports_query``) in CPython;
* command line: wall time of ``ml-emissions estimate`` (a fresh process);
* site: ``mkdocs build`` time and the built site's total size;
* browser (headless Chromium, cold context, local server): time to the first estimate
  in the DOM, time until the live calculator is ready (and on a bare page holding only
  the worker: Pyodide's own start), recalculation latency (median and max over 50
  changes, to the updated DOM and to the next rendered frame), main-thread blocking time
  during start-up (and the longest task of a page without the calculator), bytes
  transferred for the calculator page;
* network (bench_network.py: the site served as a gzip static host serves it, under
  Chromium's network emulation: unthrottled, 50 Mbps / 20 ms, 20 Mbps / 40 ms): the live
  calculator ready on a cold visit and on a repeat visit, and the bytes on the wire.
"""

from __future__ import annotations

import gzip
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, str, str]


def _timed(function: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def catalog_rows() -> list[Row]:
    from ml_emissions.catalog import Catalog

    raw = resources.files("ml_emissions").joinpath("catalog.json").read_bytes()
    loads = _timed(lambda: Catalog.from_dict(json.loads(raw)), 20)
    return [
        ("catalog.json size", f"{len(raw) / 1024:.1f} KiB", "raw"),
        ("catalog.json gzip size", f"{len(gzip.compress(raw, 9)) / 1024:.1f} KiB",
         "what a server with compression sends"),
        ("catalog load (CPython)", _ms(statistics.median(loads)), "median of 20, parse + index"),
    ]


SIX_DEVICES = ["A100 80GB SXM", "H100 SXM", "H200 SXM", "B200", "MI300X", "L40S"]
SIX_SCENARIOS: tuple[dict[str, str], dict[str, list[str]]] = (
    {"parameters": "7B", "tokens": "2T", "count": "64", "zone": "FR", "precision": "bf16"},
    {"hardware": SIX_DEVICES})
"""The benchmark's comparison: one training run on six accelerators."""


def sacct_log(jobs: int, seed: int = 1) -> str:
    """A synthetic ``sacct -P`` log of ``jobs`` jobs, each with its ``.batch`` step: GPU
    jobs of 1 to 8 A100, H100 or V100 for up to 3 days, some failed, cancelled, timed out
    or pending."""
    rnd = random.Random(seed)
    lines = ["JobID|JobName|Partition|State|Elapsed|ElapsedRaw|AllocTRES|NCPUS|Start|End"]
    states = ["COMPLETED"] * 8 + ["FAILED", "CANCELLED by 1", "TIMEOUT", "PENDING"]
    for i in range(jobs):
        state = rnd.choice(states)
        seconds = 0 if state == "PENDING" else rnd.randint(60, 3 * 86400)
        gpus, kind = rnd.choice([1, 2, 4, 8]), rnd.choice(["a100", "h100", "v100"])
        tres = (f"billing={gpus * 8},cpu={gpus * 8},gres/gpu:{kind}={gpus},gres/gpu={gpus},"
                f"mem={gpus * 32}G,node=1")
        elapsed = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        for jobid, name in ((str(i), f"job{i}"), (f"{i}.batch", "batch")):
            lines.append(f"{jobid}|{name}|gpu|{state}|{elapsed}|{seconds}|{tres}|{gpus * 8}|"
                         "2025-01-01T00:00:00|2025-01-04T00:00:00")
    return "\n".join(lines) + "\n"


def project_rows() -> list[Row]:
    from ml_emissions.project import estimate_project
    from ml_emissions.records import ImportOptions, read_records

    log = sacct_log(50_000)
    options = ImportOptions(defaults={"zone": "FR"})
    started = time.perf_counter()
    records = read_records(log, options)
    read = time.perf_counter()
    project = estimate_project(records.jobs, skipped=records.skipped)
    done = time.perf_counter()
    lines = log.count("\n")
    return [
        (f"sacct log of {lines:,} lines: read (CPython)", _ms(read - started),
         f"{len(log) / 1e6:.1f} MB, {len(records.jobs):,} jobs, steps folded"),
        ("  and estimated (CPython)", _ms(done - read),
         f"{len(project.profiles)} configurations estimated, the rest scaled by hours"),
    ]


def engine_rows() -> list[Row]:
    from ml_emissions import Job, estimate, web
    from ml_emissions.compare import compare

    job = Job(hardware="A100 80GB SXM", count=8, hours=120, region="gcp:us-central1", runs=10)
    estimate(job)
    request = json.dumps(web.DEFAULT_PARAMS)
    query = web.respond(web.DEFAULT_PARAMS, exports=False)["query"]
    six_request = json.dumps({**SIX_SCENARIOS[0], "hardware": SIX_SCENARIOS[1]["hardware"][0],
                              "compare-hardware": ";".join(SIX_SCENARIOS[1]["hardware"][1:])})
    return [
        ("estimate() (CPython)", _ms(statistics.median(_timed(lambda: estimate(job), 200))),
         "median of 200"),
        ("web.calculate() (CPython)",
         _ms(statistics.median(_timed(lambda: web.calculate(request), 50))),
         "median of 50: estimate + result HTML (a recalculation)"),
        ("six-scenario comparison (CPython)",
         _ms(statistics.median(_timed(lambda: compare(*SIX_SCENARIOS), 20))),
         "median of 20: compare() of 7B x 2T tokens on 6 devices"),
        ("web.calculate(), six scenarios (CPython)",
         _ms(statistics.median(_timed(lambda: web.calculate(six_request), 20))),
         "median of 20: the comparison and the first scenario's result HTML"),
        ("web.exports_query() (CPython)",
         _ms(statistics.median(_timed(lambda: web.exports_query(query), 50))),
         "median of 50: the 6 reports, made when the visitor exports"),
    ]


def cli_rows() -> list[Row]:
    command = [str(Path(sys.executable).with_name("ml-emissions")), "estimate", "--hardware",
               "A100 80GB SXM", "--count", "8", "--hours", "120", "--region", "gcp:us-central1"]
    times = _timed(lambda: subprocess.run(command, check=True, capture_output=True), 5)
    return [("ml-emissions estimate wall time", _ms(statistics.median(times)),
             "median of 5 fresh processes")]


def site_rows(site_dir: Path) -> list[Row]:
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict",
                    "--site-dir", str(site_dir)], check=True, capture_output=True, cwd=ROOT)
    build = time.perf_counter() - start
    size = sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file())
    return [("mkdocs build --strict", f"{build:.1f} s", ""),
            ("built site size", f"{size / 1024 / 1024:.1f} MiB", "all files")]


def browser_rows(site_dir: Path) -> list[Row]:
    try:
        from bench.bench_browser import measure
    except ImportError as error:
        return [("browser figures", "n/a", f"not available: {error}")]
    return measure(site_dir)


def network_rows(site_dir: Path) -> list[Row]:
    try:
        from bench.bench_network import measure
    except ImportError as error:
        return [("network figures", "n/a", f"not available: {error}")]
    return measure(site_dir)


def print_table(rows: list[Row]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    header = ("figure", "value", "note")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def main() -> int:
    rows = catalog_rows() + engine_rows() + project_rows() + cli_rows()
    if (ROOT / "mkdocs.yml").exists():
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            rows += site_rows(site)
            rows += browser_rows(site)
            rows += network_rows(site)
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
