"""What `sim check` says of a valid scenario or province file, in the planner's language: each
option's offered load per desk on its busiest day, desks and options by their names, the
warnings where a desk, desks counted together or the back office cannot keep up, and the last
line. The resolved scenario it prints before them stays in the file format's own keys."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import pandas as pd

from sim.output.names import Names
from sim.output.translations import N_, Translator

LOAD_COLUMNS: tuple[tuple[str, str], ...] = (  # offered_load's column, its heading
    ("desk", N_("desk")),
    ("busiest_day", N_("busiest day")),
    ("visitors", N_("visitors")),
    ("offered_minutes", N_("minutes of service asked")),
    ("counter_minutes", N_("open counter-minutes")),
    ("day_load", N_("day's load")),
    ("peak_half_hour_load", N_("busiest half-hour's load")),
)
GROUP_COLUMNS: tuple[tuple[str, str], ...] = (("desks", N_("desks counted together")),
                                              *LOAD_COLUMNS[2:6])
OVERLOADED = (N_("desks"), N_("back office"))  # what the last line may name as overloaded


def load_table(t: Translator, names: Names, load: pd.DataFrame,
               columns: tuple[tuple[str, str], ...] = LOAD_COLUMNS) -> str:
    """A table of `offered_load` (or `group_load`) rows: headings, names, dates and numbers in
    the language's way."""
    shown = pd.DataFrame({t.gettext(heading): [_cell(t, names, column, value)
                                               for value in load[column]]
                          for column, heading in columns})
    return shown.to_string(index=False)


def _cell(t: Translator, names: Names, column: str, value: object) -> str:
    if column == "desk":
        return names.desk(str(value))
    if column == "desks":  # desks counted together, "general+land"
        return " + ".join(names.desk(desk) for desk in str(value).split("+"))
    if column == "busiest_day":
        return t.date(dt.date.fromisoformat(str(value)))
    return t.number(float(value), 2)


def load_heading(t: Translator, names: Names, option: str) -> str:
    return t.gettext("Offered load, {option} (busiest day):").format(option=names.option(option))


def desk_warning(t: Translator, names: Names, option: str, row: Mapping[str, object]) -> str:
    """A desk whose offered load on its busiest day is 1 or more."""
    return t.gettext("warning: {option}, {desk}: offered load {load} (1 or more) on {day}; the "
                     "queue grows all day (add counters or hours)").format(
        option=names.option(option), desk=names.desk(str(row["desk"])),
        load=t.number(float(row["day_load"]), 2),
        day=t.date(dt.date.fromisoformat(str(row["busiest_day"]))))


def group_heading(t: Translator) -> str:
    return t.gettext("Desks whose counters serve each other's queues, counted together:")


def group_warning(t: Translator, names: Names, option: str, row: Mapping[str, object]) -> str:
    return t.gettext("warning: {option}, {desks}: offered load {load} (1 or more) counted "
                     "together; their queues grow all day").format(
        option=names.option(option), desks=_cell(t, names, "desks", row["desks"]),
        load=t.number(float(row["day_load"]), 2))


def back_office_line(t: Translator, names: Names, option: str, load: Mapping[str, float]) -> str:
    """The back office's new work against its hours, and the transferred backlog."""
    line = t.gettext("Back office, {option}: {work} staff-hours of new work per ordinary day "
                     "against {hours} (load {load}); ").format(
        option=names.option(option), work=t.number(load["new_work_per_day"], 1),
        hours=t.number(load["capacity_per_day"], 1), load=t.number(load["load"], 2))
    if load["backlog_hours"] <= 0:
        return line + t.gettext("no transferred backlog")
    days = load["backlog_days_at_spare_capacity"]
    backlog = t.number(load["backlog_hours"])
    if math.isfinite(days):
        return line + t.gettext("transferred backlog {hours} staff-hours, about {days} working "
                                "days of the spare hours").format(hours=backlog,
                                                                  days=t.number(days, 1))
    return line + t.gettext("transferred backlog {hours} staff-hours, which the spare hours "
                            "never clear (there are none)").format(hours=backlog)


def back_office_warning(t: Translator, names: Names, option: str, load: float) -> str:
    return t.gettext("warning: {option}, back office: new work {load} times its hours; dossiers "
                     "will pile up (add staff or counter_first)").format(
        option=names.option(option), load=t.number(load, 2))


def valid_line(t: Translator, path: object, overloaded: Mapping[str, bool]) -> str:
    """The last line: the file is valid, and what in it is overloaded in some option."""
    which = [t.gettext(part) for part in OVERLOADED if overloaded[part]]
    if not which:
        return t.gettext("{path}: valid").format(path=path)
    return t.gettext("{path}: valid (overloaded: {what})").format(path=path,
                                                                  what=", ".join(which))


BUSIEST_COLUMNS: tuple[tuple[str, str], ...] = (  # busiest_desks' column, its heading
    ("centre", N_("centre")), ("name", N_("name")), ("busiest_desk", N_("busiest desk")),
    ("day", N_("busiest day")), ("visitors", N_("visitors")), ("day_load", N_("day's load")))


def province_heading(t: Translator, path: object, centres: int, options: list[str]) -> str:
    return t.ngettext("{path}: province file, {count} centre; options: {options}",
                      "{path}: province file, {count} centres; options: {options}",
                      centres).format(path=path, count=t.number(centres),
                                      options=", ".join(options))


def busiest_table(t: Translator, table: pd.DataFrame, desk_names: list[str]) -> str:
    """Each centre's busiest desk (``desk_names``: by its name, row by row) and its load."""
    shown = table.assign(busiest_desk=desk_names,
                         day=[t.date(dt.date.fromisoformat(str(d))) for d in table["day"]],
                         visitors=[t.number(v, 2) for v in table["visitors"]],
                         day_load=[t.number(v, 2) for v in table["day_load"]])
    return shown.rename(columns={column: t.gettext(heading)
                                 for column, heading in BUSIEST_COLUMNS}).to_string(index=False)


def centre_warning(t: Translator, row: Mapping[str, object], desk: str) -> str:
    return t.gettext("warning: centre {centre} ({name}), {desk}: offered load {load} (1 or more) "
                     "on {day}").format(centre=row["centre"], name=row["name"], desk=desk,
                                        load=t.number(float(row["day_load"]), 2),
                                        day=t.date(dt.date.fromisoformat(str(row["day"]))))


def province_valid_line(t: Translator, path: object) -> str:
    return t.gettext("{path}: valid (every option of every centre)").format(path=path)


def overload_after_init(t: Translator, over: int, centres: int, highest: float,
                        path: object) -> str:
    """After init: how many centres the template's counters cannot keep up with."""
    return t.ngettext(
        "warning: {over} of {centres} centres has an offered load of 1 or more at a desk on its "
        "busiest day (visitors per day from the demand, counters from the template; up to "
        "{highest}): `sim check {path}` lists it; give its counter staff in the --demand "
        "CSV's staff column",
        "warning: {over} of {centres} centres have an offered load of 1 or more at a desk on "
        "their busiest day (visitors per day from the demand, counters from the template; up "
        "to {highest}): `sim check {path}` lists them; give their counter staff in the "
        "--demand CSV's staff column", over).format(
        over=t.number(over), centres=t.number(centres), highest=t.number(highest, 2), path=path)
