"""The standard library the site ships: Pyodide's ``python_stdlib.zip`` cut down to the
files listed in ``stdlib_files.txt`` beside this module (about 0.9 MB instead of 2.5 MB
on the wire).

The list holds what Pyodide imports to start and what the engine can import. It is safe
because the engine's whole test suite runs inside Pyodide with this same library
(``tests/pyodide/run_in_pyodide.mjs --stdlib``): the test code may import from the full
library, the engine may not, and any file the engine reaches for that is missing here
fails the run with its name (add it to the list).

Usage: ``python -m sitebuild.trimmed_stdlib FULL_ZIP OUT_ZIP``.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

LIST = Path(__file__).with_name("stdlib_files.txt")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # the same bytes on every build


def kept_files() -> list[str]:
    """The listed files (paths inside the zip), in order."""
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def trim(full: bytes, keep: list[str] | None = None) -> bytes:
    """A zip of the files ``keep`` (default: :func:`kept_files`) of the zip ``full``,
    deflated, with fixed timestamps; raise :class:`KeyError` naming a listed file the full
    library lacks (another Pyodide release: update the list)."""
    names = kept_files() if keep is None else keep
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(full)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        present = set(source.namelist())
        missing = [name for name in names if name not in present]
        if missing:
            raise KeyError(f"{LIST.name}: not in this Pyodide's standard library: "
                           f"{', '.join(missing)}")
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("full", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    args.out.write_bytes(trim(args.full.read_bytes()))
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
