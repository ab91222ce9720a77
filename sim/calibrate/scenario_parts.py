"""The parts of a calibrated scenario that come from procedures and dossiers: each procedure's
share, service and paperwork, the back office and the backlog, and the file's header.

The back office (`back_office`, and each procedure's work, online share and backlog) is
written only when the staff are given (`--back-office-staff`): the records show what the
back office finished, not how many people did it. Without it the deadlines are still written
(they have no effect without a back office) and the rest is on the calibration page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from sim.calibrate.calibration import Calibration
from sim.calibrate.dossier_fit import ProcedureDossiers
from sim.calibrate.intervals import Estimate
from sim.calibrate.problems import skipped_lines
from sim.calibrate.service_fit import ServiceFit
from sim.calibrate.shares import rounded_shares


@dataclass(frozen=True)
class Header:
    """The scenario's name, description and the comment block on top of the file."""

    name: str
    description: str
    comment: str


def _interval(estimate: Estimate, digits: int = 2) -> str:
    return f"{estimate.level:.0%}: {estimate.low:.{digits}f} to {estimate.high:.{digits}f}"


def header(calibration: Calibration) -> Header:
    request = calibration.request
    tickets = Path(request.tickets).name
    sources = [f"tickets {request.tickets}"] + (
        [f"dossiers {request.dossiers}"] if request.dossiers else []) + (
        [f"mapping {request.columns}"] if request.columns else [])
    lines = [f"Calibrated by sim calibrate from {', '.join(sources)}",  # SIGNATURE
             f"for {calibration.period.describe()}. Every fitted value says where it came "
             "from; see calibration/report.html beside this file for the fits and tests.",
             *skipped_lines(calibration.skipped, "Rows left out (--skip-bad)")]
    comment = "".join(f"# {line}\n" for line in lines) + "\n"
    return Header(f"Calibrated from {tickets}, {calibration.period.describe()}",
                  f"Fitted to {len(calibration.sample.frame):,} tickets of "
                  f"{len(calibration.sample.days)} opening days.", comment)


def service_part(dist: str, mean: float, cv: float) -> CommentedMap:
    """A distribution as the scenario writes it, in flow style."""
    part = CommentedMap(dist=dist, mean=round(float(mean), 2))
    if dist != "exponential":
        part["cv"] = round(float(cv), 3)
    part.fa.set_flow_style()
    return part


def procedures_part(calibration: Calibration) -> CommentedSeq:
    """Every procedure with tickets in the period."""
    shares = calibration.shares.procedures
    rounded = rounded_shares([share.share.value for share in shares])
    services = {fit.procedure: fit for fit in calibration.services}
    dossiers = ({p.procedure: p for p in calibration.dossier_fit.procedures}
                if calibration.dossier_fit else {})
    items = CommentedSeq()
    for share, value in zip(shares, rounded, strict=True):
        procedure = calibration.procedures[share.procedure]
        item = CommentedMap(id=procedure.id, name=procedure.name, share=value)
        item.yaml_add_eol_comment(f"{share.share.n - 0:,} first trips in all; "
                                  f"{_interval(share.share, 4)}", "share")
        item["desk"] = procedure.desk
        _service(item, services[share.procedure])
        if share.incomplete.value > 0:
            item["incomplete"] = round(share.incomplete.value, 4)
            item.yaml_add_eol_comment(f"document_missing, of {share.incomplete.n:,} served; "
                                      f"{_interval(share.incomplete, 4)}", "incomplete")
        if share.procedure in dossiers:
            _paperwork(item, dossiers[share.procedure], calibration)
        items.append(item)
    return items


