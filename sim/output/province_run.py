"""`sim province run`: every (option, centre, replication) unit streamed to disk, then the
province folder: summaries with a centre column, the ranking, the page and maps, the manifest.

The replications of one option of one centre run as one batch (sim.experiment.plan.Batch) and
write one part per table. The tables stay as these Parquet parts (one folder per table), so
the main process never holds more than CHUNK_BATCHES batches' metric rows and the summary.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim.analysis.confidence import summarise
from sim.analysis.ranking import rank_centres
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import METRICS, province_plan
from sim.experiment.stream import Streamed, one_round
from sim.output.json_file import write_json
from sim.output.manifest import PROVINCE, package_versions
from sim.output.names import titled
from sim.output.province_results import provenance_line, resolved_documents, write_province_view
from sim.output.streamed import Published, StreamedRun, publish_streamed
from sim.scenario.province.load import ProvinceSet


def run_province(
    province: ProvinceSet,
    replications: int,
    seed: int,
    out: Path,
    execution: Execution = IN_PROCESS,
    visits: str = "sample",
    resume: bool = False,
    on_unit_done: Callable[[], None] | None = None,
    lang: str = "vi",
    province_of: dict[str, str] | None = None,
) -> Published:
    """Run every unit not yet done (or done with parts damaged since) and publish the province
    folder. Resuming a run that has finished does nothing and leaves its folder as it is.

    A country is run as the province of all its centres, with `province_of` (centre id -> its
    province): the page then ranks the provinces too (`sim country run`)."""
    resolved = resolved_documents(province.scenarios)
    plan = province_plan(province.scenarios, seed, replications, visits)
    description = _description(province, resolved, replications, seed, visits, lang)
    if province_of is not None:
        description["provinces"] = province_of

    def finish(streamed: Streamed) -> None:
        _finish(province, resolved, description, streamed)

    run = StreamedRun(one_round(plan), description, finish, earlier_plan=lambda manifest: manifest,
                      scratch=(METRICS,))
    return publish_streamed(run, out, execution, resume, on_unit_done)


def _description(province: ProvinceSet, resolved: dict[str, dict[str, dict]],
                 replications: int, seed: int, visits: str, lang: str) -> dict:
    digest = hashlib.sha256(json.dumps(resolved, sort_keys=True).encode()).hexdigest()
    return {"province_file": province.source, "root_seed": seed, "replications": replications,
            "visits": visits, "lang": lang, "options": province.option_names(),
            "centres": [c.id for c in province.centres], "scenarios_sha256": digest}


def _replications_and_summary(streamed: Streamed) -> pd.DataFrame:
    """replications.csv written, and the summary made, CHUNK_BATCHES batches at a time: a
    batch holds every replication of one option of one centre, so a chunk's summary is that of
    its own groups, and a country's metric rows are never all in memory at once."""
    summaries = []
    with open(streamed.staging / "replications.csv", "w", encoding="utf-8", newline="") as file:
        for number, rows in enumerate(streamed.metric_chunks()):
            rows.to_csv(file, index=False, header=number == 0)
            summaries.append(summarise(rows, by=("option", "centre", "metric")))
    summary = pd.concat(summaries, ignore_index=True)
    assert not summary.duplicated(["option", "centre", "metric"]).any(), "a group was split"
    return summary


def _finish(province: ProvinceSet, resolved: dict[str, dict[str, dict]], description: dict,
            streamed: Streamed) -> None:
    """Summaries from the metric parts, the province view, and the manifest."""
    staging = streamed.staging
    summary = _replications_and_summary(streamed)
    summary.to_csv(staging / "summary.csv", index=False)
    ranking = rank_centres(summary, province)
    ranking.to_csv(staging / "province.csv", index=False)
    provenance = provenance_line(description["province_file"], description["root_seed"],
                                 description["replications"], description["lang"])
    label = province.province.label
    write_province_view(ranking, titled(province.province.name, label, description["lang"]),
                        provenance, staging,
                        description["lang"], {centre: scenarios.baseline for centre, scenarios
                                              in province.scenarios.items()},
                        description["replications"], description.get("provinces"))
    manifest = {"kind": PROVINCE, **description, "province": province.province.province,
                "name": province.province.name,
                "label": label.model_dump() if label is not None else None,
                "scenarios": resolved,
                "versions": package_versions()}
    write_json(manifest, staging / "manifest.json")
