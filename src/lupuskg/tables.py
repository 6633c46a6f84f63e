"""Query results as a table for people (``lupuskg query ... --format table``).

Readable at 80-100 columns: one line per row, labels instead of IRIs, long text cut
with an ellipsis, a column that holds the same value in every row (of three or more) said once below
the table instead when the table is too wide, the rightmost columns hidden when even their narrowest useful width does
not fit, and at most ``max_rows`` rows (the footer counts the rest). The widths are
computed here, so the output at a given width is fixed (tests compare it with a golden
file at ``COLUMNS=100``).

On a terminal the table goes through rich (bold header, the terminal's width); on a pipe
or file it is written as plain text, without importing rich, so that a table costs about
what CSV costs. ``wide=True`` shows everything: IRI and label columns side by side, whole
cells, all rows, as wide as the widest row needs.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from .labels import LABEL_SUFFIX
from .results import Cell, QueryResult

__all__ = ["DEFAULT_ROWS", "Column", "columns_for", "layout", "render_table", "table_lines"]

#: rows shown by default; the footer says how many more there are
DEFAULT_ROWS = 50
#: a column is never wider than this unless ``wide``
_CAP = 48
#: nor narrower than this (or its own content), so that a cut cell still says something
_LEAST = 16
#: width of a pipe or file when COLUMNS is not set
_PIPE_WIDTH = 200
#: characters between two columns
_GAP = 2


@dataclass(frozen=True)
class Column:
    """One displayed column: its header, the variable it shows, and the label shown instead."""

    header: str
    index: int  # into the result row
    label_index: int | None  # the label column shown in its place, where the cell has a label


def columns_for(result: QueryResult, wide: bool) -> list[Column]:
    """Labels instead of IRIs (label column hidden, IRI shown where there is no label)."""
    names = result.variables
    if wide:
        return [Column(name, index, None) for index, name in enumerate(names)]
    shown = []
    for index, name in enumerate(names):
        if name.endswith(LABEL_SUFFIX) and name[: -len(LABEL_SUFFIX)] in names:
            continue
        label = name + LABEL_SUFFIX
        shown.append(Column(name, index, names.index(label) if label in names else None))
    return shown


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cell_text(row: Sequence[Cell | None], column: Column) -> str:
    """The label where there is one, else the cell as a CURIE or its text, on one line."""
    if column.label_index is not None:
        label = row[column.label_index]
        if label is not None and label.lexical:
            return _one_line(label.lexical)
    cell = row[column.index]
    return "" if cell is None else _one_line(str(cell))


def layout(
    headers: Sequence[str], cells: Sequence[Sequence[str]], width: int
) -> tuple[list[int], int]:
    """Column widths that fit ``width``, and how many columns (from the left) are shown.

    Each column wants its longest cell (at most _CAP) and needs at least the smaller of
    that and max(_LEAST, its header up to 16); columns are kept from the left while their
    needs fit, then the spare width goes to them in proportion to what they still want.
    """
    want = [
        min(_CAP, max([len(header), *(len(row[i]) for row in cells)]))
        for i, header in enumerate(headers)
    ]
    need = [min(w, max(_LEAST, min(len(h), 16))) for w, h in zip(want, headers, strict=True)]
    used = 0
    kept = 0
    for n in need:
        extra = n + (_GAP if kept else 0)
        if used + extra > width and kept:
            break
        used += extra
        kept += 1
    widths = need[:kept]
    spare = width - used
    deficit = [w - n for w, n in zip(want[:kept], widths, strict=True)]
    total = sum(deficit)
    if total and spare > 0:
        if total <= spare:
            widths = want[:kept]
        else:
            grants = [spare * d // total for d in deficit]
            left = spare - sum(grants)
            for i, d in enumerate(deficit):
                if left and grants[i] < d:
                    grants[i] += 1
                    left -= 1
            widths = [w + g for w, g in zip(widths, grants, strict=True)]
    return widths, kept


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def table_lines(
    result: QueryResult,
    width: int,
    *,
    title: str | None = None,
    wide: bool = False,
    max_rows: int | None = DEFAULT_ROWS,
) -> tuple[list[str], list[str]]:
    """The table as (header lines, other lines) of plain text (see the module)."""
    if result.boolean is not None:
        return [], ["true" if result.boolean else "false"]
    limit = None if wide or not max_rows else max_rows
    rows = result.rows if limit is None else result.rows[:limit]
    columns = columns_for(result, wide)
    cells = [[cell_text(row, column) for column in columns] for row in rows]
    constant: list[str] = []
    headers = [column.header for column in columns]
    if not wide and len(result.rows) > 2 and layout(headers, cells, width)[1] < len(columns):
        # only when columns would be hidden otherwise; judged on every row, not only the
        # shown ones, so that the note is true of the whole result
        same = [
            column
            for column in columns
            if len({cell_text(row, column) for row in result.rows}) == 1
        ]
        if len(same) < len(columns):
            constant = [
                f"{column.header} = {cells[0][columns.index(column)] or '(unbound)'}"
                for column in same
            ]
            keep = [i for i, column in enumerate(columns) if column not in same]
            columns = [columns[i] for i in keep]
            cells = [[row[i] for i in keep] for row in cells]
    headers = [column.header for column in columns]
    if wide:
        widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
        kept = len(columns)
    else:
        widths, kept = layout(headers, cells, width)

    def line(texts: Sequence[str]) -> str:
        parts = [_cut(text, w).ljust(w) for text, w in zip(texts, widths, strict=False)]
        return (" " * _GAP).join(parts).rstrip()

    head = [title] if title else []
    head.append(line(headers[:kept]))
    body = [line(["─" * w for w in widths])]
    body += [line(row[:kept]) for row in cells]
    total = len(result.rows)
    footer = f"{total} row(s)"
    if len(rows) < total:
        footer += f"; {total - len(rows)} more not shown (--max-rows 0: all; --format csv: data)"
    body.append(footer)
    if constant:
        body.append(_cut("same in every row: " + "; ".join(constant), max(width, 40)))
    if kept < len(columns):
        body.append(
            _cut(f"hidden columns: {', '.join(headers[kept:])} (--wide shows them)", max(width, 40))
        )
    return head, body


def render_table(
    result: QueryResult,
    *,
    title: str | None = None,
    file: IO[str] | None = None,
    wide: bool = False,
    max_rows: int | None = DEFAULT_ROWS,
) -> None:
    """Print a result for people (see the module); ``max_rows`` None or 0 prints all rows."""
    out = file if file is not None else sys.stdout
    terminal = out.isatty()
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        width = int(columns)
    elif terminal:
        width = shutil.get_terminal_size().columns
    else:
        width = _PIPE_WIDTH
    head, body = table_lines(result, width, title=title, wide=wide, max_rows=max_rows)
    if not terminal:
        out.write("\n".join(head + body) + "\n")
        out.flush()
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False)
    text = Text()
    for number, line in enumerate(head):
        bold = number == len(head) - 1
        text.append(line + "\n", style="bold" if bold else "")
    text.append("\n".join(body))
    # soft_wrap: lines go out as they are (they fit the width, or --wide wants them whole)
    console.print(text, soft_wrap=True)
