"""The configurable safety limits of the endpoint and where their defaults come from.

Defaults live in pyproject.toml under [tool.lupuskg.server]; command-line options override
them. Each limit is declared once, in one frozen dataclass, with its default, the least
value it accepts, its pyproject key and the help of its `lupuskg serve` option: the app,
the worker pool, pyproject.toml and the CLI cannot disagree about what a limit is.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..exceptions import InputError

__all__ = ["Bound", "ServerLimits", "limit_options", "load_limits", "pyproject_key"]


@dataclass(frozen=True)
class Bound:
    """The least value a numeric limit accepts: ``minimum`` itself, or above it if ``open``."""

    minimum: float
    open: bool = False

    def check(self, name: str, value: float) -> None:
        """Refuse a value below the bound, naming the limit."""
        if value > self.minimum or (value == self.minimum and not self.open):
            return
        if self.open and self.minimum == 0:
            rule = "be positive"
        elif self.minimum == 0:
            rule = "not be negative"
        else:
            rule = f"be at least {self.minimum:g}"
        raise InputError(f"server limit {name} must {rule}")


def _limit(default: Any, bound: Bound | None = None, *, option: str = "", key: str = "") -> Any:
    """A field of :class:`ServerLimits`: its default, its bound, and the help of its
    command-line option (``--<field-name>``; none when ``option`` is empty). ``key`` is the
    pyproject key where it is not the field name with dashes."""
    return field(default=default, metadata={"bound": bound, "option": option, "key": key})


_POSITIVE = Bound(0, open=True)
_NOT_NEGATIVE = Bound(0)
_AT_LEAST_ONE = Bound(1)


@dataclass(frozen=True)
class ServerLimits:
    """Everything that bounds what one request can cost."""

    #: wall-clock seconds before the query's worker process is killed
    timeout: float = _limit(
        10.0, _POSITIVE, option="Seconds a query may run (503 beyond).", key="query-timeout"
    )
    max_query_length: int = _limit(
        20_000, _AT_LEAST_ONE, option="Characters of query text (413 beyond)."
    )
    #: solutions or triples
    max_rows: int = _limit(10_000, _AT_LEAST_ONE, option="Rows a result may have (503 beyond).")
    #: of the serialised response
    max_bytes: int = _limit(
        10 * 1024 * 1024, _AT_LEAST_ONE, option="Bytes a response may have (503 beyond)."
    )
    #: queries beyond this many wait, then 503
    workers: int = _limit(2, _AT_LEAST_ONE, option="Query worker processes.")
    max_waiting: int = _limit(
        8,
        _NOT_NEGATIVE,
        option="Queries that may wait for a busy worker (503 with Retry-After beyond).",
    )
    #: address-space limit (RLIMIT_AS) of each worker process in MiB; 0 for none
    worker_memory_mb: int = _limit(4096, _NOT_NEGATIVE)
    #: SERVICE IRIs that queries may federate with; everything else is refused (403)
    service_allow: tuple[str, ...] = _limit(())
    #: origins browsers may call the endpoint from (CORS); empty means no CORS headers at all,
    #: ("*",) suits a public read-only deployment
    cors_origins: tuple[str, ...] = _limit(())
    #: Host header values accepted (port ignored); anything else is 400, which stops a DNS
    #: rebinding page from reaching a local `lupuskg serve` under its own host name
    allowed_hosts: tuple[str, ...] = _limit(("127.0.0.1", "localhost", "::1", "[::1]"))
    #: counted from when a connection opens or starts its next keep-alive request (slowloris)
    header_timeout: float = _limit(
        10.0,
        _POSITIVE,
        option="Seconds a connection has to send a complete request head (then it is closed).",
    )
    #: seconds an idle keep-alive connection is kept open between requests
    keep_alive_timeout: float = _limit(5.0, _POSITIVE)
    #: the longest-idle ones are closed to make room (lupuskg.server.connections), so idle
    #: sockets never lock real clients out
    max_connections: int = _limit(
        1000,
        Bound(2),
        option="Open connections at most; beyond, the longest-idle ones are closed.",
    )
    #: an in-memory copy costs about 1.5 s and a few hundred MB per million quads per worker
    memory_store_quads: int = _limit(
        3_000_000,
        _NOT_NEGATIVE,
        option="Workers copy a store of at most this many quads into memory; 0 reads it on disk.",
    )
    cache_entries: int = _limit(
        512,
        _NOT_NEGATIVE,
        option="Answers the result cache keeps (ETag / 304); 0 turns it off.",
    )
    #: total size of the answers the result cache keeps
    cache_mb: int = _limit(64, _NOT_NEGATIVE)

    def __post_init__(self) -> None:
        for limit in fields(self):
            bound: Bound | None = limit.metadata["bound"]
            if bound is not None:
                bound.check(limit.name, getattr(self, limit.name))

    def with_overrides(self, **overrides: Any) -> ServerLimits:
        """A copy with the given (non-None) values replaced."""
        given = {key: value for key, value in overrides.items() if value is not None}
        for key, value in given.items():
            if isinstance(getattr(self, key, None), tuple):  # lists from pyproject or click
                given[key] = tuple(value)
        return replace(self, **given)


def pyproject_key(limit: Field[Any]) -> str:
    """The key of a limit in [tool.lupuskg.server]."""
    return str(limit.metadata["key"] or limit.name.replace("_", "-"))


def limit_options() -> list[tuple[str, type[Any], Bound, str]]:
    """(field name, int or float, bound, help) of each limit `lupuskg serve` can override,
    in declaration order."""
    return [
        (limit.name, type(limit.default), limit.metadata["bound"], limit.metadata["option"])
        for limit in fields(ServerLimits)
        if limit.metadata["option"]
    ]


def load_limits(root: Path) -> ServerLimits:
    """Read [tool.lupuskg.server] from the project's pyproject.toml (missing keys keep defaults)."""
    path = root / "pyproject.toml"
    table: Mapping[str, Any] = {}
    if path.is_file():
        with path.open("rb") as fh:
            table = tomllib.load(fh).get("tool", {}).get("lupuskg", {}).get("server", {})
    keys = {pyproject_key(limit): limit.name for limit in fields(ServerLimits)}
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise InputError(
            f"unknown key(s) in [tool.lupuskg.server]: {', '.join(unknown)}",
            hint=f"known keys: {', '.join(sorted(keys))}",
        )
    return ServerLimits().with_overrides(**{keys[key]: value for key, value in table.items()})
