"""Fixtures of the reliability probes: a real `lupuskg serve` and a listener that counts connections."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from security_helpers import Listener
from serve_helpers import Server, serving

from lupuskg.config import Settings


@pytest.fixture(scope="module")
def guarded_server(
    built_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The endpoint with its default limits (no SERVICE allowed, no CORS)."""
    yield from serving(built_settings, tmp_path_factory.mktemp("serve-sec") / "serve.log")


@pytest.fixture
def listener() -> Iterator[Listener]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.settimeout(0.2)
    found = Listener(f"http://127.0.0.1:{sock.getsockname()[1]}/")
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, peer = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            found.connections.append(f"{peer[0]}:{peer[1]}")
            conn.sendall(b"HTTP/1.1 500 x\r\nContent-Length: 12\r\n\r\nREMOTE-BODY!")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join(timeout=5)
    sock.close()
