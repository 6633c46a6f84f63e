"""Keeping hand-edited Turtle canonical, so diffs stay readable and drift is caught."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .files import write_file
from .rdfio import canonical_turtle, display_path, parse_graph

__all__ = ["CANONICAL_DIRS", "FormatResult", "canonical_files", "format_file"]

#: folders whose Turtle is kept canonical (test fixtures are deliberately left alone)
CANONICAL_DIRS = ("ontology", "ontology/imports", "graph/documents", "queries")


@dataclass(frozen=True)
class FormatResult:
    """One file and whether it was (or would be) rewritten."""

    path: str
    changed: bool


def canonical_files(settings: Settings) -> list[Path]:
    """Every Turtle file that must be canonical."""
    files: list[Path] = []
    for folder in CANONICAL_DIRS:
        files += sorted((settings.root / folder).glob("*.ttl"))
    return files


def format_file(path: Path, settings: Settings, *, check: bool) -> FormatResult:
    """Re-serialise one file canonically; with ``check`` only report whether it differs."""
    shown = display_path(path, settings.root)
    text = canonical_turtle(parse_graph(path, shown))
    changed = path.read_text(encoding="utf-8") != text
    if changed and not check:
        write_file(path, text, shown)  # atomic: a full disk leaves the old file intact
    return FormatResult(shown, changed)
