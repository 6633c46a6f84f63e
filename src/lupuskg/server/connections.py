"""Connection limits uvicorn does not have: a header-read deadline and a cap that evicts idle sockets.

uvicorn (0.39, h11) starts no timer until a first response has been sent, so a client that
opens a connection and sends nothing, or drips a request head one byte at a time
("slowloris"), holds a file descriptor for ever. Its ``limit_concurrency`` does not help:
it counts idle connections too and answers 503 to *every* request once they reach the
limit, so 2,000 idle sockets would make ``/health`` fail.

:func:`guarded_protocol` returns a subclass of uvicorn's h11 protocol that adds:

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
  clients out.

:func:`raise_open_files_limit` lifts the process's soft ``RLIMIT_NOFILE`` to its hard limit,
so that the cap, not the file-descriptor table, is what bounds connections.
"""

from __future__ import annotations

import asyncio
import heapq
import resource
from typing import Any, cast

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["guarded_protocol", "raise_open_files_limit"]

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


def guarded_protocol(header_timeout: float, max_connections: int) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a header-read deadline and an evicting connection cap."""

    class GuardedH11Protocol(H11Protocol):
        _header_deadline: asyncio.TimerHandle | None = None
        #: loop time of the last moment this connection became idle (opened or finished a response)
        _idle_since: float = 0.0

        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self._make_room()
            # asyncio hands a stream protocol a Transport; uvicorn's signature says so (and
            # narrows asyncio's BaseTransport), ours keeps asyncio's so it overrides cleanly
            super().connection_made(cast(asyncio.Transport, transport))
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

        def handle_events(self) -> None:
            super().handle_events()
            if not self._between_requests():
                self._cancel_header_deadline()  # the head is complete: a request is running

        def on_response_complete(self) -> None:
            self._idle_since = self.loop.time()
            super().on_response_complete()

        # -- helpers -----------------------------------------------------------------------

        def _between_requests(self) -> bool:
            """No request head parsed yet for the current cycle (reading a head, or idle)."""
            return self.conn.their_state is h11.IDLE and (
                self.cycle is None or self.cycle.response_complete
            )

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
                    if isinstance(conn, GuardedH11Protocol)
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

    return GuardedH11Protocol
