"""Typed doors to pyoxigraph where its stubs are wider than its behaviour.

``Store.query`` is typed as returning solutions, a boolean or triples whatever the query
form, and ``serialize`` as ``bytes | None`` (``None`` only when an output file is given).
These helpers state what the caller knows and check it, so mypy --strict sees precise
types without casts or ``type: ignore``s scattered over the modules that query stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

__all__ = ["construct", "select", "to_bytes", "write"]


def select(store: ox.Store, query: str, **options: Any) -> ox.QuerySolutions:
    """Run a SELECT query; a query of another form is a programming error (TypeError)."""
    result = store.query(query, **options)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected a SELECT query, got {type(result).__name__}")
    return result


def construct(store: ox.Store, query: str, **options: Any) -> ox.QueryTriples:
    """Run a CONSTRUCT or DESCRIBE query; another form is a programming error (TypeError)."""
    result = store.query(query, **options)
    if not isinstance(result, ox.QueryTriples):
        raise TypeError(f"expected a CONSTRUCT or DESCRIBE query, got {type(result).__name__}")
    return result


def to_bytes(data: bytes | None) -> bytes:
    """The bytes a pyoxigraph ``serialize`` call returned because it was given no output."""
    if data is None:
        raise TypeError("serialize() wrote to an output instead of returning bytes")
    return data


def write(
    triples: Iterable[ox.Triple] | Iterable[ox.Quad],
    format: ox.RdfFormat,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """``ox.serialize`` into memory, typed as the bytes it returns."""
    return to_bytes(ox.serialize(triples, format=format, prefixes=prefixes))
