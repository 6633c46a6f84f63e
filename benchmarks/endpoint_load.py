"""Endpoint load benchmark: a mix of canned queries against `lupuskg serve` and Virtuoso.

The servers run on loopback and serve the same data (``--project DIR``, an already built
project such as a generated corpus, or a private copy of the seed project built into a
temp dir) with the union of all graphs as the default graph. Every server is sent the same
SPARQL texts by the same client in the same run, one server at a time:

- the **mix** is every canned query with its default parameters (the quadratic
  ``*-pairs`` drill-downs left out) plus the parameterised queries (Q03, Q05, Q06, Q15,
  Q21, Q22) bound to several values each, as ``lupuskg.queries.bind_values`` binds them;
  the expected row count of each is taken from ``lupuskg.queries.execute`` on the store;
- the **client** is one asyncio process with ``--clients`` keep-alive HTTP/1.1
  connections (raw sockets, so the client's own cost per request stays small beside the
  server's), each sending form POSTs with ``Accept: application/sparql-results+json``, in
  turn through the mix from its own starting point, for a fixed number of requests;
- every answer is checked: HTTP status, and the row count of each distinct body (parsed
  once per distinct body, after the timed run); answers whose rows differ from ours are
  counted per query (Virtuoso 7.2 returns wrong rows for some queries at 1,000 documents).

Servers (``--servers``, comma-separated, each one measured in its own phase):

- ``lupuskg``: `lupuskg serve` as configured; the mix is sent once before the timed run,
  so the timed run measures **cached** answers (the fast path of server/fastpath.py);
- ``lupuskg-revalidate``: the same server and mix with ``If-None-Match`` carrying the ETag
  each query got: 304s;
- ``lupuskg-nocache``: `lupuskg serve --cache-entries 0`: every request runs its query on
  a worker (**uncached**);
- ``virtuoso``: a private Virtuoso 7 (Debian virtuoso-opensource) loaded with its bulk
  loader on loopback (peers.py); it has no result cache.

Figures (req/s, p50/p90/p99/max latency, errors, row mismatches, the load average before
and after each phase) go to ``--output`` (benchmarks/results/endpoint.json) and a Markdown
table beside it.

Usage: ``python benchmarks/endpoint_load.py --project DIR [--clients 20] [--requests 4000]
[--uncached-requests 400] [--servers lupuskg,lupuskg-revalidate,lupuskg-nocache,virtuoso]``
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "endpoint.json"
READY_SECONDS = 180.0
ACCEPT = "application/sparql-results+json"

#: parameterised queries and the values the mix binds (labels, CURIEs and IRIs all resolve)
PARAMETER_VALUES: dict[str, list[dict[str, str]]] = {
    "Q03": [{"therapy": "lkg:MSCTherapy"}, {"therapy": "lkg:UCMSCTherapy"}],
    "Q05": [
        {"therapy": "lkg:MSCTherapy"},
        {"therapy": "lkg:AutologousHSCT"},
        {"therapy": "lkg:StemCellTherapy", "condition": "lkg:RefractoryLupusNephritis"},
    ],
    "Q06": [{"therapy": "lkg:MSCTherapy"}, {"therapy": "lkg:CARTCellTherapy"}],
    "Q15": [{"therapy": "lkg:UCMSCTherapy"}, {"therapy": "lkg:AutologousHSCT"}],
    "Q21": [{"therapy": "lkg:MSCTherapy"}],
    "Q22": [],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def uptime() -> str:
    try:
        return subprocess.run(
            ["uptime"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def build_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in ("pyproject.toml", "ontology", "graph", "queries"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
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


@dataclass
class MixQuery:
    """One query of the mix: its name, the SPARQL text sent and our row count."""

    name: str
    text: str
    rows: int
    body: bytes = b""


def query_mix() -> list[MixQuery]:
    """The canned queries with their default parameters, and the parameterised ones bound."""
    from lupuskg.config import settings
    from lupuskg.queries import bind_values, catalog, embedded_runner, execute
    from lupuskg.server.worker import load_store

    project = settings()
    # in memory (the same answers as on disk, faster to get)
    runner = embedded_runner(load_store(str(project.store_dir), 10**9))
    mix: list[MixQuery] = []
    for query_id in catalog(project):
        if query_id.endswith("-pairs"):
            continue  # drill-downs of Q10/Q11: thousands of rows each, not an endpoint mix
        variants: list[dict[str, str]] = [{}, *PARAMETER_VALUES.get(query_id, [])]
        for params in variants:
            query, bound, result = execute(
                query_id, params, settings=project, runner=runner, labels=False
            )
            name = query_id + "".join(f" {k}={v}" for k, v in sorted(params.items()))
            mix.append(MixQuery(name, bind_values(query.sparql, bound), len(result)))
            print(f"  {name}: {len(result)} rows", flush=True)
    return mix


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    #: body digest -> (mix index, body) of every distinct 200 body, checked after the run
    bodies: dict[bytes, tuple[int, bytes]] = field(default_factory=dict)
    answers: list[tuple[int, bytes]] = field(default_factory=list)  # (mix index, digest)
    etags: dict[int, str] = field(default_factory=dict)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    elif status in (204, 304):
        body = b""
    else:
        body = await reader.read()
    return status, headers, body


def _request(url: str, text: str, etag: str | None = None) -> bytes:
    parts = urlsplit(url)
    body = urlencode({"query": text}).encode()
    lines = [
        f"POST {parts.path} HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Accept: {ACCEPT}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
    ]
    if etag:
        lines.append(f"If-None-Match: {etag}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _client(
    url: str,
    requests: list[bytes],
    order: list[int],
    phase: Phase,
    learn_etags: bool = False,
) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        for index in order:
            started = time.perf_counter()
            writer.write(requests[index])
            status, headers, body = await _read_response(reader)
            phase.latencies.append((time.perf_counter() - started) * 1000)
            phase.statuses[status] = phase.statuses.get(status, 0) + 1
            if status == 200:
                digest = hashlib.blake2b(body, digest_size=16).digest()
                phase.bodies.setdefault(digest, (index, body))
                phase.answers.append((index, digest))
            if learn_etags and headers.get("etag"):
                phase.etags[index] = headers["etag"]
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    finally:
        writer.close()


def run_phase(
    url: str, mix: list[MixQuery], total: int, clients: int, etags: dict[int, str] | None = None
) -> tuple[Phase, float]:
    """``total`` requests from ``clients`` connections, each cycling the mix from its own offset."""
    requests = [_request(url, q.text, (etags or {}).get(i)) for i, q in enumerate(mix)]
    per_client = [total // clients + (1 if c < total % clients else 0) for c in range(clients)]
    orders = [
        [(c * len(mix) // clients + k) % len(mix) for k in range(per_client[c])]
        for c in range(clients)
    ]
    phase = Phase()

    async def main() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(_client(url, requests, order, phase) for order in orders))
        return time.perf_counter() - started

    wall = asyncio.run(main())
    return phase, wall


def warm(url: str, mix: list[MixQuery]) -> dict[int, str]:
    """Send the mix once, one request at a time; the ETags the answers carried."""
    phase = Phase()
    requests = [_request(url, q.text) for q in mix]
    asyncio.run(_client(url, requests, list(range(len(mix))), phase, learn_etags=True))
    return phase.etags


def _rows(body: bytes) -> int:
    document = json.loads(body)
    if "boolean" in document:
        return 1
    return len(document["results"]["bindings"])


def summarise(phase: Phase, wall: float, mix: list[MixQuery]) -> dict[str, Any]:
    rows_of = {digest: _rows(body) for digest, (_, body) in phase.bodies.items()}
    mismatched: dict[str, dict[str, int]] = {}
    for index, digest in phase.answers:
        if rows_of[digest] != mix[index].rows:
            entry = mismatched.setdefault(
                mix[index].name, {"ours": mix[index].rows, "theirs": rows_of[digest], "answers": 0}
            )
            entry["answers"] += 1
    ordered = sorted(phase.latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))], 2)

    errors = sum(n for status, n in phase.statuses.items() if status not in (200, 304))
    return {
        "requests": len(ordered),
        "statuses": {str(k): v for k, v in sorted(phase.statuses.items())},
        "errors": errors,
        "seconds": round(wall, 3),
        "requests_per_second": round(len(ordered) / wall, 1),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "row_mismatches": mismatched,
    }


def wait_ready(process: subprocess.Popen[bytes] | None, url: str) -> None:
    import httpx

    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.post(url, data={"query": "ASK { ?s ?p ?o }"}, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become ready")


LUPUSKG_OPTIONS = {
    "lupuskg": [],
    "lupuskg-nocache": ["--cache-entries", "0"],
}


@contextmanager
def lupuskg_server(options: list[str], env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "import sys; from lupuskg.cli import main; sys.exit(main())",
        *("serve", "--port", str(port), *options),
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_ready(process, url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


@contextmanager
def virtuoso_server(store_path: str, tmp: Path) -> Iterator[str]:
    import pyoxigraph as ox
    from peers import virtuoso

    directory = tmp / "virtuoso"
    directory.mkdir()
    dump = tmp / "dump.nq"
    dump.write_bytes(ox.Store.read_only(store_path).dump(format=ox.RdfFormat.N_QUADS))
    with virtuoso(dump, directory) as (endpoint, _setup):
        yield endpoint


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Endpoint load: canned-query mix at {report['clients']} clients ({report['project']})",
        "",
        f"Mix: {report['mix_size']} queries (every canned query with its defaults, the "
        "parameterised ones bound to several values; `*-pairs` drill-downs left out). One "
        "asyncio client process, raw keep-alive HTTP/1.1 form POSTs, loopback, one server at "
        "a time, all in one run. Machine: 2 cores shared with other work; the load average "
        "before and after each phase is given.",
        "",
        "| phase | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors "
        "| queries with other rows | load before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, figures in report["phases"].items():
        mismatched = ", ".join(
            f"{q} ({m['theirs']} vs {m['ours']})" for q, m in figures["row_mismatches"].items()
        )
        lines.append(
            f"| {name} | {figures['requests']} | {figures['requests_per_second']} "
            f"| {figures['p50_ms']} | {figures['p90_ms']} | {figures['p99_ms']} "
            f"| {figures['max_ms']} | {figures['errors']} | {mismatched or 'none'} "
            f"| {figures['load_before']} → {figures['load_after']} |"
        )
    lines += ["", "Target (issue 17): ≥ 500 req/s at 20 clients with p99 ≤ 50 ms.", ""]
    return "\n".join(lines)


def _load(text: str) -> str:
    return text.split("load average:", 1)[-1].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=4000, help="per cached phase")
    parser.add_argument(
        "--uncached-requests", type=int, default=400, help="per uncached phase (nocache, virtuoso)"
    )
    parser.add_argument(
        "--servers",
        type=lambda s: [x for x in s.split(",") if x],
        default=["lupuskg", "lupuskg-revalidate", "lupuskg-nocache", "virtuoso"],
    )
    parser.add_argument("--project", type=Path, help="an already built project (default: seeds)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON file to write")
    parser.add_argument("--label", default="", help="free text stored with the figures")
    parser.add_argument("--max-waiting", type=int, default=64, help="lupuskg serve --max-waiting")
    parser.add_argument("--serve-option", action="append", default=[], help="extra serve option")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lupuskg-bench-") as tmp:
        project = args.project.resolve() if args.project else build_project(Path(tmp) / "p")
        env = {**os.environ, "LUPUSKG_HOME": str(project)}
        env.pop("LUPUSKG_STORE", None)
        os.environ["LUPUSKG_HOME"] = str(project)
        from lupuskg.config import settings

        print("query mix (rows from lupuskg.queries.execute):", flush=True)
        mix = query_mix()
        store_path = str(settings().store_dir.resolve())
        serve_options = ["--max-waiting", str(args.max_waiting), *args.serve_option]
        phases: dict[str, Any] = {}

        def measure(name: str, url: str, total: int, etags: dict[int, str] | None = None) -> None:
            before = uptime()
            phase, wall = run_phase(url, mix, total, args.clients, etags)
            figures = summarise(phase, wall, mix)
            figures |= {"load_before": _load(before), "load_after": _load(uptime())}
            phases[name] = figures
            print(f"{name}: {json.dumps(figures)}", flush=True)

        wanted = args.servers
        if "lupuskg" in wanted or "lupuskg-revalidate" in wanted:
            with lupuskg_server(serve_options, env) as url:
                etags = warm(url, mix)
                if "lupuskg" in wanted:
                    measure("lupuskg, cached", url, args.requests)
                if "lupuskg-revalidate" in wanted:
                    measure("lupuskg, revalidated (304)", url, args.requests, etags)
        if "lupuskg-nocache" in wanted:
            with lupuskg_server([*serve_options, "--cache-entries", "0"], env) as url:
                warm(url, mix)  # the workers' first queries, not measured
                measure("lupuskg, uncached (--cache-entries 0)", url, args.uncached_requests)
        if "virtuoso" in wanted:
            with virtuoso_server(store_path, Path(tmp)) as url:
                wait_ready(None, url)
                warm(url, mix)
                measure("virtuoso 7 (no result cache)", url, args.uncached_requests)

    report = {
        "benchmark": "endpoint_load",
        "label": args.label,
        "clients": args.clients,
        "project": args.project.name if args.project else "seed copy",
        "mix_size": len(mix),
        "mix": [{"query": q.name, "rows": q.rows} for q in mix],
        "client": "asyncio raw HTTP/1.1 keep-alive, form POST, Accept "
        f"{ACCEPT}, loopback, one process",
        "serve_options": serve_options,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "phases": phases,
    }
    output = args.output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    output.with_suffix(".md").write_text(markdown(report))
    print(f"wrote {output} and {output.with_suffix('.md').name}")


if __name__ == "__main__":
    main()
