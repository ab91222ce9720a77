"""Every value's source can be checked from the repository: the rows of docs/sources.md that
files cite all exist, and nothing points at files outside the repository."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "sources.md"
SUFFIXES = {".py", ".yaml", ".md", ".toml", ".csv", ".j2", ".cfg", ".txt"}
# A citation runs to a bracket or the end of a sentence, over wrapped lines: in YAML, comment
# lines that follow a comment; in text and docstrings, any line.
CITATION = re.compile(r"docs/sources\.md, ((?:(?!\. )[^()\n])+)")
WRAP = {".yaml": re.compile(r"\s*\n\s*#\s*")}
ANY_WRAP = re.compile(r"\s*\n\s*")
# Where the figures were first collected, outside the repository (spelt so that this file
# does not itself match).
OUTSIDE = ("/" + "work/", "shared" + "/data", "parameters" + ".md")


def _project_files() -> list[Path]:
    """Text files of the project, without virtualenvs, results and build output (not walked)."""
    skip = {"results", "build", "dist", "node_modules", "__pycache__"}
    found = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")
                         and name not in skip and not name.endswith(".egg-info")]
        found += [Path(folder) / name for name in names if Path(name).suffix in SUFFIXES]
    return found


def _rows() -> dict[str, set[str]]:
    """The first cell of every table row, by section heading."""
    rows: dict[str, set[str]] = {}
    section = ""
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("| ") and not line.startswith(("| row |", "|---")):
            rows.setdefault(section, set()).add(line.split("|")[1].strip())
    return rows


def test_no_file_points_outside_the_repository() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in _project_files() if path != Path(__file__).resolve()
             for number, line in enumerate(path.read_text(encoding="utf-8",
                                                          errors="replace").splitlines(), 1)
             if any(text in line for text in OUTSIDE)]
    assert found == []


def test_every_citation_names_a_row_of_sources() -> None:
    rows = _rows()
    cited, unknown = 0, []
    for path in _project_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        text = WRAP.get(path.suffix, ANY_WRAP).sub(" ", text)
        for match in CITATION.finditer(text):
            for citation in match.group(1).split(";"):
                section, _, row = citation.strip().rstrip(".,").partition(": ")
                cited += 1
                if row not in rows.get(section, set()):
                    unknown.append(f"{path.relative_to(ROOT)}: {citation.strip()!r}")
    assert cited > 50 and unknown == []

