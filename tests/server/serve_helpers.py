"""Start and stop the real `lupuskg serve` in a subprocess on a free loopback port (shared by
the endpoint and browser tests; a plain module so both folders can import it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from lupuskg.config import Settings

READY_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running `lupuskg serve` and where to reach it."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def lupuskg_command(*args: str) -> list[str]:
    """Run the CLI with this interpreter (works without the console script on PATH)."""
    return [
        sys.executable,
        "-c",
        "import sys; from lupuskg.cli import main; sys.exit(main())",
        *args,
    ]


def start_server(settings: Settings, log: Path, *options: str) -> Server:
    """Start the server and wait (bounded) until /health answers."""
    port = free_port()
    env = {**os.environ, "LUPUSKG_HOME": str(settings.root)}
    env.pop("LUPUSKG_STORE", None)
    handle = log.open("wb")
    process = subprocess.Popen(
        lupuskg_command("serve", "--host", "127.0.0.1", "--port", str(port), *options),
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    handle.close()
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"lupuskg serve exited early:\n{server.output()}")
        try:
            if httpx.get(server.base + "/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(
        f"lupuskg serve did not become ready in {READY_SECONDS:g} s:\n{server.output()}"
    )


def stop_server(server: Server) -> None:
    if server.alive():
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=15)


def serving(settings: Settings, log: Path, *options: str) -> Iterator[Server]:
    """Start `lupuskg serve`, yield it, stop it: the body of every server fixture."""
    running = start_server(settings, log, *options)
    try:
        yield running
    finally:
        stop_server(running)
