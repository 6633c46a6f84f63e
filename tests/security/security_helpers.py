"""Helpers of the reliability probes (a plain module; conftest names collide across folders)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Listener:
    """A loopback TCP listener that accepts and counts connections (answers nothing useful)."""

    url: str
    connections: list[str] = field(default_factory=list)
