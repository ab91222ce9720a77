"""python -m sim.calibrate.example [--out DIR] [--seed S]: write the example records."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.calibrate.example.generate import RECORDS, SEED, example_records, write_example_records


def main() -> None:
    """Generate the records of the known ward centre and write them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=RECORDS, help="folder to write into")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the simulated run")
    arguments = parser.parse_args()
    paths = write_example_records(arguments.out, example_records(seed=arguments.seed))
    for path in paths.values():
        print(path)


if __name__ == "__main__":
    main()
