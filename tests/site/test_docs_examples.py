"""Every example the site includes from docs/examples/ runs: each Python file with the
interpreter of the test run (the venv's), each command of the shell files with the venv's
``ml-emissions``; each must exit 0 and print something."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"
PYTHON_FILES = sorted(EXAMPLES.glob("*.py"))
SHELL_FILES = sorted(EXAMPLES.glob("*.sh"))
ML_EMISSIONS = str(Path(sys.executable).with_name("ml-emissions"))


def shell_commands(path: Path) -> list[str]:
    """The ``ml-emissions`` commands of a shell example, one per logical line
    (backslash continuations joined; comments, blank lines and ``set -e`` skipped)."""
    commands: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        if line.startswith("set "):
            continue
        commands.append(line)
    return commands


SHELL_COMMANDS = [(path.name, command) for path in SHELL_FILES
                  for command in shell_commands(path)]


def test_examples_exist() -> None:
    assert len(PYTHON_FILES) >= 5
    assert SHELL_COMMANDS


@pytest.mark.parametrize("path", PYTHON_FILES, ids=[p.name for p in PYTHON_FILES])
def test_python_example_runs(path: Path) -> None:
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), f"{path.name} printed nothing"


@pytest.mark.parametrize("name, command", SHELL_COMMANDS,
                         ids=[f"{n}:{c[:60]}" for n, c in SHELL_COMMANDS])
def test_shell_example_runs(name: str, command: str) -> None:
    argv = shlex.split(command)
    assert argv[0] == "ml-emissions", f"{name}: only ml-emissions commands are expected"
    done = subprocess.run([ML_EMISSIONS, *argv[1:]], capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), f"{command!r} printed nothing"
    assert not done.stderr


def test_every_example_is_included_in_a_page() -> None:
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    for path in (*PYTHON_FILES, *SHELL_FILES):
        assert f'--8<-- "docs/examples/{path.name}' in pages, f"{path.name} is on no page"
