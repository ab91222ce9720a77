"""A file written whole or not at all: a write that fails leaves the old file as it was and no
temporary beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.atomic import write_text_atomically


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "province.yaml"
    target.write_text("edited by a planner\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomically(target, "half \udc80 written")  # a lone surrogate: no UTF-8
    assert target.read_text(encoding="utf-8") == "edited by a planner\n"
    assert [p.name for p in tmp_path.iterdir()] == ["province.yaml"]


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    write_text_atomically(target, "new")
    write_text_atomically(target, "newer")
    assert target.read_text(encoding="utf-8") == "newer"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
