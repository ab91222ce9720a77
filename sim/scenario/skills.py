"""Staff skills: which roles each group of a centre's people can take (`sim staff --skills`).

A centre's people are not interchangeable: a land officer can sit at the land counter or process
land dossiers, a seconded official may only know the back office. A skills file lists groups of
people, each with a head count and the roles its members can take; a role is a desk's name (its
counters; ``site.desk`` at a centre with several sites), ``guidance`` or ``back_office``. Without
a file, everyone can work everywhere. The file is YAML (``groups:``, a list of groups) or CSV
(columns ``name,count,skills``, the skills separated by spaces); every problem names the file,
the group (YAML) or line (CSV), the field, the value and what is allowed.

A scenario may say the same in its own `skills` section (the YAML form: ``skills: {groups:
[...]}``), checked by `sim check` against the scenario's desks; a skills file given to `sim
staff --skills` replaces the section (`staff_groups`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, ValidationError, field_validator

from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.limits import MAX_COUNTERS
from sim.scenario.problems import join_path, problems_from
from sim.scenario.strict import StrictModel
from sim.scenario.types import Name
from sim.scenario.yaml_loader import read_yaml_file

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

GUIDANCE, BACK_OFFICE = "guidance", "back_office"
CSV_COLUMNS = ("name", "count", "skills")


class StaffGroupSpec(StrictModel):
    """People who can take the same roles."""

    name: Name = Field(default="", description="what the centre calls them, e.g. seconded")
    count: Annotated[int, Field(ge=1, le=MAX_COUNTERS)] = Field(description="people in the group")
    skills: list[str] = Field(description="roles they can take: desk names, guidance, "
                                          "back_office")

    @field_validator("skills")
    @classmethod
    def _somewhere(cls, skills: list[str]) -> list[str]:
        """People who can work nowhere cannot be placed: say so, not "too short"."""
        if not skills:
            raise ValueError("at least one role (a desk, guidance or back_office): people who "
                             "can work nowhere cannot be placed")
        return skills


class SkillsFile(StrictModel):
    """A skills file: the groups of the centre's people."""

    groups: Annotated[list[StaffGroupSpec], Field(min_length=1)]


SKILLS_DESCRIPTION = ("groups of the centre's people and the roles each can take (sim staff "
                      "--headcount; --skills FILE replaces it); none: everyone can work "
                      "everywhere")


@dataclass(frozen=True)
class StaffGroup:
    """A group of people and the roles each of them can take."""

    name: str
    count: int
    skills: frozenset[str]


def everyone(headcount: int, roles: Sequence[str]) -> tuple[StaffGroup, ...]:
    """Without a skills file: `headcount` people who can all take every role."""
    return (StaffGroup("", headcount, frozenset(roles)),)


def read_skills(path: Path, roles: Sequence[str]) -> tuple[StaffGroup, ...]:
    """The groups of a skills file (YAML, or CSV by its ``.csv`` ending), each skill one of
    `roles`. Raises ScenarioError naming the file, group or line, field and value."""
    source = str(path)
    if path.suffix.lower() == ".csv":
        document, where = _csv_document(path), _csv_place
    else:
        document, where = read_yaml_file(path), (lambda text: text)
    try:
        spec = SkillsFile.model_validate(document)
    except ValidationError as err:
        problems = [Problem(where(p.path), p.value, p.allowed)
                    for p in problems_from(err, SkillsFile)]
        raise ScenarioError(source, problems) from None
    problems = role_problems(spec, roles, lambda *parts: where(join_path(list(parts))))
    if problems:
        raise ScenarioError(source, problems)
    return groups_of(spec)


def role_problems(spec: SkillsFile, roles: Sequence[str], at: Callable[..., str]
                  ) -> list[Problem]:
    """Every skill that is not one of `roles`, at the path `at` gives its group and place."""
    return [Problem(at("groups", g, "skills", s), skill, "one of " + ", ".join(roles))
            for g, group in enumerate(spec.groups) for s, skill in enumerate(group.skills)
            if skill not in roles]


def groups_of(spec: SkillsFile) -> tuple[StaffGroup, ...]:
    """The groups of a checked skills file or section, as the headcount search takes them."""
    return tuple(StaffGroup(group.name, group.count, frozenset(group.skills))
                 for group in spec.groups)


def scenario_roles(scenario: Scenario) -> tuple[str, ...]:
    """The roles a scenario's people can take: every desk that has counters (``site.desk`` at
    a centre with several sites, a group of counters without procedures too), then guidance
    (each site's, ``site.guidance``, with several sites) and the back office where the
    scenario has them (as `sim staff --headcount` staffs them)."""
    single = scenario.sites is None
    desks = [name if single else f"{site}.{name}"
             for site, names in scenario.site_desks().items() for name in names]
    sites = [None] if single else list(scenario.sites)
    guides = [guidance_role(site) for site in sites] if scenario.guidance else []
    return (*desks, *guides, *([BACK_OFFICE] if scenario.back_office else []))


def guidance_role(site: str | None) -> str:
    """The role of a site's guidance team (``<site>.guidance``), or of a centre's only team."""
    return GUIDANCE if site is None else f"{site}.{GUIDANCE}"


def staff_groups(path: Path | None, section: SkillsFile | None, headcount: int,
                 roles: Sequence[str]) -> tuple[StaffGroup, ...]:
    """Who can work where for `sim staff --headcount`: a skills file's groups, which replace
    the scenario's `skills` section (a file is how a planner tries another split without
    editing the scenario); else the section's; else `headcount` people who can work
    everywhere."""
    if path is not None:
        return read_skills(path, roles)
    if section is not None:
        return groups_of(section)
    return everyone(headcount, roles)


def _csv_document(path: Path) -> dict:
    """A CSV skills file as the YAML document it stands for; a wrong header is a problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(str(path), [Problem("", str(err), "a readable UTF-8 CSV file")]
                            ) from None
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip() for cell in rows[0]] if rows else []
    if tuple(header) != CSV_COLUMNS:
        raise ScenarioError(str(path), [Problem("line 1", ",".join(header),
                                                "the header " + ",".join(CSV_COLUMNS))])
    groups = []
    for row in rows[1:]:
        cells = dict(zip(CSV_COLUMNS, [cell.strip() for cell in row], strict=False))
        count = cells.get("count", "")
        groups.append({**cells, "count": int(count) if count.isdigit() else count,
                       "skills": cells.get("skills", "").split()})
    return {"groups": groups}


def _csv_place(path: str) -> str:
    """A problem's place in a CSV file: ``groups[2].count`` is line 4, field count."""
    found = re.match(r"groups\[(\d+)\]\.?([a-z_]*)(.*)", path)
    if found is None:
        return path
    line, field, rest = int(found.group(1)) + 2, found.group(2), found.group(3)
    return f"line {line}" + (f", field {field}{rest}" if field else "")
