"""How long synthesis steps say how far they are, without printing anything themselves.

Library functions take an optional ``progress`` hook and call it as
``progress(step, done, total)``; the CLI turns the calls into a rich progress bar on a
terminal (and ignores them elsewhere), notebooks may pass their own or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["ProgressHook", "tracked"]

#: ``progress(step, done, total)``: ``done`` of ``total`` units of ``step`` are finished
ProgressHook = Callable[[str, int, int], None]

T = TypeVar("T")

#: at most this many calls per step, so that a hook costs nothing on large corpora
_UPDATES = 100


def tracked(
    items: Iterable[T], total: int, step: str, progress: ProgressHook | None
) -> Iterator[T]:
    """``items`` unchanged, reporting ``step`` to ``progress`` about every 1% and at the end."""
    if progress is None:
        yield from items
        return
    every = max(1, total // _UPDATES)
    progress(step, 0, total)
    done = 0
    for done, item in enumerate(items, start=1):
        yield item
        if done % every == 0 and done < total:
            progress(step, done, total)
    progress(step, max(done, total), total)
