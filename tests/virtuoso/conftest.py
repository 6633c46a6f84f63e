"""A private Virtuoso instance in a temp dir, on free loopback ports (never the system one)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from lupuskg.virtuoso import SYSTEM_INI, private_ini

READY_SECONDS = 90.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _require(binary: str | None, what: str) -> str:
    """Skip locally when a system component is missing; fail in CI, which installs it."""
    if binary and Path(binary).exists():
        return binary
    message = f"{what} is not installed (.ci/run installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Virtuoso:
    process: subprocess.Popen[bytes]
    http_port: int
    directory: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    @property
    def graph_store(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.directory / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    binary = _require(
        shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t",
        "virtuoso-t (Debian virtuoso-opensource)",
    )
    if not SYSTEM_INI.is_file():
        _require(None, str(SYSTEM_INI))
    directory = tmp_path_factory.mktemp("virtuoso")
    isql_port, http_port = _free_port(), _free_port()
    ini = private_ini(directory, isql_port, http_port)
    out = (directory / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    out.close()
    server = Virtuoso(process, http_port, directory)
    try:
        _wait_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def _wait_ready(server: Virtuoso) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"virtuoso-t exited with {server.process.returncode}:\n{server.log()[-3000:]}"
            )
        try:
            response = httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=3)
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"virtuoso did not answer within {READY_SECONDS:g} s:\n{server.log()[-3000:]}")
