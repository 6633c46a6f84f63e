"""The SPARQL endpoint, query page, REST API and linked-data pages of `lupuskg serve`.

Imports are lazy so that query worker processes (which import `lupuskg.server.worker`)
do not pay for Starlette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .limits import ServerLimits, load_limits

__all__ = ["ServerLimits", "create_app", "load_limits"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name in ("ServerLimits", "load_limits"):
        from . import limits

        return getattr(limits, name)
    raise AttributeError(name)
