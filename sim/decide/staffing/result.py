"""What the staffing search found: the counts per desk and block, how they were checked, and the
schedule and option changes they are written as.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.staffing.blocks import Block, clock_text
from sim.analysis.targets import Target


@dataclass(frozen=True)
class StaffingResult:
    """The staffing found for each searched desk, how it was checked, and where it was written.

    ``counters[desk][i]`` and ``theory[desk][i]`` are the open counters in ``blocks[i]``;
    ``changes`` are the dotted-path changes of the new option (``option``), as written into the
    copy of the scenario at ``written`` (None when no folder was given).
    """

    source: str
    targets: tuple[Target, ...]
    blocks: tuple[Block, ...]
    theory: dict[str, tuple[int, ...]]
    counters: dict[str, tuple[int, ...]]
    met: bool
    check: pd.DataFrame  # desk, target, mean, ci_low, ci_high, bound, met
    summary: pd.DataFrame  # centre-level summary of the staffed option
    option: str
    changes: dict[str, object]
    written: Path | None
    comments_kept: bool
    model: str
    busiest_day: str
    replications: int
    seed: int
    evaluations: int
    history: tuple[str, ...]
    runtime_seconds: float
    confirmation: pd.DataFrame  # the check again, on `replications` fresh replications
    confirmation_seed: int  # root seed of those: none of their seeds is one tuned on
    unconfirmed: tuple[str, ...]  # what fell short on the fresh replications; empty: nothing

    @property
    def confirmed(self) -> bool:
        """Whether every target also held on replications the search did not tune on."""
        return not self.unconfirmed

    def table(self) -> pd.DataFrame:
        """desk, start, end, theory, counters: one row per desk and block."""
        return pd.DataFrame([
            {"desk": label, "start": clock_text(block.start), "end": clock_text(block.end),
             "theory": self.theory[label][i], "counters": counts[i]}
            for label, counts in self.counters.items() for i, block in enumerate(self.blocks)])

    def schedule(self, desk: str) -> dict[str, int]:
        """The desk's schedule as written: a clock time wherever the count changes."""
        return compact_schedule(self.blocks, self.counters[desk])

    def report(self) -> str:
        """What the command line prints: the schedule, the check, and where it went."""
        blocks = self.table().pivot(index=["start", "end"], columns="desk", values="counters")
        blocks = blocks[list(self.counters)].reset_index()
        theory = self.table().pivot(index=["start", "end"], columns="desk", values="theory")
        for label in self.counters:
            blocks[label] = [f"{n} ({t})" if n != t else str(n)
                             for n, t in zip(blocks[label], theory[label], strict=True)]
        check = self.check.assign(met=self.check["met"].map({True: "yes", False: "NO"}))
        lines = [
            f"staffing for {', '.join(map(str, self.targets))} ({self.model}; theory on "
            f"{self.busiest_day}, the busiest day; {self.evaluations} simulations of "
            f"{self.replications} replications, seed {self.seed})",
            "open counters per block (theory's count in brackets where it differs):",
            blocks.to_string(index=False),
            "",
            "each desk on its own visits (95% interval; the bound judged is on the safe side):",
            check.to_string(index=False, float_format=lambda x: f"{x:.3g}"),
            "",
            "every target met" if self.met else "NOT every target met: see the check above",
            *(line for line in self.history if "within its positions" in line),
            self._confirmation_line(),
        ]
        if self.written is not None:
            lines.append(f"option {self.option} written to {self.written}"
                         + ("" if self.comments_kept else " (the file's comments could not be "
                            "kept)"))
        return "\n".join(lines)

    def _confirmation_line(self) -> str:
        fresh = (f"{self.replications} fresh replications (seed {self.confirmation_seed}, none "
                 "of them tuned on)")
        if self.confirmed:
            return f"targets confirmed on {fresh}"
        return f"targets NOT confirmed on {fresh}: " + "; ".join(self.unconfirmed)


def compact_schedule(blocks: Sequence[Block], counts: Sequence[int]) -> dict[str, int]:
    """``{"HH:MM": n}`` from each block's start, leaving out blocks that repeat the count
    before them (a session's opening keeps the last count given before it).

    >>> compact_schedule([Block(450, 510), Block(510, 570), Block(810, 870)], [3, 3, 2])
    {'07:30': 3, '13:30': 2}
    """
    schedule: dict[str, int] = {}
    previous = None
    for block, count in zip(blocks, counts, strict=True):
        if count != previous:
            schedule[clock_text(block.start)] = int(count)
        previous = count
    return schedule


def option_changes(paths: dict[str, str], blocks: Sequence[Block],
                   counters: dict[str, Sequence[int]]) -> dict[str, object]:
    """The dotted-path changes that give each desk its schedule: ``<desk>.counters`` (the
    most open at once) and ``<desk>.schedule``."""
    changes: dict[str, object] = {}
    for label, counts in counters.items():
        changes[f"{paths[label]}.counters"] = int(max(counts))
        changes[f"{paths[label]}.schedule"] = compact_schedule(blocks, counts)
    return changes
