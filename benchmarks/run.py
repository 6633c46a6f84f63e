"""Scaling benchmark: build, validation and canned-query latency from 10 to 10,000 documents.

For every corpus size the runner generates a synthetic project (benchmarks/generate.py),
then measures each stage in its own subprocess so that peak memory (ru_maxrss) is per
stage and nothing is cached between stages:

- build: ``lupuskg.build.build(validate=False)`` (syntax check, bulk load, summary);
- validate: ``lupuskg.validate.validate(settings)`` (SHACL + quotes, parallel);
- oxigraph: every canned query on the persisted store, union default graph;
- rdflib: load ``rdflib.Dataset(default_union=True)`` from the same files, then every
  canned query (skipped where the estimate from the previous size exceeds the limit).

It also times a cold ``lupuskg query Q05`` on the seed graph and records what
``python -X importtime`` says dominates its start-up. Results go to
benchmarks/results/latest.json, latest.md and scaling.png.

Usage: ``python benchmarks/run.py [--sizes 10,100,1000,10000] [--quick]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from lupuskg.namespaces import XSD  # noqa: E402

__all__ = ["canned_queries", "main", "normalise_rows", "run_oxigraph", "run_rdflib"]

DEFAULT_SIZES = (10, 100, 1000, 10000)
QUICK_SIZES = (10, 100)
RESULTS = HERE / "results"
CORPUS = HERE / "corpus"
COLD_QUERY = "Q05"
TARGETS = {
    "query_median_ms": 100.0,
    "speedup_vs_rdflib": 25.0,
    "build_plus_validate_s": 60.0,
    "growth_per_10x": 12.0,
    "cold_query_s": 0.3,
}


# ---------------------------------------------------------------------------------------
# canned queries and running them on both engines


def canned_queries(settings: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, SPARQL text, default parameter bindings) of every canned query, sorted by id.

    Defaults are resolved exactly as ``lupuskg query`` resolves them (no label look-up is
    needed for defaults, so no runner is called).
    """
    from lupuskg.queries import catalog, resolve_parameters

    def no_runner(_sparql: str, _bindings: Any) -> Any:
        raise RuntimeError("label look-up is not expected for default parameters")

    found = []
    for query_id, query in catalog(settings).items():
        found.append((query_id, query.sparql, resolve_parameters(query, {}, no_runner)))
    return sorted(found, key=lambda item: item[0])


def _peak_rss_mb() -> float:
    """Peak RSS of this process (VmHWM) or of its largest worker, in MB.

    ``ru_maxrss`` alone misleads here: Linux carries it across fork and exec, so a stage
    would inherit the runner's peak. VmHWM belongs to the process's own address space.
    Workers (validation) are forked from the stage, so their ``ru_maxrss`` starts at the
    stage's own peak, which is the right floor.
    """
    own = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    except OSError:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(max(own, children), 1)


#: a query stops repeating once its runs have taken this long (at least one run)
QUERY_BUDGET_S = 30.0


def _median_ms(
    run: Callable[[], int], repeats: int, budget_s: float = QUERY_BUDGET_S
) -> dict[str, Any]:
    """Median of ``repeats`` runs; fewer (reported in ``runs``) once ``budget_s`` is spent."""
    times, rows = [], 0
    spent = 0.0
    for _ in range(repeats):
        started = time.perf_counter()
        rows = run()
        elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        spent += elapsed
        if spent > budget_s:
            break
    return {
        "median_ms": round(statistics.median(times), 3),
        "min_ms": round(min(times), 3),
        "first_ms": round(times[0], 3),
        "runs": len(times),
        "rows": rows,
    }


def _time_queries(
    queries: list[tuple[str, str, dict[str, Any]]],
    run: Callable[[str, dict[str, Any]], int],
    repeats: int,
    skip: dict[str, str],
) -> dict[str, Any]:
    timed: dict[str, Any] = {}
    for query_id, sparql, bound in queries:
        if query_id in skip:
            timed[query_id] = {"skipped": skip[query_id]}
        else:
            timed[query_id] = _median_ms(lambda s=sparql, b=bound: run(s, b), repeats)
    return timed


