"""A project's result as an HTML fragment, for the site's Project page: the headline, the
totals, the jobs (the first :data:`JOBS_SHOWN`; every export holds them all) and what was
not counted. Every text from a file or the user is escaped here."""

from __future__ import annotations

from html import escape

from .project import ProjectEstimate
from .project_reports import JOB_HEADER, TOTAL_HEADER, headline, job_rows, total_rows
from .result_html import scroll_table

__all__ = ["JOBS_SHOWN", "project_html"]

JOBS_SHOWN = 500


def _edit_buttons(line: int) -> str:
    """The buttons that duplicate and remove the job on ``line`` of the table of jobs
    (the page's script edits that line of the table, which is then estimated again)."""
    return "".join(
        f'<button type="button" class="mle-row-action" data-job-action="{action}" '
        f'data-line="{line:d}" aria-label="{label} the job on line {line:d}">{label}</button>'
        for action, label in (("duplicate", "Duplicate"), ("remove", "Remove")))


def project_html(project: ProjectEstimate) -> str:
    """The Project page's result panel for ``project``."""
    lines = ['<div class="mle-headline">']
    lines += [f"<p>{escape(line)}</p>" for line in headline(project)]
    lines.append("</div>")
    lines.append(scroll_table("Totals", TOTAL_HEADER, total_rows(project)))
    shown = job_rows(project, JOBS_SHOWN)
    count = len(project.jobs)
    caption = (f"Jobs ({count:,})" if count == len(shown)
               else f"The first {len(shown):,} of {count:,} jobs (the exports hold all)")
    edits = [_edit_buttons(item.job.line) for item in project.jobs[:JOBS_SHOWN]]
    lines.append(scroll_table(caption, JOB_HEADER, shown, ("Edit", edits)))
    for title, items in (("Not counted", project.problems),
                         ("Skipped: never ran", project.skipped)):
        if items:
            lines.append(f"<h3>{escape(title)} ({len(items):,})</h3><ul class=\"mle-problems\">"
                         + "".join(f"<li>{escape(str(p))}</li>" for p in items[:JOBS_SHOWN])
                         + "</ul>")
    return "\n".join(lines)
