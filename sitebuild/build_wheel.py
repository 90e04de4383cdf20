"""Build the calculator's pure-Python wheel (``py3-none-any``) from ``calculator/``.

The site build ships this wheel next to the Pyodide runtime, and the Pyodide tests
install it in Node; both call :func:`build_wheel`. Timestamps are pinned through
``SOURCE_DATE_EPOCH`` so the same sources give the same bytes.

Usage: ``python -m sitebuild.build_wheel OUT_DIR``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1577836800"  # 2020-01-01: fixed zip timestamps


def build_wheel(out_dir: Path) -> Path:
    """Build the wheel into ``out_dir`` and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
        done = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp,
             str(ROOT)],
            env=env, capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:  # progress lines are noise; show them only on failure
            raise RuntimeError(f"building the wheel failed:\n{done.stdout}{done.stderr}")
        (wheel,) = Path(tmp).glob("ml_emissions-*-py3-none-any.whl")
        target = out_dir / wheel.name
        target.write_bytes(wheel.read_bytes())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    print(build_wheel(args.out_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