def run_oxigraph(store: Any, sparql: str, bindings: dict[str, Any] | None = None) -> list[Any]:
    """Evaluate on pyoxigraph with the union default graph; materialise every row."""
    import pyoxigraph as ox

    substitutions = {ox.Variable(name): term for name, term in (bindings or {}).items()}
    result = store.query(
        sparql, use_default_graph_as_union=True, substitutions=substitutions or None
    )
    if isinstance(result, bool):
        return [result]
    if isinstance(result, ox.QuerySolutions):
        variables = list(result.variables)
        return [tuple(solution[v] for v in variables) for solution in result]
    return list(result)  # CONSTRUCT / DESCRIBE triples


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the equivalent rdflib term (for initBindings)."""
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"cannot bind {term!r}")


def run_rdflib(dataset: Any, sparql: str, bindings: dict[str, Any] | None = None) -> list[Any]:
    """Evaluate on rdflib (Dataset with default_union=True); materialise every row.

    Parameters are pre-bound with initBindings, rdflib's analogue of pyoxigraph's
    substitutions, so both engines do the same work.
    """
    init = {name: to_rdflib(term) for name, term in (bindings or {}).items()}
    result = dataset.query(sparql, initBindings=init) if init else dataset.query(sparql)
    if result.type == "ASK":
        return [bool(result.askAnswer)]
    if result.type == "SELECT":
        variables = list(result.vars or [])
        return [tuple(row.get(v) for v in variables) for row in result.bindings]
    return list(result)


def rdflib_dataset(settings: Any) -> Any:
    """The built store's quads in rdflib, union as the default graph.

    Read from the store rather than the files, so that both engines answer over the
    same data: the documents with their derived months, the closure graph and the
    derived graph (proportions, Wilson intervals, per-arm safety summaries) that the
    canned queries join on. The corpus must have been built first.
    """
    import pyoxigraph as ox
    import rdflib

    from lupuskg.store import open_store

    quads = open_store(settings).dump(format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=quads, format="nquads")
    return dataset


# ---- result normalisation (shared with the equivalence test) ---------------------------

_XSD = XSD
_NUMERIC = {
    _XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "nonNegativeInteger",
        "positiveInteger",
        "short",
        "byte",
    )
}


def _norm_term(term: Any) -> tuple[Any, ...] | None:
    """An engine-neutral form of one RDF term (pyoxigraph or rdflib)."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind in ("NamedNode", "URIRef"):
        return ("iri", str(term.value if kind == "NamedNode" else term))
    if kind in ("BlankNode", "BNode"):
        return ("bnode",)
    if kind == "Literal":
        if hasattr(term, "language") and not hasattr(term, "toPython"):  # pyoxigraph
            lexical, language = term.value, term.language
            datatype = term.datatype.value if term.datatype is not None else None
        else:  # rdflib
            lexical, language = str(term), term.language
            datatype = str(term.datatype) if term.datatype is not None else None
        if language:
            return ("lit", lexical, "lang", language.lower())
        datatype = datatype or _XSD + "string"
        if datatype in _NUMERIC:
            from decimal import Decimal, InvalidOperation

            try:
                return ("num", Decimal(lexical).normalize())
            except InvalidOperation:
                return ("num", lexical)
        return ("lit", lexical, datatype)
    if kind in ("Triple", "tuple"):
        return tuple(_norm_term(t) for t in term)
    return ("other", str(term))


def normalise_rows(rows: Iterable[Any]) -> list[Any]:
    """Rows as a sorted list (a multiset) of normalised tuples, comparable across engines."""
    out = []
    for row in rows:
        if isinstance(row, bool):
            out.append(("ask", row))
        elif isinstance(row, tuple):
            out.append(tuple(_norm_term(t) for t in row))
        else:  # a triple
            out.append(
                tuple(_norm_term(t) for t in (row.subject, row.predicate, row.object))
                if hasattr(row, "subject")
                else tuple(_norm_term(t) for t in row)
            )
    return sorted(out, key=repr)


# ---------------------------------------------------------------------------------------
# stages, each run in its own subprocess (``run.py --stage NAME --project DIR``)


