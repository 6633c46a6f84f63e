"""Private Oxigraph servers (PyPI `oxigraph`, the dev extra) on free loopback ports, loaded
with the built project's TriG: one with `--union-default-graph`, one without, one empty."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from lupuskg.config import Settings
from lupuskg.store import open_store

READY_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The `oxigraph` CLI next to this Python (the dev extra installs it)."""
    found = Path(sys.executable).with_name("oxigraph")
    if found.exists():
        return str(found)
    on_path = shutil.which("oxigraph")
    if on_path:
        return on_path
    message = "the oxigraph server is not installed (pip install -e '.[dev]')"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class OxigraphServer:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    @property
    def query(self) -> str:
        """The SPARQL query path of the Oxigraph server (not /sparql)."""
        return self.base + "/query"

    @property
    def store(self) -> str:
        """Its Graph Store Protocol path."""
        return self.base + "/store"


def start_oxigraph(directory: Path, *, union: bool, trig: bytes | None) -> OxigraphServer:
    port = _free_port()
    command = [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"]
    if union:
        command.append("--union-default-graph")
    log = directory / f"oxigraph-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    server = OxigraphServer(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + READY_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"oxigraph exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            if httpx.get(server.query, params={"query": "ASK {}"}, timeout=3).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            stop(server)
            pytest.fail(f"oxigraph did not answer within {READY_SECONDS:g} s")
        time.sleep(0.2)
    if trig is not None:
        response = httpx.post(
            server.store, content=trig, headers={"Content-Type": "application/trig"}, timeout=120
        )
        assert response.status_code in (200, 201, 204), response.text
    return server


def stop(server: OxigraphServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=30)


@pytest.fixture(scope="session")
def built_trig(built_settings: Settings) -> bytes:
    """Every named graph of the built store as TriG (what the release ships)."""
    store = open_store(built_settings)
    return store.dump(format=ox.RdfFormat.TRIG)


@pytest.fixture(scope="session")
def oxigraph_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., OxigraphServer]]:
    servers: list[OxigraphServer] = []
    directory = tmp_path_factory.mktemp("oxigraph")

    def make(*, union: bool, trig: bytes | None) -> OxigraphServer:
        server = start_oxigraph(directory, union=union, trig=trig)
        servers.append(server)
        return server

    try:
        yield make
    finally:
        for server in servers:
            stop(server)
