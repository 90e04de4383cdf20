"""How to cite the paper this tool accompanies, and the tool itself.

The entries are BibTeX, the tool's with its version and release year; the reports
(:mod:`.reports`), ``ml-emissions cite`` and the site all take them from here.
"""

from __future__ import annotations

from ._version import __release_date__, __version__

__all__ = ["PAPER_BIBTEX", "PAPER_KEY", "PAPER_REFERENCE", "PAPER_URL", "TOOL_KEY",
           "TOOL_NAME", "tool_bibtex", "tool_reference"]

TOOL_NAME = "ML Emissions Calculator"
TOOL_KEY = "ml_emissions_calculator"
PAPER_KEY = "lacoste2019quantifying"
PAPER_URL = "https://arxiv.org/abs/1910.09700"

PAPER_BIBTEX = """@article{lacoste2019quantifying,
  title={Quantifying the carbon emissions of machine learning},
  author={Lacoste, Alexandre and Luccioni, Alexandra and Schmidt, Victor and Dandres, Thomas},
  journal={arXiv preprint arXiv:1910.09700},
  year={2019}
}"""

PAPER_REFERENCE = ("Lacoste, A., Luccioni, A., Schmidt, V., Dandres, T. (2019). Quantifying "
                   "the Carbon Emissions of Machine Learning. arXiv:1910.09700. " + PAPER_URL)
"""The paper as a plain-text reference."""


def tool_reference() -> str:
    """The tool as a plain-text reference, with its version and release year."""
    return (f"ML Emissions Calculator contributors ({__release_date__[:4]}). {TOOL_NAME}, "
            f"version {__version__}. Companion of Lacoste et al. (2019), arXiv:1910.09700.")


def tool_bibtex() -> str:
    """BibTeX ``@software`` entry for this tool, with its version and release year."""
    return (
        f"@software{{{TOOL_KEY},\n"
        f"  title={{{TOOL_NAME}}},\n"
        "  author={{ML Emissions Calculator contributors}},\n"
        f"  version={{{__version__}}},\n"
        f"  year={{{__release_date__[:4]}}},\n"
        f"  date={{{__release_date__}}},\n"
        "  note={Version " + __version__ + "; companion of Lacoste et al. (2019), "
        "arXiv:1910.09700}\n"
        "}"
    )
