"""The calibration page (`calibration/report.html` beside a calibrated scenario): what the
records were, every fit with its interval and test, plain sentences on what the tests say,
and the figures; Vietnamese first with English beside.

The folder is written whole or not at all (`sim.output.folder`): report.html, figures/*.png
and a manifest.json saying what it was made from.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
from pathlib import Path

from matplotlib.figure import Figure

from sim.calibrate.calibration import Calibration
from sim.calibrate.intervals import Estimate
from sim.calibrate.poisson_tests import TestResult
from sim.output.calibration_text import reason_words, value_words, words
from sim.output.figures.calibration import calibration_figures
from sim.output.figures.style import DPI, styled
from sim.output.folder import atomic_folder
from sim.output.json_file import write_json
from sim.output.manifest import package_versions
from sim.output.pages import page_template, write_page
from sim.output.translations import Translator, translator


def _vi(value: float, spec: str) -> str:
    """A number of the page's tables, written the Vietnamese way (the page's first language)."""
    return translator("vi").fill(f"{{value:{spec}}}", value=value)


def _interval(estimate: Estimate, digits: int = 2) -> str:
    high = "∞" if not math.isfinite(estimate.high) else _vi(estimate.high, f".{digits}f")
    return f"{_vi(estimate.low, f'.{digits}f')} – {high}"


def _test_row(key: str, result: TestResult, **fields: object) -> dict:
    return {"name": words(key, **fields), "statistic": _vi(result.statistic, ".3g"),
            "p": _vi(result.p_value, ".3g"), "n": _vi(result.n, ","),
            "verdict": words("rejects" if result.rejects else "fits"),
            "rejects": result.rejects}


def _sources(calibration: Calibration) -> list[dict]:
    request = calibration.request
    items = [(words("tickets_file"), request.tickets)]
    if request.dossiers:
        items.append((words("dossiers_file"), request.dossiers))
    if request.columns:
        items.append((words("mapping_file"), request.columns))
    return [{"label": label, "path": str(path)} for label, path in items]


def _skipped(calibration: Calibration) -> list[dict]:
    skipped = [(Path(calibration.tickets.source).name, calibration.tickets.skipped)]
    if calibration.dossiers:
        skipped.append((Path(calibration.dossiers.source).name, calibration.dossiers.skipped))
    return [{"file": name, "reason": reason_words(reason), "count": count}
            for name, counts in skipped for reason, count in counts.items()]


def _findings(calibration: Calibration) -> list[dict]:
    tests, services = calibration.poisson, calibration.services
    found = [words("poisson_rejected" if tests.within_days_rejected else "poisson_ok"),
             words("overdispersed" if tests.dispersion.rejects else "not_overdispersed",
                   ratio=tests.dispersion_ratio)]
    found += [_named(calibration.procedures[f.procedure].name,
                     words("pooled", n=f.own_n, desk=f.desk)) for f in services if f.pooled]
    rejected = [calibration.procedures[f.procedure].name for f in services
                if not f.pooled and f.fit.p_value < 0.05]
    if rejected:
        found.append(words("gof_rejects", names=", ".join(rejected)))
    implausible = sum(f.fit.implausible for f in services if not f.pooled)
    if implausible:
        found.append(words("implausible", count=implausible))
    return found + _patience_findings(calibration)


def _named(name: str, pair: dict[str, str]) -> dict[str, str]:
    return {lang: f"{name}: {text}" for lang, text in pair.items()}


def _patience_findings(calibration: Calibration) -> list[dict]:
    fit = calibration.patience
    if fit is None:
        return [words("patience_none")]
    name = value_words("dist", fit.dist)
    line = {lang: words("patience_line", absent=len(fit.waits.gave_up_before),
                        answered=len(fit.waits.stayed_past), dist=name[lang],
                        mean=fit.mean.value, low=fit.mean.low,
                        high=_upper(translator(lang), fit.mean.high))[lang]
            for lang in name}
    if not math.isfinite(fit.weeks_needed):
        return [line, words("patience_unbounded")]
    if fit.weeks_needed <= fit.weeks:
        return [line]
    return [line, words("patience_weeks", weeks=math.ceil(fit.weeks_needed), now=fit.weeks)]


def _provenance(now: dt.datetime) -> dict[str, str]:
    """The versions and the moment the page was made, each language with its own date."""
    return {lang: words("provenance_line", versions=_versions(),
                        date=translator(lang).moment(now))[lang] for lang in ("vi", "en")}


def _upper(t: Translator, high: float) -> str:
    """An interval's upper end in the sentence's own language (one decimal), or ∞."""
    return t.number(high, 1) if math.isfinite(high) else "∞"


def _arrival_rows(calibration: Calibration) -> list[dict]:
    return [{"weekday": value_words("weekday", w.weekday), "days": w.days,
             "mean": _vi(w.mean.value, ".1f"),
             "mean_ci": _interval(w.mean, 1), "factor": _vi(w.factor.value, ".3f"),
             "factor_ci": _interval(w.factor, 3)} for w in calibration.arrivals.weekdays]


def _service_rows(calibration: Calibration) -> list[dict]:
    return [{"name": calibration.procedures[f.procedure].name, "desk": f.desk,
             "n": _vi(f.fit.n, ","), "dist": value_words("dist", f.fit.best.dist),
             "mean": _vi(f.fit.mean.value, ".2f"), "mean_ci": _interval(f.fit.mean),
             "cv": _vi(f.fit.cv.value, ".3f"), "cv_ci": _interval(f.fit.cv, 3),
             "p": _vi(f.fit.p_value, ".2g"),
             "note": words("pooled", n=f.own_n, desk=f.desk) if f.pooled else None}
            for f in calibration.services]


def _share_rows(calibration: Calibration) -> list[dict]:
    return [{"name": calibration.procedures[s.procedure].name,
             "desk": calibration.procedures[s.procedure].desk,
             "share": _vi(s.share.value, ".3f"), "share_ci": _interval(s.share, 3),
             "incomplete": _vi(s.incomplete.value, ".3f"),
             "incomplete_ci": _interval(s.incomplete, 3)}
            for s in calibration.shares.procedures]


def _priority_rows(calibration: Calibration) -> list[dict]:
    return [{"name": words(name), "share": _vi(e.value, ".3f"), "ci": _interval(e, 3)}
            for name, e in calibration.shares.priorities.items()]


def _counter_rows(calibration: Calibration) -> list[dict]:
    return [{"desk": name, "counters": desk.counters, "seen": desk.seen,
             "schedule": ", ".join(f"{clock}: {count}" for clock, count in desk.schedule.items())}
            for name, desk in calibration.counters.desks.items()]


def _dossier_section(calibration: Calibration) -> dict | None:
    fit = calibration.dossier_fit
    if fit is None:
        return None
    names = {p: calibration.procedures[p].name if p in calibration.procedures else p
             for p in (d.procedure for d in fit.procedures)}
    rows = [{"name": names[d.procedure], "received": _vi(d.received, ","),
             "deadline": ("–" if d.deadline is None
                          else f"{d.deadline} ({_vi(d.deadline_agree, '.0%')})"),
             "online": "; ".join(f"{o.start:%d/%m}: {_vi(o.share.value, '.3f')} "
                                 f"({_interval(o.share, 3)})" for o in d.online),
             "processing": f"{_vi(d.processing_median, 'g')} / {_vi(d.processing_p90, 'g')}",
             "on_time": _vi(d.on_time.value, ".3f") if d.on_time.n else "–",
             "backlog": len(d.backlog_days_left)} for d in fit.procedures]
    request = calibration.request
    hours = (words("hours_line", staff=request.back_office_staff, hours=request.hours_per_day,
                   per=fit.hours_per_dossier, finished=fit.finished, days=fit.working_days)
             if fit.hours_per_dossier is not None else words("no_staff"))
    return {"rows": rows, "hours": hours, "backlog": words("backlog", date=fit.cutover)}


def figure_images(figures: dict[str, Figure]) -> dict[str, bytes]:
    """Each figure drawn once as PNG (for the page and for figures/)."""
    images = {}
    for name, figure in figures.items():
        buffer = io.BytesIO()
        with styled():
            figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        images[name] = buffer.getvalue()
    return images


def _embedded(images: dict[str, bytes]) -> list[dict]:
    return [{"name": name, "png": base64.b64encode(png).decode()}
            for name, png in images.items()]


def render_calibration_page(calibration: Calibration,
                            images: dict[str, bytes] | None = None) -> str:
    """The page as HTML text."""
    if images is None:
        images = figure_images(calibration_figures(calibration))
    arrivals = calibration.arrivals
    tests = calibration.poisson
    return page_template("calibration.html.j2").render(
        w={key: words(key) for key in _STATIC},
        sources=_sources(calibration),
        period=f"{calibration.period.first.isoformat()} – {calibration.period.last.isoformat()}",
        rows=words("rows", read=calibration.tickets.rows_read,
                   used=len(calibration.sample.frame), days=len(calibration.sample.days)),
        skipped=_skipped(calibration), findings=_findings(calibration),
        per_day=_vi(arrivals.per_day.value, ".1f"), per_day_ci=_interval(arrivals.per_day, 1),
        weekday_note=words("weekdays_differ" if arrivals.weekdays_differ else "weekdays_same",
                           p=arrivals.weekday_p),
        weekdays=_arrival_rows(calibration),
        tests=[_test_row("cu_test", tests.uniform, block=tests.block_minutes),
               _test_row("lewis_test", tests.spacings),
               _test_row("dispersion_test", tests.dispersion)],
        services=_service_rows(calibration), sessions=", ".join(calibration.counters.sessions),
        counters=_counter_rows(calibration), shares=_share_rows(calibration),
        priorities=_priority_rows(calibration), dossiers=_dossier_section(calibration),
        patience=_patience_findings(calibration), figures=_embedded(images),
        provenance=_provenance(dt.datetime.now(dt.UTC)))


_STATIC = ("title", "sources", "period", "skipped", "none_skipped", "file", "reason",
           "findings", "arrivals",
           "per_day", "weekday", "days", "mean_per_day", "factor", "interval", "poisson",
           "test", "statistic", "p_value", "n", "verdict", "service", "procedure", "desk",
           "distribution", "mean_minutes", "cv", "ad_p", "patience", "counters", "sessions",
           "schedule", "seen", "shares", "share", "incomplete", "priority_class", "dossiers",
           "received", "deadline", "online", "processing", "on_time", "figures", "provenance")


def _versions() -> str:
    return ", ".join(f"{name} {version}" for name, version in package_versions().items())


def write_calibration_folder(calibration: Calibration, folder: Path) -> Path:
    """Write report.html, figures/*.png and manifest.json into `folder`, whole or not at all."""
    images = figure_images(calibration_figures(calibration))
    with atomic_folder(folder) as staging:
        (staging / "figures").mkdir()
        for name, png in images.items():
            (staging / "figures" / f"{name}.png").write_bytes(png)
        write_page(render_calibration_page(calibration, images), staging / "report.html")
        write_json(_manifest(calibration), staging / "manifest.json")
    return folder


def _manifest(calibration: Calibration) -> dict:
    request = calibration.request
    return {"kind": "calibration", "tickets": str(request.tickets),
            "dossiers": str(request.dossiers) if request.dossiers else None,
            "columns": str(request.columns) if request.columns else None,
            "period": [calibration.period.first.isoformat(), calibration.period.last.isoformat()],
            "skipped": {"tickets": calibration.tickets.skipped,
                        "dossiers": calibration.dossiers.skipped if calibration.dossiers else {}},
            "versions": package_versions()}
