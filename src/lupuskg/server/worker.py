"""Killable query workers: user queries run in separate processes with a wall-clock limit.

pyoxigraph has no query timeout in Python and holds the calling thread until it is done,
so the only reliable way to stop a runaway query is to kill the process running it.
Each worker opens the store read-only and, when it has at most
``ServerLimits.memory_store_quads`` quads, copies it into an in-memory store: pyoxigraph
scans rows about 10x faster in memory than through RocksDB, and canned queries ran 2-5x
faster at 1,000 documents (benchmarks/results/). Before each job a worker checks the store
version (:func:`lupuskg.server.cache.store_version`); after a build it loads the new
generation, so an in-memory copy never outlives the build it came from and the version it
reports with each answer is the one it answered from. The pool kills a worker that
overruns, answers 503, and starts a fresh one in its place. The query guard (safety.py) runs here too, not
on the server's event loop: parsing a pathological text is bounded by the same
wall-clock limit, and a worker stuck in the parser is killed like any other.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import signal
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..exceptions import BuildError
from ..labels import add_labels
from ..results import Cell, QueryResult
from .cache import store_version
from .limits import ServerLimits
from .problems import Problem
from .safety import guard_query
from .serialize import (
    LimitExceeded,
    check_size,
    collect,
    serialize_boolean,
    serialize_graph,
    serialize_select,
)

__all__ = ["Outcome", "QueryJob", "WorkerPool", "execute"]

_STARTUP_SECONDS = 60.0
#: how often the pool looks for dead idle workers to replace (WorkerPool._supervise)
SUPERVISE_SECONDS = 0.5


@dataclass(frozen=True)
class QueryJob:
    """One query to run, with the dataset and result format already decided."""

    text: str
    #: query form (SELECT, ASK, CONSTRUCT, DESCRIBE) -> format key; "" means 406 for that form
    formats: tuple[tuple[str, str], ...]
    limits: ServerLimits
    #: protocol default-graph-uri / named-graph-uri (graphs of the store, never fetched)
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    #: add a ``…Label`` column after each IRI column of a SELECT (lupuskg.labels), as the
    #: CLI and ``lupuskg.query`` do: the canned queries' REST API asks for it
    labels: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a worker answered: an HTTP status and the body (payload, or a one-line message)."""

    status: int
    body: bytes
    #: "select", "boolean" or "graph" when status is 200
    kind: str = ""
    #: the query form the guard found (SELECT, ASK, CONSTRUCT, DESCRIBE)
    form: str = ""
    #: seconds for a Retry-After header (busy pool), 0 for none
    retry_after: int = 0
    #: the guard's normalised form of the query ("" when it did not pass the guard)
    normalized: str = ""
    #: the store version the worker answered from (lupuskg.server.cache.store_version)
    version: str = ""

    @property
    def message(self) -> str:
        return self.body.decode("utf-8", "replace")