def _service(item: CommentedMap, fit: ServiceFit) -> None:
    best = fit.fit.best
    item["service"] = service_part(best.dist, best.mean, best.cv)
    others = ", ".join(f"{c.dist} {c.aic - best.aic:+.0f}" for c in fit.fit.candidates
                       if c.dist != best.dist)
    source = (f"too few ({fit.own_n}): the {fit.desk} desk's pooled fit, " if fit.pooled
              else "")
    item.yaml_add_eol_comment(
        f"{source}n = {fit.fit.n:,}; MLE, AIC ({others}); Anderson-Darling p = "
        f"{fit.fit.p_value:.2g}; mean {_interval(fit.fit.mean)}, cv {_interval(fit.fit.cv, 3)}",
        "service")


def _paperwork(item: CommentedMap, dossiers: ProcedureDossiers,
               calibration: Calibration) -> None:
    """Deadline, and with the back office its work and online share."""
    if dossiers.deadline is not None:
        item["deadline"] = CommentedMap(working_days=dossiers.deadline)
        item["deadline"].fa.set_flow_style()
        item.yaml_add_eol_comment(
            f"most common of {dossiers.received:,} dossiers, received to promised "
            f"({dossiers.deadline_agree:.0%} agree)", "deadline")
    fit = calibration.dossier_fit
    if fit is None or fit.hours_per_dossier is None:
        return
    item["back_office"] = CommentedMap(hours=service_part("exponential",
                                                          fit.hours_per_dossier, 1.0))
    item.yaml_add_eol_comment("at most: staff-hours over dossiers finished; assumption: "
                              "the same for every procedure, exponential", "back_office")
    _online(item, dossiers)


def _online(item: CommentedMap, dossiers: ProcedureDossiers) -> None:
    periods = [period for period in dossiers.online if period.share.value > 0]
    if not periods:
        return
    source = "first trips in the tickets" if dossiers.citizens_from_tickets else (
        "in-person dossiers")
    if len(dossiers.online) == 1:
        only = dossiers.online[0]
        item["online_share"] = round(min(only.share.value, 0.99), 4)
        item.yaml_add_eol_comment(f"{only.online:,} without a visit, {only.citizens:,} "
                                  f"{source}; {_interval(only.share, 4)}", "online_share")
        return
    listed = CommentedSeq()
    for period in dossiers.online:
        entry = CommentedMap()
        entry["from"] = period.start
        entry["share"] = round(min(period.share.value, 0.99), 4)
        entry.fa.set_flow_style()
        listed.append(entry)
    item["online_share"] = listed
    item.yaml_add_eol_comment(f"by month, over {source}; intervals on the page",
                              "online_share")


def back_office_part(calibration: Calibration) -> dict[str, CommentedMap]:
    """The top-level back office, when the staff are given."""
    request, fit = calibration.request, calibration.dossier_fit
    if fit is None or fit.hours_per_dossier is None:
        return {}
    part = CommentedMap(staff=request.back_office_staff, hours_per_day=request.hours_per_day)
    part.yaml_add_eol_comment("given (--back-office-staff)", "staff")
    part.yaml_add_eol_comment("given (--hours-per-day)", "hours_per_day")
    return {"back_office": part}


def backlog_part(calibration: Calibration) -> CommentedSeq | None:
    """Dossiers open at the cut-over, when the cut-over is the scenario's start."""
    fit = calibration.dossier_fit
    if (fit is None or fit.hours_per_dossier is None
            or fit.cutover != calibration.period.first):
        return None
    items = CommentedSeq()
    for procedure in fit.procedures:
        if procedure.backlog_days_left and procedure.procedure in calibration.procedures:
            entry = CommentedMap(procedure=procedure.procedure,
                                 count=len(procedure.backlog_days_left))
            values = CommentedSeq(procedure.backlog_days_left)
            values.fa.set_flow_style()
            days_left = CommentedMap(dist="empirical", values=values)
            days_left.fa.set_flow_style()
            entry["days_left"] = days_left
            entry.yaml_add_eol_comment(f"open at {fit.cutover}: working days left to the "
                                       "promised day, one per dossier", "days_left")
            items.append(entry)
    return items or None
