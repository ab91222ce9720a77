"""A readable summary of a scenario for the report's assumptions, in the report's language.

Scenario values that are words of the file format (``send_home``, ``first_in_first_out``) are
msgids with their field as msgctxt, so that a translator sees what the value means where; the
planner's procedures, desks and sites are called by their labels (:mod:`sim.output.names`). An
option is described by the rows of its assumptions that differ from the baseline's, so that a
change is said in the same words as the assumptions themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.analysis.targets import scenario_targets
from sim.model.calendar import build_timeline
from sim.output.metric_text import metric_title, target_text
from sim.output.names import Names, named_like
from sim.output.translations import NP_, Translator
from sim.scenario.distributions import as_distribution
from sim.scenario.schema import Scenario
from sim.scenario.transition import Disruption, Outage, Slowdown

Row = tuple[str, str]

# Scenario values by field, marked for the catalogues with the field as their context.
SCENARIO_VALUES: dict[str, tuple[str, ...]] = {
    "at_closing": (NP_("at_closing", "send_home"), NP_("at_closing", "serve_all")),
    "order": (NP_("order", "earliest_deadline"), NP_("order", "first_in_first_out")),
    "policy": (NP_("policy", "dedicated"), NP_("policy", "counter_first")),
    "disruption": (NP_("disruption", "outage"), NP_("disruption", "slowdown"),
                   NP_("disruption", "blocked")),
}


def scenario_value(t: Translator, field: str, value: str) -> str:
    """A value of the scenario format in words (the value itself when it has none)."""
    return t.pgettext(field, value) if value in SCENARIO_VALUES.get(field, ()) else value


@dataclass(frozen=True)
class Line:
    """One row of the assumptions as parts (a desk's counters, a session, a surge), so that an
    option's changes are found part by part, never by cutting the text again (names and dates
    hold commas of their own)."""

    label: str
    parts: tuple[str, ...]
    separator: str = "; "

    @property
    def text(self) -> str:
        return self.separator.join(self.parts)


def option_changes(baseline: Scenario, option: Scenario, t: Translator) -> list[str]:
    """What an option changes, in words: the parts of its assumptions (a desk, a number of
    staff, a session) that differ from the baseline's, each with the baseline's beside it
    where the two rows have their parts in the same places ("Quầy tiếp nhận chung: 9 quầy
    (hiện nay 8 quầy)")."""
    before = {line.label: line.parts for line in assumption_lines(baseline, t)}
    changes = []
    for line in assumption_lines(option, t, named_like(option, baseline)):
        was = before.get(line.label, ())
        lined_up = len(line.parts) == len(was)
        changed = [part if not lined_up else _with_current(t, part, was[index])
                   for index, part in enumerate(line.parts) if part not in was]
        if changed:
            changes.append(f"{line.label}: " + line.separator.join(changed))
    return changes


def _with_current(t: Translator, part: str, current: str) -> str:
    """An option's part with the baseline's in the same place, their common lead ("Quầy đất
    đai: ") said once."""
    cut = part.rfind(": ") + 2 if ": " in part else 0
    lead = part[:cut] if current.startswith(part[:cut]) else ""
    return t.gettext("{option} (now {current})").format(option=part,
                                                        current=current[len(lead):])


def assumptions(scenario: Scenario, t: Translator, named: Scenario | None = None) -> list[Row]:
    """(label, plain text) pairs describing a scenario (its desks and options named as in
    ``named``, the baseline of an option, which keeps the labels)."""
    return [(line.label, line.text) for line in assumption_lines(scenario, t, named)]


def assumption_lines(scenario: Scenario, t: Translator,
                     named: Scenario | None = None) -> list[Line]:
    """The assumptions' rows, each as its parts."""
    names = Names(named or scenario, t.lang)
    calendar = scenario.calendar
    lines = [
        Line(t.gettext("Period"), (t.ngettext("{count} working day, {start} to {end}",
                                              "{count} working days, {start} to {end}",
                                              calendar.working_days).format(
            count=calendar.working_days, start=t.date(calendar.start),
            end=t.date(build_timeline(calendar).days[-1].date)),)),
        Line(t.gettext("Opening hours"), tuple(calendar.sessions), ", "),
    ]
    if calendar.saturday_sessions:
        lines.append(Line(t.gettext("Saturday sessions"), tuple(calendar.saturday_sessions),
                          ", "))
    lines += [Line(t.gettext("Demand"), _demand(scenario, t)),
              Line(t.gettext("Procedures"), tuple(
                  t.gettext("{name} (share {share}, {minutes} min)").format(
                      name=names.procedure(p.id), share=t.percent(p.share),
                      minutes=t.number(p.service.expected()))
                  for p in scenario.procedures)),
              Line(t.gettext("Counters"), _counters(scenario, names), ", "),
              Line(t.gettext("Patience and returns"), _patience(scenario, t))]
    lines += transition_lines(scenario, names)
    lines.append(Line(t.gettext("Targets"), _targets(scenario, t), ", "))
    return lines


def _demand(scenario: Scenario, t: Translator) -> tuple[str, ...]:
    arrivals = scenario.arrivals
    if arrivals.per_day is not None:
        text = t.ngettext("{count} visitor on an ordinary day", "{count} visitors on an "
                          "ordinary day", arrivals.per_day).format(
            count=t.general(arrivals.per_day))
    else:
        text = t.ngettext("{count} visitor per hour", "{count} visitors per hour",
                          arrivals.per_hour).format(count=t.general(arrivals.per_hour))
    return (text, *(t.gettext("surge ×{factor} from {start} to {end}").format(
        factor=t.general(s.factor), start=t.date(s.start), end=t.date(s.end))
        for s in arrivals.surges))


def _counters(scenario: Scenario, names: Names) -> tuple[str, ...]:
    """Each desk's counters, a desk of a centre with sites named with its site."""
    t = names.t
    single = scenario.sites is None
    return tuple(t.ngettext("{desk}: {count} counter", "{desk}: {count} counters",
                            desk.counters).format(
        desk=names.desk(name if single else f"{site}.{name}"), count=desk.counters)
        + _schedule(t, desk.schedule)
        for site, desks in scenario.site_desks().items() for name, desk in desks.items())


def _schedule(t: Translator, schedule: dict[str, int] | None) -> str:
    """Open counters or staff on duty by clock time, in brackets ("" without a schedule)."""
    if not schedule:
        return ""
    return " (" + " / ".join(t.gettext("{count} from {time}").format(count=count, time=time)
                            for time, count in schedule.items()) + ")"


def _patience(scenario: Scenario, t: Translator) -> tuple[str, ...]:
    parts = []
    if scenario.patience is not None:
        parts.append(t.gettext("mean patience {minutes} min").format(
            minutes=t.number(scenario.patience.expected())))
    parts.append(t.gettext("{share} come back").format(
        share=t.percent(scenario.return_probability)))
    parts.append(t.gettext("at closing: {what}").format(
        what=scenario_value(t, "at_closing", scenario.at_closing)))
    return tuple(parts)


def transition_lines(scenario: Scenario, names: Names) -> list[Line]:
    """The guidance team, back office, transferred backlog and disruptions, where set."""
    t = names.t
    lines = []
    if scenario.guidance is not None:
        lines.append(Line(t.gettext("Guidance team"), (_staff(t, scenario.guidance.staff),)))
    office = scenario.back_office
    if office is not None:
        lines.append(Line(t.gettext("Back office"), (
            _staff(t, office.staff) + _schedule(t, office.schedule),
            t.gettext("{hours} hours a day each").format(hours=t.general(office.hours_per_day)),
            scenario_value(t, "order", office.order),
            scenario_value(t, "policy", office.policy))))
    if scenario.backlog:
        lines.append(Line(t.gettext("Transferred backlog"), tuple(
            t.ngettext("{procedure}: {count} dossier", "{procedure}: {count} dossiers",
                       item.count).format(procedure=names.procedure(item.procedure),
                                          count=t.number(item.count))
            for item in scenario.backlog)))
    if scenario.disruptions:
        lines.append(Line(t.gettext("Disruptions"), tuple(
            _disruption(t, names, d) for d in scenario.disruptions)))
    return lines


def _disruption(t: Translator, names: Names, disruption: Disruption) -> str:
    """A disruption in words with when it strikes, for how long and what it does."""
    what = scenario_value(t, "disruption", disruption.kind)
    if isinstance(disruption, Outage):
        if disruption.effect == "slowdown":
            what = t.gettext("{what} (service time ×{factor})").format(
                what=what, factor=t.general(disruption.service_factor))
        minutes = t.general(round(as_distribution(disruption.minutes).expected(), 1))
        if disruption.start is not None:
            return t.gettext("{what} on {date} at {time}, about {minutes} min").format(
                what=what, date=t.date(disruption.start.date()),
                time=disruption.start.strftime("%H:%M"), minutes=minutes)
        return t.gettext("{what} {count} times a day on average, at random, about {minutes} "
                         "min each").format(what=what, count=t.general(disruption.per_day),
                                            minutes=minutes)
    period = {"start": t.date(disruption.start), "end": t.date(disruption.end)}
    if isinstance(disruption, Slowdown):
        return t.gettext("{what} ×{factor} from {start} to {end}").format(
            what=what, factor=t.general(disruption.service_factor), **period)
    return t.gettext("{what}: {procedure}, from {start} to {end}").format(
        what=what, procedure=names.procedure(disruption.procedure), **period)


def _staff(t: Translator, count: int) -> str:
    return t.ngettext("{count} staff", "{count} staff", count).format(count=count)


def _targets(scenario: Scenario, t: Translator) -> tuple[str, ...]:
    texts = [target_text(t, target.metric, target.at_least, target.value,
                         name=metric_title(t, target.metric, scenario))
             for target in scenario_targets(scenario.targets)]
    return tuple(texts) or (t.gettext("none"),)