def _dataset(job: QueryJob, dataset_clause: bool) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if job.default_graphs is not None:
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs]
    elif not dataset_clause:
        options["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
    return options


def execute(store: ox.Store, job: QueryJob) -> Outcome:
    """Guard, run and serialise one query within the caps; errors become short messages.

    When the query calls a (allow-listed) SERVICE, engine errors are reported without
    their text: it may carry the remote endpoint's body, which is never echoed.
    """
    try:
        guarded = guard_query(job.text, job.limits)
    except Problem as problem:
        return Outcome(problem.status, problem.message.encode())
    format_key = dict(job.formats).get(guarded.form, "")
    if not format_key:
        message = f"cannot produce any accepted media type for {guarded.form} results"
        return Outcome(406, message.encode(), form=guarded.form)
    try:
        options = _dataset(job, guarded.has_dataset_clause)
    except ValueError as error:
        return Outcome(400, f"invalid graph IRI: {error}".encode())
    try:
        result = store.query(job.text, **options)
        outcome = _serialize(result, job, format_key, store)
        return Outcome(
            outcome.status,
            outcome.body,
            outcome.kind,
            guarded.form,
            # a federated answer depends on the remote endpoint too: never cached
            normalized="" if guarded.services else guarded.normalized,
        )
    except SyntaxError as error:
        return Outcome(400, f"malformed query: {error}".encode())
    except LimitExceeded as error:
        return Outcome(503, str(error).encode())
    except OSError as error:
        if guarded.services:
            return Outcome(503, b"a federated SERVICE call failed")
        return Outcome(503, f"the query could not be completed: {error}".encode())
    except Exception as error:  # engine evaluation errors: report, never crash the worker
        if guarded.services:
            return Outcome(400, b"the query could not be evaluated (a SERVICE call failed)")
        return Outcome(400, f"the query could not be evaluated: {error}".encode())


def _serialize(result: Any, job: QueryJob, format_key: str, store: ox.Store) -> Outcome:
    if isinstance(result, ox.QuerySolutions):
        variables = [variable.value for variable in result.variables]
        width = range(len(variables))
        rows = collect(
            (tuple(solution[i] for i in width) for solution in result), job.limits.max_rows
        )
        if job.labels:
            variables, rows = _with_labels(store, variables, rows)
        key = format_key if format_key in ("json", "xml", "csv", "tsv") else "json"
        body = serialize_select(variables, rows, key)
        kind = "select"
    elif isinstance(result, ox.QueryBoolean):
        key = format_key if format_key in ("json", "xml") else "json"
        body, kind = serialize_boolean(bool(result), key), "boolean"
    else:
        triples = collect(result, job.limits.max_rows)
        key = format_key if format_key in ("turtle", "ntriples", "jsonld", "rdfxml") else "turtle"
        body, kind = serialize_graph(triples, key), "graph"
    return Outcome(200, check_size(body, job.limits.max_bytes), kind)


def _with_labels(
    store: ox.Store, variables: list[str], rows: list[tuple[Any, ...]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The rows with lupuskg.labels' ``…Label`` columns, looked up on the same store (the
    union of its graphs, as the query saw it), exactly as ``lupuskg query`` adds them."""
    result = QueryResult(
        tuple(variables),
        tuple(
            tuple(None if term is None else Cell.from_term(term) for term in row) for row in rows
        ),
    )

    def run(sparql: str, _bindings: Any) -> QueryResult:
        solutions = store.query(sparql, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)  # lupuskg.labels.label_query: SELECT
        return QueryResult.from_solutions(solutions)

    labelled = add_labels(result, run)
    if labelled is result:
        return variables, rows
    return list(labelled.variables), [
        tuple(None if cell is None else cell.to_term() for cell in row) for row in labelled.rows
    ]


def load_store(store_path: str, memory_quads: int) -> ox.Store:
    """The store at ``store_path``: copied into memory when it has at most ``memory_quads``
    quads (0: never), else the read-only on-disk store itself."""
    on_disk = ox.Store.read_only(store_path)
    if memory_quads <= 0 or len(on_disk) > memory_quads:  # len(): ~70 ms at 220k quads
        return on_disk
    in_memory = ox.Store()
    in_memory.bulk_extend(on_disk.quads_for_pattern(None, None, None, None))
    return in_memory


class _CurrentStore:
    """The store a worker answers from, reloaded when a build changes its version."""

    def __init__(self, store_path: str, memory_quads: int) -> None:
        self.store_path = store_path
        self.memory_quads = memory_quads
        self.version = store_version(store_path)
        self.store = load_store(store_path, memory_quads)

    def refresh(self) -> None:
        """Load the current generation if a build replaced the one held (errors: keep it)."""
        version = store_version(self.store_path)
        if version == self.version:
            return
        try:
            store = load_store(self.store_path, self.memory_quads)
        except OSError:
            return  # mid-swap or pruned: answer from the generation held, retry next job
        self.store, self.version = store, version


def _serve(store_path: str, memory_bytes: int, memory_quads: int, conn: Connection) -> None:
    """Worker process main loop: cap memory, load the store, then answer jobs until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        current = _CurrentStore(store_path, memory_quads)
    except (OSError, MemoryError) as error:
        conn.send(("failed", str(error) or type(error).__name__))
        return
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            current.refresh()
            outcome = execute(current.store, job)
        except MemoryError:
            outcome = Outcome(503, b"the query needed more memory than a worker may use")
        conn.send(replace(outcome, version=current.version))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker slots; a worker that overruns or dies is replaced.

    A slot whose worker could not be (re)started holds None and is retried by the next
    request that takes it, so the pool never shrinks for good. Workers open the store at
    `store_path` when they start, which is `build/current/store` *unresolved*: a worker
    respawned after `lupuskg build` re-opens the current generation, and pruning an older
    generation can never leave the pool unable to start workers.
    """

    def __init__(self, store_path: Path, limits: ServerLimits) -> None:
        self.store_path = str(store_path)
        self.size = limits.workers
        self.timeout = limits.timeout
        self.max_waiting = limits.max_waiting
        self.memory_bytes = limits.worker_memory_mb * 1024 * 1024
        self.memory_quads = limits.memory_store_quads
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._workers: list[_Worker] = []
        self._waiting = 0
        self._supervisor: asyncio.Task[None] | None = None

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve,
            args=(self.store_path, self.memory_bytes, self.memory_quads, child),
            name="lupuskg-query-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if not parent.poll(_STARTUP_SECONDS):
            worker.stop()
            raise BuildError("a query worker did not start in time")
        state, detail = parent.recv()
        if state != "ready":
            worker.stop()
            raise BuildError(f"a query worker could not open the store: {detail}")
        self._workers.append(worker)
        return worker

    async def start(self) -> None:
        """Start every worker (in threads, so the event loop stays responsive)."""
        import anyio.to_thread

        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(await anyio.to_thread.run_sync(self._spawn))
        self._supervisor = asyncio.get_running_loop().create_task(self._supervise())

    async def _supervise(self) -> None:
        """Replace dead idle workers in the background, every SUPERVISE_SECONDS.

        Cached answers never reach the pool, so without this a killed worker would stay
        dead until the next uncached query. Only idle slots are checked (a busy slot is
        checked by the request holding it); the loop ends when close() cancels it.
        """
        assert self._idle is not None
        while True:
            await asyncio.sleep(SUPERVISE_SECONDS)
            slots: list[_Worker | None] = []
            while not self._idle.empty():
                slots.append(self._idle.get_nowait())
            dead = [slot for slot in slots if slot is None or not slot.alive()]
            for slot in slots:
                if slot is not None and slot.alive():
                    self._idle.put_nowait(slot)
            for slot in dead:
                self._idle.put_nowait(await self._ready(slot))

    def close(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            self._supervisor = None
        for worker in self._workers:
            worker.stop()
        self._workers.clear()

    def serving(self) -> int:
        """How many workers are alive (busy or idle); /health fails when this is 0."""
        return sum(1 for worker in self._workers if worker.alive())

    async def run(self, job: QueryJob) -> Outcome:
        """Run a job on an idle worker; 503 when the queue is full, none frees up, or it overruns."""
        import anyio.to_thread

        assert self._idle is not None, "WorkerPool.start() was not awaited"
        if self._idle.empty() and self._waiting >= self.max_waiting:
            return Outcome(503, b"all query workers are busy; try again shortly", retry_after=1)
        self._waiting += 1
        try:
            slot = await asyncio.wait_for(self._idle.get(), timeout=self.timeout)
        except TimeoutError:
            return Outcome(503, b"all query workers are busy; try again shortly", retry_after=1)
        finally:
            self._waiting -= 1
        outcome: Outcome | None = None
        try:
            slot = await self._ready(slot)
            if slot is None:
                return Outcome(503, b"no query worker could be started; see the server log")
            outcome = await anyio.to_thread.run_sync(self._roundtrip, slot, job)
        finally:
            if slot is not None and (outcome is None or outcome.status == -1):
                slot = await self._ready(slot, force=True)
            self._idle.put_nowait(slot)
        if outcome.status == -1:
            return Outcome(503, outcome.body)
        return outcome

    async def _ready(self, slot: _Worker | None, force: bool = False) -> _Worker | None:
        """The slot's worker if it is alive, else a fresh one (None if it cannot start)."""
        import anyio.to_thread

        if slot is not None and slot.alive() and not force:
            return slot
        if slot is not None:
            slot.stop()
            self._workers.remove(slot)
        try:
            return await anyio.to_thread.run_sync(self._spawn)
        except BuildError:
            return None

    def _roundtrip(self, worker: _Worker, job: QueryJob) -> Outcome:
        """Send a job and wait at most `timeout` seconds; status -1 means: replace this worker."""
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                outcome: Outcome = worker.conn.recv()
                return outcome
        except (EOFError, OSError):
            return Outcome(-1, b"the query worker stopped unexpectedly")
        return Outcome(-1, f"the query ran longer than {self.timeout:g} s and was stopped".encode())
