"""A project's result as an HTML fragment, for the site's Project page: the headline, the
totals, the jobs (the first :data:`JOBS_SHOWN`; every export holds them all) and what was
not counted. Every text from a file or the user is escaped here."""

from __future__ import annotations

from html import escape

from .project import ProjectEstimate
from .project_reports import JOB_HEADER, TOTAL_HEADER, headline, job_rows, total_rows

__all__ = ["JOBS_SHOWN", "project_html"]

JOBS_SHOWN = 500


def _table(caption: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + f'<th scope="row">{escape(r[0])}</th>'
                   + "".join(f"<td>{escape(c)}</td>" for c in r[1:]) + "</tr>" for r in rows)
    return (f'<div class="mle-table-scroll" role="region" tabindex="0" '
            f'aria-label="{escape(caption)}"><table class="mle-scenarios"><caption>'
            f"{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}"
            "</tbody></table></div>")


def project_html(project: ProjectEstimate) -> str:
    """The Project page's result panel for ``project``."""
    lines = ['<div class="mle-headline">']
    lines += [f"<p>{escape(line)}</p>" for line in headline(project)]
    lines.append("</div>")
    lines.append(_table("Totals", TOTAL_HEADER, total_rows(project)))
    shown = job_rows(project, JOBS_SHOWN)
    count = len(project.jobs)
    caption = (f"Jobs ({count:,})" if count == len(shown)
               else f"The first {len(shown):,} of {count:,} jobs (the exports hold all)")
    lines.append(_table(caption, JOB_HEADER, shown))
    for title, items in (("Not counted", project.problems),
                         ("Skipped: never ran", project.skipped)):
        if items:
            lines.append(f"<h3>{escape(title)} ({len(items):,})</h3><ul class=\"mle-problems\">"
                         + "".join(f"<li>{escape(str(p))}</li>" for p in items[:JOBS_SHOWN])
                         + "</ul>")
    return "\n".join(lines)
