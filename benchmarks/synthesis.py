"""Synthesis benchmark: `lupuskg map` and `lupuskg profile` on a generated corpus (issue 14: ≤ 5 s at 1,000).

Generates the corpus (benchmarks/generate.py), builds it without validation, then times
each command as a cold CLI run (start-up included), best of ``--repeats``: wall-clock
seconds, and the CPU seconds (user + system) of the child, which other processes on a
shared machine inflate far less. `map` draws its PNG and SVG too. Results, with the load
average at the start, go to benchmarks/results/synthesis.json; the map's figures, as
written at that size, go to benchmarks/results/synthesis-map.png and synthesis-map.svg.

Usage: ``python benchmarks/synthesis.py [--documents 1000] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LUPUSKG = Path(sys.executable).with_name("lupuskg")
COMMANDS = {
    "map": ["map", "-o", "{tmp}/map"],
    "profile HSCT": ["profile", "HSCT", "--format", "json", "-o", "{tmp}/profile.json"],
    "profile MSC": ["profile", "MSC", "--format", "json", "-o", "{tmp}/profile-msc.json"],
}


def _run(arguments: list[str], home: Path) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one CLI run in the corpus project."""
    environment = {**os.environ, "LUPUSKG_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([str(LUPUSKG), *arguments], env=environment, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lupuskg-synthesis-"))
    try:
        home = tmp / "corpus"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(options.documents), "--out", str(home)],
            check=True,
            capture_output=True,
        )
        _run(["build", "--no-validate"], home)
        load = os.getloadavg()[0]
        runs = {
            name: [
                _run([part.format(tmp=tmp) for part in arguments], home)
                for _ in range(options.repeats)
            ]
            for name, arguments in COMMANDS.items()
        }
        for suffix in ("png", "svg"):
            shutil.copyfile(
                tmp / "map" / f"map.{suffix}", HERE / "results" / f"synthesis-map.{suffix}"
            )
        cells = json.loads((tmp / "map" / "map.json").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result = {
        "documents": options.documents,
        "repeats": options.repeats,
        "seconds_best_of_repeats": {
            name: round(min(wall for wall, _ in values), 2) for name, values in runs.items()
        },
        "cpu_seconds_best_of_repeats": {
            name: round(min(cpu for _, cpu in values), 2) for name, values in runs.items()
        },
        "map_cells": len(cells),
        "map_cells_with_evidence": sum(1 for cell in cells if cell["claims"]),
        "load_average_1min_at_start": round(load, 2),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    out = HERE / "results" / "synthesis.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
