"""The configurable safety limits of the endpoint and where their defaults come from.

Defaults live in pyproject.toml under [tool.lupuskg.server]; command-line options override
them. Keeping them in one frozen dataclass means the app, the worker pool and the CLI
cannot disagree about what a limit is.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..exceptions import InputError

__all__ = ["ServerLimits", "load_limits"]

#: pyproject key -> dataclass field
_KEYS = {
    "query-timeout": "timeout",
    "max-query-length": "max_query_length",
    "max-rows": "max_rows",
    "max-bytes": "max_bytes",
    "workers": "workers",
    "service-allow": "service_allow",
    "cors-origins": "cors_origins",
    "max-waiting": "max_waiting",
    "worker-memory-mb": "worker_memory_mb",
    "allowed-hosts": "allowed_hosts",
    "header-timeout": "header_timeout",
    "keep-alive-timeout": "keep_alive_timeout",
    "max-connections": "max_connections",
    "memory-store-quads": "memory_store_quads",
    "cache-entries": "cache_entries",
    "cache-mb": "cache_mb",
}


@dataclass(frozen=True)
class ServerLimits:
    """Everything that bounds what one request can cost."""

    #: wall-clock seconds a query may run before its worker process is killed (503)
    timeout: float = 10.0
    #: characters of query text accepted (413 beyond)
    max_query_length: int = 20_000
    #: result rows (solutions or triples) a response may carry (503 beyond)
    max_rows: int = 10_000
    #: bytes of serialised response (503 beyond)
    max_bytes: int = 10 * 1024 * 1024
    #: query worker processes (queries beyond this wait, then 503)
    workers: int = 2
    #: requests that may wait for a busy pool; beyond, 503 with Retry-After at once
    max_waiting: int = 8
    #: address-space limit (RLIMIT_AS) of each worker process in MiB; 0 for none
    worker_memory_mb: int = 4096
    #: SERVICE IRIs that queries may federate with; everything else is refused (403)
    service_allow: tuple[str, ...] = field(default_factory=tuple)
    #: origins browsers may call the endpoint from (CORS); empty means no CORS headers at all,
    #: ("*",) suits a public read-only deployment
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    #: Host header values accepted (port ignored); anything else is 400, which stops a DNS
    #: rebinding page from reaching a local `lupuskg serve` under its own host name
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]")
    #: seconds a connection has to deliver a complete request head (method, path, headers),
    #: from when it opens or starts its next keep-alive request; then it is closed (slowloris)
    header_timeout: float = 10.0
    #: seconds an idle keep-alive connection is kept open between requests
    keep_alive_timeout: float = 5.0
    #: open connections at most; beyond it the longest-idle ones are closed to make room
    #: (lupuskg.server.connections), so idle sockets never lock real clients out
    max_connections: int = 1000
    #: each worker copies the store into memory when it has at most this many quads (0: never);
    #: an in-memory copy costs about 1.5 s and a few hundred MB per million quads per worker
    memory_store_quads: int = 3_000_000
    #: successful answers kept by the result cache (0 turns it off), and their total size
    cache_entries: int = 512
    cache_mb: int = 64

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise InputError("the query timeout must be positive")
        for name in ("header_timeout", "keep_alive_timeout"):
            if getattr(self, name) <= 0:
                raise InputError(f"server limit {name} must be positive")
        if self.cache_mb < 0:
            raise InputError("server limit cache_mb must not be negative")
        if self.max_connections < 2:
            raise InputError("server limit max_connections must be at least 2")
        for name in ("max_query_length", "max_rows", "max_bytes", "workers"):
            if getattr(self, name) < 1:
                raise InputError(f"server limit {name} must be at least 1")
        for name in ("max_waiting", "worker_memory_mb", "memory_store_quads", "cache_entries"):
            if getattr(self, name) < 0:
                raise InputError(f"server limit {name} must not be negative")

    def with_overrides(self, **overrides: Any) -> ServerLimits:
        """A copy with the given (non-None) values replaced."""
        given = {key: value for key, value in overrides.items() if value is not None}
        for key in ("service_allow", "cors_origins", "allowed_hosts"):
            if key in given:
                given[key] = tuple(given[key])
        return replace(self, **given)


def load_limits(root: Path) -> ServerLimits:
    """Read [tool.lupuskg.server] from the project's pyproject.toml (missing keys keep defaults)."""
    path = root / "pyproject.toml"
    table: dict[str, Any] = {}
    if path.is_file():
        with path.open("rb") as fh:
            table = tomllib.load(fh).get("tool", {}).get("lupuskg", {}).get("server", {})
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise InputError(
            f"unknown key(s) in [tool.lupuskg.server]: {', '.join(unknown)}",
            hint=f"known keys: {', '.join(sorted(_KEYS))}",
        )
    return ServerLimits().with_overrides(**{_KEYS[key]: value for key, value in table.items()})
