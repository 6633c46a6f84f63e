"""Peers on the same data: Virtuoso 7 (Debian) and Oxigraph server, each canned query by HTTP.

Both are private instances in a temp dir on free loopback ports (never a system one), loaded
with the built store's quads (every named graph, closure and derived graphs included), and
asked the canned queries with their default parameters bound into the text
(:func:`lupuskg.queries.bind_values`, what ``lupuskg query --endpoint`` sends), both with
the union of all graphs as the default graph (Virtuoso's own semantics; Oxigraph server
with ``--union-default-graph``). Each answer is decoded from SPARQL JSON and reduced to a
digest of its engine-neutral rows (:func:`common.rows_digest`), so the report compares
times only where a peer returns the same rows as the embedded engine.

Virtuoso is loaded with its bulk loader (``ld_dir`` + ``rdf_loader_run`` over one N-Quads
file, through ``isql-vt``); Oxigraph with ``oxigraph load``, then served read-only.
Run as stages (``python benchmarks/stages.py virtuoso --project DIR``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from common import canned_queries, median_ms, project_settings, rows_digest

from lupuskg.virtuoso import SYSTEM_INI, private_ini

__all__ = ["http_rows", "oxigraph_server", "stage_oxigraph_server", "stage_virtuoso", "virtuoso"]

READY_SECONDS = 120.0
#: Virtuoso's default ResultSetMaxRows is 10,000: raised so that large answers are whole
VIRTUOSO_MAX_ROWS = 1_000_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=3).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer within {READY_SECONDS:g} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


@contextmanager
def virtuoso(quads: Path, directory: Path) -> Iterator[tuple[str, dict[str, float]]]:
    """A private Virtuoso loaded with the N-Quads file ``quads``; yields (endpoint, timings)."""
    binary = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt")
    if not binary or not isql or not SYSTEM_INI.is_file():
        raise RuntimeError("virtuoso-t / isql-vt (Debian virtuoso-opensource) are not installed")
    isql_port, http_port = _free_port(), _free_port()
    ini = private_ini(directory, isql_port, http_port, max_rows=VIRTUOSO_MAX_ROWS)
    started = time.perf_counter()
    with (directory / "stdout.log").open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=directory,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait(endpoint, process, "virtuoso-t")
        ready = time.perf_counter()
        shutil.copy2(quads, directory / "data.nq")
        script = (
            f"ld_dir('{directory}', 'data.nq', 'urn:lupuskg:default');\n"
            "rdf_loader_run();\ncheckpoint;\n"
        )
        done = subprocess.run(
            [isql, f"127.0.0.1:{isql_port}", "dba", "dba", f"exec={script}"],
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"virtuoso bulk load failed: {done.stdout[-500:]}{done.stderr}")
        loaded = time.perf_counter()
        yield endpoint, {"start_s": ready - started, "load_s": loaded - ready}
    finally:
        _stop(process)


@contextmanager
def oxigraph_server(quads: Path, directory: Path) -> Iterator[tuple[str, dict[str, float]]]:
    """Oxigraph server (PyPI ``oxigraph``) on a store loaded from ``quads``, read-only."""
    from common import HERE

    binary = shutil.which("oxigraph") or str(Path(HERE.parent / ".venv" / "bin" / "oxigraph"))
    if not Path(binary).exists():
        raise RuntimeError("the oxigraph server is not installed (pip install -e '.[dev]')")
    location = directory / "store"
    started = time.perf_counter()
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(quads)],
        capture_output=True,
        check=True,
        timeout=3600,
    )
    loaded = time.perf_counter()
    port = _free_port()
    with (directory / "oxigraph.log").open("wb") as out:
        process = subprocess.Popen(
            [
                *(binary, "serve-read-only", "--location", str(location)),
                *("--bind", f"127.0.0.1:{port}", "--union-default-graph"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        _wait(endpoint, process, "oxigraph serve-read-only")
        yield endpoint, {"load_s": loaded - started, "start_s": time.perf_counter() - loaded}
    finally:
        _stop(process)


def http_rows(client: httpx.Client, endpoint: str, text: str) -> list[Any]:
    """One query by POST; the rows as pyoxigraph terms (for the digest).

    A Virtuoso answer cut short by its time limit (an "anytime" result: HTTP 200 with an
    ``X-SQL-State`` header) is an error, not rows."""
    import pyoxigraph as ox

    response = client.post(
        endpoint,
        data={"query": text},
        headers={"Accept": "application/sparql-results+json"},
        timeout=600,
    )
    response.raise_for_status()
    if "x-sql-state" in response.headers:
        raise ValueError(
            f"partial answer: {response.headers['x-sql-state']} "
            f"{response.headers.get('x-sql-message', '')}"
        )
    parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return [bool(parsed)]
    variables = list(parsed.variables)
    return [tuple(solution[v] for v in variables) for solution in parsed]


def _peer_stage(
    peer: Callable[[Path, Path], Any], project: Path, repeats: int, skip: dict[str, str]
) -> dict[str, Any]:
    import pyoxigraph as ox

    from lupuskg.queries import bind_values
    from lupuskg.store import open_store

    settings = project_settings(project)
    with tempfile.TemporaryDirectory(prefix="lupuskg-peer-") as tmp:
        directory = Path(tmp)
        quads = directory / "dump.nq"
        quads.write_bytes(open_store(settings).dump(format=ox.RdfFormat.N_QUADS))
        (directory / "peer").mkdir()
        with peer(quads, directory / "peer") as (endpoint, setup), httpx.Client() as client:
            queries: dict[str, Any] = {}
            for query_id, sparql, bound in canned_queries(settings):
                if query_id in skip:
                    queries[query_id] = {"skipped": skip[query_id]}
                    continue
                text = bind_values(sparql, bound)
                try:
                    rows = http_rows(client, endpoint, text)  # also the warm-up run
                    result = median_ms(lambda t=text: len(http_rows(client, endpoint, t)), repeats)
                except (httpx.HTTPError, ValueError, SyntaxError) as error:
                    queries[query_id] = {"error": f"{type(error).__name__}: {error}"[:300]}
                    continue
                result["digest"] = rows_digest(rows)
                queries[query_id] = result
    return {**{key: round(value, 3) for key, value in setup.items()}, "queries": queries}


def stage_virtuoso(project: Path, repeats: int, skip: dict[str, str]) -> dict[str, Any]:
    return _peer_stage(virtuoso, project, repeats, skip.get("virtuoso", {}))


def stage_oxigraph_server(project: Path, repeats: int, skip: dict[str, str]) -> dict[str, Any]:
    return _peer_stage(oxigraph_server, project, repeats, skip.get("oxigraph_server", {}))
