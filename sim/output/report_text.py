"""A readable summary of a scenario for the report's assumptions, in the report's language.

Scenario values that are words of the file format (``send_home``, ``first_in_first_out``) are
msgids with their field as msgctxt, so that a translator sees what the value means where; the
planner's procedures, desks and sites are called by their labels (:mod:`sim.output.names`). An
option is described by the rows of its assumptions that differ from the baseline's, so that a
change is said in the same words as the assumptions themselves.
"""

from __future__ import annotations

from sim.analysis.targets import scenario_targets
from sim.model.calendar import build_timeline
from sim.output.metric_text import metric_title, target_text
from sim.output.names import Names
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


def option_changes(baseline: Scenario, option: Scenario, t: Translator) -> list[str]:
    """What an option changes, in words: the parts of its assumptions (a desk, a number of
    staff, a session) that differ from the baseline's, each with the baseline's beside it
    where the two line up ("Quầy tiếp nhận chung: 9 quầy (hiện nay 8 quầy)")."""
    before = {label: _parts(text) for label, text in assumptions(baseline, t)}
    changes = []
    for label, text in assumptions(option, t, baseline):
        was = before.get(label, [])
        parts = _parts(text)
        lined_up = len(parts) == len(was)
        changed = [part if not lined_up else _with_current(t, part, was[index])
                   for index, part in enumerate(parts) if part not in was]
        if changed:
            changes.append(f"{label}: " + ", ".join(changed))
    return changes


def _with_current(t: Translator, part: str, current: str) -> str:
    """An option's part with the baseline's in the same place, their common lead said once."""
    lead = part[:part.rfind(": ") + 2] if ": " in part else ""
    if not current.startswith(lead):
        lead = ""
    return t.gettext("{option} (now {current})").format(option=part,
                                                        current=current[len(lead):])


def _parts(text: str) -> list[str]:
    """An assumption's text cut at its separators ("; " and ", ")."""
    return [part for piece in text.split("; ") for part in piece.split(", ")]


def assumptions(scenario: Scenario, t: Translator, named: Scenario | None = None) -> list[Row]:
    """(label, plain text) pairs describing a scenario (its desks and options named as in
    ``named``, the baseline of an option, which keeps the labels)."""
    names = Names(named or scenario, t.lang)
    calendar = scenario.calendar
    rows = [
        (t.gettext("Period"), t.ngettext("{count} working day, {start} to {end}",
                                         "{count} working days, {start} to {end}",
                                         calendar.working_days).format(
            count=calendar.working_days, start=t.date(calendar.start),
            end=t.date(build_timeline(calendar).days[-1].date))),
        (t.gettext("Opening hours"), ", ".join(calendar.sessions)),
    ]
    if calendar.saturday_sessions:
        rows.append((t.gettext("Saturday sessions"), ", ".join(calendar.saturday_sessions)))
    rows += [(t.gettext("Demand"), _demand(scenario, t)),
             (t.gettext("Procedures"), "; ".join(
                 t.gettext("{name} (share {share}, {minutes} min)").format(
                     name=names.procedure(p.id), share=t.percent(p.share),
                     minutes=t.number(p.service.expected()))
                 for p in scenario.procedures)),
             (t.gettext("Counters"), _counters(scenario, names)),
             (t.gettext("Patience and returns"), _patience(scenario, t))]
    rows += transition_rows(scenario, names)
    rows.append((t.gettext("Targets"), _targets(scenario, t)))
    return rows


def _demand(scenario: Scenario, t: Translator) -> str:
    arrivals = scenario.arrivals
    if arrivals.per_day is not None:
        text = t.ngettext("{count} visitor on an ordinary day", "{count} visitors on an "
                          "ordinary day", arrivals.per_day).format(
            count=t.general(arrivals.per_day))
    else:
        text = t.ngettext("{count} visitor per hour", "{count} visitors per hour",
                          arrivals.per_hour).format(count=t.general(arrivals.per_hour))
    return text + "".join(
        "; " + t.gettext("surge ×{factor} from {start} to {end}").format(
            factor=t.general(s.factor), start=t.date(s.start), end=t.date(s.end))
        for s in arrivals.surges)


def _counters(scenario: Scenario, names: Names) -> str:
    t = names.t
    sites = []
    for site, desks in scenario.site_desks().items():
        counters = ", ".join(t.ngettext("{desk}: {count} counter", "{desk}: {count} counters",
                                        desk.counters).format(desk=names.desk(name),
                                                              count=desk.counters)
                             + _schedule(t, desk.schedule)
                             for name, desk in desks.items())
        sites.append(t.gettext("site {site}: {desks}").format(site=names.site(site),
                                                              desks=counters)
                     if scenario.sites is not None else counters)
    return "; ".join(sites)


def _schedule(t: Translator, schedule: dict[str, int] | None) -> str:
    """Open counters or staff on duty by clock time, in brackets ("" without a schedule)."""
    if not schedule:
        return ""
    return " (" + " / ".join(t.gettext("{count} from {time}").format(count=count, time=time)
                            for time, count in schedule.items()) + ")"


def _patience(scenario: Scenario, t: Translator) -> str:
    parts = []
    if scenario.patience is not None:
        parts.append(t.gettext("mean patience {minutes} min").format(
            minutes=t.number(scenario.patience.expected())))
    parts.append(t.gettext("{share} come back").format(
        share=t.percent(scenario.return_probability)))
    parts.append(t.gettext("at closing: {what}").format(
        what=scenario_value(t, "at_closing", scenario.at_closing)))
    return "; ".join(parts)


def transition_rows(scenario: Scenario, names: Names) -> list[Row]:
    """The guidance team, back office, transferred backlog and disruptions, where set."""
    t = names.t
    rows = []
    if scenario.guidance is not None:
        rows.append((t.gettext("Guidance team"), _staff(t, scenario.guidance.staff)))
    office = scenario.back_office
    if office is not None:
        rows.append((t.gettext("Back office"), "; ".join([
            _staff(t, office.staff) + _schedule(t, office.schedule) + ", "
            + t.gettext("{hours} hours a day each").format(hours=t.general(office.hours_per_day)),
            scenario_value(t, "order", office.order),
            scenario_value(t, "policy", office.policy)])))
    if scenario.backlog:
        rows.append((t.gettext("Transferred backlog"), "; ".join(
            t.ngettext("{procedure}: {count} dossier", "{procedure}: {count} dossiers",
                       item.count).format(procedure=names.procedure(item.procedure),
                                          count=t.number(item.count))
            for item in scenario.backlog)))
    if scenario.disruptions:
        rows.append((t.gettext("Disruptions"), "; ".join(
            _disruption(t, names, d) for d in scenario.disruptions)))
    return rows


def _disruption(t: Translator, names: Names, disruption: Disruption) -> str:
    """A disruption in words with when it strikes and for how long, or what it does."""
    what = scenario_value(t, "disruption", disruption.kind)
    if isinstance(disruption, Outage):
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


def _targets(scenario: Scenario, t: Translator) -> str:
    texts = [target_text(t, target.metric, target.at_least, target.value,
                         name=metric_title(t, target.metric, scenario))
             for target in scenario_targets(scenario.targets)]
    return ", ".join(texts) or t.gettext("none")
