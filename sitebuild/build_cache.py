"""What the site build makes slowly (a memory snapshot, a Brotli-compressed file), kept
under the project's ``.cache/`` by the hash of its inputs, so that a rebuild and every
test's build reuse it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def cached(path: Path, make: Callable[[], bytes]) -> bytes:
    """The bytes at ``path`` if a build made them before; else ``make()``'s, kept there
    (written whole or not at all, if two builds race)."""
    if path.is_file():
        return path.read_bytes()
    content = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(content)
    partial.replace(path)
    return content
