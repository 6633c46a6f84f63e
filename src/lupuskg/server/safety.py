"""The query guard: decide, before any engine sees it, whether a request may run.

It tokenises the query text the way the SPARQL grammar does (comments, strings, IRIs,
variables, prefixed names and language tags are consumed whole), so that a keyword
hidden in a string, an IRI or a comment is never mistaken for an operation, and an
operation keyword is never missed because it is lower case. It refuses SPARQL Update
operations (they are never passed to an engine), SERVICE calls to any IRI that is not
on the allow-list (pyoxigraph *does* federate over HTTP), and over-long queries. It also
tells the caller the query form (for content negotiation) and whether the query has a
dataset clause (FROM / FROM NAMED), which pyoxigraph resolves against graphs already
in the store: those IRIs are never dereferenced.

The engine's own parser is the second gate: anything that passes here but is not a
valid query fails there with 400.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .limits import ServerLimits
from .problems import Problem

__all__ = ["GuardedQuery", "guard_query", "tokens"]

#: keywords that only occur in SPARQL 1.1 Update requests
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w:%\\\-]|\.(?=[\w:%\\\-]))*)
    | (?P<word>[^\W\d]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class GuardedQuery:
    """A query that passed the guard, with what the server needs to know about it."""

    text: str
    #: SELECT, CONSTRUCT, DESCRIBE or ASK
    form: str
    #: the query names its own dataset (FROM / FROM NAMED), resolved inside the store
    has_dataset_clause: bool


def tokens(text: str) -> Iterator[Token]:
    """Significant tokens of a SPARQL text (whitespace and comments dropped)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group())


def guard_query(text: str, limits: ServerLimits) -> GuardedQuery:
    """Check a query request; raise Problem (400, 403 or 413) if it must not run."""
    if len(text) > limits.max_query_length:
        raise Problem(
            413,
            f"query text is {len(text)} characters; this endpoint accepts at most "
            f"{limits.max_query_length}",
        )
    if not text.strip():
        raise Problem(400, "empty query")
    significant = list(tokens(text))
    prefixes: dict[str, str] = {}
    form = ""
    has_dataset = False
    for index, token in enumerate(significant):
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word in UPDATE_KEYWORDS:
            raise Problem(403, f"SPARQL Update ({word}) is not allowed: this endpoint is read-only")
        if word == "PREFIX":
            _record_prefix(significant, index, prefixes)
        elif word == "SERVICE":
            _check_service(significant, index, prefixes, limits)
        elif word == "FROM":
            has_dataset = True
        elif word in QUERY_FORMS and not form:
            form = word
    if not form:
        raise Problem(400, "not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    return GuardedQuery(text=text, form=form, has_dataset_clause=has_dataset)


def _record_prefix(significant: list[Token], index: int, prefixes: dict[str, str]) -> None:
    following = significant[index + 1 : index + 3]
    if len(following) == 2 and following[0].kind == "pname" and following[1].kind == "iri":
        prefixes[following[0].text.rstrip(":").split(":")[0]] = following[1].text[1:-1]


def _check_service(
    significant: list[Token], index: int, prefixes: dict[str, str], limits: ServerLimits
) -> None:
    position = index + 1
    if position < len(significant) and significant[position].text.upper() == "SILENT":
        position += 1
    target = significant[position] if position < len(significant) else None
    iri = _service_iri(target, prefixes)
    if iri is None or iri not in limits.service_allow:
        shown = iri or (target.text if target else "nothing")
        raise Problem(
            403,
            f"SERVICE {shown} is not allowed: federated queries may only call "
            "endpoints on this server's allow-list",
        )


def _service_iri(target: Token | None, prefixes: dict[str, str]) -> str | None:
    if target is None:
        return None
    if target.kind == "iri":
        return target.text[1:-1]
    if target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None
