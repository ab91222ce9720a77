"""Write a country file: every province's file (`sim province init` for each), one template per
kind of unit, and the country file naming them.

Why one template per kind: an urban ward, a lowland commune, a large highland commune and an
island special zone work differently (counters, guides, back office, outages); demand comes
from the planner's CSV or the proxy of sim/scenario/province/init.py either way. The kinds
and the bundled templates that stand for them by default:

- ward: scenarios/centres/mid_size_ward.yaml
- commune: scenarios/centres/rural_merged_commune.yaml
- highland (a commune of at least 150 km²; the package gives no elevation): highland_commune.yaml
- special_zone (islands, remote like the highlands): highland_commune.yaml

Every province file runs the baseline only (`options: {}`): the templates' options differ by
kind, and a country run compares centres, not options.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import yaml

from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.province.admin_units import communes, find_province, provinces
from sim.scenario.province.country import file_stem
from sim.scenario.province.init import Templates, centres_title, read_demand, write_province

COUNTRY = "Việt Nam"
KINDS = ("ward", "commune", "highland", "special_zone")
DEFAULT_TEMPLATES = {
    "ward": BUNDLED_SCENARIOS / "centres" / "mid_size_ward.yaml",
    "commune": BUNDLED_SCENARIOS / "centres" / "rural_merged_commune.yaml",
    "highland": BUNDLED_SCENARIOS / "centres" / "highland_commune.yaml",
    "special_zone": BUNDLED_SCENARIOS / "centres" / "highland_commune.yaml",
}


def init_country(out: Path, templates: Mapping[str, Path], demand_csv: Path | None = None,
                 only: tuple[str, ...] = ()) -> Path:
    """Write ``out``/country.yaml and ``out``/provinces/<province>.yaml for every province (or
    the `only` ones) and return the country file. ``out`` must not exist or be empty; it is
    written whole or not at all. Raises ValueError as `init_province` does."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValueError(f"{out}: exists and is not an empty folder; allowed: a new folder "
                         "(the country's files are written into it)")
    names = [find_province(name) for name in only] if only else provinces()
    chosen = {**DEFAULT_TEMPLATES, **templates}
    units = {name: set(communes(name)["code"]) for name in names}
    demand = (read_demand(demand_csv, set().union(*units.values()), COUNTRY)
              if demand_csv else {})
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the files are meant to be shared
    try:
        copied = _copy_templates(chosen, staging)
        files = [_province(name, copied, demand, units[name], demand_csv, staging)
                 for name in names]
        country = {**centres_title(COUNTRY, "Vietnam"), "provinces": files}
        header = (f"# {COUNTRY}: {sum(map(len, units.values()))} commune centres in "
                  f"{len(names)} provinces; written by `sim country init`.\n"
                  "# Each province file says where its units and demand come from.\n\n")
        (staging / "country.yaml").write_text(
            header + yaml.safe_dump(country, allow_unicode=True, sort_keys=False),
            encoding="utf-8")
        if out.exists():
            _fill(staging, out)
        else:
            os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "country.yaml"


def _province(name: str, templates: Mapping[str, Path], demand: Mapping, codes: set[str],
              demand_csv: Path | None, staging: Path) -> str:
    """Write one province's file; it names its templates relative to itself, so the folder
    can move."""
    written = write_province(name, Templates(templates["commune"], dict(templates)),
                             {code: d for code, d in demand.items() if code in codes},
                             demand_csv, staging / "provinces" / f"{file_stem(name)}.yaml",
                             options={})
    return Path(os.path.relpath(written, staging)).as_posix()


def _copy_templates(templates: Mapping[str, Path], staging: Path) -> dict[str, Path]:
    """Copy each kind's template to templates/<kind>.yaml, so that the folder stands alone (it
    can be moved) and a planner edits a kind's template there."""
    (staging / "templates").mkdir()
    copied = {kind: staging / "templates" / f"{kind}.yaml" for kind in templates}
    for kind, path in templates.items():
        shutil.copyfile(path, copied[kind])
    return copied


def _fill(staging: Path, out: Path) -> None:
    """Move the staged files into the empty folder ``out``."""
    for entry in staging.iterdir():
        os.replace(entry, out / entry.name)
