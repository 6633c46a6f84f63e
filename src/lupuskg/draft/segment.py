"""Sentences with their code-point offsets into the source text (pySBD, line by line).

Source texts are captures with headings and short lines; pySBD is given one line at a
time so that a heading never runs into the sentence after it. Every sentence is located
in the source with ``str.find`` from a running cursor, so ``text[start:end]`` is the
sentence verbatim (pySBD is asked not to clean the text), trimmed of whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pysbd

__all__ = ["Sentence", "sentences"]

_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a source text: ``source[start:end] == text``."""

    start: int
    end: int
    text: str


@cache
def _segmenter() -> pysbd.Segmenter:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def sentences(source: str) -> list[Sentence]:
    """The sentences of ``source`` in reading order, verbatim with offsets."""
    found: list[Sentence] = []
    for line in _LINE.finditer(source):
        cursor = line.start()
        for piece in _segmenter().segment(line.group()):
            stripped = piece.strip()
            if not stripped:
                continue
            start = source.find(stripped, cursor, line.end())
            if start < 0:  # pySBD changed the text after all: fall back to the whole line
                start, stripped = line.start(), line.group().strip()
                start = source.find(stripped, line.start())
            end = start + len(stripped)
            found.append(Sentence(start, end, stripped))
            cursor = end
    return found
