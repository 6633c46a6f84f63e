"""One benchmark stage in a fresh interpreter: ``python benchmarks/stages.py NAME --project DIR``.

Each stage runs in its own process so that peak memory is per stage and nothing is cached
between stages; its last stdout line is its JSON result (run.py reads it through
:func:`run_stage`).

- build: ``lupuskg.build.build(validate=False)`` (syntax check, bulk load, summary);
- validate: ``lupuskg.validate.validate(settings)`` (SHACL + quotes, parallel);
- oxigraph: every canned query on the persisted store (the ``lupuskg query`` path), then on
  an in-memory copy (what ``lupuskg serve``'s workers hold);
- rdflib: load ``rdflib.Dataset(default_union=True)`` from the built store, then every
  canned query;
- virtuoso, oxigraph_server: the peers (peers.py) on the same quads.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    canned_queries,
    peak_rss_mb,
    project_settings,
    rdflib_dataset,
    rows_digest,
    run_oxigraph,
    run_rdflib,
    time_queries,
)
from peers import stage_oxigraph_server, stage_virtuoso

__all__ = ["STAGES", "main", "run_stage"]


def stage_build(project: Path, _repeats: int, _skip: dict[str, str]) -> dict[str, Any]:
    from lupuskg.build import build

    marks: dict[str, float] = {}

    def progress(what: str, _done: int, _total: int) -> None:
        marks.setdefault(what.split(" ", 1)[0], time.perf_counter())

    settings = project_settings(project)
    started = time.perf_counter()
    result = build(settings, validate=False, progress=progress)
    ended = time.perf_counter()
    load_start = marks.get("loading", started)
    done = marks.get("done", ended)
    return {
        "seconds": round(ended - started, 3),
        "check_s": round(load_start - marks.get("checking", started), 3),
        "load_and_summary_s": round(done - load_start, 3),
        "triples": result.triples,
        "graphs": len(result.graphs),
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_validate(project: Path, _repeats: int, _skip: dict[str, str]) -> dict[str, Any]:
    from lupuskg.validate import validate

    settings = project_settings(project)
    started = time.perf_counter()
    report = validate(settings, cache=False)  # a full run: the cached one is validate_cache.py
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "conforms": bool(report.conforms),
        "violations": int(report.violations),
        "warnings": int(getattr(report, "warnings", 0)),
        "jobs": getattr(report, "jobs", None),
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_oxigraph(project: Path, repeats: int, skip: dict[str, str]) -> dict[str, Any]:
    from lupuskg.store import copy_into_memory, open_store

    settings = project_settings(project)
    started = time.perf_counter()
    store = open_store(settings)
    opened = time.perf_counter() - started

    from lupuskg.queries import run_sparql

    canned = canned_queries(settings)
    # the production path of `lupuskg query`: substitutions + QueryResult decoding
    on_disk = time_queries(
        canned, lambda s, b: len(run_sparql(store, s, b)), repeats, skip.get("oxigraph", {})
    )
    rss_disk = peak_rss_mb()
    for query_id, sparql, bound in canned:  # what the peers' rows are compared with
        if "median_ms" in on_disk.get(query_id, {}):
            on_disk[query_id]["digest"] = rows_digest(run_oxigraph(store, sparql, bound))
    # the same store copied into memory, as a long-running process (serve) could hold it
    started = time.perf_counter()
    memory = copy_into_memory(store)  # what `lupuskg serve`'s workers do
    copied = time.perf_counter() - started
    in_memory = time_queries(
        canned,
        lambda s, b: len(run_sparql(memory, s, b)),
        repeats,
        skip.get("oxigraph_memory", {}),
    )
    return {
        "open_s": round(opened, 4),
        "queries": on_disk,
        "peak_rss_mb": rss_disk,
        "memory": {
            "load_s": round(copied, 3),
            "queries": in_memory,
            "peak_rss_mb": peak_rss_mb(),
        },
    }


def stage_rdflib(project: Path, repeats: int, skip: dict[str, str]) -> dict[str, Any]:
    settings = project_settings(project)
    started = time.perf_counter()
    dataset = rdflib_dataset(settings)
    loaded = time.perf_counter() - started
    rss_loaded = peak_rss_mb()
    queries = time_queries(
        canned_queries(settings),
        lambda s, b: len(run_rdflib(dataset, s, b)),
        repeats,
        skip.get("rdflib", {}),
    )
    return {
        "load_s": round(loaded, 3),
        "triples": len(dataset),
        "queries": queries,
        "total_s": round(time.perf_counter() - started, 3),
        "peak_rss_after_load_mb": rss_loaded,
        "peak_rss_mb": peak_rss_mb(),
    }


STAGES: dict[str, Callable[[Path, int, dict[str, str]], dict[str, Any]]] = {
    "build": stage_build,
    "validate": stage_validate,
    "oxigraph": stage_oxigraph,
    "rdflib": stage_rdflib,
    "virtuoso": stage_virtuoso,
    "oxigraph_server": stage_oxigraph_server,
}


def run_stage(
    name: str,
    project: Path,
    repeats: int,
    timeout: float | None = None,
    skip: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run one stage in a fresh interpreter; its last stdout line is the JSON result."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        name,
        "--project",
        str(project),
        "--repeats",
        str(repeats),
        "--skip-json",
        json.dumps(skip or {}),
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"skipped": f"timed out after {timeout:.0f}s"}
    wall = time.perf_counter() - started
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-12:]
        return {"error": f"exit {done.returncode}", "stderr_tail": tail}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = round(wall, 3)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-json", default="{}")
    args = parser.parse_args(argv)
    result = STAGES[args.stage](args.project, args.repeats, json.loads(args.skip_json))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
