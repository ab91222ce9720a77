"""Writing a text file whole or not at all: into a hidden sibling, then renamed over the target,
so a reader (or a run killed halfway) never finds half a file, and an old file stays as it was
until the new one is complete."""

from __future__ import annotations

import os
from pathlib import Path


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a hidden temporary file in its folder."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)  # a write that failed (a full disk) leaves nothing
