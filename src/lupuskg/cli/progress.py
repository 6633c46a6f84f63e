"""Progress output of the long commands (`meta`, `profile`, `map`, `release`), on stderr.

The library functions print nothing; they call a hook ``progress(step, done, total)``
(:data:`lupuskg.synthesis.progress.ProgressHook`). :func:`progress_output` turns the
calls into a rich progress bar on a terminal, one task per step, transient so that the
table or JSON that follows stands alone. Off a terminal (pipes, CI, logs) a command
either stays silent (the synthesis commands, whose output is data) or, with ``plain``,
writes one line per finished step (``release``, whose steps take seconds each).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.progress import Progress

    from ..synthesis.progress import ProgressHook

__all__ = ["progress_output"]


@contextmanager
def progress_output(
    tty: bool | None = None, *, plain: bool = False, prefix: str = ""
) -> Iterator[ProgressHook | None]:
    """A hook for the library's progress calls: a rich bar on a terminal (``tty``: whether
    stderr is one, detected when None); off a terminal plain lines (``plain``: ``prefix``
    then ``step (done/total, 1.2 s)`` as each step finishes) or nothing (the hook is None,
    so nothing is measured either)."""
    if not (sys.stderr.isatty() if tty is None else tty):
        yield _lines(prefix) if plain else None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn(prefix + "{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True, force_terminal=tty),
        transient=True,
    )
    with bar:
        yield _hook(bar)


def _hook(bar: Progress) -> ProgressHook:
    tasks: dict[str, Any] = {}

    def report(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = bar.add_task(step, total=total)
        bar.update(tasks[step], completed=done, total=total)

    return report


def _lines(prefix: str) -> ProgressHook:
    started: dict[str, float] = {}

    def report(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        first = started.setdefault(step, now)
        if done >= total and step not in finished:
            finished.add(step)
            click.echo(f"{prefix}{step} ({done}/{total}, {now - first:.1f} s)", err=True)

    finished: set[str] = set()
    return report
