"""A calibration as a scenario file, every fitted value with a comment saying where it came
from: the file, the period, the sample size and the 95% interval.

Written with ruamel.yaml so that the comments sit beside their values; clock times and
sessions are quoted (YAML 1.1 tools would read 13:30 as a number). The file is checked by
loading it as any scenario is loaded before it replaces anything.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sim.calibrate.arrivals_fit import ArrivalFit
from sim.calibrate.calibration import Calibration
from sim.calibrate.intervals import Estimate
from sim.calibrate.scenario_parts import (
    back_office_part,
    backlog_part,
    header,
    procedures_part,
    service_part,
)
from sim.scenario.load import load_scenario

WAIT_TARGET = 30  # minutes: a placeholder target (the README's example), said so
SIGNATURE = "# Calibrated by sim calibrate"  # the first line of every file written here


def written_here(path: Path) -> bool:
    """Whether `path` is a scenario this writer wrote (so that replacing it loses nothing)."""
    with Path(path).open(encoding="utf-8", errors="replace") as stream:
        return stream.readline().startswith(SIGNATURE)


def quoted(text: str) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(text)


def interval_text(estimate: Estimate, digits: int = 2, unit: str = "") -> str:
    """'95%: 141.5 to 152.2' (an open end says so)."""
    high = "no upper bound" if not math.isfinite(estimate.high) else f"{estimate.high:.{digits}f}"
    return f"{estimate.level:.0%}: {estimate.low:.{digits}f} to {high}{unit}"


def scenario_document(calibration: Calibration) -> CommentedMap:
    """The scenario as a commented YAML mapping."""
    document = CommentedMap()
    document["name"] = header(calibration).name
    document["description"] = header(calibration).description
    document["calendar"] = _calendar(calibration)
    document["arrivals"] = _arrivals(calibration)
    document["procedures"] = procedures_part(calibration)
    document["desks"] = _desks(calibration)
    for key, value in back_office_part(calibration).items():
        document[key] = value
    backlog = backlog_part(calibration)
    if backlog:
        document["backlog"] = backlog
    _patience(document, calibration)
    document["return_probability"] = 0.0
    document.yaml_add_eol_comment(
        "a ticket log cannot link a citizen's trips: per_day counts every first trip, and "
        "those who gave up and came back count again as new", "return_probability")
    document["at_closing"] = "send_home"
    document["options"] = _options(calibration)
    document["labels"] = _labels(document["options"])
    document["targets"] = CommentedMap(wait_p90=WAIT_TARGET)
    document["targets"].yaml_add_eol_comment("assumption: a placeholder; set your centre's",
                                             "wait_p90")
    return document


def _calendar(calibration: Calibration) -> CommentedMap:
    sample, counters = calibration.sample, calibration.counters
    calendar = CommentedMap()
    calendar["start"] = calibration.period.first
    calendar.yaml_add_eol_comment("first day of the records' period", "start")
    calendar["working_days"] = len(sample.days)
    calendar.yaml_add_eol_comment(
        f"weekdays of {calibration.period.describe()} with tickets", "working_days")
    calendar["sessions"] = CommentedSeq(quoted(s) for s in counters.sessions)
    calendar["sessions"].fa.set_flow_style()
    calendar.yaml_add_eol_comment("half-hours in which a counter called a ticket on at least "
                                  "half the days", "sessions")
    if calibration.holidays:
        calendar["holidays"] = CommentedSeq(calibration.holidays)
        calendar["holidays"].fa.set_flow_style()
        calendar.yaml_add_eol_comment("weekdays without a ticket (public holidays among "
                                      "them)", "holidays")
    calendar["cutoff"] = quoted(calibration.request.cutoff)
    calendar.yaml_add_eol_comment("given (--cutoff): the same-day cut-off for deadlines",
                                  "cutoff")
    return calendar


def _arrivals(calibration: Calibration) -> CommentedMap:
    fit, tests = calibration.arrivals, calibration.poisson
    arrivals = CommentedMap()
    arrivals["per_day"] = round(fit.per_day.value, 1)
    arrivals.yaml_add_eol_comment(
        f"{Path(calibration.tickets.source).name}, {calibration.period.describe()}: "
        f"{fit.per_day.n:,} first trips ({fit.tickets:,} tickets less {fit.returns:,} returns "
        f"for a missing paper) over {fit.days} days; {interval_text(fit.per_day, 1)}"
        + ("; days vary more than Poisson: interval from their spread"
           if tests.dispersion.rejects else ""), "per_day")
    profile = CommentedMap()
    for clock, estimate in fit.profile.items():
        profile[quoted(clock)] = round(estimate.value, 2)
        if estimate.value > 0:
            profile.yaml_add_eol_comment(
                f"per hour; n = {round(estimate.value * estimate.n / fit.per_day.value / 2)}, "
                f"{interval_text(estimate)}", quoted(clock))
    arrivals["profile"] = profile
    arrivals.yaml_add_eol_comment("visitors per hour of an ordinary day, by half-hour of "
                                  "ticket printing, pooled over the days", "profile")
    _weekdays(arrivals, fit)
    return arrivals


def _weekdays(arrivals: CommentedMap, fit: ArrivalFit) -> None:
    if not fit.weekdays_differ:
        return
    factors = CommentedMap()
    for weekday in fit.weekdays:
        factors[weekday.weekday] = round(weekday.factor.value, 3)
        factors.yaml_add_eol_comment(f"{weekday.days} days, {weekday.mean.value:.1f} a day; "
                                     f"{interval_text(weekday.factor, 3)}", weekday.weekday)
    arrivals["weekday_factor"] = factors
    arrivals.yaml_add_eol_comment(f"weekdays differ (chi-square p = {fit.weekday_p:.2g})",
                                  "weekday_factor")


def _desks(calibration: Calibration) -> CommentedMap:
    desks = CommentedMap()
    for name, desk in calibration.counters.desks.items():
        entry = CommentedMap(counters=desk.counters)
        if len(set(desk.schedule.values())) > 1:
            schedule = CommentedMap((quoted(clock), count)
                                    for clock, count in desk.schedule.items())
            schedule.fa.set_flow_style()
            entry["schedule"] = schedule
        entry.fa.set_flow_style()
        desks[name] = entry
        desks.yaml_add_eol_comment(
            f"{desk.seen} counters seen; open counters of the median day by half-hour",
            name)
    return desks


def _patience(document: CommentedMap, calibration: Calibration) -> None:
    fit = calibration.patience
    if fit is None:
        return
    document["patience"] = service_part(fit.dist, fit.mean.value, fit.cv)
    others = ", ".join(f"{family.dist} {family.aic - min(f.aic for f in fit.families):+.1f}"
                       for family in fit.families if family.dist != fit.dist)
    weeks = ("more records would not bound it" if not math.isfinite(fit.weeks_needed) else
             f"about {math.ceil(fit.weeks_needed)} weeks of records would bring it to ±20%")
    document.yaml_add_eol_comment(
        f"censored MLE: {len(fit.waits.gave_up_before):,} absent at their call, "
        f"{len(fit.waits.stayed_past):,} answered; {fit.dist} by AIC ({others}); mean "
        f"{interval_text(fit.mean, 1, ' min')} (families within 2 AIC); {weeks}", "patience")


def _options(calibration: Calibration) -> CommentedMap:
    """One example option: a counter more at the busiest desk (edit or add your own)."""
    busiest = max(calibration.counters.desks,
                  key=lambda name: _desk_load(calibration, name))
    desk = calibration.counters.desks[busiest]
    changes = CommentedMap()
    changes[f"desks.{busiest}.counters"] = desk.counters + 1
    if len(set(desk.schedule.values())) > 1:
        schedule = CommentedMap((quoted(c), n + 1) for c, n in desk.schedule.items())
        schedule.fa.set_flow_style()
        changes[f"desks.{busiest}.schedule"] = schedule
    options = CommentedMap()
    options[f"extra_counter_{busiest}"] = changes
    options.yaml_add_eol_comment("an example option: one counter more at the busiest desk",
                                 f"extra_counter_{busiest}")
    return options


def _labels(options: CommentedMap) -> CommentedMap:
    """The example option's name on the report's pages, in both languages (edit with it)."""
    labels = CommentedMap()
    for option in options:
        name = CommentedMap(vi="Thêm một quầy ở quầy đông nhất",
                            en="One more counter at the busiest desk")
        name.fa.set_flow_style()
        labels[option] = name
    return labels


def _desk_load(calibration: Calibration, desk: str) -> float:
    shares = {s.procedure: s.share.value for s in calibration.shares.procedures}
    return sum(shares.get(fit.procedure, 0) * fit.fit.mean.value
               for fit in calibration.services if fit.desk == desk) / max(
        1, calibration.counters.desks[desk].counters)


@contextmanager
def staged_scenario(calibration: Calibration, path: Path) -> Iterator[Path]:
    """Write the scenario beside `path` and check that it loads; it takes `path`'s place
    when the block ends without an error, and is removed otherwise."""
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(header(calibration).comment)
            yaml.dump(scenario_document(calibration), stream)
        load_scenario(temporary)
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_scenario(calibration: Calibration, path: Path) -> Path:
    """Write the scenario, check it loads, and only then put it in place."""
    with staged_scenario(calibration, path):
        pass
    return Path(path)
