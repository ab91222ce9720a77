"""Saving the page's setting as an option of the scenario, comments and layout kept.

Into a copy beside the scenario (``<stem>_<option>.yaml``, as `sim staff` writes its copy), or,
once the leader has confirmed it, into the scenario file itself; the bundled scenarios are
never written: their copy goes to the working directory. Either way the round-trip writer of
the staffing search adds the entry under ``options:`` (sim/decide/staffing/option_writer.py),
and the file is replaced only once the new text loads with the option and gives every changed
value, so a failed save leaves the scenario as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sim.decide.staffing.option_writer import add_option_text, check_option, write_staffed_copy
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.yaml_loader import parse_yaml_text


class SaveRefused(Exception):
    """The option cannot be added to this file with its comments kept, or the name is taken."""


def is_bundled(source: Path) -> bool:
    """Whether the scenario is one of those shipped with sim (never written into)."""
    return source.resolve().is_relative_to(Path(BUNDLED_SCENARIOS).resolve())


def save_copy(source: Path, option: str, changes: dict[str, object]) -> tuple[Path, str]:
    """The scenario with the option added, as a copy beside it (in the working directory for
    a bundled scenario); returns the copy and the option's name (``option_2`` when taken)."""
    folder = Path.cwd() if is_bundled(source) else source.parent
    path, _, name = write_staffed_copy(source, folder, option, changes)
    return path, name


def save_into(source: Path, option: str, changes: dict[str, object]) -> Path:
    """The option added to the scenario file itself, comments kept; SaveRefused when the
    name is taken, the file is bundled, or its options are written in a way the round-trip
    writer does not extend (then save a copy)."""
    if is_bundled(source):
        raise SaveRefused(f"{source} is a scenario bundled with sim")
    text = source.read_text(encoding="utf-8")
    document = parse_yaml_text(text, str(source))
    if option == "baseline" or option in ((document or {}).get("options") or {}):
        raise SaveRefused(f"{source} already has an option {option}")
    new_text = add_option_text(text, option, changes)
    if new_text is None:
        raise SaveRefused(f"{source}: its options cannot be extended with comments kept")
    handle, scratch = tempfile.mkstemp(dir=source.parent, prefix=f".{source.stem}.",
                                       suffix=".yaml")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(new_text)
    try:
        check_option(Path(scratch), option, changes)
    except BaseException:
        os.unlink(scratch)
        raise
    os.replace(scratch, source)
    return source
