"""Which line of a Turtle file first describes a node, so reports can say ``file:line``.

Canonical Turtle (``lupuskg fmt``) writes each subject at column 0, as a prefixed name
or an ``<IRI>``. The file's own prefix declarations are used to expand prefixed names,
so a hand-written file with other prefix labels is located correctly too. When a node
never starts a line (a hand-indented file, or a node that only appears as an object),
the first line that mentions it is used instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["LineIndex"]

_PREFIX = re.compile(r"^\s*(?:@prefix\s+|PREFIX\s+)([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.IGNORECASE)
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_IRI_TOKEN = re.compile(r"^<([^>\s]*)>")
_PNAME_TOKEN = re.compile(r"^([A-Za-z][\w.-]*)?:((?:[^\s;,()\[\]\"'#\\]|\\.)*)")


@dataclass
class LineIndex:
    """First line (1-based) of every node in one Turtle text, as subject or as any mention."""

    text: str
    prefixes: dict[str, str] = field(default_factory=dict)
    _subjects: dict[str, int] = field(default_factory=dict)
    _lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lines = self.text.splitlines()
        base = ""
        for line in self._lines:
            if match := _PREFIX.match(line):
                self.prefixes.setdefault(match.group(1) or "", match.group(2))
            elif match := _BASE.match(line):
                base = match.group(1)
        self._base = base
        for number, line in enumerate(self._lines, 1):
            iri = self._subject_at_start(line)
            if iri is not None:
                self._subjects.setdefault(iri, number)

    def line_of(self, iri: str) -> int | None:
        """The line where ``iri`` first starts a line as a subject, else where it first appears."""
        if iri in self._subjects:
            return self._subjects[iri]
        return self._first_mention(iri)

    def _subject_at_start(self, line: str) -> str | None:
        stripped = line.lstrip()
        if not stripped or stripped[0] in "#@;.,[(\"')" or len(line) != len(stripped):
            return None
        if re.match(r"(?i)(prefix|base)\s", stripped):
            return None
        return self._expand_token(stripped)

    def _expand_token(self, token: str) -> str | None:
        if match := _IRI_TOKEN.match(token):
            return (
                self._base + match.group(1)
                if self._base and ":" not in match.group(1)
                else match.group(1)
            )
        if match := _PNAME_TOKEN.match(token):
            namespace = self.prefixes.get(match.group(1) or "")
            if namespace is None:
                return None
            local = match.group(2).rstrip(".")
            return namespace + _LOCAL_ESCAPE.sub(r"\1", local)
        return None

    def _first_mention(self, iri: str) -> int | None:
        forms = [f"<{iri}>"]
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                forms.append(f"{prefix}:{iri[len(namespace) :]}")
        pattern = re.compile(
            r"(?<![\w:/.-])(?:"
            + "|".join(re.escape(form) for form in forms)
            + r")(?![\w-]|\.[\w-])"
        )
        for number, line in enumerate(self._lines, 1):
            if pattern.search(line):
                return number
        return None
