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
  connections (a bare asyncio Protocol, so the client's own cost per request stays small
  beside the server's: ~0.6 ms of CPU per ~1 MB answer), each sending form POSTs with
  ``Accept: application/sparql-results+json``, in turn through the mix from its own
  starting point, for a fixed number of requests;
- every answer is checked: HTTP status, and its body against the body the warm-up got for
  the same query (equality, not a hash); the warm-up bodies and any body that differed
  are parsed after the timed run for their row count, and answers whose rows differ from
  ours are counted per query (Virtuoso 7.2 returns wrong rows for some queries at 1,000
  documents).

Phases (``--servers``, comma-separated):

- ``lupuskg``: `lupuskg serve` as configured; the mix is sent once before the timed runs,
  so they measure **cached** answers (server/fastpath.py);
- ``lupuskg-revalidate``: the same server and mix with ``If-None-Match`` carrying the ETag
  each query got: 304s;
- ``lupuskg-nocache``: `lupuskg serve --cache-entries 0`: every request runs its query on
  a worker (**uncached**);
- ``virtuoso``: a private Virtuoso 7 (Debian virtuoso-opensource) loaded with its bulk
  loader on loopback (peers.py); it has no result cache, so it is measured beside the
  uncached phase.

A/B in one run: ``--compare-src DIR`` runs a second `lupuskg serve` from another checkout's
``src/`` (``git archive main src | tar -x -C /tmp/main``; ``--compare-label`` names it).
The servers of a phase run side by side and are measured in turn, ``--rounds`` times,
alternating the order, so every variant sees the same load. Figures per round and their
medians (req/s, p50/p90/p99/max latency, errors, row mismatches, CPU ms per request of the
server's processes and of the client, the load average before and after) go to
``--output`` (benchmarks/results/endpoint.json) and a Markdown table beside it.

Usage: ``python benchmarks/endpoint_load.py --project DIR [--clients 20] [--requests 4000]
[--uncached-requests 400] [--rounds 3] [--compare-src DIR]
[--servers lupuskg,lupuskg-revalidate,lupuskg-nocache,virtuoso]``
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
from contextlib import ExitStack, contextmanager
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
    #: mix index -> the body the warm-up got (every later 200 is compared with it)
    references: dict[int, bytes] = field(default_factory=dict)
    #: body digest -> (mix index, body) of every 200 body that differed from its reference
    bodies: dict[bytes, tuple[int, bytes]] = field(default_factory=dict)
    answers: list[tuple[int, bytes]] = field(default_factory=list)  # (mix index, digest)
    #: mix index -> 200 answers equal to the reference
    same: dict[int, int] = field(default_factory=dict)
    etags: dict[int, str] = field(default_factory=dict)


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one request in flight, as cheap as we can make it.

    The body is kept as the chunks the socket gave (joined once at the end) and compared
    with the warm-up's body (memcmp), not hashed: hashing and stream-buffer copies of
    ~1 MB answers made the client, not the server, the bottleneck of the first version.
    Content-Length and chunked framing (Virtuoso) are both read.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[tuple[int, dict[str, str], bytes]] | None = None
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._reset()

    def _reset(self) -> None:
        self.head = bytearray()
        self.status = 0
        self.headers: dict[str, str] = {}
        self.chunks: list[bytes] = []
        self.remaining = -1  # body bytes still expected (Content-Length); -1: reading the head
        self.chunked: bytearray | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed mid-response"))
        if not self.closed.done():
            self.closed.set_result(None)

    def request(self, data: bytes) -> asyncio.Future[tuple[int, dict[str, str], bytes]]:
        assert self.transport is not None
        self._reset()
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self.waiter

    def data_received(self, data: bytes) -> None:
        if self.remaining >= 0:
            self._body(data)
        elif self.chunked is not None:
            self.chunked += data
            self._chunks()
        else:
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.head[:end].decode("latin-1").split("\r\n")
            rest = bytes(self.head[end + 4 :])
            self.status = int(lines[0].split(" ", 2)[1])
            for line in lines[1:]:
                key, _, value = line.partition(":")
                self.headers[key.strip().lower()] = value.strip()
            if "content-length" in self.headers:
                self.remaining = int(self.headers["content-length"])
                self._body(rest)
            elif self.headers.get("transfer-encoding", "").lower() == "chunked":
                self.chunked = bytearray(rest)
                self._chunks()
            elif self.status in (204, 304):
                self._done(b"")
            else:
                raise RuntimeError("a response without Content-Length or chunked framing")

    def _body(self, data: bytes) -> None:
        if data:
            self.chunks.append(data)
            self.remaining -= len(data)
        if self.remaining <= 0:
            self._done(b"".join(self.chunks))

    def _chunks(self) -> None:
        buffer = self.chunked
        assert buffer is not None
        position = 0
        while True:
            line_end = buffer.find(b"\r\n", position)
            if line_end < 0:
                break
            size = int(bytes(buffer[position:line_end]).split(b";")[0], 16)
            if size == 0:
                if buffer.find(b"\r\n", line_end + 2) < 0:
                    break  # the final CRLF (no trailers are sent) is still to come
                self._done(b"".join(self.chunks))
                return
            if len(buffer) < line_end + 2 + size + 2:
                break
            self.chunks.append(bytes(buffer[line_end + 2 : line_end + 2 + size]))
            position = line_end + 2 + size + 2
        del buffer[:position]

    def _done(self, body: bytes) -> None:
        self.remaining = -1
        self.chunked = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((self.status, self.headers, body))


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


async def _connect(url: str) -> _Connection:
    parts = urlsplit(url)
    _, connection = await asyncio.get_running_loop().create_connection(
        _Connection, parts.hostname, parts.port
    )
    return connection


async def _client(
    url: str,
    requests: list[bytes],
    order: list[int],
    phase: Phase,
    learn: bool = False,
) -> None:
    """Send the requests in ``order`` on one connection (a new one if the server closes it);
    with ``learn``, keep each first body and ETag as the references of the timed runs."""
    connection = await _connect(url)
    try:
        for index in order:
            started = time.perf_counter()
            status, headers, body = await connection.request(requests[index])
            phase.latencies.append((time.perf_counter() - started) * 1000)
            phase.statuses[status] = phase.statuses.get(status, 0) + 1
            if status == 200:
                reference = phase.references.get(index)
                if learn and reference is None:
                    phase.references[index] = body
                elif body == reference:
                    phase.same[index] = phase.same.get(index, 0) + 1
                else:
                    digest = hashlib.blake2b(body, digest_size=16).digest()
                    phase.bodies.setdefault(digest, (index, body))
                    phase.answers.append((index, digest))
            if learn and headers.get("etag"):
                phase.etags[index] = headers["etag"]
            if headers.get("connection", "").lower() == "close":
                assert connection.transport is not None
                connection.transport.close()
                connection = await _connect(url)
    finally:
        assert connection.transport is not None
        connection.transport.close()


def run_phase(
    url: str,
    mix: list[MixQuery],
    total: int,
    clients: int,
    references: dict[int, bytes],
    etags: dict[int, str] | None = None,
) -> tuple[Phase, float]:
    """``total`` requests from ``clients`` connections, each cycling the mix from its own offset."""
    requests = [_request(url, q.text, (etags or {}).get(i)) for i, q in enumerate(mix)]
    per_client = [total // clients + (1 if c < total % clients else 0) for c in range(clients)]
    orders = [
        [(c * len(mix) // clients + k) % len(mix) for k in range(per_client[c])]
        for c in range(clients)
    ]
    phase = Phase(references=references)

    async def main() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(_client(url, requests, order, phase) for order in orders))
        return time.perf_counter() - started

    wall = asyncio.run(main())
    return phase, wall


def warm(url: str, mix: list[MixQuery]) -> Phase:
    """Send the mix once, one request at a time: the bodies and ETags the answers carried."""
    phase = Phase()
    requests = [_request(url, q.text) for q in mix]
    asyncio.run(_client(url, requests, list(range(len(mix))), phase, learn=True))
    return phase


def _rows(body: bytes) -> int:
    document = json.loads(body)
    if "boolean" in document:
        return 1
    return len(document["results"]["bindings"])


def summarise(phase: Phase, wall: float, mix: list[MixQuery]) -> dict[str, Any]:
    """Figures of a phase; every 200 body is checked for the row count of our answer."""
    mismatched: dict[str, dict[str, int]] = {}

    def check(index: int, rows: int, answers: int) -> None:
        if rows != mix[index].rows:
            entry = mismatched.setdefault(
                mix[index].name, {"ours": mix[index].rows, "theirs": rows, "answers": 0}
            )
            entry["answers"] += answers

    rows_of = {digest: _rows(body) for digest, (_, body) in phase.bodies.items()}
    for index, digest in phase.answers:
        check(index, rows_of[digest], 1)
    for index, count in phase.same.items():
        check(index, _rows(phase.references[index]), count)
    ordered = sorted(phase.latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))], 2)

    errors = sum(n for status, n in phase.statuses.items() if status not in (200, 304))
    return {
        "requests": len(ordered),
        "statuses": {str(k): v for k, v in sorted(phase.statuses.items())},
        "errors": errors,
        "bodies_unlike_warm_up": len(phase.answers),
        "seconds": round(wall, 3),
        "requests_per_second": round(len(ordered) / wall, 1),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "row_mismatches": mismatched,
    }


def process_tree_cpu(pid: int, name: str | None = None) -> float:
    """CPU seconds (user + system) of a process and its descendants so far; with ``name``,
    of the descendants of ``pid`` with that command name only (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{current}/comm").read_text().strip()
            if name is None or command == name:
                total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


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


@dataclass
class Running:
    """A server being measured: its endpoint, and how to read its CPU time."""

    url: str
    pid: int
    name: str | None = None  # only the descendants of pid with this command name

    def cpu(self) -> float:
        return process_tree_cpu(self.pid, self.name)


@contextmanager
def lupuskg_server(
    options: list[str], env: dict[str, str], source: Path | None = None
) -> Iterator[Running]:
    """`lupuskg serve` on a free port; ``source``: another checkout's ``src`` to run instead."""
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "import sys; from lupuskg.cli import main; sys.exit(main())",
        *("serve", "--port", str(port), *options),
    ]
    if source is not None:
        env = {**env, "PYTHONPATH": str(source)}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_ready(process, url)
        yield Running(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)


