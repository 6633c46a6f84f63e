"""The SPARQL endpoint, query page, REST API and linked-data pages of `lupuskg serve`.

The application is imported lazily so that query worker processes (which import
`lupuskg.server.worker`) do not pay for Starlette; the limits are light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .limits import ServerLimits, load_limits

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["ServerLimits", "create_app", "load_limits"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
