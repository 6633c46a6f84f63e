"""Scaling benchmark: build, validation and canned-query latency from 10 to 10,000 documents.

For every corpus size the runner generates a synthetic project (benchmarks/generate.py),
then measures each stage in its own subprocess (stages.py) so that peak memory (ru_maxrss)
is per stage and nothing is cached between stages: build, validate, oxigraph (on disk and
in memory), rdflib, and the peers Virtuoso and Oxigraph server (peers.py). It also times a
cold ``lupuskg query Q05`` on the seed graph (cold.py). Results go to
benchmarks/results/latest.json, latest.md and scaling.png (report.py).

Usage: ``python benchmarks/run.py [--sizes 10,100,1000,10000] [--quick]``
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cold import cold_query
from common import (
    COLD_QUERY,
    CORPUS,
    QUERY_BUDGET_S,
    RESULTS,
    TARGETS,
    canned_queries,
    machine,
    normalise_rows,
    rdflib_dataset,
    run_oxigraph,
    run_rdflib,
    timed,
)
from report import plot_name, summarise
from stages import run_stage

# the equivalence test (tests/benchmarks) reads the engine helpers from here
__all__ = [
    "canned_queries",
    "main",
    "normalise_rows",
    "rdflib_dataset",
    "run_oxigraph",
    "run_rdflib",
]

DEFAULT_SIZES = (10, 100, 1000, 10000)
QUICK_SIZES = (10, 100)
#: the peer engines, each a stage (peers.py) on the same quads
PEERS = ("virtuoso", "oxigraph_server")


def _estimate(history: list[tuple[int, float]], size: int) -> float | None:
    """Cost at ``size`` from the growth seen at smaller sizes (at least linear)."""
    if not history:
        return None
    (n1, t1) = history[-1]
    exponent = 1.0
    if len(history) >= 2:
        (n0, t0) = history[-2]
        if t0 > 0.005 and n1 > n0 and t1 > 0:
            exponent = max(1.0, math.log(t1 / t0) / math.log(n1 / n0))
    return t1 * (size / n1) ** exponent


def _query_skips(
    measured: list[dict[str, Any]], engine: str, size: int, limit_s: float
) -> dict[str, str]:
    """Queries whose single run is estimated to exceed ``limit_s`` at ``size``."""
    history: dict[str, list[tuple[int, float]]] = {}
    skipped_before: dict[str, str] = {}
    for entry in measured:
        for query_id, result in entry[engine].get("queries", {}).items():
            if "median_ms" in result:
                history.setdefault(query_id, []).append(
                    (entry["documents"], result["median_ms"] / 1000)
                )
            elif "skipped" in result:
                skipped_before[query_id] = result["skipped"]
    skips = {}
    for query_id, points in history.items():
        estimate = _estimate(points, size)
        if estimate is not None and estimate > limit_s:
            skips[query_id] = (
                f"estimated {estimate:.0f}s per run (> {limit_s:.0f}s) "
                f"from {points[-1][1]:.1f}s at {points[-1][0]} documents"
            )
    for query_id, reason in skipped_before.items():
        if query_id not in history:
            skips[query_id] = f"already skipped at a smaller size: {reason}"
    return skips


def measure_size(
    size: int, args: argparse.Namespace, measured: list[dict[str, Any]]
) -> dict[str, Any]:
    from generate import generate_corpus

    project = args.corpus / str(size)
    started = time.perf_counter()
    generate_corpus(size, project, seed=args.seed)
    entry: dict[str, Any] = {
        "documents": size,
        "generate_s": round(time.perf_counter() - started, 3),
    }
    print(f"[{size}] generated in {entry['generate_s']}s", flush=True)
    for stage in ("build", "validate"):
        entry[stage] = run_stage(stage, project, args.repeats)
        print(f"[{size}] {stage}: {_brief(entry[stage])}", flush=True)
    skip = {
        engine: _query_skips(measured, engine, size, args.query_limit)
        for engine in ("oxigraph", "oxigraph_memory")
    }
    entry["oxigraph"] = run_stage("oxigraph", project, args.repeats, skip=skip)
    entry["oxigraph_memory"] = entry["oxigraph"].pop("memory", {"skipped": "oxigraph stage failed"})
    print(f"[{size}] oxigraph (disk): {_brief(entry['oxigraph'])}", flush=True)
    print(f"[{size}] oxigraph (memory): {_brief(entry['oxigraph_memory'])}", flush=True)
    # the whole rdflib stage is skipped only if loading alone would exceed the limit;
    # slow queries are skipped one by one from their own growth
    history = [(e["documents"], e["rdflib"]["load_s"]) for e in measured if "load_s" in e["rdflib"]]
    estimate = _estimate(history, size)
    if args.no_rdflib:
        entry["rdflib"] = {"skipped": "--no-rdflib"}
    elif estimate is not None and estimate > args.rdflib_limit:
        entry["rdflib"] = {
            "skipped": f"loading estimated at {estimate:.0f}s (> {args.rdflib_limit:.0f}s limit) "
            f"from the {history[-1][0]}-document run"
        }
    else:
        skip = {"rdflib": _query_skips(measured, "rdflib", size, args.query_limit)}
        entry["rdflib"] = run_stage(
            "rdflib", project, args.repeats, timeout=args.rdflib_limit * 6, skip=skip
        )
    print(f"[{size}] rdflib: {_brief(entry['rdflib'])}", flush=True)
    for peer in PEERS:
        if peer in args.no_peers:
            entry[peer] = {"skipped": f"--no-peers {peer}"}
        else:
            skip = {peer: _query_skips(measured, peer, size, args.query_limit)}
            entry[peer] = run_stage(peer, project, args.repeats, timeout=7200, skip=skip)
        print(f"[{size}] {peer}: {_brief(entry[peer])}", flush=True)
    if not args.keep_corpus:
        shutil.rmtree(project, ignore_errors=True)
    return entry


def _brief(result: dict[str, Any]) -> str:
    keys = ("seconds", "load_s", "total_s", "violations", "peak_rss_mb", "skipped", "error")
    text = ", ".join(f"{k}={result[k]}" for k in keys if k in result)
    if "queries" in result:
        done = timed(result)
        worst = max(done, key=lambda q: done[q]["median_ms"], default=None)
        skipped = len(result["queries"]) - len(done)
        text += f", {len(done)} queries timed, {skipped} skipped"
        if worst:
            text += f", slowest {worst} {done[worst]['median_ms']:.1f} ms"
    if "stderr_tail" in result:
        text += "\n    " + "\n    ".join(result["stderr_tail"])
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",") if x],
        default=list(DEFAULT_SIZES),
        help="comma-separated document counts",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"sizes {QUICK_SIZES}, results not saved as latest"
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="runs per query (median; at least 5)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--rdflib-limit", type=float, default=600.0, help="skip rdflib above this estimate (s)"
    )
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument(
        "--no-peers",
        type=lambda s: [x for x in s.split(",") if x],
        default=[],
        help=f"comma-separated peers to leave out ({', '.join(PEERS)})",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="where corpora are generated")
    parser.add_argument("--keep-corpus", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--query-limit",
        type=float,
        default=60.0,
        help="skip a query at a size where one run is estimated to exceed this (s)",
    )
    args = parser.parse_args(argv)
    args.repeats = max(args.repeats, 5)

    sizes = list(QUICK_SIZES) if args.quick else args.sizes
    started = time.perf_counter()
    measured: list[dict[str, Any]] = []
    written: list[Path] = []
    stem = "quick" if args.quick else "latest"
    args.out.mkdir(parents=True, exist_ok=True)
    # the cold start first: it is quick, and every partial write below then carries it
    cold = cold_query(args.repeats)
    print(f"cold `lupuskg query {COLD_QUERY}`: {cold.get('median_s', cold)}", flush=True)
    for size in sorted(sizes):
        measured.append(measure_size(size, args, measured))
        done = len(measured) == len(sizes)
        results = {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "complete": done,
            "machine": machine(),
            "settings": {
                "sizes": sorted(sizes),
                "repeats": args.repeats,
                "seed": args.seed,
                "rdflib_limit_s": args.rdflib_limit,
                "query_limit_s": args.query_limit,
                "query_budget_s": QUERY_BUDGET_S,
            },
            "targets": TARGETS,
            "sizes": measured,
            "cold_query": cold,
            "verdicts": summarise(measured, cold),
            "runner_wall_s": round(time.perf_counter() - started, 1),
        }
        # written after every size, so that an interrupted run still leaves its figures;
        # the plot is drawn in another process, so that matplotlib never inflates the
        # runner (Linux hands the runner's peak RSS down to every stage it starts)
        written = [args.out / f"{stem}.json"]
        written[0].write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("report.py")), str(written[0])],
            check=False,
            capture_output=True,
        )
        written += [args.out / f"{stem}.md", args.out / plot_name(stem)]
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
