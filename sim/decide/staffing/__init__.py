"""Staffing search: steps 2 and 3 of `sim staff` (simulate the theory's schedule, adjust it,
confirm it on fresh seeds), over the theory of `sim.analysis.staffing`; the result and the
staffed copy of the scenario it is written as; and `staff_headcount`, the roster of a given
headcount over counters, guidance and back office (`sim staff --headcount`)."""

from sim.decide.staffing.headcount import staff_headcount
from sim.decide.staffing.option_writer import add_option_text, write_staffed_copy
from sim.decide.staffing.result import StaffingResult, compact_schedule, option_changes
from sim.decide.staffing.search import DEFAULT_MAX_EVALUATIONS, DEFAULT_OPTION, staff

__all__ = [
    "DEFAULT_MAX_EVALUATIONS",
    "DEFAULT_OPTION",
    "StaffingResult",
    "add_option_text",
    "compact_schedule",
    "option_changes",
    "staff",
    "staff_headcount",
    "write_staffed_copy",
]
