"""Finding 9 (slowloris): a header-read deadline and a connection cap that evicts idle sockets.

Before: uvicorn set no timer on a connection until it had answered a first request, so
sockets that send nothing, or drip a request head, stayed open for ever (21,000 of them
exhausted the file descriptors). Now a request head must be complete within
``header-timeout`` seconds, and beyond ``max-connections`` the longest-idle sockets are closed.
"""

from __future__ import annotations

import resource
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from serve_helpers import Server, start_server, stop_server

from lupuskg.config import Settings

IDLE = 2000
#: how long the tests wait for the server to close a socket (a bound, never asserted as a time)
PATIENCE = 30.0


@pytest.fixture(scope="module", autouse=True)
def enough_descriptors() -> Iterator[None]:
    """2,000 sockets here plus 2,000 in the server: lift the soft RLIMIT_NOFILE (CI's may be 1024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 3 * IDLE
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"the hard RLIMIT_NOFILE is {hard}; {wanted} descriptors are needed")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.fixture(scope="module")
def capped_server(
    built_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The default header deadline (10 s), and a cap of 500 connections."""
    running = start_server(
        built_settings,
        tmp_path_factory.mktemp("serve-conn") / "serve.log",
        "--max-connections",
        "500",
    )
    yield running
    stop_server(running)


@pytest.fixture(scope="module")
def impatient_server(
    built_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """A 1 s header deadline."""
    running = start_server(
        built_settings,
        tmp_path_factory.mktemp("serve-slow") / "serve.log",
        "--header-timeout",
        "1",
    )
    yield running
    stop_server(running)


def _port(server: Server) -> int:
    return int(server.base.rsplit(":", 1)[1])


def _open_idle(server: Server, count: int, partial: bool) -> list[socket.socket]:
    sockets = []
    for number in range(count):
        sock = socket.create_connection(("127.0.0.1", _port(server)), timeout=10)
        if partial and number % 2:  # half of them start a request head and never finish it
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        sockets.append(sock)
    return sockets


def _closed_by_server(sock: socket.socket, wait: float) -> bool:
    """True when the server closed the socket (EOF or reset) within ``wait`` seconds."""
    sock.settimeout(wait)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def _health(server: Server) -> int:
    return httpx.get(server.base + "/health", timeout=PATIENCE).status_code


def test_health_answers_with_2000_idle_connections_open(capped_server: Server) -> None:
    sockets = _open_idle(capped_server, IDLE, partial=True)
    try:
        assert _health(capped_server) == 200
        assert capped_server.alive()
        # the cap made room by closing the oldest idle sockets, long before their deadline
        evicted = sum(_closed_by_server(sock, 0.01) for sock in sockets[:1000])
        assert evicted >= 1000 - 500
        assert _health(capped_server) == 200
    finally:
        for sock in sockets:
            sock.close()


def test_a_request_head_that_never_completes_is_closed(impatient_server: Server) -> None:
    silent = socket.create_connection(("127.0.0.1", _port(impatient_server)), timeout=10)
    dripping = socket.create_connection(("127.0.0.1", _port(impatient_server)), timeout=10)
    try:
        head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40
        deadline = time.monotonic() + PATIENCE
        closed = False
        for byte in head:  # one byte every 0.1 s: each byte is in time, the head never is
            try:
                dripping.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.1)
        closed = closed or _closed_by_server(dripping, max(0.1, deadline - time.monotonic()))
        assert closed
        assert _closed_by_server(silent, max(0.1, deadline - time.monotonic()))
        # a client that sends its head at once is still served, and keep-alive still works
        with httpx.Client(timeout=PATIENCE) as client:
            assert client.get(impatient_server.base + "/health").status_code == 200
            assert client.get(impatient_server.base + "/health").status_code == 200
    finally:
        silent.close()
        dripping.close()


def test_a_slow_body_is_not_cut_by_the_header_deadline(impatient_server: Server) -> None:
    """The deadline covers the head only: a query POST whose body arrives slowly is answered."""
    body = b"query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D"
    sock = socket.create_connection(("127.0.0.1", _port(impatient_server)), timeout=PATIENCE)
    try:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Accept: application/sparql-results+json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        )
        for chunk in (body[:10], body[10:20], body[20:]):
            time.sleep(0.6)  # 1.8 s in all, beyond the 1 s head deadline
            sock.sendall(chunk)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    finally:
        sock.close()


def test_an_oversized_request_head_is_refused(impatient_server: Server) -> None:
    """A complete request head of 64 KiB gets 400 and a closed connection (h11's own 16 KiB
    limit; on httptools, which has none, the connection guard's); the server serves on."""
    sock = socket.create_connection(("127.0.0.1", _port(impatient_server)), timeout=PATIENCE)
    try:
        head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        head += b"".join(b"X-Big-%d: " % n + b"a" * 1024 + b"\r\n" for n in range(64))
        answer = b""
        try:
            sock.sendall(head + b"\r\n")
            while chunk := sock.recv(65536):
                answer += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
        assert _health(impatient_server) == 200
    finally:
        sock.close()


def test_the_guard_runs_on_both_http_parsers() -> None:
    from uvicorn.protocols.http.h11_impl import H11Protocol

    from lupuskg.server.connections import base_protocol, guarded_protocol

    assert issubclass(guarded_protocol(1.0, 10, H11Protocol), H11Protocol)
    assert issubclass(guarded_protocol(1.0, 10), base_protocol())
