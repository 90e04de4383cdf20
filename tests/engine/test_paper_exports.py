"""The exports a paper uses compile and cite as they stand: the LaTeX paragraph with its
BibTeX under pdflatex and bibtex, the Markdown reference list, Hugging Face's model-card
fields, and CITATION.cff under cffconvert."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ml_emissions import Job, __version__, estimate, render
from ml_emissions._version import __release_date__
from ml_emissions.citation import PAPER_BIBTEX, tool_bibtex
from ml_emissions.cli import main
from tests.conftest import ROOT

CFFCONVERT = ROOT / ".venv-tools" / "bin" / "cffconvert"  # made by `make test`

# Jobs whose paragraphs hold what LaTeX finds hard: accents (Québec), a URL with '#'
# (Ember's page, GLOBAL), '%' and '&' in figures and names, a custom intensity (no
# source to cite), a Google Cloud region (Google's sources) and a whole-computer power.
LATEX_JOBS = {
    "region": Job(hardware="A100 80GB SXM", count=8, hours=24, region="gcp:us-central1"),
    "accented-zone": Job(hardware="M2 Ultra", hours=30, zone="Québec"),
    "world-average": Job(watts=300, count=2, total_device_hours=3000, runs=500,
                         zone="GLOBAL"),
    "custom-intensity": Job(watts=300, hours=10, intensity=400, pue=1.2, utilization=0.7),
    "azure-development-cycle": Job(hardware="H100", count=64, hours=100,
                                   region="azure:swedencentral", runs=12, memory_gb=2048,
                                   cpu_watts=700),
    # hours from compute (FLOPs in scientific notation, MFU and use rate as '%'), the
    # embodied share with a die-area device and a host server's share
    "compute-and-embodied": Job(hardware="H100 SXM", count=256, parameters=70e9,
                                tokens=2e12, zone="US", embodied_host_kg_per_device=312.5),
}


def _compile(tmp: Path, latex: str) -> str:
    """pdflatex, bibtex, pdflatex twice on a minimal paper holding the export; returns
    the final LaTeX log."""
    paragraph, marker, bibtex = latex.partition("% BibTeX entries")
    assert marker, "the export announces its BibTeX block"
    (tmp / "refs.bib").write_text(bibtex.split("\n", 1)[1], encoding="utf-8")
    (tmp / "paper.tex").write_text(
        "\\documentclass{article}\n\\usepackage{url}\n\\begin{document}\n"
        f"{paragraph}\n\\bibliographystyle{{plain}}\n\\bibliography{{refs}}\n"
        "\\end{document}\n", encoding="utf-8")

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=tmp, capture_output=True, text=True, check=False,
                              timeout=120)

    pdflatex = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex")
    first = run(*pdflatex)
    assert first.returncode == 0, first.stdout[-2000:]
    bib = run("bibtex", "paper")
    assert bib.returncode < 2 and "error message" not in bib.stdout, bib.stdout
    for _ in range(2):
        done = run(*pdflatex)
        assert done.returncode == 0, done.stdout[-2000:]
    return (tmp / "paper.log").read_text(encoding="latin-1")


@pytest.mark.parametrize("job", LATEX_JOBS.values(), ids=LATEX_JOBS)
def test_the_latex_export_compiles_with_every_citation_defined(job: Job,
                                                              tmp_path: Path) -> None:
    latex = render(estimate(job), "latex")
    log = _compile(tmp_path, latex)
    assert "undefined" not in log.lower(), re.findall(r".*undefined.*", log)
    keys = set(re.findall(r"\\cite\{([^}]+)\}", latex.partition("% BibTeX")[0]))
    entries = set(re.findall(r"^@\w+\{([^,]+),", latex, re.M))
    assert keys == entries  # every entry is cited, every citation has its entry
    assert (tmp_path / "paper.pdf").stat().st_size > 0


def test_the_latex_paragraph_uses_latex_notation() -> None:
    paragraph = render(estimate(LATEX_JOBS["region"]), "latex").partition("% BibTeX")[0]
    assert "8 $\\times$ NVIDIA" in paragraph and "CO$_2$e" in paragraph
    assert "CO2" not in paragraph.replace("CO$_2$", "")


def test_the_tool_entry_has_its_version_and_year_everywhere(
        capsys: pytest.CaptureFixture[str]) -> None:
    entry = tool_bibtex()
    assert f"version={{{__version__}}}" in entry
    assert f"year={{{__release_date__[:4]}}}" in entry
    assert main(["cite"]) == 0
    assert capsys.readouterr().out == PAPER_BIBTEX + "\n\n" + entry + "\n"
    assert entry in render(estimate(LATEX_JOBS["region"]), "latex")


def test_the_model_card_has_hugging_faces_fields_in_grams() -> None:
    # Hugging Face, "Displaying carbon emissions for your model" (hub docs): emissions in
    # grams, source, training_type, geographical_location, hardware_used.
    # 2 x 300 W x 10 h x PUE 1.2 = 7.2 kWh; x 400 g/kWh = 2,880 g
    card = render(estimate(Job(watts=300, count=2, hours=10, intensity=400, pue=1.2)),
                  "model-card")
    lines = card.splitlines()
    assert lines[0] == "co2_eq_emissions:"
    fields = dict(line.strip().split(": ", 1) for line in lines[1:])
    assert list(fields) == ["emissions", "source", "training_type", "geographical_location",
                            "hardware_used"]
    assert fields["emissions"] == "2880"
    assert fields["training_type"] == '"pre-training"'


def test_citation_cff_is_valid_and_states_this_release() -> None:
    assert CFFCONVERT.exists(), "run 'make test': it installs cffconvert into .venv-tools/"
    done = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(ROOT / "CITATION.cff")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf"^version: {re.escape(__version__)}$", text, re.M)
    assert re.search(rf'^date-released: "{__release_date__}"$', text, re.M)
    # it names no repository the project does not have: its only addresses are the paper's
    urls = re.findall(r"https?://\S+", text)
    assert urls and all(url.startswith("https://arxiv.org/") for url in urls), urls