@contextmanager
def virtuoso_server(store_path: str, tmp: Path) -> Iterator[Running]:
    import pyoxigraph as ox
    from peers import virtuoso

    directory = tmp / "virtuoso"
    directory.mkdir()
    dump = tmp / "dump.nq"
    dump.write_bytes(ox.Store.read_only(store_path).dump(format=ox.RdfFormat.N_QUADS))
    with virtuoso(dump, directory) as (endpoint, _setup):
        yield Running(endpoint, os.getpid(), "virtuoso-t")


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def summary_rows(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per phase and variant: medians over the rounds."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for run in runs:
        grouped.setdefault((run["phase"], run["variant"]), []).append(run)
    rows = []
    for (phase, variant), group in grouped.items():
        rows.append(
            {
                "phase": phase,
                "variant": variant,
                "rounds": len(group),
                "requests_per_second": _median([r["requests_per_second"] for r in group]),
                "p50_ms": _median([r["p50_ms"] for r in group]),
                "p99_ms": _median([r["p99_ms"] for r in group]),
                "server_cpu_ms_per_request": _median(
                    [r["server_cpu_ms_per_request"] for r in group]
                ),
                "client_cpu_ms_per_request": _median(
                    [r["client_cpu_ms_per_request"] for r in group]
                ),
                "errors": sum(r["errors"] for r in group),
                "row_mismatches": sorted({q for r in group for q in r["row_mismatches"]}),
                "load": [r["load_before"].split(",")[0] for r in group],
            }
        )
    return rows


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Endpoint load: canned-query mix at {report['clients']} clients ({report['project']})",
        "",
        f"Mix: {report['mix_size']} queries (every canned query with its defaults, the "
        "parameterised ones bound to several values; `*-pairs` drill-downs left out), "
        f"{report['mix_bytes']:,} bytes of JSON answers per pass through the mix. One asyncio "
        "client process, raw keep-alive HTTP/1.1 form POSTs, loopback. The variants of a "
        "phase run side by side and are measured in turn, interleaved round by round (the "
        "order alternates), so they see the same load; the load average (1 min) before each "
        "round is given. Server CPU is user + system time of the server's processes during "
        "the phase, per request (`/proc`), which depends less on the other work on the "
        "machine than req/s does.",
        "",
        "## Medians over the rounds",
        "",
        "| phase | variant | rounds | req/s | p50 ms | p99 ms | server CPU ms/req "
        "| client CPU ms/req | errors | queries with other rows | load (1 min) per round |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in report["summary"]:
        lines.append(
            f"| {row['phase']} | {row['variant']} | {row['rounds']} "
            f"| {row['requests_per_second']} | {row['p50_ms']} | {row['p99_ms']} "
            f"| {row['server_cpu_ms_per_request']} | {row['client_cpu_ms_per_request']} "
            f"| {row['errors']} | {', '.join(row['row_mismatches']) or 'none'} "
            f"| {', '.join(row['load'])} |"
        )
    lines += [
        "",
        "## Every round",
        "",
        "| round | phase | variant | requests | req/s | p50 ms | p90 ms | p99 ms | max ms "
        "| server CPU ms/req | errors | queries with other rows | load before → after |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for run in report["runs"]:
        mismatched = ", ".join(
            f"{q} ({m['theirs']} vs {m['ours']})" for q, m in run["row_mismatches"].items()
        )
        lines.append(
            f"| {run['round']} | {run['phase']} | {run['variant']} | {run['requests']} "
            f"| {run['requests_per_second']} | {run['p50_ms']} | {run['p90_ms']} "
            f"| {run['p99_ms']} | {run['max_ms']} | {run['server_cpu_ms_per_request']} "
            f"| {run['errors']} | {mismatched or 'none'} "
            f"| {run['load_before']} → {run['load_after']} |"
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
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per phase")
    parser.add_argument(
        "--compare-src",
        type=Path,
        help="another checkout's src/ (e.g. `git archive main src`), run as a second lupuskg "
        "variant beside this one, interleaved",
    )
    parser.add_argument("--compare-label", default="main", help="name of the --compare-src variant")
    parser.add_argument("--label", default="this checkout", help="name of this checkout's variant")
    parser.add_argument("--project", type=Path, help="an already built project (default: seeds)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON file to write")
    parser.add_argument("--max-waiting", type=int, default=64, help="lupuskg serve --max-waiting")
    parser.add_argument("--serve-option", action="append", default=[], help="extra serve option")
    args = parser.parse_args()

    variants: list[tuple[str, Path | None]] = [(args.label, None)]
    if args.compare_src:
        variants.append((args.compare_label, args.compare_src.resolve()))
    runs: list[dict[str, Any]] = []

    with tempfile.TemporaryDirectory(prefix="lupuskg-bench-") as tmp, ExitStack() as stack:
        project = args.project.resolve() if args.project else build_project(Path(tmp) / "p")
        env = {**os.environ, "LUPUSKG_HOME": str(project)}
        env.pop("LUPUSKG_STORE", None)
        os.environ["LUPUSKG_HOME"] = str(project)
        from lupuskg.config import settings

        print("query mix (rows from lupuskg.queries.execute):", flush=True)
        mix = query_mix()
        store_path = str(settings().store_dir.resolve())
        serve_options = ["--max-waiting", str(args.max_waiting), *args.serve_option]
        mix_bytes = 0

        def measure(
            phase_name: str,
            variant: str,
            server: Running,
            total: int,
            round_number: int,
            references: dict[int, bytes],
            etags: dict[int, str] | None = None,
        ) -> None:
            before = uptime()
            server_cpu, client_cpu = server.cpu(), time.process_time()
            phase, wall = run_phase(server.url, mix, total, args.clients, references, etags)
            server_cpu, client_cpu = server.cpu() - server_cpu, time.process_time() - client_cpu
            figures = summarise(phase, wall, mix)
            figures = {
                "round": round_number,
                "phase": phase_name,
                "variant": variant,
                **figures,
                "server_cpu_ms_per_request": round(server_cpu * 1000 / figures["requests"], 3),
                "client_cpu_ms_per_request": round(client_cpu * 1000 / figures["requests"], 3),
                "load_before": _load(before),
                "load_after": _load(uptime()),
            }
            runs.append(figures)
            print(json.dumps(figures), flush=True)

        def interleave(
            servers: list[tuple[str, Running, Phase]],
            phases: list[tuple[str, int, bool]],
        ) -> None:
            for round_number in range(1, args.rounds + 1):
                order = servers if round_number % 2 else servers[::-1]
                for phase_name, total, revalidate in phases:
                    for variant, server, warmed in order:
                        etags = warmed.etags if revalidate else None
                        measure(
                            phase_name,
                            variant,
                            server,
                            total,
                            round_number,
                            warmed.references,
                            etags,
                        )

        wanted = args.servers
        cached_phases = [
            (name, args.requests, revalidate)
            for key, name, revalidate in (
                ("lupuskg", "cached", False),
                ("lupuskg-revalidate", "revalidated (304)", True),
            )
            if key in wanted
        ]
        if cached_phases:
            with ExitStack() as servers:
                running = []
                for variant, source in variants:
                    server = servers.enter_context(lupuskg_server(serve_options, env, source))
                    warmed = warm(server.url, mix)  # fills the cache; the timed runs hit it
                    mix_bytes = sum(len(body) for body in warmed.references.values())
                    running.append((variant, server, warmed))
                interleave(running, cached_phases)
        uncached = []
        if "lupuskg-nocache" in wanted:
            for variant, source in variants:
                server = stack.enter_context(
                    lupuskg_server([*serve_options, "--cache-entries", "0"], env, source)
                )
                uncached.append((variant + " --cache-entries 0", server, warm(server.url, mix)))
        if "virtuoso" in wanted:
            server = stack.enter_context(virtuoso_server(store_path, Path(tmp)))
            wait_ready(None, server.url)
            uncached.append(("virtuoso 7 (no result cache)", server, warm(server.url, mix)))
        if uncached:
            interleave(uncached, [("uncached", args.uncached_requests, False)])

    report = {
        "benchmark": "endpoint_load",
        "clients": args.clients,
        "project": args.project.name if args.project else "seed copy",
        "mix_size": len(mix),
        "mix_bytes": mix_bytes,
        "mix": [{"query": q.name, "rows": q.rows} for q in mix],
        "client": "asyncio raw HTTP/1.1 keep-alive, form POST, Accept "
        f"{ACCEPT}, loopback, one process",
        "variants": {name: str(source) if source else "this checkout" for name, source in variants},
        "serve_options": serve_options,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "summary": summary_rows(runs),
        "runs": runs,
    }
    output = args.output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    output.with_suffix(".md").write_text(markdown(report))
    print(f"wrote {output} and {output.with_suffix('.md').name}")


if __name__ == "__main__":
    main()
