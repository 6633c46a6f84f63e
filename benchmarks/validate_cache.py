"""Incremental validation: cold, fully cached, and one-document-changed timings.

For each corpus size a synthetic project is generated (``benchmarks/generate.py``) and
validated four ways, each in a fresh ``lupuskg validate`` process (wall time, so import
and start-up costs count, as a curator sees them):

- ``cold``: empty cache, every document validated (and stored);
- ``cached``: nothing changed, every outcome from the cache;
- ``one_changed``: one document's statement edited, one validated, the rest cached;
- ``one_invalid``: the same document made invalid (a direction that does not exist);
  the run must report it (a check that the cache hides nothing, not only a timing);
- ``no_cache``: ``--no-cache``, the pre-cache behaviour.

Besides wall time, each run records the CPU seconds (user + system) of its process,
which depend far less on what else the shared machine is running.

Usage: ``python benchmarks/validate_cache.py 1000 10000 [--jobs 2] [--engine pyshacl]``.
Writes ``benchmarks/results/validate-cache.json`` (merged per size) and prints a table.
Figures are recorded, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate_corpus  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "validate-cache.json"
TARGET_ONE_CHANGED_S = 2.0
_SUMMARY = re.compile(
    r"(?P<docs>\d+) documents?, (?P<violations>\d+) violations?, (?P<warnings>\d+) warnings? "
    r"in (?P<seconds>[0-9.]+)s(?: \((?P<cached>\d+) from cache\))?"
)


def _lupuskg() -> str:
    candidate = Path(sys.executable).with_name("lupuskg")
    return str(candidate) if candidate.exists() else "lupuskg"


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(project: Path, jobs: int, engine: str, *extra: str) -> dict[str, Any]:
    env = dict(os.environ, LUPUSKG_HOME=str(project), LUPUSKG_SHACL_ENGINE=engine)
    env.pop("LUPUSKG_STORE", None)
    cpu = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(
        [_lupuskg(), "validate", "--jobs", str(jobs), *extra],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    cpu = _cpu_of_children() - cpu
    lines = (done.stdout + done.stderr).strip().splitlines()
    match = next((m for line in reversed(lines) if (m := _SUMMARY.search(line))), None)
    if match is None:
        raise RuntimeError(f"no summary line (exit {done.returncode}): {lines[-5:]}")
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "validate_s": float(match["seconds"]),
        "documents": int(match["docs"]),
        "from_cache": int(match["cached"] or 0),
        "violations": int(match["violations"]),
        "exit_code": done.returncode,
    }


def _edit_one(project: Path) -> str:
    path = sorted((project / "graph" / "documents").glob("*.ttl"))[0]
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r'(lkg:statement "[^"]*?)(")', r"\1 (edited)\2", text, count=1)
    if edited == text:
        raise RuntimeError(f"no lkg:statement to edit in {path.name}")
    path.write_text(edited, encoding="utf-8")
    return path.name


def _break_one(project: Path, name: str) -> None:
    path = project / "graph" / "documents" / name
    text = path.read_text(encoding="utf-8")
    broken = re.sub(r"lkg:direction lkg:\w+", "lkg:direction lkg:NoSuchDirection", text, count=1)
    if broken == text:
        raise RuntimeError(f"no lkg:direction to break in {name}")
    path.write_text(broken, encoding="utf-8")


def measure(
    count: int, work: Path, jobs: int, *, engine: str = "turbo", no_cache: bool = True
) -> dict[str, Any]:
    project = work / f"corpus-{count}"
    if project.exists():
        shutil.rmtree(project)
    started = time.perf_counter()
    generate_corpus(count, project)
    generated = time.perf_counter() - started
    entry: dict[str, Any] = {
        "documents": count,
        "jobs": jobs,
        "engine": engine,
        "generate_s": round(generated, 1),
    }
    entry["cold"] = _run(project, jobs, engine)
    entry["cached"] = _run(project, jobs, engine)
    entry["changed_file"] = _edit_one(project)
    entry["one_changed"] = _run(project, jobs, engine)
    _break_one(project, entry["changed_file"])
    entry["one_invalid"] = _run(project, jobs, engine)
    if entry["one_invalid"]["violations"] < 1 or entry["one_invalid"]["exit_code"] == 0:
        raise RuntimeError(f"the broken document was not reported: {entry['one_invalid']}")
    if no_cache:
        entry["no_cache"] = _run(project, jobs, engine, "--no-cache")
    entry["one_changed_target_s"] = TARGET_ONE_CHANGED_S
    entry["one_changed_met"] = entry["one_changed"]["wall_s"] <= TARGET_ONE_CHANGED_S
    shutil.rmtree(project)
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", default="turbo", help="turbo (default) or pyshacl")
    parser.add_argument("--work", type=Path, default=None, help="scratch directory")
    parser.add_argument(
        "--skip-no-cache",
        action="store_true",
        help="leave out the --no-cache run (as slow as cold)",
    )
    args = parser.parse_args(argv)
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results.setdefault("runs", {})
    work = args.work or Path(tempfile.mkdtemp(prefix="lupuskg-cache-bench-"))
    for count in args.sizes:
        entry = measure(count, work, args.jobs, engine=args.engine, no_cache=not args.skip_no_cache)
        entry["machine"] = {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        entry["when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        run_key = str(count) if args.engine == "pyshacl" else f"{count}-{args.engine}"
        previous = results["runs"].get(run_key, {})
        if previous:
            results.setdefault("history", []).insert(0, previous)
        if "no_cache" not in entry and "no_cache" in previous:
            entry["no_cache_earlier_run"] = previous["no_cache"] | {"when": previous.get("when")}
        results["runs"][run_key] = entry
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(
            f"{count:>6} docs ({args.engine}): cold {entry['cold']['wall_s']:.1f}s, cached "
            f"{entry['cached']['wall_s']:.2f}s, one changed {entry['one_changed']['wall_s']:.2f}s "
            f"(cpu {entry['one_changed']['cpu_s']:.2f}s) "
            f"({entry['one_changed']['from_cache']} from cache), no-cache "
            f"{entry.get('no_cache', {}).get('wall_s', float('nan')):.1f}s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
