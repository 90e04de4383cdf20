"""One quantity, one figure: the Training time page's table and its cycle chart give the
same CO2e for the whole project of Strubell et al. (2019), the figure computed here by
hand from the data tables (read with the csv module), not from the engine."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.conftest import data_rows, pue_row, zone_intensity

# Strubell et al. 2019, Table 4: the GPU hours of all the models of the project
PROJECT_GPU_HOURS = 239_942


def _titan_x_watts() -> float:
    """The rated power of the GTX TITAN X (data/hardware.csv, by its alias). [W]"""
    (row,) = [r for r in data_rows("hardware.csv")
              if "GTX TITAN X" in r["aliases"].split(";")]
    return float(row["tdp_w"])


def _project_tonnes() -> float:
    """239,942 GPU hours x the TITAN X's rated power x the PUE the calculator applies to
    an HPC centre (no survey publishes one: the data-centre default, ``unknown``) x the
    life-cycle intensity of the US grid. [t CO2e]"""
    kwh = PROJECT_GPU_HOURS * _titan_x_watts() / 1000 * float(pue_row("unknown")["pue"])
    return kwh * zone_intensity("US") / 1000 / 1000


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_table_and_the_chart_give_the_whole_projects_figure(site_dir: Path) -> None:
    page = (site_dir / "factors" / "duration" / "index.html").read_text(encoding="utf-8")
    expected = f"{_project_tonnes():.3g} t"  # three significant figures, as the site shows

    (row,) = re.findall(r"<tr>\s*<td>The whole project</td>.*?</tr>", page, re.S)
    cells = [_text(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells[1] == f"{PROJECT_GPU_HOURS:,}"
    assert cells[-1] == f"{expected} CO2e"

    (chart,) = re.findall(r'<figure class="mle-figure" data-chart="cycle">.*?</figure>',
                          page, re.S)
    described = re.findall(r'(?:aria-label|alt)="([^"]*)"', chart)
    assert described, "the chart has no text alternative"
    drawn = [_text(text) for text in re.findall(r"<text\b[^>]*>(.*?)</text>", chart, re.S)]
    for words in (html.unescape(described[0]), " ".join(drawn)):
        # the same quantity (the project's GPU hours) with the same figure
        assert f"{PROJECT_GPU_HOURS:,}" in words, words
        assert expected in words, words
        assert not re.search(r"\b\d+(?:\.\d+)? t\b", words.replace(expected, "")), words
