"""The references of an estimate: the paper, the tool, and every data source it used.

A report cites each source mid-sentence by a short label (``"Electricity Maps, 2024"``),
a number or a BibTeX key, and lists the full references at its end, so that a paragraph
pasted into a paper carries everything a reader needs to check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import Source
from .citation import (
    PAPER_BIBTEX,
    PAPER_KEY,
    PAPER_REFERENCE,
    TOOL_KEY,
    tool_bibtex,
    tool_reference,
)
from .engine import Estimate

__all__ = ["Reference", "latex_escape", "references", "short_label", "source_reference"]

_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
          "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
          "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped, control characters dropped."""
    return "".join(_LATEX.get(ch, ch) for ch in text if ch.isprintable())


@dataclass(frozen=True)
class Reference:
    """One reference: its BibTeX key and entry, a short label to cite it mid-sentence,
    and its full text for a reference list."""

    key: str
    label: str
    text: str
    bibtex: str


def short_label(source: Source) -> str:
    """A source as cited mid-sentence: its citation up to the first parenthesis,
    colon or comma, and its year: ``"Electricity Maps, 2024"``."""
    head = re.split(r"\s\(|[:,.]\s", source.citation.strip().rstrip(". ") + " ", maxsplit=1)[0]
    head = head.strip() or source.citation.strip()
    return head if str(source.year) in head else f"{head}, {source.year}"


def _url(url: str) -> str:
    """A URL safe inside ``\\url{}``: braces, backslashes and spaces percent-encoded."""
    return (url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
            .replace(" ", "%20"))


def source_reference(source: Source, key: str) -> Reference:
    """The reference of a data source, under the BibTeX key ``key``."""
    citation = source.citation.strip().rstrip(". ")
    dated = citation if re.search(r"\b(19|20)\d\d\b", citation) else f"{citation}, {source.year}"
    text = f"{dated}." + (f" {source.url}" if source.url else "")
    label = short_label(source)
    fields = [f"  title={{{{{latex_escape(citation)}}}}}", f"  year={{{source.year}}}",
              f"  key={{{latex_escape(label)}}}"]  # how BibTeX sorts an entry without author
    if source.url:
        fields.append(f"  howpublished={{\\url{{{_url(source.url)}}}}}")
    bibtex = f"@misc{{{key},\n" + ",\n".join(fields) + "\n}"
    return Reference(key, label, text, bibtex)


def _key(source: Source, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", short_label(source).lower().replace(str(source.year), ""))
    stem = "".join(words[:2]) or "source"
    key, suffix = f"{stem}{source.year}", ord("a")
    while key in taken:
        key, suffix = f"{stem}{source.year}{chr(suffix)}", suffix + 1
    return key


def _used_sources(est: Estimate) -> list[Source]:
    """The data sources the estimate's figures come from, in the order a report cites
    them: device power, compute to time, intensity, PUE, memory power, embodied."""
    inputs = est.inputs
    used = []
    if not inputs.device_watts_measured and inputs.rated_watts_basis != "custom":
        used.append(inputs.rated_watts_source)
    if inputs.instance is not None:
        used.append(inputs.instance.source)
    plan = inputs.compute
    if plan is not None:
        if plan.rule != "given":
            used.append(plan.flops_rule_source)
        used += [plan.peak.source, plan.mfu_source]
    used += [inputs.location.intensity_source, inputs.facility.pue_source]
    if inputs.memory_gb:
        used.append(inputs.memory_w_per_gb_source)
    emb = est.embodied
    if emb is not None:
        used += [emb.source, *([emb.model_source] if emb.model_source else []),
                 emb.lifetime_source, emb.use_rate_source]
    return [s for s in used if s.citation and not s.given_by_user]


def references(est: Estimate) -> tuple[dict[Source, Reference], tuple[Reference, ...]]:
    """``(reference of each data source used, every reference in citing order)``: the
    paper, the tool, then the data sources."""
    paper = Reference(PAPER_KEY, "Lacoste et al., 2019", PAPER_REFERENCE, PAPER_BIBTEX)
    tool = Reference(TOOL_KEY, "ML Emissions Calculator", tool_reference(), tool_bibtex())
    by_source: dict[Source, Reference] = {}
    taken = {PAPER_KEY, TOOL_KEY}
    for source in _used_sources(est):
        if source not in by_source:
            key = _key(source, taken)
            taken.add(key)
            by_source[source] = source_reference(source, key)
    return by_source, (paper, tool, *by_source.values())
