"""Tables rendered from the data: ``<!-- data:NAME ... -->`` for ranked zones and regions,
PUE values, equivalents, constants, published estimates, and whole data tables."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from ml_emissions import Job, estimate
from ml_emissions import formatting as fmt
from ml_emissions.location import region_location
from pipeline.column_docs import column_rows
from pipeline.schema import load_schemas
from sitebuild.renderers.markers import Context, MarkerError
from sitebuild.renderers.safe import Markup, code, link, md_text
from sitebuild.renderers.values import DATA, read_rows, value

KG_PER_UNIT = {"kg": 1.0, "t": 1000.0, "lb": 0.45359237}  # 1 lb = 0.45359237 kg exactly


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown pipe table, surrounded by blank lines: every cell of plain text is
    escaped (:func:`~sitebuild.renderers.safe.md_text`); :class:`Markup` cells (links,
    code) are kept, with their ``|`` escaped."""
    def cell(text: str) -> str:
        return md_text(text).replace("|", "\\|") if isinstance(text, Markup) else md_text(text)

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n\n" + "\n".join(lines) + "\n\n"


def _order(order: str) -> bool:
    if order not in ("cleanest", "dirtiest"):
        raise MarkerError(f"order={order!r}: expected cleanest or dirtiest")
    return order == "dirtiest"


def zones_ranked(context: Context, order: str = "cleanest", n: str = "10",
                 level: str = "all") -> str:
    """The ``n`` cleanest or dirtiest grid zones (``level=country`` for countries only);
    the world average (GLOBAL) is no grid zone and is never ranked."""
    zones = [z for z in context.catalog.zones if not z.is_world_average
             and (level == "all" or (level == "country" and z.zone_id == z.country_code))]
    zones.sort(key=lambda z: z.intensity_lifecycle_g_per_kwh, reverse=_order(order))
    rows = [[z.zone_id, z.zone_name, z.country,
             fmt.number(z.intensity_lifecycle_g_per_kwh),
             "-" if z.intensity_direct_g_per_kwh is None
             else fmt.number(z.intensity_direct_g_per_kwh),
             str(z.source.year)] for z in zones[: int(n)]]
    return markdown_table(["Zone", "Name", "Country", "Life-cycle gCO2e/kWh",
                           "Direct gCO2e/kWh", "Year"], rows)


def regions_ranked(context: Context, order: str = "cleanest", n: str = "10",
                   provider: str = "", basis: str = "life-cycle") -> str:
    """The ``n`` cleanest or dirtiest cloud regions (of one ``provider`` if given), by the
    intensity the engine uses for each on ``basis`` (default life-cycle; on the provider
    basis, only regions whose provider publishes its own figure)."""
    catalog = context.catalog
    regions = [r for r in catalog.regions if not provider or r.provider == provider]
    if not regions:
        raise MarkerError(f"provider={provider!r} has no regions")
    located = sorted(((region_location(catalog, r, basis), r) for r in regions
                      if basis != "provider" or r.provider_intensity_g_per_kwh is not None),
                     key=lambda pair: (pair[0].intensity_g_per_kwh, pair[1].key),
                     reverse=_order(order))
    rows = [[code(r.key), r.display_name, r.zone_id, fmt.number(loc.intensity_g_per_kwh),
             loc.intensity_basis] for loc, r in located[: int(n)]]
    return markdown_table(["Region", "Location", "Grid zone", "gCO2e/kWh", "Basis"], rows)


def pue_table(context: Context) -> str:
    """Every PUE value of data/pue.csv by its name (a provider's as data/providers.csv
    names it), with its source."""
    rows = [[p.name, p.scope, fmt.number(p.pue),
             link(p.source.citation, p.source.url), str(p.source.year)]
            for p in sorted(context.catalog.pue, key=lambda p: (p.scope, p.pue))]
    return markdown_table(["Name", "Scope", "PUE", "Source", "Year"], rows)


def equivalents_table(context: Context) -> str:
    """Every equivalence factor with its source (each factor as ``data:value`` gives it)."""
    rows = [[eq.label, value(context, equivalent=eq.equivalent_id),
             link(eq.source.citation, eq.source.url), str(eq.source.year)]
            for eq in context.catalog.equivalents]
    return markdown_table(["Equivalent", "Factor", "Source", "Year"], rows)


def constants_table(context: Context) -> str:
    """Every model constant and assumption with its source (each value with its unit as
    ``data:value`` gives it in the prose: as in the data)."""
    rows = [[code(c.constant_id), value(context, constant=c.constant_id), c.note,
             link(c.source.citation, c.source.url)] for c in context.catalog.constants]
    return markdown_table(["Constant", "Value", "Meaning", "Source"], rows)


def _figures(*figures: str) -> Markup:
    """Figures separated by commas, each kept on one line (a number and its unit joined by
    a no-break space): a narrow column breaks between them only."""
    return Markup(", ".join(md_text(figure).replace(" ", "&nbsp;") for figure in figures))


def _input(text: str) -> str:
    """An input as the engine writes one given (``fmt.exact``: ``1,082,990``), or the text
    itself if it is no number (a device name)."""
    try:
        return fmt.exact(float(text))
    except ValueError:
        return text


