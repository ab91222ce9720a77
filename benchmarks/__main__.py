"""Every benchmark in turn: `python -m benchmarks [--quick]` from the repository root.

Each runs in its own interpreter, so one benchmark's peak memory (ru_maxrss is a high-water mark
for the whole process) and its worker processes do not leak into the next one's figures.
--quick shrinks each to a check that the scripts still work; its numbers mean little.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

# (module, arguments, arguments with --quick): moderate sizes, so the whole set takes minutes
BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    ("benchmarks.mmc", ["--citizens", "100000", "--repeats", "3"],
     ["--citizens", "10000", "--repeats", "2"]),
    ("benchmarks.province", [], ["--quick"]),
    ("benchmarks.ladder", [], ["--quick"]),
    ("benchmarks.country", ["--centres", "332", "--no-scaling"], ["--quick"]),
    ("benchmarks.calibrate", [], ["--days", "20", "--per-day", "140"]),
    ("benchmarks.headcount", [], ["--quick"]),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small versions, to check the scripts work")
    args = parser.parse_args(argv)
    failed = []
    for module, full, quick in BENCHMARKS:
        command = [sys.executable, "-m", module, *(quick if args.quick else full)]
        print(f"=== {' '.join(command[1:])} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.run(command, check=False).returncode
        print(f"=== {module}: {'ok' if code == 0 else f'FAILED (exit {code})'} in "
              f"{time.perf_counter() - started:.0f} s ===\n", flush=True)
        if code:
            failed.append(module)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
