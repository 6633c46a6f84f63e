"""Where the validation fixtures live; a plain module so tests never import `conftest`.

An invalid document is a small patch (``tests/data/invalid/<case>.patch``, a unified diff)
applied to one known-good base document named in its ``---`` line, beside the results
it must produce (``<case>.expected``). `invalid_document` applies the patch.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURE_DOCUMENTS = HERE / "fixtures" / "documents"
INVALID = HERE.parent / "data" / "invalid"

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def patch_base(patch: Path) -> Path:
    """The base document a patch applies to (its ``---`` line, relative to the repository)."""
    for line in patch.read_text(encoding="utf-8").splitlines():
        if line.startswith("--- "):
            return ROOT / line[4:].split("\t")[0]
    raise ValueError(f"{patch}: no '--- base' line")


def apply_patch(base: str, patch: str) -> str:
    """``base`` with the unified diff ``patch`` applied; a context line that differs is an error."""
    old = base.splitlines(keepends=True)
    new: list[str] = []
    position = 0  # lines of `old` consumed
    lines = patch.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("@@"))
    while index < len(lines):
        match = _HUNK.match(lines[index])
        if match is None:
            raise ValueError(f"patch line {index + 1}: expected a hunk header")
        start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
        new.extend(old[position:start])
        position = start
        index += 1
        while index < len(lines) and not lines[index].startswith("@@"):
            tag, text = lines[index][0], lines[index][1:]
            if tag in " -":
                if old[position] != text:
                    raise ValueError(
                        f"patch line {index + 1} does not match base line {position + 1}"
                    )
                position += 1
            if tag in " +":
                new.append(text)
            index += 1
    new.extend(old[position:])
    return "".join(new)


def invalid_document(name: str) -> str:
    """The invalid document ``name`` ("bad-doi.ttl", "duplicate-iri/x.ttl"): patch on base."""
    patch = (INVALID / name).with_suffix(".patch")
    return apply_patch(
        patch_base(patch).read_text(encoding="utf-8"), patch.read_text(encoding="utf-8")
    )


def write_invalid(name: str, target: Path) -> Path:
    """Write the invalid document ``name`` (e.g. "bad-doi.ttl") to ``target``."""
    target.write_text(invalid_document(name), encoding="utf-8")
    return target