def published_estimates(context: Context) -> str:
    """Each published estimate of data/published_estimates.csv beside the engine's result."""
    rows = []
    for row in read_rows("published_estimates.csv"):
        params = {key.replace("_", "-"): row[key] for key in
                  ("hardware", "watts", "count", "hours", "device_hours", "pue")
                  if row[key]}
        params["intensity"] = row["intensity_g_per_kwh"]
        result = estimate(Job.from_params(params), context.catalog)
        published_kg = float(row["published_co2e"]) * KG_PER_UNIT[row["published_co2e_unit"]]
        inputs = ", ".join(f"{k} {_input(v)}" for k, v in params.items())
        rows.append([
            link(row["source"], row["source_url"]), row["model"], inputs,
            _figures(fmt.energy(float(row["published_energy_kwh"])), fmt.mass(published_kg)),
            _figures(fmt.energy(result.energy_kwh), fmt.mass(result.co2e_kg)),
            f"{result.co2e_kg / published_kg:.3f}",
            # the same inputs as a permalink (MkDocs keeps the query of a page link)
            Markup(f"[Open {md_text(row['model'])}]"
                   f"(calculator.md?{urlencode(result.job.to_params())})"),  # %-encoded
        ])
    return markdown_table(["Publication", "Model", "Inputs", "Published", "This engine",
                           "Ratio (CO2e)", "In the calculator"], rows)


def region_history(context: Context, regions: str) -> str:
    """Google Cloud's yearly intensity series for the comma-separated ``regions``; a first
    row names the basis of Google's figures each year."""
    wanted = [r.strip() for r in regions.split(",") if r.strip()]
    history = read_rows("intensity_history.csv")
    bases = {row["year"]: row["intensity_basis"] for row in history}
    years = sorted(bases)
    rows = []
    for region in wanted:
        series = {row["year"]: row["intensity_g_per_kwh"] for row in history
                  if row["region_id"] == region}
        if not series:
            raise MarkerError(f"region {region!r} has no history")
        rows.append([code(f"gcp:{region}"), *[fmt.number(float(series[y])) if y in series else "-"
                                           for y in years]])
    basis_row = [Markup("*Basis*"), *[Markup(f"*{md_text(bases[y])}*") for y in years]]
    return markdown_table(["Region", *years], [basis_row, *rows])


def _between_code(text: str) -> str:
    """Text between code spans, escaped, with the space it has at either end kept (a
    list of codes stays ``a, b or c``, not ``a,borc``)."""
    escaped = md_text(text)
    if not escaped:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + escaped + (" " if text[-1].isspace() else "")


def _code_spans(text: str) -> Markup:
    """Text whose `backquoted` parts are code, the rest escaped."""
    parts = text.split("`")
    return Markup("".join(code(part) if index % 2 else _between_code(part)
                          for index, part in enumerate(parts)))


def columns(context: Context, table: str) -> str:
    """The columns of ``data/<table>.csv`` from its schema (``data/schema/``), in a
    collapsible block: the same table as data/README.md's (:mod:`pipeline.column_docs`)."""
    schemas = load_schemas()
    if table not in schemas:
        raise MarkerError(f"table={table!r}: expected one of {', '.join(schemas)}")
    schema = schemas[table]
    rows = [[code(row[0].strip("`")), _code_spans(row[1]), row[2]]
            for row in column_rows(schema.fields, schema)]
    return (f'\n\n<details class="info" markdown="1">\n<summary>The columns of '
            f"<code>{escape(schema.file)}</code></summary>\n"
            + markdown_table(["Column", "Type", "Meaning"], rows) + "</details>\n\n")


def data_table(context: Context, file: str) -> str:
    """A whole CSV of data/ as a searchable, sortable HTML table with a download link."""
    path = DATA / file
    if not path.exists() or path.suffix != ".csv":
        raise MarkerError(f"file={file!r} is not a CSV of data/")
    rows = read_rows(file)
    header = list(rows[0]) if rows else []
    table_id = "table-" + file.removesuffix(".csv").replace("_", "-")
    head = "".join(f'<th scope="col"><button type="button" class="mle-sort">{escape(h)}'
                   "</button></th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(row[h])}</td>" for h in header) + "</tr>"
                   for row in rows)
    download = context.asset(f"data/{file}", path.read_bytes())
    licence = ""
    notice = DATA / f"LICENSE-{path.stem}.md"
    if notice.exists():  # a table under its own licence (the ODbL) travels with its notice
        notice_url = escape(context.asset(f"data/{notice.name}", notice.read_bytes()))
        licence = f' under its own licence: <a href="{notice_url}">{escape(notice.name)}</a>'
    # The caption stands above the scroll box, not in the table: a <caption> would scroll
    # away with the rows (and sideways with a wide table) under the sticky header. The rows
    # stay out of the site's search index (data-search-exclude): they were two thirds of
    # it, and every search would load and index them; the filter above searches them.
    caption_id = f"{table_id}-caption"
    return (
        f'\n\n<div class="mle-data-table" data-table="{table_id}">\n'
        f'<p><a href="{escape(download)}" download>Download {escape(file)}</a>{licence} '
        f'(<span class="mle-row-count" aria-live="polite">{len(rows):,} rows</span>)</p>\n'
        f'<p class="mle-controls"><label>Filter {escape(file)} <input type="search" '
        f'class="mle-filter" aria-controls="{table_id}"></label>\n'
        f'<label><input type="checkbox" class="mle-wrap" aria-controls="{table_id}"> '
        "Show long cells in full</label></p>\n"
        f'<p class="mle-caption" id="{caption_id}">{escape(file)}</p>\n'
        f'<div class="mle-scroll" role="region" tabindex="0" aria-labelledby="{caption_id}" '
        "data-search-exclude>"
        f'<table id="{table_id}" class="mle-sortable" aria-labelledby="{caption_id}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>\n</div>\n\n"
    )
