"""Every example of the README runs: console commands, the error example, the Python session."""

from __future__ import annotations

import doctest
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE_BLOCKS = re.findall(r"```console\n(.*?)```", README, flags=re.S)
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)
COMMANDS = [line[2:] for block in CONSOLE_BLOCKS for line in block.splitlines()
            if line.startswith("$ ")]
ML_EMISSIONS = str(Path(sys.executable).with_name("ml-emissions"))


def _expected_error(command: str) -> str | None:
    """The error line the README shows right after ``command``, if any."""
    for block in CONSOLE_BLOCKS:
        lines = block.splitlines()
        for index, line in enumerate(lines[:-1]):
            if line == f"$ {command}" and lines[index + 1].startswith("error: "):
                return lines[index + 1]
    return None


def test_readme_gives_the_two_setup_commands() -> None:
    assert "make serve" in README and "make test" in README
    assert len(COMMANDS) >= 8 and PYTHON_BLOCKS


def test_readme_gives_the_sacct_command_the_importer_reads() -> None:
    from ml_emissions.records import SACCT_COMMAND
    assert f"`{SACCT_COMMAND}`" in " ".join(README.split())


@pytest.mark.parametrize("command", COMMANDS)
def test_console_example_runs(command: str) -> None:
    argv = shlex.split(command)
    assert argv[0] == "ml-emissions"
    done = subprocess.run([ML_EMISSIONS, *argv[1:]], capture_output=True, text=True,
                          check=False)
    expected = _expected_error(command)
    if expected is None:
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() and not done.stderr
    else:
        assert done.returncode == 2
        assert done.stdout == ""
        shown = expected.removesuffix("...")
        assert done.stderr.startswith(shown), done.stderr


@pytest.mark.parametrize("block", PYTHON_BLOCKS)
def test_python_example_runs(block: str) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 0
