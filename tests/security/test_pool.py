"""Probes of findings 2, 4 and 5: a dead worker is always replaced, the guard never blocks
the event loop, a full pool answers 503 with Retry-After at once, workers have a memory cap."""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serve_helpers import Server, serving, start_server, stop_server

from lupuskg.config import Settings
from lupuskg.server.limits import ServerLimits


def _pathological(size: int) -> str:
    """`a.a.a…`: the old quadratic tokenizer took 1.9 s at 20 KB and hung at 2 MB."""
    return "SELECT * WHERE { ?s <a:" + "a." * (size // 2) + "a> ?o }"


@pytest.fixture(scope="module")
def small_server(
    built_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One worker, a 2 s limit, 3 MB queries, no waiting room: every limit easy to reach."""
    yield from serving(
        built_settings,
        tmp_path_factory.mktemp("serve-pool") / "serve.log",
        "--workers",
        "1",
        "--timeout",
        "2",
        "--max-query-length",
        "3000000",
    )


def _workers(server: Server) -> list[int]:
    """Pids of the server's query worker processes (children of the server process)."""
    pids: list[int] = []
    for task in Path(f"/proc/{server.process.pid}/task").iterdir():
        try:
            pids += [int(pid) for pid in (task / "children").read_text().split()]
        except OSError:
            continue  # the thread ended meanwhile
    return sorted(pid for pid in set(pids) if "spawn_main" in _cmdline(pid))


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


_PROBES = itertools.count()


def _ask(server: Server) -> int:
    """An ASK no earlier request has sent, so the result cache cannot answer it: a worker must."""
    query = f'ASK {{ ?s ?p ?o FILTER(?o != "probe {next(_PROBES)}") }}'
    return httpx.post(server.endpoint, data={"query": query}, timeout=30).status_code


@pytest.mark.parametrize("size", [20_000, 2_000_000])
def test_pathological_queries_never_stall_health(small_server: Server, size: int) -> None:
    answers: list[int] = []

    def send() -> None:
        response = httpx.post(
            small_server.endpoint,
            content=_pathological(size).encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=60,
        )
        answers.append(response.status_code)

    thread = threading.Thread(target=send)
    thread.start()
    health = []
    while thread.is_alive() and len(health) < 50:
        health.append(httpx.get(small_server.base + "/health", timeout=5).status_code)
        time.sleep(0.05)
    thread.join(timeout=60)
    assert health and set(health) == {200}
    assert answers and answers[0] in (200, 400, 503)
    assert _ask(small_server) == 200


def test_a_killed_worker_is_replaced(small_server: Server) -> None:
    for _ in range(3):
        before = _workers(small_server)
        assert len(before) == 1
        os.kill(before[0], signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and before[0] in _workers(small_server):
            time.sleep(0.05)
        assert _ask(small_server) == 200
        assert len(_workers(small_server)) == 1


def test_a_full_pool_answers_503_with_retry_after_at_once(
    built_settings: Settings, tmp_path: pytest.TempPathFactory
) -> None:
    server = start_server(
        built_settings,
        tmp_path / "serve.log",  # type: ignore[operator]
        "--workers",
        "1",
        "--timeout",
        "3",
    )
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    try:
        results: list[httpx.Response] = []

        def send() -> None:
            results.append(httpx.post(server.endpoint, data={"query": slow}, timeout=30))

        threads = [threading.Thread(target=send) for _ in range(14)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        busy = [r for r in results if r.headers.get("retry-after")]
        assert len(results) == 14
        assert busy, [r.status_code for r in results]
        assert all(r.status_code == 503 for r in busy)
        assert _ask(server) == 200
    finally:
        stop_server(server)


def test_worker_memory_limit_is_configurable_and_applied(small_server: Server) -> None:
    limit = ServerLimits().worker_memory_mb * 1024 * 1024
    pid = _workers(small_server)[0]
    with open(f"/proc/{pid}/limits", encoding="ascii") as fh:
        line = next(row for row in fh if row.startswith("Max address space"))
    assert line.split()[3] == str(limit)


def test_a_killed_worker_is_replaced_without_a_query(small_server: Server) -> None:
    """Cached answers never reach the pool: the supervisor replaces a dead worker by itself."""
    before = _workers(small_server)
    assert len(before) == 1
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 30
    now, health = before, 0
    while time.monotonic() < deadline:
        now = _workers(small_server)
        health = httpx.get(small_server.base + "/health", timeout=5).status_code
        if len(now) == 1 and now[0] != before[0] and health == 200:
            break
        time.sleep(0.1)
    assert len(now) == 1 and now[0] != before[0], now
    assert health == 200
