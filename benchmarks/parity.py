"""Parity at scale: every canned query on four engines over one generated corpus.

``python benchmarks/parity.py 1000 [--corpus DIR] [--engines oxigraph,oxigraph_server,virtuoso,rdflib]``
generates (or reuses) a corpus, builds it, loads its quads into the peers of ``peers.py``
(a private Virtuoso 7 through its bulk loader, Oxigraph server read-only with the union
default graph), and runs each case (every canned query with its defaults, and the
parameter cases of :data:`PARAMETER_CASES`) on embedded pyoxigraph, both peers and rdflib.
Rows are compared as multisets of engine-neutral rows (:func:`common.normalise_rows`:
numbers by value, ``xsd:string`` as plain literals). Prints one line per case and writes
``--json`` (rows per engine, equal or not, the first differing rows).

``tests/benchmarks/test_parity_at_scale.py`` runs the same cases on Virtuoso and Oxigraph
server in CI; benchmarks/results/parity-1000.md has the table.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import (
    CORPUS,
    load_average,
    normalise_rows,
    project_settings,
    rdflib_dataset,
    run_oxigraph,
    run_rdflib,
)

__all__ = [
    "ENGINES",
    "PARAMETER_CASES",
    "Case",
    "build_corpus",
    "cases",
    "peer_endpoints",
]

ENGINES = ("oxigraph", "oxigraph_server", "virtuoso", "rdflib")

HSCT = "obo:MAXO_0000747"
MSC = "lkg:MSCTherapy"
UC_MSC = "lkg:UCMSCTherapy"

#: the parameter cases of tests/virtuoso/test_virtuoso_parity.py that mean something on a
#: generated corpus (its documents are lkgd:synth-NNNNN, not the seed documents)
PARAMETER_CASES: list[tuple[str, dict[str, str]]] = [
    *[
        (query_id, {"therapy": therapy})
        for query_id in ("Q03", "Q05", "Q06", "Q15")
        for therapy in (HSCT, MSC, UC_MSC)
    ],
    ("Q05", {"condition": "obo:MONDO_0005556"}),
    ("Q05", {"therapy": HSCT, "condition": "obo:MONDO_0007915"}),
    *[("Q21", {"therapy": therapy}) for therapy in (HSCT, MSC, UC_MSC)],
    ("Q21", {"outcome": "lkg:ClinicalResponse"}),
    ("Q22", {"document": "lkgd:synth-00001"}),
    ("Q10-pairs", {"therapy": HSCT, "outcome": "lkg:Remission"}),
    ("Q11-pairs", {"therapyA": HSCT, "outcomeA": "lkg:Remission"}),
]


@dataclass(frozen=True)
class Case:
    """One query run: its name (``Q05`` or ``Q05 therapy=lkg:MSCTherapy``), text and bindings."""

    name: str
    query_id: str
    sparql: str
    bound: dict[str, Any]


def cases(settings: Any, store: Any) -> list[Case]:
    """Every canned query with its defaults, then :data:`PARAMETER_CASES`, resolved on ``store``."""
    from lupuskg.queries import catalog, embedded_runner, resolve_parameters

    runner = embedded_runner(store)
    found = []
    for query_id, query in sorted(catalog(settings).items()):
        found.append(Case(query_id, query_id, query.sparql, resolve_parameters(query, {}, runner)))
    for query_id, params in PARAMETER_CASES:
        query = catalog(settings)[query_id]
        name = query_id + " " + ",".join(f"{key}={value}" for key, value in sorted(params.items()))
        found.append(Case(name, query_id, query.sparql, resolve_parameters(query, params, runner)))
    return found


def build_corpus(documents: int, root: Path, *, seed: int = 0) -> Any:
    """Generate ``documents`` documents into ``root`` (unless built there) and build them."""
    from generate import generate_corpus

    from lupuskg.build import build

    if not (root / "build" / "current").exists():
        generate_corpus(documents, root, seed=seed)
        build(project_settings(root), validate=False)
    return project_settings(root)


@contextmanager
def peer_endpoints(settings: Any, names: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """The peers of ``names`` (virtuoso, oxigraph_server) loaded with the store's quads."""
    import pyoxigraph as ox
    from peers import oxigraph_server, virtuoso

    from lupuskg.store import open_store

    starters: dict[str, Callable[[Path, Path], Any]] = {
        "virtuoso": virtuoso,
        "oxigraph_server": oxigraph_server,
    }
    with tempfile.TemporaryDirectory(prefix="lupuskg-parity-") as tmp, ExitStack() as stack:
        quads = Path(tmp) / "dump.nq"
        quads.write_bytes(open_store(settings).dump(format=ox.RdfFormat.N_QUADS))
        endpoints = {}
        for name in names:
            (Path(tmp) / name).mkdir()
            endpoint, _ = stack.enter_context(starters[name](quads, Path(tmp) / name))
            endpoints[name] = endpoint
        yield endpoints


class _Timeout(Exception):
    pass