def _settings(project: Path) -> Any:
    os.environ["LUPUSKG_HOME"] = str(project)
    os.environ.pop("LUPUSKG_STORE", None)
    from lupuskg.config import settings

    settings.cache_clear()
    return settings(project)


def stage_build(project: Path, _repeats: int, _skip: dict[str, str]) -> dict[str, Any]:
    from lupuskg.build import build

    marks: dict[str, float] = {}

    def progress(what: str, _done: int, _total: int) -> None:
        marks.setdefault(what.split(" ", 1)[0], time.perf_counter())

    settings = _settings(project)
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
        "peak_rss_mb": _peak_rss_mb(),
    }


def stage_validate(project: Path, _repeats: int, _skip: dict[str, str]) -> dict[str, Any]:
    from lupuskg.validate import validate

    settings = _settings(project)
    started = time.perf_counter()
    report = validate(settings, cache=False)  # a full run: the cached one is validate_cache.py
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "conforms": bool(report.conforms),
        "violations": int(report.violations),
        "warnings": int(getattr(report, "warnings", 0)),
        "jobs": getattr(report, "jobs", None),
        "peak_rss_mb": _peak_rss_mb(),
    }


def stage_oxigraph(project: Path, repeats: int, skip: dict[str, str]) -> dict[str, Any]:
    from lupuskg.store import open_store

    settings = _settings(project)
    started = time.perf_counter()
    store = open_store(settings)
    opened = time.perf_counter() - started
    import pyoxigraph as ox

    from lupuskg.queries import run_sparql

    canned = canned_queries(settings)
    # the production path of `lupuskg query`: substitutions + QueryResult decoding
    on_disk = _time_queries(
        canned, lambda s, b: len(run_sparql(store, s, b)), repeats, skip.get("oxigraph", {})
    )
    rss_disk = _peak_rss_mb()
    # the same store copied into memory, as a long-running process (serve) could hold it
    started = time.perf_counter()
    memory = ox.Store()
    memory.bulk_load(store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    copied = time.perf_counter() - started
    in_memory = _time_queries(
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
            "peak_rss_mb": _peak_rss_mb(),
        },
    }


def stage_rdflib(project: Path, repeats: int, skip: dict[str, str]) -> dict[str, Any]:
    settings = _settings(project)
    started = time.perf_counter()
    dataset = rdflib_dataset(settings)
    loaded = time.perf_counter() - started
    rss_loaded = _peak_rss_mb()
    queries = _time_queries(
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
        "peak_rss_mb": _peak_rss_mb(),
    }


