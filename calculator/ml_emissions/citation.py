"""BibTeX entries of the paper this tool accompanies and of the tool itself."""

from __future__ import annotations

from ._version import __version__

__all__ = ["PAPER_BIBTEX", "PAPER_URL", "TOOL_NAME", "TOOL_URL", "tool_bibtex"]

TOOL_NAME = "ML Emissions Calculator"
TOOL_URL = "https://github.com/mlco2/ml-emissions-calculator"
PAPER_URL = "https://arxiv.org/abs/1910.09700"

PAPER_BIBTEX = """@article{lacoste2019quantifying,
  title={Quantifying the carbon emissions of machine learning},
  author={Lacoste, Alexandre and Luccioni, Alexandra and Schmidt, Victor and Dandres, Thomas},
  journal={arXiv preprint arXiv:1910.09700},
  year={2019}
}"""


def tool_bibtex() -> str:
    """BibTeX ``@software`` entry for this tool, with its version."""
    return (
        "@software{ml_emissions_calculator,\n"
        f"  title={{{TOOL_NAME}}},\n"
        "  author={{ML Emissions Calculator contributors}},\n"
        f"  version={{{__version__}}},\n"
        f"  url={{{TOOL_URL}}},\n"
        "  note={Companion of Lacoste et al. (2019), arXiv:1910.09700}\n"
        "}"
    )