def _with_alarm(seconds: float, run: Callable[[], Any]) -> Any:
    """``run()``, interrupted after ``seconds`` (rdflib is pure Python, so SIGALRM stops it)."""

    def stop(_signum: int, _frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def compare(
    project: Path, engines: tuple[str, ...], rdflib_limit: float, only: set[str] | None = None
) -> dict[str, Any]:
    """Run every case on ``engines``; the rows per engine and whether each equals oxigraph's."""
    import httpx
    from peers import http_rows

    from lupuskg.queries import bind_values
    from lupuskg.store import open_store

    settings = project_settings(project)
    store = open_store(settings)
    all_cases = [case for case in cases(settings, store) if not only or case.query_id in only]
    answers: dict[str, dict[str, Any]] = {case.name: {} for case in all_cases}
    timings: dict[str, float] = {}

    def record(engine: str, case: Case, run: Callable[[], list[Any]]) -> None:
        started = time.perf_counter()
        try:
            answers[case.name][engine] = normalise_rows(run())
        except _Timeout:
            answers[case.name][engine] = f"timeout > {rdflib_limit:g} s"
        except Exception as error:
            answers[case.name][engine] = f"{type(error).__name__}: {error}"[:300]
        timings[f"{engine} {case.name}"] = time.perf_counter() - started
        print(f"  {engine:16} {case.name:40} {_count(answers[case.name][engine])}", flush=True)

    for case in all_cases:
        record("oxigraph", case, lambda c=case: run_oxigraph(store, c.sparql, c.bound))
    peers = tuple(name for name in engines if name in ("virtuoso", "oxigraph_server"))
    setup: dict[str, float] = {}
    if peers:
        started = time.perf_counter()
        with peer_endpoints(settings, peers) as endpoints, httpx.Client() as client:
            setup["peers_ready_s"] = round(time.perf_counter() - started, 1)
            for name, endpoint in endpoints.items():
                for case in all_cases:
                    text = bind_values(case.sparql, case.bound)
                    record(name, case, lambda e=endpoint, t=text: http_rows(client, e, t))
    if "rdflib" in engines:
        started = time.perf_counter()
        dataset = rdflib_dataset(settings)
        setup["rdflib_load_s"] = round(time.perf_counter() - started, 1)
        for case in all_cases:
            record(
                "rdflib",
                case,
                lambda c=case: _with_alarm(
                    rdflib_limit, lambda: run_rdflib(dataset, c.sparql, c.bound)
                ),
            )
    table = []
    for case in all_cases:
        ours = answers[case.name]["oxigraph"]
        row: dict[str, Any] = {"case": case.name, "rows": {}, "equal": {}, "only": {}}
        for engine in engines:
            theirs = answers[case.name].get(engine)
            row["rows"][engine] = _count(theirs)
            row["equal"][engine] = theirs == ours
            if isinstance(theirs, list) and theirs != ours:
                row["only"][engine] = {
                    "oxigraph": [repr(r) for r in _minus(ours, theirs)[:3]],
                    engine: [repr(r) for r in _minus(theirs, ours)[:3]],
                }
        table.append(row)
    return {
        "setup": setup,
        "cases": table,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }


def _count(rows: Any) -> Any:
    return len(rows) if isinstance(rows, list) else rows


def _minus(left: list[Any], right: list[Any]) -> list[Any]:
    """Multiset difference ``left - right``."""
    from collections import Counter

    rest = Counter(map(repr, right))
    out = []
    for row in left:
        key = repr(row)
        if rest[key]:
            rest[key] -= 1
        else:
            out.append(row)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("documents", type=int, nargs="?", default=1000)
    parser.add_argument(
        "--corpus", type=Path, help="project directory (default benchmarks/corpus/N)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument(
        "--rdflib-limit", type=float, default=120.0, help="seconds per rdflib query"
    )
    parser.add_argument("--only", default="", help="comma-separated query ids (all by default)")
    parser.add_argument("--json", type=Path, help="write the comparison here")
    args = parser.parse_args(argv)
    engines = tuple(name for name in args.engines.split(",") if name)
    if "oxigraph" not in engines:
        engines = ("oxigraph", *engines)
    root = args.corpus or CORPUS / str(args.documents)
    loads = [os.getloadavg()]
    started = time.perf_counter()
    build_corpus(args.documents, root, seed=args.seed)
    built = time.perf_counter() - started
    only = {query_id for query_id in args.only.split(",") if query_id}
    result = compare(root, engines, args.rdflib_limit, only)
    loads.append(os.getloadavg())
    result.update(
        documents=args.documents,
        seed=args.seed,
        engines=list(engines),
        build_s=round(built, 1),
        load_average=[[round(x, 2) for x in load] for load in loads],
    )
    print(f"\n{'case':44}" + "".join(f"{e:>18}" for e in engines))
    for row in result["cases"]:
        cells = "".join(
            f"{str(row['rows'][e]) + ('' if row['equal'][e] else ' ≠'):>18}"[:18] for e in engines
        )
        print(f"{row['case']:44}{cells}")
    differing = {e: sum(not row["equal"][e] for row in result["cases"]) for e in engines}
    print(f"\ndiffering cases per engine: {differing}; load {load_average()}")
    result["differing"] = differing
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
