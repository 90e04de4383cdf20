"""The site's trimmed standard library, enforced for the engine inside Pyodide.

``run_in_pyodide.mjs --stdlib TRIMMED.zip`` starts Pyodide with the library the site ships
(sitebuild/trimmed_stdlib.py) and puts the full one behind it, for the test code (pytest,
hypothesis and the tests import more than the engine). :func:`install` makes the full
library refuse any import made while engine code is running (an ``ml_emissions`` frame on
the stack), as the browser would: such an import fails with ModuleNotFoundError, and its
module is recorded in :data:`REACHED`, which the run's summary reports.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import zipimport
from types import FrameType

ENGINE = "ml_emissions"
REACHED: list[str] = []
"""Modules the engine imported that the trimmed library lacks, in order."""


def _engine_running(frame: FrameType | None) -> bool:
    while frame is not None:
        name = frame.f_globals.get("__name__") or ""
        if name == ENGINE or name.startswith(ENGINE + "."):
            return True
        frame = frame.f_back
    return False


def _refused(fullname: str) -> bool:
    if _engine_running(sys._getframe(2)):
        if fullname not in REACHED:
            REACHED.append(fullname)
        return True
    return False


class _Guarded:
    """A path entry finder of the full library that refuses the engine."""

    def __init__(self, importer: zipimport.zipimporter) -> None:
        self.importer = importer

    def find_spec(self, fullname: str, target: object = None) -> object:
        if _refused(fullname):
            return None
        return self.importer.find_spec(fullname, target)

    def invalidate_caches(self) -> None:
        self.importer.invalidate_caches()


class _FullLibrary(importlib.abc.MetaPathFinder):
    """After every other finder: a module the trimmed library lacks, from the full one
    (also a submodule of a package the trimmed library holds)."""

    def __init__(self, full: str) -> None:
        self.full = full

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> object:
        folder = "/".join([self.full, *fullname.split(".")[:-1]])
        try:
            importer = zipimport.zipimporter(folder)
        except zipimport.ZipImportError:
            return None
        if _refused(fullname):
            return None
        return importer.find_spec(fullname, target)


def install(full: str) -> None:
    """Put the full library (the zip at ``full``) behind the trimmed one, for the test
    code only."""
    def hook(entry: str) -> _Guarded:
        if not entry.startswith(full):
            raise ImportError(entry)
        return _Guarded(zipimport.zipimporter(entry))

    sys.path_hooks.insert(0, hook)
    sys.meta_path.append(_FullLibrary(full))
    sys.path_importer_cache.clear()
    importlib.machinery.PathFinder.invalidate_caches()
