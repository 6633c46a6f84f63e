"""Endpoint load benchmark: canned queries against `lupuskg serve` and its peers.

The servers run on loopback and serve the same data (a private copy of the seed project,
built into a temp dir, or ``--project DIR``, an already built project such as a generated
corpus) with the union of all graphs as the default graph, and are sent the same SPARQL
text (a canned query with its default parameters bound) by the same client: a fixed
number of POST requests from ``--concurrency`` client threads after a warm-up. Each answer
is checked to have the expected row count. Servers (``--servers``, comma-separated):

- ``lupuskg``: `lupuskg serve` as configured (in-memory workers, result cache);
- ``lupuskg-nocache``: the same with ``--cache-entries 0`` (every request runs its query);
- ``lupuskg-disk``: ``--cache-entries 0 --memory-store-quads 0`` (the server before issue 17);
- ``rdflib``: rdflib-endpoint on an rdflib Dataset of the same quads;
- ``virtuoso``: a private Virtuoso 7 loaded with its bulk loader (peers.py).

Results go to benchmarks/results/endpoint.json (or ``--output``).

Usage: ``python benchmarks/endpoint_load.py [--query Q01] [--requests 300] [--concurrency 4]
[--servers lupuskg,virtuoso] [--project DIR] [--output benchmarks/results/NAME.json]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "endpoint.json"
READY_SECONDS = 120.0

RDFLIB_SERVER = """
import sys
import pyoxigraph as ox
import rdflib
import uvicorn
from rdflib_endpoint import SparqlEndpoint

store = ox.Store.read_only(sys.argv[1])
data = ox.serialize(store.quads_for_pattern(None, None, None, None), format=ox.RdfFormat.N_QUADS)
dataset = rdflib.Dataset(default_union=True)
dataset.parse(data=data.decode("utf-8"), format="nquads")
app = SparqlEndpoint(graph=dataset, public_url=f"http://127.0.0.1:{sys.argv[2]}/")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_project(target: Path, max_waiting: int | None = None) -> Path:
    target.mkdir(parents=True)
    for part in ("pyproject.toml", "ontology", "graph", "queries"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    if max_waiting is not None:  # room for every client, so the figure is throughput, not 503s
        config = target / "pyproject.toml"
        text = re.sub(r"(?m)^max-waiting = \d+", f"max-waiting = {max_waiting}", config.read_text())
        config.write_text(text)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from lupuskg.config import settings; from lupuskg.build import build; "
            "build(settings(), validate=False)",
        ],
        env={**os.environ, "LUPUSKG_HOME": str(target)},
        check=True,
    )
    return target


def wait_ready(process: subprocess.Popen[bytes], url: str, probe: dict[str, str]) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.post(url, data=probe, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become ready")


def load(
    url: str, query: str, expected_rows: int, requests: int, concurrency: int
) -> dict[str, Any]:
    """Send `requests` POSTs from `concurrency` threads; latency per request in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        with httpx.Client(
            timeout=60, headers={"Accept": "application/sparql-results+json"}
        ) as http:
            while True:
                with lock:
                    if next(counter, None) is None:
                        return
                started = time.perf_counter()
                response = http.post(url, data={"query": query})
                elapsed = (time.perf_counter() - started) * 1000
                rows = (
                    len(response.json()["results"]["bindings"])
                    if response.status_code == 200
                    else -1
                )
                with lock:
                    latencies.append(elapsed)
                    if rows != expected_rows:
                        errors.append(f"HTTP {response.status_code}, {rows} rows")

    for _ in range(10):  # warm-up, not measured
        httpx.post(
            url,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "seconds": round(wall, 3),
        "requests_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


LUPUSKG_OPTIONS = {
    "lupuskg": [],
    "lupuskg-nocache": ["--cache-entries", "0"],
    "lupuskg-disk": ["--cache-entries", "0", "--memory-store-quads", "0"],
}


@contextmanager
def _server(
    name: str, env: dict[str, str], store_path: str, tmp: Path, max_waiting: int | None
) -> Iterator[str]:
    """Start one server on a free loopback port; yield its query URL; stop it."""
    port = free_port()
    if name == "virtuoso":
        import pyoxigraph as ox
        from peers import virtuoso

        directory = tmp / f"virtuoso-{port}"
        directory.mkdir()
        dump = tmp / "dump.nq"
        dump.write_bytes(ox.Store.read_only(store_path).dump(format=ox.RdfFormat.N_QUADS))
        with virtuoso(dump, directory) as (endpoint, _setup):
            yield endpoint
        return
    if name in LUPUSKG_OPTIONS:
        options = list(LUPUSKG_OPTIONS[name])
        if max_waiting is not None:
            options += ["--max-waiting", str(max_waiting)]
        command = [
            sys.executable,
            "-c",
            "import sys; from lupuskg.cli import main; sys.exit(main())",
            *("serve", "--port", str(port), *options),
        ]
        url = f"http://127.0.0.1:{port}/sparql"
    elif name == "rdflib":
        command = [sys.executable, "-c", RDFLIB_SERVER, store_path, str(port)]
        url = f"http://127.0.0.1:{port}/"
    else:
        raise SystemExit(f"unknown server {name!r}")
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_ready(process, url, {"query": "ASK { ?s ?p ?o }"})
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="Q01")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--servers",
        type=lambda s: [x for x in s.split(",") if x],
        default=["lupuskg", "rdflib"],
        help="comma-separated: lupuskg, lupuskg-nocache, lupuskg-disk, rdflib, virtuoso",
    )
    parser.add_argument(
        "--project", type=Path, help="an already built project to serve (default: seeds copy)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON file to write")
    parser.add_argument("--label", default="", help="free text stored with the figures")
    parser.add_argument(
        "--max-waiting",
        type=int,
        help="set [tool.lupuskg.server] max-waiting in the benchmark's project copy",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lupuskg-bench-") as tmp:
        if args.project:
            project = args.project.resolve()
        else:
            project = build_project(Path(tmp) / "project", args.max_waiting)
        env = {**os.environ, "LUPUSKG_HOME": str(project)}
        os.environ["LUPUSKG_HOME"] = str(project)
        from lupuskg.config import settings
        from lupuskg.queries import bind_values, execute

        query, bound, result = execute(args.query, settings=settings())
        text = bind_values(query.sparql, bound)
        store_path = str(settings().store_dir.resolve())
        figures: dict[str, Any] = {}
        for name in args.servers:
            with _server(name, env, store_path, Path(tmp), args.max_waiting) as url:
                figures[name] = {
                    "url": url.split("127.0.0.1", 1)[1].split("/", 1)[1],
                    **load(url, text, len(result), args.requests, args.concurrency),
                }
                print(f"{name}: {figures[name]}", flush=True)

    report = {
        "benchmark": "endpoint_load",
        "query": args.query,
        "rows": len(result),
        "requests_per_server": args.requests,
        "concurrency": args.concurrency,
        "label": args.label,
        "max_waiting": args.max_waiting,
        "client": "httpx, form POST, Accept application/sparql-results+json, loopback",
        "project": str(args.project) if args.project else "seed copy",
        "load_average": os.getloadavg(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "servers": figures,
    }
    output = args.output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    main()