STAGES: dict[str, Callable[[Path, int, dict[str, str]], dict[str, Any]]] = {
    "build": stage_build,
    "validate": stage_validate,
    "oxigraph": stage_oxigraph,
    "rdflib": stage_rdflib,
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
        "--stage",
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


# ---------------------------------------------------------------------------------------
# cold CLI start-up on the seed graph


def _lupuskg_bin() -> str:
    candidate = Path(sys.executable).with_name("lupuskg")
    return str(candidate) if candidate.exists() else "lupuskg"


def cold_query(repeats: int) -> dict[str, Any]:
    """Median wall time of ``lupuskg query Q05`` in a new process, on a built seed copy."""
    with tempfile.TemporaryDirectory(prefix="lupuskg-cold-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for part in ("pyproject.toml", "ontology", "graph", "queries"):
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, project / part)
            elif source.is_file():
                shutil.copy2(source, project / part)
        env = {**os.environ, "LUPUSKG_HOME": str(project)}
        env.pop("LUPUSKG_STORE", None)
        built = subprocess.run(
            [_lupuskg_bin(), "build", "--no-validate"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            return {"error": "seed build failed", "stderr_tail": built.stderr.splitlines()[-5:]}
        command = [_lupuskg_bin(), "query", COLD_QUERY]
        times, last = [], None
        subprocess.run(command, env=env, capture_output=True, check=False)  # warm the page cache
        for _ in range(repeats):
            started = time.perf_counter()
            last = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - started)
        python_only = _wall([sys.executable, "-c", "pass"], env, repeats)
        return {
            "command": f"lupuskg query {COLD_QUERY}",
            "median_s": round(statistics.median(times), 3),
            "min_s": round(min(times), 3),
            "runs": repeats,
            "exit_code": last.returncode if last else None,
            "stdout_lines": len(last.stdout.splitlines()) if last else 0,
            "python_startup_s": python_only,
            "importtime": import_profile(env),
        }


def _wall(command: list[str], env: dict[str, str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def import_profile(env: dict[str, str], top: int = 12) -> list[dict[str, Any]]:
    """Top-level imports by cumulative time (``-X importtime``) of ``lupuskg query Q05``."""
    code = "import sys; from lupuskg.cli import main; sys.argv[0] = 'lupuskg'; main()"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, "query", COLD_QUERY],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    entries = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line[len("import time:") :].split("|")
        self_us, cumulative_us, name = int(parts[0]), int(parts[1]), parts[2]
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 1:
            entries.append(
                {
                    "module": name.strip(),
                    "cumulative_ms": round(cumulative_us / 1000, 1),
                    "self_ms": round(self_us / 1000, 1),
                }
            )
    entries.sort(key=lambda e: -e["cumulative_ms"])
    return entries[:top]


# ---------------------------------------------------------------------------------------
# orchestration


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
    if not args.keep_corpus:
        shutil.rmtree(project, ignore_errors=True)
    return entry


def _timed(result: dict[str, Any]) -> dict[str, Any]:
    """The queries of an engine's result that were timed (not skipped)."""
    return {q: r for q, r in result.get("queries", {}).items() if "median_ms" in r}


def _brief(result: dict[str, Any]) -> str:
    keys = ("seconds", "load_s", "total_s", "violations", "peak_rss_mb", "skipped", "error")
    text = ", ".join(f"{k}={result[k]}" for k in keys if k in result)
    if "queries" in result:
        timed = _timed(result)
        worst = max(timed, key=lambda q: timed[q]["median_ms"], default=None)
        skipped = len(result["queries"]) - len(timed)
        text += f", {len(timed)} queries timed, {skipped} skipped"
        if worst:
            text += f", slowest {worst} {timed[worst]['median_ms']:.1f} ms"
    if "stderr_tail" in result:
        text += "\n    " + "\n    ".join(result["stderr_tail"])
    return text


def _query_verdicts(top: dict[str, Any], engine: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(median target, speed-up target) for one oxigraph variant at the largest size."""
    ours = _timed(top.get(engine, {}))
    theirs = _timed(top["rdflib"])
    untimed = sorted(set(top.get(engine, {}).get("queries", {})) - set(ours))
    limit = TARGETS["query_median_ms"]
    slow: dict[str, Any] = {q: r["median_ms"] for q, r in ours.items() if r["median_ms"] > limit}
    slow.update({q: "skipped: estimated too slow to time" for q in untimed})
    median = {
        "documents": top["documents"],
        "met": bool(ours) and not slow,
        "over_target": slow,
        "max_ms": max((r["median_ms"] for r in ours.values()), default=None),
    }
    ratios = {
        q: round(theirs[q]["median_ms"] / ours[q]["median_ms"], 1)
        for q in ours
        if q in theirs and ours[q]["median_ms"] > 0
    }
    missing = sorted(set(top.get(engine, {}).get("queries", {})) - set(ratios))
    speedup = {
        "documents": top["documents"],
        "met": (min(ratios.values()) >= TARGETS["speedup_vs_rdflib"] and not missing)
        if ratios
        else None,
        "min_ratio": min(ratios.values(), default=None),
        "below_target": {q: r for q, r in ratios.items() if r < TARGETS["speedup_vs_rdflib"]},
        "not_compared": missing,
        "note": top["rdflib"].get("skipped") or top["rdflib"].get("error"),
    }
    return median, speedup


def _growth(sizes: list[dict[str, Any]]) -> dict[str, float]:
    """Time ratio per 10x more documents, for steps from 100 documents up."""
    growth: dict[str, float] = {}
    for small, big in itertools.pairwise(sizes):
        if small["documents"] < 100:
            continue
        exponent = math.log(big["documents"] / small["documents"]) / math.log(10)
        pairs = [
            (stage, small[stage].get("seconds"), big[stage].get("seconds"))
            for stage in ("build", "validate")
        ]
        for engine in ("oxigraph", "oxigraph_memory"):
            a, b = _timed(small.get(engine, {})), _timed(big.get(engine, {}))
            pairs += [(f"{engine} {q}", a[q]["median_ms"], b[q]["median_ms"]) for q in a if q in b]
        for name, before, after in pairs:
            if before and after:
                step = f"{name} {small['documents']}->{big['documents']}"
                growth[step] = round((after / before) ** (1 / exponent), 2)
    return growth


def summarise(sizes: list[dict[str, Any]], cold: dict[str, Any]) -> dict[str, Any]:
    """Which targets are met, with the figures behind each verdict."""
    verdicts: dict[str, Any] = {}
    top = sizes[-1] if sizes else None
    if top:
        median, speedup = _query_verdicts(top, "oxigraph")
        verdicts["query_median_ms"], verdicts["speedup_vs_rdflib"] = median, speedup
        median, speedup = _query_verdicts(top, "oxigraph_memory")
        verdicts["query_median_ms_memory"], verdicts["speedup_vs_rdflib_memory"] = median, speedup
        total = (top["build"].get("seconds") or 0) + (top["validate"].get("seconds") or 0)
        verdicts["build_plus_validate_s"] = {
            "documents": top["documents"],
            "seconds": round(total, 2),
            "build_s": top["build"].get("seconds"),
            "validate_s": top["validate"].get("seconds"),
            "met": total <= TARGETS["build_plus_validate_s"],
        }
    growth = _growth(sizes)
    over = {step: ratio for step, ratio in growth.items() if ratio > TARGETS["growth_per_10x"]}
    verdicts["growth_per_10x"] = {
        "met": (not over) if growth else None,
        "over_target": over,
        "max": max(growth.values(), default=None),
        "note": "time ratio per 10x documents, steps from 100 documents up (see JSON for all)",
    }
    verdicts["growth_ratios"] = growth
    if "median_s" in cold:
        verdicts["cold_query_s"] = {
            "seconds": cold["median_s"],
            "met": cold["median_s"] <= TARGETS["cold_query_s"],
        }
    return verdicts


# ---------------------------------------------------------------------------------------
# reports: JSON, a markdown table and a log-log plot


def _plot_name(stem: str) -> str:
    return "scaling.png" if stem == "latest" else f"{stem}-scaling.png"


def write_reports(results: dict[str, Any], out: Path, stem: str = "latest") -> list[Path]:
    """Write <stem>.json, <stem>.md and the scaling plot; return the paths written."""
    paths = [out / f"{stem}.json", out / f"{stem}.md"]
    paths[0].write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(results), encoding="utf-8")
    plot = out / _plot_name(stem)
    if plot_scaling(results, plot):
        paths.append(plot)
    return paths


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _stage_cell(result: dict[str, Any], key: str = "seconds") -> str:
    if "skipped" in result:
        return f"skipped ({result['skipped']})"
    if "error" in result:
        return f"error ({result['error']})"
    return _fmt(result.get(key))


def markdown(results: dict[str, Any]) -> str:
    """The results as markdown tables: stages, per-query medians, targets, cold start."""
    sizes = results["sizes"]
    machine = results["machine"]
    lines = [
        "# lupuskg scaling benchmark",
        "",
        f"Run {results['created']} on {machine['cpus']} CPUs, Python {machine['python']}, "
        f"pyoxigraph {machine['pyoxigraph']}, rdflib {machine['rdflib']}; "
        f"query medians over {results['settings']['repeats']} runs. "
        "Reproduce with `python benchmarks/run.py` (see benchmarks/README.md).",
        "",
        *(
            []
            if results.get("complete", True)
            else [
                f"**Partial results:** the run was stopped after {sizes[-1]['documents']} "
                "documents; larger sizes are missing.",
                "",
            ]
        ),
        "## Stages (seconds; peak RSS in MB per stage process)",
        "",
        "| documents | triples | generate | build (check + load) | validate | build + validate "
        "| rdflib load | peak MB build / validate / oxigraph / rdflib |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for entry in sizes:
        build, validate, ox, rd = (entry[k] for k in ("build", "validate", "oxigraph", "rdflib"))
        both = (build.get("seconds") or 0) + (validate.get("seconds") or 0)
        violations = validate.get("violations")
        lines.append(
            f"| {entry['documents']} | {build.get('triples', '–')} | {_fmt(entry['generate_s'])} "
            f"| {_stage_cell(build)} ({_fmt(build.get('check_s'))} + {_fmt(build.get('load_and_summary_s'))}) "
            f"| {_stage_cell(validate)}{'' if violations in (None, 0) else f' ({violations} violations)'} "
            f"| {_fmt(both)} | {_stage_cell(rd, 'load_s')} "
            f"| {' / '.join(_fmt(r.get('peak_rss_mb'), 0) for r in (build, validate, ox, rd))} |"
        )
    for entry in sizes:
        lines += _query_table(entry)
    lines += ["", "## Targets", "", "| target | goal | measured | met |", "|---|---|---|---|"]
    verdicts = results["verdicts"]
    goals = {
        "query_median_ms": "every canned query median ≤ 100 ms, on-disk store (largest size)",
        "query_median_ms_memory": "the same, store copied into memory (largest size)",
        "speedup_vs_rdflib": "every canned query ≥ 25× faster than rdflib, on-disk store",
        "speedup_vs_rdflib_memory": "the same, store copied into memory",
        "build_plus_validate_s": "build + validation ≤ 60 s (largest size)",
        "growth_per_10x": "10× documents ≤ 12× time",
        "cold_query_s": f"cold `lupuskg query {COLD_QUERY}` ≤ 0.3 s",
    }
    for key, goal in goals.items():
        verdict = verdicts.get(key)
        if verdict is None:
            lines.append(f"| {key} | {goal} | not measured | – |")
            continue
        shown = {k: v for k, v in verdict.items() if k != "met"}
        met = {True: "yes", False: "**no**", None: "n/a"}[verdict.get("met")]
        lines.append(f"| {key} | {goal} | `{json.dumps(shown, ensure_ascii=False)}` | {met} |")
    cold = results.get("cold_query", {})
    lines += ["", f"## Cold start: `lupuskg query {COLD_QUERY}` on the seed graph", ""]
    if "median_s" in cold:
        lines.append(
            f"Median wall time {cold['median_s']} s over {cold['runs']} runs (min {cold['min_s']} s); "
            f"bare `python -c pass` takes {cold['python_startup_s']} s. "
            "Top-level imports by cumulative time (`python -X importtime`):"
        )
        lines += ["", "| module | cumulative ms | self ms |", "|---|---:|---:|"]
        lines += [
            f"| {e['module']} | {e['cumulative_ms']} | {e['self_ms']} |" for e in cold["importtime"]
        ]
    else:
        lines.append(f"not measured: `{json.dumps(cold)}`")
    return "\n".join(lines) + "\n"


def _ms(result: dict[str, Any] | None) -> str:
    if result is None:
        return "–"
    if "median_ms" not in result:
        return "skipped"
    runs = result["runs"]
    note = "" if runs >= 5 else f" ({runs} run{'s' if runs > 1 else ''})"
    return f"{result['median_ms']:.1f}{note}"


def _ratio(slow: dict[str, Any] | None, fast: dict[str, Any] | None) -> str:
    if not slow or not fast or "median_ms" not in slow or "median_ms" not in fast:
        return "–"
    if not fast["median_ms"]:
        return "–"
    ratio = slow["median_ms"] / fast["median_ms"]
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"


def _query_table(entry: dict[str, Any]) -> list[str]:
    """Median ms per canned query at one size, on the three engines, with speed-ups."""
    engines = {name: entry.get(name, {}) for name in ("oxigraph", "oxigraph_memory", "rdflib")}
    notes = [
        f"{name}: {result['skipped']}" for name, result in engines.items() if "skipped" in result
    ]
    lines = [
        "",
        f"## Canned queries at {entry['documents']} documents: median ms",
        "",
        "| query | rows | oxigraph on disk | oxigraph in memory | rdflib | rdflib ÷ disk "
        "| rdflib ÷ memory |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    query_ids = sorted({q for result in engines.values() for q in result.get("queries", {})})
    for query_id in query_ids:
        disk, memory, rdflib = (engines[n].get("queries", {}).get(query_id) for n in engines)
        rows = next((r["rows"] for r in (disk, memory, rdflib) if r and "rows" in r), "–")
        lines.append(
            f"| {query_id} | {rows} | {_ms(disk)} | {_ms(memory)} | {_ms(rdflib)} "
            f"| {_ratio(rdflib, disk)} | {_ratio(rdflib, memory)} |"
        )
    skipped = sorted(
        f"{name} {q}: {r['skipped']}"
        for name, result in engines.items()
        for q, r in result.get("queries", {}).items()
        if "skipped" in r
    )
    if notes or skipped:
        lines += ["", "Skipped: " + "; ".join(notes + skipped)]
    return lines


def plot_scaling(results: dict[str, Any], path: Path) -> bool:
    """Log-log plot of seconds against documents, one line per stage."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict[str, list[tuple[int, float]]] = {}

    def add(name: str, docs: int, seconds: float | None) -> None:
        if seconds:
            series.setdefault(name, []).append((docs, seconds))

    names = {"oxigraph": "oxigraph on disk", "oxigraph_memory": "oxigraph in memory",
             "rdflib": "rdflib"}  # fmt: skip
    # sums over the queries timed at every size, so that a skipped query bends no line
    common = {
        engine: set.intersection(*(set(_timed(e.get(engine, {}))) for e in results["sizes"]))
        for engine in names
    }
    for entry in results["sizes"]:
        docs = entry["documents"]
        add("build (parse + load)", docs, entry["build"].get("seconds"))
        add("validation", docs, entry["validate"].get("seconds"))
        add("rdflib load", docs, entry["rdflib"].get("load_s"))
        add("oxigraph: copy into memory", docs, entry.get("oxigraph_memory", {}).get("load_s"))
        for engine, label in names.items():
            timed = _timed(entry.get(engine, {}))
            medians = [timed[q]["median_ms"] / 1000 for q in sorted(common[engine])]
            if medians:
                add(f"{label}: {len(medians)} queries (sum of medians)", docs, sum(medians))
                add(f"{label}: slowest of them", docs, max(medians))
    if not series:
        return False
    figure, axes = plt.subplots(figsize=(10, 6))
    for name, points in series.items():
        xs, ys = zip(*points, strict=True)
        style = "--" if name.startswith("rdflib") else "-"
        axes.plot(xs, ys, style, marker="o", label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("documents (≈100 triples each)")
    axes.set_ylabel("seconds")
    axes.set_title("lupuskg: cost against corpus size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True


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
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="where corpora are generated")
    parser.add_argument("--keep-corpus", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip-json", default="{}", help=argparse.SUPPRESS)
    parser.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="only re-write the markdown and plot from an earlier results JSON",
    )
    parser.add_argument(
        "--query-limit",
        type=float,
        default=60.0,
        help="skip a query at a size where one run is estimated to exceed this (s)",
    )
    args = parser.parse_args(argv)
    args.repeats = max(args.repeats, 5)

    if args.stage:
        skip = json.loads(args.skip_json)
        print(json.dumps(STAGES[args.stage](args.project, args.repeats, skip)))
        return 0
    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        results["verdicts"] = summarise(results["sizes"], results.get("cold_query", {}))
        for path in write_reports(results, args.render.parent, stem=args.render.stem):
            print(f"wrote {path}")
        return 0
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
            "machine": _machine(),
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
            [sys.executable, str(Path(__file__).resolve()), "--render", str(written[0])],
            check=False,
            capture_output=True,
        )
        written += [args.out / f"{stem}.md", args.out / _plot_name(stem)]
    for path in written:
        print(f"wrote {path}")
    return 0


def _machine() -> dict[str, Any]:
    import pyoxigraph
    import rdflib

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyoxigraph": getattr(pyoxigraph, "__version__", "?"),
        "rdflib": rdflib.__version__,
    }


if __name__ == "__main__":
    raise SystemExit(main())
