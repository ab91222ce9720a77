"""What pyproject.toml cannot say: the bundled scenarios go into the wheel as package data.

The scenarios stay in the repository's top-level scenarios/ folder; setuptools maps that folder
to the package sim.bundled, so a wheel carries them as sim/bundled/ (found at run time by
sim/scenario/bundled.py). Everything else is configured in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["sim", "sim.*"]), "sim.bundled"],
    package_dir={"sim.bundled": "scenarios"},
)
