"""`sim staff --headcount N`: who of a centre's N people sits where, block by block.

A centre's leader has a headcount, not a budget of counters: this search assigns the N people,
in each time block of the day, to the desks' counters (within each desk's positions; a results
counter and a feedback desk are desks too), the guidance team (each site's, with several sites)
and the back office, as their skills allow, so that every target is met (waits,
dossiers on time) with the fewest staff-hours of overtime and the fewest switches between roles;
where no roster meets every target, the one that misses them least.

1. Start from theory: each desk's counters per block from the modified offered load with
   Erlang C or A (`sim.analysis.staffing`, which counts pick-ups and inquiries at their desks),
   within positions; each guidance team as the scenario has it (a site's own `guidance`, else
   the centre's); everyone else in the back office. Where that asks for more people than there are
   (or than the skills allow), the counter theory says can best be spared goes first.
2. Improve by simulation (`headcount_search`), judged on common random numbers: first the best
   uniform split (moves of one person between roles for the whole day, from theory's busiest
   block in every block, or the scenario's own split if it is uniform and clearly better),
   then, from that split (or theory's block-by-block roster, or the scenario's own, if one is
   clearly better), moves of one person between roles in one block.
3. Confirm the final roster on fresh replications (`fresh_seed`), beside the baseline, and
   write it as an option into a copy of the scenario (comments kept).

With ``uniform=True`` the search stops after the first phase: the best uniform split of the same
people, for comparison; it is where the block-by-block search starts, on the same replications,
so that this ends no worse on them.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sim.analysis.offered_load import back_office_load
from sim.analysis.staffing.blocks import DEFAULT_BLOCK_MINUTES
from sim.analysis.staffing.criteria import staffing_targets, target_criterion
from sim.analysis.staffing.theory_plan import TheoryPlan, theory_schedule
from sim.analysis.targets import TARGET_METRICS, Target, as_target, scenario_targets, target_minutes
from sim.decide.staffing.headcount_judge import Judge
from sim.decide.staffing.headcount_result import HeadcountResult
from sim.decide.staffing.headcount_search import HeadcountSearch
from sim.decide.staffing.option_writer import write_staffed_copy
from sim.decide.staffing.roster import (
    Roster,
    Rules,
    guidance_site,
    is_guidance,
    roster_changes,
)
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import DEFAULT_SEED, fresh_seed
from sim.model.arrivals import build_intensity
from sim.model.calendar import build_timeline
from sim.model.citizens import counter_pools
from sim.scenario.limits import MAX_COUNTERS, MAX_GUIDES
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario
from sim.scenario.skills import BACK_OFFICE, StaffGroup, guidance_role, staff_groups
from sim.scenario.types import level_at, schedule_points
from sim.scenario.yaml_loader import read_yaml_file

DEFAULT_OPTION = "headcount"
#: Of both phases together: on the mid-size ward the whole-day phase ends after 6, leaving 6 for
#: the blocks within the issue's two minutes on 2 cores (benchmarks/headcount.py).
DEFAULT_ROUNDS = 12
DEFAULT_HEADCOUNT_REPLICATIONS = 4
#: The back office starts with the staff that would be this busy on an average day: the rest of
#: each day's hours absorbs the days and weeks above the average.
_BACK_OFFICE_UTILISATION = 0.9


def staff_headcount(
    scenario_path: str | Path,
    headcount: int,
    targets: Sequence[Target | str] = (),
    skills: str | Path | None = None,
    *,
    seed: int = DEFAULT_SEED,
    replications: int = DEFAULT_HEADCOUNT_REPLICATIONS,
    block_minutes: int | None = DEFAULT_BLOCK_MINUTES,
    uniform: bool = False,
    max_rounds: int = DEFAULT_ROUNDS,
    out: str | Path | None = None,
    option: str = DEFAULT_OPTION,
    execution: Execution = IN_PROCESS,
    progress: Callable[[str], None] | None = None,
) -> HeadcountResult:
    """The roster of `headcount` people that best meets the targets (see the module's
    docstring). `targets` replace the scenario's waiting targets (its dossier targets still
    count); `skills` is a skills file (`sim.scenario.skills`), none: everyone can work
    everywhere. Raises ValueError for what cannot be searched, ScenarioError for a bad file.

    Longer than most functions because it only runs the steps one after the other and hands
    their results on (each step is a function or class of its own).
    """
    started = time.perf_counter()
    path = Path(scenario_path)
    document = read_yaml_file(path)
    scenario = scenario_from_document(document, str(path), options=["baseline"]).baseline
    _check_request(scenario, headcount, replications, max_rounds, option)
    found = _all_targets(scenario, targets)
    desk_targets = tuple(t for t in found if t.metric in TARGET_METRICS)
    plan = theory_schedule(scenario, desk_targets, None, block_minutes)
    roles = _roles(scenario, plan)
    groups = staff_groups(Path(skills) if skills else None, scenario.skills, headcount, roles)
    rules = _rules(scenario, plan, roles, headcount, groups)
    judge = Judge(scenario, str(path), found, tuple(plan.counters), plan.blocks,
                  tuple(target_criterion(t, target_minutes(scenario)) for t in desk_targets),
                  build_timeline(scenario.calendar), execution)
    search = HeadcountSearch(document, judge, plan, rules, replications, seed, uniform,
                             max_rounds, progress or (lambda _: None))
    whole_day, block_starts = _starts(search, scenario, plan, rules)
    start = whole_day[0] if uniform else block_starts[0]
    roster, judged = search.run(whole_day, [] if uniform else block_starts)
    confirmation_seed = fresh_seed(seed, replications)
    staffed = search.scenario(roster)
    results = judge.run({"baseline": scenario, option: staffed}, replications, confirmation_seed)
    changes = roster_changes(roster, plan.blocks, plan.paths)
    written, kept, name = None, True, option
    if out is not None:
        comment = (f"sim staff --headcount {headcount}: {', '.join(map(str, found))}; "
                   f"{'uniform split; ' if uniform else ''}checked with {replications} "
                   f"replications, seed {seed}, confirmed on seed {confirmation_seed}")
        written, kept, name = write_staffed_copy(path, out, option, changes, comment)
    return HeadcountResult(
        source=str(path), headcount=headcount, targets=found, blocks=plan.blocks,
        start=start, roster=roster, judged=judged,
        confirmation=judge.judge(results, option, roster.switches()),
        baseline=judge.judge(results, "baseline", 0), results=results,
        confirmation_seed=confirmation_seed, option=name, changes=changes, written=written,
        comments_kept=kept, uniform=uniform, rounds=search.rounds, seed=seed,
        replications=replications, history=tuple(search.history),
        runtime_seconds=time.perf_counter() - started, judge=judge, staffed=staffed)


def _starts(search: HeadcountSearch, scenario: Scenario, plan: TheoryPlan, rules: Rules
            ) -> tuple[list[Roster], list[Roster]]:
    """The starts of the whole-day phase (theory's uniform split, then the scenario's own if it
    is uniform) and of the block phase (theory's roster block by block, then the scenario's
    own if it is not uniform), each keeping the rules."""
    reserved, own = reserved_people(scenario), own_roster(scenario, plan, rules.roles)
    whole_day = [search.fitted(theory_roster(plan, rules, reserved, True), True)]
    blocks = [search.fitted(theory_roster(plan, rules, reserved, False), False)]
    if own.keeps(rules):
        (whole_day if own.uniform() else blocks).append(own)
    return whole_day, blocks


def _check_request(scenario: Scenario, headcount: int, replications: int, max_rounds: int,
                   option: str) -> None:
    if headcount < 1 or replications < 2 or max_rounds < 0:
        raise ValueError("the headcount must be at least 1, replications at least 2 and "
                         "rounds at least 0")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", option) or option == "baseline":
        raise ValueError(f"option name {option!r}: lower-case letters, digits and _, "
                         "starting with a letter, and not 'baseline'")


def _all_targets(scenario: Scenario, targets: Sequence[Target | str]) -> tuple[Target, ...]:
    """The waiting targets given (or the scenario's), and the scenario's other targets."""
    waits = tuple(as_target(t) for t in targets) or staffing_targets(scenario)
    if not waits:
        raise ValueError("no waiting targets: give some (e.g. --target wait_p90<=30) or add "
                         "them to the scenario's `targets`")
    others = tuple(t for t in scenario_targets(scenario.targets) if t.metric not in TARGET_METRICS)
    return waits + others


def _roles(scenario: Scenario, plan: TheoryPlan) -> tuple[str, ...]:
    """Every desk, then the guidance team (each site's, with several sites) and the back
    office where the scenario has them. A desk may not be called as another role is."""
    sites = [None] if scenario.sites is None else list(scenario.sites)
    guides = [guidance_role(site) for site in sites] if scenario.guidance else []
    roles = (*plan.counters, *guides, *([BACK_OFFICE] if scenario.back_office else []))
    clash = sorted({role for role in roles if roles.count(role) > 1})
    if clash:
        raise ValueError(f"a desk is called {clash[0]!r}, as a role of the headcount search "
                         "is: rename the desk")
    return roles


def _rules(scenario: Scenario, plan: TheoryPlan, roles: tuple[str, ...], headcount: int,
           groups: tuple[StaffGroup, ...]) -> Rules:
    people = sum(g.count for g in groups)
    if people != headcount:
        raise ValueError(f"the skills (the --skills file, or the scenario's skills section) "
                         f"list {people} people but the headcount is {headcount}: give the "
                         "same number")
    guides = [role for role in roles if is_guidance(role)]
    most = {**plan.positions, **dict.fromkeys(guides, MAX_GUIDES), BACK_OFFICE: MAX_COUNTERS}
    fewest = {**dict.fromkeys(plan.counters, 1), **dict.fromkeys(guides, 1), BACK_OFFICE: 0}
    if sum(fewest[r] for r in roles) > headcount:
        raise ValueError(f"a headcount of {headcount} cannot keep one person at each desk "
                         "and one guide: at least " + str(sum(fewest[r] for r in roles)))
    return Rules(headcount, roles, {r: most[r] for r in roles}, {r: fewest[r] for r in roles},
                 groups)


def theory_roster(plan: TheoryPlan, rules: Rules, reserved: dict[str, int], uniform: bool
                  ) -> Roster:
    """Theory's counters per desk and block (for a uniform split, the busiest block's in
    every block) and the `reserved` people of the other roles in every block, before they
    are fitted to the rules."""
    rows = []
    for role in rules.roles:
        if role in plan.counters:
            counts = plan.counters[role]
            rows.append((max(counts),) * len(counts) if uniform else tuple(counts))
        else:
            rows.append((reserved.get(role, 0),) * len(plan.blocks))
    return Roster(rules.roles, tuple(rows))


def own_roster(scenario: Scenario, plan: TheoryPlan, roles: tuple[str, ...]) -> Roster:
    """The scenario's own deployment as a roster: each desk's, the guides' and the back
    office's people at the start of each block (their schedules, or all of them)."""
    single, sites = scenario.sites is None, scenario.site_desks()
    desks = {pool.label(single): sites[pool.site][pool.desk] for pool in counter_pools(scenario)}
    rows = []
    for role in roles:
        if role in desks:
            people, schedule = desks[role].counters, desks[role].schedule
        elif is_guidance(role):
            people, schedule = scenario.site_guidance(guidance_site(role) or "main")
        else:
            people, schedule = scenario.back_office.staff, scenario.back_office.schedule
        points = schedule_points(schedule)
        rows.append(tuple(level_at(points, block.start, people) for block in plan.blocks))
    return Roster(roles, tuple(rows))


def reserved_people(scenario: Scenario) -> dict[str, int]:
    """Each site's guides as the scenario has them, and the back-office staff that the run's
    dossier work needs on an average day at `_BACK_OFFICE_UTILISATION`: new dossiers (the
    ordinary day's work times the run's mean demand factor) plus the backlog spread over the
    run."""
    single = scenario.sites is None
    reserved = {guidance_role(None if single else site): scenario.site_guidance(site)[0]
                for site in scenario.site_desks()}
    load = back_office_load(scenario)
    if load is None or scenario.back_office is None:
        return reserved
    timeline = build_timeline(scenario.calendar)
    intensity = build_intensity(scenario.arrivals, scenario.calendar, timeline)
    visitors = float(intensity.cumulative[-1]) if len(intensity.cumulative) else 0.0
    days = scenario.calendar.working_days
    factor = visitors / (scenario.arrivals.per_day * days)
    work = load["new_work_per_day"] * factor + load["backlog_hours"] / days
    reserved[BACK_OFFICE] = math.ceil(
        work / (scenario.back_office.hours_per_day * _BACK_OFFICE_UTILISATION))
    return reserved
