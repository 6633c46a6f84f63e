"""The query guard: decide, before the engine sees it, whether a request may run.

It parses the query with a real SPARQL 1.1 parser (rdflib's; pyoxigraph does not expose
its algebra to Python) and walks the parse tree, so a SERVICE is found whatever its
spelling: lower case, glued to its target (`SERVICE:x`), behind comments or `\\u`
escapes. Matching words, as an earlier version did, missed `SERVICEl:x` and
`SERVICESILENT<iri>`, which pyoxigraph accepts and federates over HTTP.

Three rules keep the guard and the engine from disagreeing about what a query says:
  - a text the guard's parser cannot parse is refused, even if pyoxigraph could run it
    (pyoxigraph accepts glued spellings that rdflib rejects; those are exactly the ones
    that must not slip through);
  - every occurrence of the letters "service" in the (unescaped) text must be accounted
    for by a SERVICE pattern in the tree or by a name, string or IRI that contains them;
    an unaccounted one (a comment, or a parser disagreement) is refused;
  - SERVICE targets must be absolute IRIs on the allow-list (a variable never is).

The guard refuses SPARQL Update (never passed to an engine) and over-long queries, and
tells the caller the query form (for content negotiation) and whether the query has a
dataset clause (FROM / FROM NAMED), which pyoxigraph resolves against graphs already in
the store. Parsing is done in the query worker processes (see worker.py), which have a
wall-clock limit, never on the event loop.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier, URIRef, Variable

from .limits import ServerLimits
from .problems import Problem

__all__ = ["GuardedQuery", "guard_query"]

#: keywords that only occur in SPARQL 1.1 Update requests
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY")
_UPDATE_WORD = re.compile(r"(?<![\w?$:])(" + "|".join(UPDATE_KEYWORDS) + r")(?![\w:])", re.I)
_FORMS = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
    "AskQuery": "ASK",
}
_SERVICE = "service"
#: parse-tree keys whose values repeat text that is already in the tree
_DERIVED_KEYS = frozenset({"service_string"})


@dataclass(frozen=True)
class GuardedQuery:
    """A query that passed the guard, with what the server needs to know about it."""

    text: str
    #: SELECT, CONSTRUCT, DESCRIBE or ASK
    form: str
    #: the query names its own dataset (FROM / FROM NAMED), resolved inside the store
    has_dataset_clause: bool
    #: the (allow-listed) SERVICE IRIs the query calls
    services: tuple[str, ...] = ()
    #: a digest of the parse tree: equal for texts that differ only in whitespace, comments
    #: or keyword case (the result cache's key, lupuskg.server.cache)
    normalized: str = ""


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
    return _guard_cached(text, limits)


@functools.lru_cache(maxsize=512)
def _guard_cached(text: str, limits: ServerLimits) -> GuardedQuery:
    """Repeated queries (dashboards, the canned queries) are parsed once per worker."""
    try:
        unescaped = expandUnicodeEscapes(text)
    except ValueError as error:
        raise Problem(400, f"malformed query: {error}") from None
    prologue, query = _parse(unescaped)
    prefixes, base = _prologue(prologue)
    services = [_service_iri(node, prefixes, base, limits) for node in _services(query)]
    _account_for_service_words(unescaped, [prologue, query], len(services))
    return GuardedQuery(
        text=text,
        form=_FORMS[query.name],
        has_dataset_clause="datasetClause" in query,
        services=tuple(services),
        normalized=_normalized(prologue, query),
    )


def _normalized(prologue: Any, query: CompValue) -> str:
    """The parse tree's digest. Its repr holds every term and keyword the query uses, and no
    layout; an anonymous blank node gets a fresh label per parse, so such a query never
    shares a digest (a cache miss, never a wrong hit)."""
    try:
        text = repr((prologue, query))
    except RecursionError:
        return ""  # too deep to digest: not cached
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse(unescaped: str) -> tuple[Any, CompValue]:
    try:
        parsed = parseQuery(unescaped)
    except ParseBaseException as error:
        _refuse_update(unescaped)
        raise Problem(
            400,
            f"malformed query (line {error.lineno}, column {error.col}): the endpoint's "
            "SPARQL 1.1 parser cannot read it; write keywords apart from what follows "
            "them (e.g. 'SERVICE <iri>', not 'SERVICE<iri>')",
        ) from None
    except (RecursionError, ValueError) as error:
        raise Problem(400, f"malformed query: {type(error).__name__}") from None
    prologue, query = parsed[0], parsed[1]
    if not isinstance(query, CompValue) or query.name not in _FORMS:
        raise Problem(400, "not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    return prologue, query


def _refuse_update(unescaped: str) -> None:
    """A text that is not a query but is (or looks like it carries) an update gets 403."""
    try:
        update = parseUpdate(unescaped)
    except (ParseBaseException, RecursionError, ValueError):
        update = None
    else:
        if update is not None and "request" not in update:
            return  # a bare prologue: not a query either
    match = _UPDATE_WORD.search(unescaped)
    if match is None and update is None:
        return
    word = match.group(1).upper() if match else "update"
    raise Problem(403, f"SPARQL Update ({word}) is not allowed: this endpoint is read-only")


def _prologue(prologue: Any) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base: str | None = None
    for decl in prologue or ():
        if not isinstance(decl, CompValue):
            continue
        if decl.name == "PrefixDecl":
            prefixes[_field(decl, "prefix")] = str(decl["iri"])
        elif decl.name == "Base":
            base = str(decl["iri"])
    return prefixes, base


def _field(node: CompValue, key: str) -> str:
    """A parse-tree field as text ("" when absent; CompValue.get would return the key)."""
    return str(node[key]) if key in node else ""


def _nodes(value: Any) -> Iterator[Any]:
    """Every value in a parse tree, depth first, iteratively (deep trees must not recurse)."""
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(v for k, v in item.items() if k not in _DERIVED_KEYS)
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)


def _services(query: CompValue) -> Iterator[CompValue]:
    for node in _nodes(query):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            yield node


def _service_iri(
    node: CompValue, prefixes: dict[str, str], base: str | None, limits: ServerLimits
) -> str:
    term = dict.get(node, "term")  # CompValue.get would answer the key itself
    iri: str | None = None
    if isinstance(term, URIRef) and base is None and ":" in term:
        iri = str(term)
    elif isinstance(term, CompValue) and term.name == "pname":
        prefix = _field(term, "prefix")
        if prefix in prefixes:
            iri = prefixes[prefix] + _field(term, "localname")
    if iri is None or iri not in limits.service_allow:
        shown = iri or ("?" + term if isinstance(term, Variable) else str(term))
        raise Problem(
            403,
            f"SERVICE {shown} is not allowed: federated queries may only call "
            "endpoints on this server's allow-list",
        )
    return iri


def _account_for_service_words(unescaped: str, tree: list[Any], patterns: int) -> None:
    """Refuse a query whose text says "service" more often than its parse tree explains."""
    said = unescaped.lower().count(_SERVICE)
    if said == 0:
        return
    explained = patterns
    for node in _nodes(tree):
        if isinstance(node, str | Identifier):
            explained += str(node).lower().count(_SERVICE)
        if explained >= said:
            return
    raise Problem(
        403,
        "the word SERVICE occurs where the query's parse tree has no SERVICE pattern "
        "(in a comment, or spelt so the engine might read it differently); remove it. "
        "Federated queries may only call endpoints on this server's allow-list",
    )
