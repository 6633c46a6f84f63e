"""Connection limits uvicorn does not have: a header-read deadline and a cap that evicts idle sockets.

uvicorn (0.39) starts no timer until a first response has been sent, so a client that
opens a connection and sends nothing, or drips a request head one byte at a time
("slowloris"), holds a file descriptor for ever. Its ``limit_concurrency`` does not help:
it counts idle connections too and answers 503 to *every* request once they reach the
limit, so 2,000 idle sockets would make ``/health`` fail.

:func:`guarded_protocol` returns a subclass of uvicorn's HTTP protocol (httptools, a C
parser, when it is installed, else h11) that adds:

- **a header-read deadline** (``header_timeout`` seconds): from the moment a connection
  opens, or a keep-alive connection starts its next request, the complete request head must
  arrive within the deadline, however slowly it trickles; otherwise the socket is closed.
  Bodies are not covered (large query POSTs stream at the client's pace, bounded by the
  query-length limit), and the idle time between keep-alive requests stays uvicorn's
  ``timeout_keep_alive``;
- **a connection cap** (``max_connections``): when a new connection would exceed it, the
  longest-idle connections (no request in progress: still reading a head, or waiting
  between keep-alive requests) are closed to make room; if every connection is busy with
  a request, the new one is closed instead. Idle sockets therefore can never lock real
  clients out;
- on httptools, h11's cap on a request head's size (16 KiB, :data:`MAX_HEAD_BYTES`): a
  longer head gets 400 and the connection is closed, as h11 does on its own.

:func:`raise_open_files_limit` lifts the process's soft ``RLIMIT_NOFILE`` to its hard limit,
so that the cap, not the file-descriptor table, is what bounds connections.
"""

from __future__ import annotations

import asyncio
import heapq
import resource
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_HTTPTOOLS: type[asyncio.Protocol] | None
try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _HTTPTOOLS
except ImportError:  # httptools is not installed: uvicorn's h11 protocol serves
    _HTTPTOOLS = None

__all__ = ["MAX_HEAD_BYTES", "base_protocol", "guarded_protocol", "raise_open_files_limit"]

#: the most bytes a request head may take, as uvicorn's h11 (h11_max_incomplete_event_size)
MAX_HEAD_BYTES = 16 * 1024
#: file descriptors kept free for the store, the workers' pipes, logs and accept()
_RESERVED_FDS = 64


def raise_open_files_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit; return the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft


def connection_cap(max_connections: int, open_files: int) -> int:
    """The cap actually applied: never more than the descriptors the process may open."""
    return max(1, min(max_connections, open_files - _RESERVED_FDS))


def _h11_between_requests(protocol: Any) -> bool:
    """No request head parsed yet for the current cycle (reading a head, or idle)."""
    return bool(
        protocol.conn.their_state is h11.IDLE
        and (protocol.cycle is None or protocol.cycle.response_complete)
    )


def base_protocol() -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol (a C parser) when httptools is installed, else h11's.

    On a cached answer, h11's pure-Python request parsing and response framing were about
    a quarter of the server's CPU per request (py-spy, benchmarks/results/endpoint-mix.md).
    """
    return _HTTPTOOLS or H11Protocol


def guarded_protocol(
    header_timeout: float, max_connections: int, base: type[asyncio.Protocol] | None = None
) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol (``base``, default :func:`base_protocol`) with a header-read
    deadline and an evicting connection cap."""
    parent: Any = base or base_protocol()
    uses_h11 = issubclass(parent, H11Protocol)

    class GuardedProtocol(parent):  # type: ignore[misc]
        _header_deadline: asyncio.TimerHandle | None = None
        #: loop time of the last moment this connection became idle (opened or finished a response)
        _idle_since: float = 0.0
        #: request heads parsed and not yet answered (httptools; h11 has its own state)
        _heads: int = 0
        #: bytes received while reading the current request head (httptools)
        _head_bytes: int = 0

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self._make_room()
            super().connection_made(transport)
            self._idle_since = self.loop.time()
            if len(self.connections) > max_connections:  # every other connection is busy
                self._evict()
                return
            self._start_header_deadline()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_header_deadline()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self._header_deadline is None and self._between_requests():
                self._start_header_deadline()  # a keep-alive connection begins its next request
            super().data_received(data)

        def handle_events(self) -> None:  # h11
            super().handle_events()
            if not self._between_requests():
                self._cancel_header_deadline()  # the head is complete: a request is running

        # httptools has no limit on a request head's size: h11's (16 KiB) is kept by counting
        # the head as the parser hands it over; an exception in a parser callback makes
        # uvicorn answer 400 and close the connection, as h11 does for a head too large

        def on_message_begin(self) -> None:  # httptools
            self._head_bytes = 0
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:  # httptools
            self._count_head(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:  # httptools
            self._count_head(len(name) + len(value) + 4)
            super().on_header(name, value)

        def _count_head(self, size: int) -> None:
            self._head_bytes += size
            if self._head_bytes > MAX_HEAD_BYTES:
                raise ValueError(f"request head over {MAX_HEAD_BYTES} bytes")

        def on_headers_complete(self) -> None:  # httptools
            super().on_headers_complete()
            self._heads += 1
            self._cancel_header_deadline()

        def on_response_complete(self) -> None:
            self._idle_since = self.loop.time()
            self._heads = max(0, self._heads - 1)
            super().on_response_complete()

        # -- helpers -----------------------------------------------------------------------

        def _between_requests(self) -> bool:
            """No request head parsed yet for the current cycle (reading a head, or idle)."""
            if uses_h11:
                return _h11_between_requests(self)
            return self._heads == 0

        def _start_header_deadline(self) -> None:
            self._cancel_header_deadline()
            self._header_deadline = self.loop.call_later(header_timeout, self._header_timed_out)

        def _cancel_header_deadline(self) -> None:
            if self._header_deadline is not None:
                self._header_deadline.cancel()
                self._header_deadline = None

        def _header_timed_out(self) -> None:
            self._header_deadline = None
            if self._between_requests() and not self.transport.is_closing():
                self.transport.close()

        def _make_room(self) -> None:
            connections: set[Any] = self.connections
            excess = len(connections) + 1 - max_connections
            if excess <= 0:
                return
            idle = heapq.nsmallest(
                excess,
                (
                    conn
                    for conn in connections
                    if isinstance(conn, GuardedProtocol)
                    and conn._between_requests()
                    and not conn.transport.is_closing()
                ),
                key=lambda conn: conn._idle_since,
            )
            for conn in idle:
                conn._evict()

        def _evict(self) -> None:
            self._cancel_header_deadline()
            self.connections.discard(self)  # counted free at once; the socket closes next
            self.transport.close()

    GuardedProtocol.__name__ = GuardedProtocol.__qualname__ = f"Guarded{parent.__name__}"
    if uses_h11:
        for name in ("on_message_begin", "on_url", "on_header", "on_headers_complete"):
            delattr(GuardedProtocol, name)
    else:
        del GuardedProtocol.handle_events
    return GuardedProtocol
