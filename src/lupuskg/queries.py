"""The canned evidence queries: catalog, parameter resolution, binding and running.

Each question lives in ``queries/<id>_<slug>.ttl`` in the SIB sparql-examples form
(``sh:SPARQLSelectExecutable`` with ``sh:select``, ``rdfs:label``, ``rdfs:comment``,
``schema:keywords``) plus our parameter metadata (``lkg:parameter`` nodes with
``lkg:name``, ``lkg:valueType``, ``lkg:default``). The catalog is read with
pyoxigraph, never rdflib, so that ``lupuskg query`` starts fast.

Parameters are bound as RDF terms, never pasted into query text: on the embedded
store through pyoxigraph's ``substitutions`` (SEP-0007 pre-binding); on a remote
endpoint through a one-row SPARQL 1.1 ``VALUES`` block, built from validated terms,
that opens the outer WHERE group. Both bind the parameter before anything else in
the group, so both give the same answer (tests/queries and tests/virtuoso check it).
"""

from __future__ import annotations

import difflib
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from .config import Settings
from .config import settings as project_settings
from .exceptions import QueryError, UnknownParameterError, UnknownQueryError
from .labels import add_labels
from .namespaces import BASE, ONTOLOGY_GRAPH, PREFIXES, RDF_TYPE
from .remote import RemoteEndpoint
from .results import QueryResult, compact
from .store import open_query_store, open_store_with_drafts

__all__ = [
    "ALL_ROWS",
    "DRILL_DOWN_PAGE",
    "QUERY_BASE",
    "SPARQL_SERVICE",
    "CannedQuery",
    "Parameter",
    "Runner",
    "bind_values",
    "catalog",
    "default_bindings",
    "embedded_runner",
    "execute",
    "get_query",
    "load_catalog",
    "normalise_id",
    "page",
    "page_of",
    "resolve_parameters",
    "run_canned",
    "run_sparql",
    "self_contained",
    "write_answers",
]

QUERY_BASE = BASE + "query/"
SPARQL_SERVICE = BASE + "sparql"

_SH = PREFIXES["sh"]
_RDFS = PREFIXES["rdfs"]
_LKG = PREFIXES["lkg"]
_XSD = PREFIXES["xsd"]
_SCHEMA = PREFIXES["schema"]
_ID = re.compile(r"^[Qq]?0*(\d{1,3})$")
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*):([^\s/][^\s]*)?$")

#: run a SPARQL text with parameter bindings (variable name -> RDF term)
Runner = Callable[[str, Mapping[str, Any]], QueryResult]


@dataclass(frozen=True)
class Parameter:
    """One named parameter of a canned query."""

    iri: str
    name: str
    value_type: str
    default: str | None
    comment: str

    @property
    def takes_iri(self) -> bool:
        """True unless the value type is an XSD datatype (then the value is a literal)."""
        return not self.value_type.startswith(_XSD)


@dataclass(frozen=True)
class CannedQuery:
    """A query file: its metadata and its SPARQL text."""

    id: str
    iri: str
    title: str
    question: str
    keywords: tuple[str, ...]
    sparql: str
    parameters: tuple[Parameter, ...]
    path: Path

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        names = [parameter.name for parameter in self.parameters]
        raise UnknownParameterError(
            f"query {self.id} has no parameter {name!r}"
            + _suggest(name, names)
            + (f"; valid parameters: {', '.join(names)}" if names else "; it takes no parameters"),
        )


# ---------------------------------------------------------------- catalog


def load_catalog(directory: Path) -> dict[str, CannedQuery]:
    """Every ``*.ttl`` directly in ``directory`` (sub-folders such as _shapes are skipped)."""
    queries: dict[str, CannedQuery] = {}
    for path in sorted(directory.glob("*.ttl")):
        for query in _queries_in(path):
            if query.id in queries:
                raise QueryError(
                    f"{path.name}: query {query.id} is also defined in {queries[query.id].path.name}"
                )
            queries[query.id] = query
    return dict(sorted(queries.items()))


def _queries_in(path: Path) -> list[CannedQuery]:
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise QueryError(f"{path}: malformed query metadata: {error}") from error
    about: dict[str, dict[str, list[Any]]] = {}
    for triple in triples:
        about.setdefault(str(triple.subject), {}).setdefault(triple.predicate.value, []).append(
            triple.object
        )
    queries = []
    for subject, properties in about.items():
        types = {term.value for term in properties.get(RDF_TYPE, [])}
        if _SH + "SPARQLExecutable" not in types:
            continue
        iri = subject.strip("<>")
        queries.append(
            CannedQuery(
                id=iri.rsplit("/", 1)[-1],
                iri=iri,
                title=_one(properties, _RDFS + "label", path),
                question=_one(properties, _RDFS + "comment", path),
                keywords=tuple(
                    sorted(term.value for term in properties.get(_SCHEMA + "keywords", []))
                ),
                sparql=_one(properties, _SH + "select", path),
                parameters=tuple(
                    _parameter(about.get(str(node), {}), node.value, path)
                    for node in sorted(properties.get(_LKG + "parameter", []), key=str)
                ),
                path=path,
            )
        )
    return queries


def _one(properties: Mapping[str, list[Any]], predicate: str, path: Path) -> str:
    values = properties.get(predicate, [])
    if len(values) != 1:
        raise QueryError(f"{path.name}: expected exactly one <{predicate}>, found {len(values)}")
    return str(values[0].value)


def _parameter(properties: Mapping[str, list[Any]], iri: str, path: Path) -> Parameter:
    defaults = properties.get(_LKG + "default", [])
    return Parameter(
        iri=iri,
        name=_one(properties, _LKG + "name", path),
        value_type=_one(properties, _LKG + "valueType", path),
        default=defaults[0].value if defaults else None,
        comment=_one(properties, _RDFS + "comment", path),
    )


def _fingerprint(directory: Path) -> tuple[tuple[str, int], ...]:
    return tuple((path.name, path.stat().st_mtime_ns) for path in sorted(directory.glob("*.ttl")))


@cache
def _cached_catalog(
    directory: Path, fingerprint: tuple[tuple[str, int], ...]
) -> dict[str, CannedQuery]:
    return load_catalog(directory)


def catalog(settings: Settings | None = None) -> dict[str, CannedQuery]:
    """The project's canned queries by id (re-read when a file changes)."""
    directory = (settings or project_settings()).queries_dir
    return _cached_catalog(directory, _fingerprint(directory))


def normalise_id(query_id: str) -> str:
    """``q5``, ``5``, ``Q05`` and the query IRI all name Q05."""
    text = query_id.strip().removeprefix(QUERY_BASE)
    match = _ID.match(text)
    return f"Q{int(match.group(1)):02d}" if match else text


def get_query(query_id: str, settings: Settings | None = None) -> CannedQuery:
    """One canned query; an UnknownQueryError listing the valid ids otherwise."""
    queries = catalog(settings)
    key = normalise_id(query_id)
    if key in queries:
        return queries[key]
    raise UnknownQueryError(
        f"unknown query {query_id!r}"
        + _suggest(key, list(queries))
        + f"; valid queries: {', '.join(queries)}",
        hint="`lupuskg queries` lists them with their titles",
    )


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


# ---------------------------------------------------------------- parameters


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_LABELS = f"""
PREFIX rdfs: <{_RDFS}>
PREFIX oboInOwl: <{PREFIXES["oboInOwl"]}>
SELECT DISTINCT ?term ?text ?kind WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{
    {{ ?term rdfs:label ?text BIND("label" AS ?kind) }}
    UNION
    {{ ?term oboInOwl:hasExactSynonym ?text BIND("synonym" AS ?kind) }}
    FILTER(isIRI(?term))
  }}
}}
"""

_UNDER = f"""
PREFIX rdfs: <{_RDFS}>
SELECT DISTINCT ?type ?term WHERE {{
  # classes under the type, and individuals of it (a document is Q22's parameter)
  {{ ?term rdfs:subClassOf* ?type }} UNION {{ ?term a/rdfs:subClassOf* ?type }}
}}
"""


class _Lookup:
    """Labels and synonyms of the ontology graph, fetched once per run."""

    def __init__(self, runner: Runner) -> None:
        self._runner = runner
        self._labels: list[tuple[str, str, str]] | None = None
        self._under: dict[str, set[str]] = {}

    def labels(self) -> list[tuple[str, str, str]]:
        if self._labels is None:
            rows = self._runner(_LABELS, {}).rows
            self._labels = sorted(
                (row[0].lexical, row[1].lexical, row[2].lexical)
                for row in rows
                if row[0] and row[1] and row[2]
            )
        return self._labels

    def under(self, value_type: str) -> set[str]:
        if value_type not in self._under:
            rows = self._runner(_UNDER, {"type": ox.NamedNode(value_type)}).rows
            self._under[value_type] = {row[1].lexical for row in rows if row[1] is not None}
        return self._under[value_type]


def resolve_parameters(
    query: CannedQuery, params: Mapping[str, Any], runner: Runner
) -> dict[str, Any]:
    """Name -> RDF term for every parameter: given values resolved, defaults filled in."""
    lookup = _Lookup(runner)
    given = {name: value for name, value in params.items() if value is not None}
    bound: dict[str, Any] = {}
    for name, value in given.items():
        parameter = query.parameter(name)
        bound[name] = resolve_value(query, parameter, value, lookup)
    for name, term in default_bindings(query).items():
        bound.setdefault(name, term)
    return bound


def default_bindings(query: CannedQuery) -> dict[str, Any]:
    """Name -> RDF term of every parameter that has a default."""
    return {
        parameter.name: (
            ox.NamedNode(parameter.default)
            if parameter.takes_iri
            else ox.Literal(parameter.default, datatype=ox.NamedNode(parameter.value_type))
        )
        for parameter in query.parameters
        if parameter.default is not None
    }


def self_contained(query: CannedQuery) -> str:
    """The release ``.rq`` text: a comment header (title, question, each parameter with its
    type and default) and the query with its defaults bound in the VALUES block that opens
    the WHERE group, so any SPARQL 1.1 engine gives the canned answer unchanged."""

    def comment(text: str, indent: str = "") -> list[str]:
        return [
            f"# {line}".rstrip()
            for line in textwrap.wrap(
                text, width=92, initial_indent=indent, subsequent_indent=indent + "  "
            )
        ]

    lines = [f"# {query.id}: {query.title}", f"# <{query.iri}>"]
    lines += comment(query.question)
    if query.parameters:
        lines.append("#")
        lines.append("# Parameters (their defaults are bound in the VALUES block at the top of")
        lines.append(
            "# WHERE; change a value there, or use `lupuskg query ID --param NAME=VALUE`):"
        )
        for parameter in query.parameters:
            default = compact(parameter.default) if parameter.default else "none (unbound)"
            lines += comment(
                f"?{parameter.name} ({compact(parameter.value_type)}), default {default}. "
                + parameter.comment,
                indent="  ",
            )
    else:
        lines.append("# Parameters: none.")
    lines.append("#")
    lines.append("# Written for a store whose default graph is the union of its named graphs")
    lines.append('# (README, "Stores").')
    return (
        "\n".join(lines) + "\n" + bind_values(query.sparql, default_bindings(query)).rstrip() + "\n"
    )


def resolve_value(query: CannedQuery, parameter: Parameter, value: Any, lookup: _Lookup) -> Any:
    """An IRI, a CURIE, or a label/synonym from the ontology (case-insensitive) -> RDF term.

    A label may leave out a final "therapy": ``UC-MSC`` finds the synonym "UC-MSC therapy".
    """
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    text = str(value).strip()
    if not parameter.takes_iri:
        return _literal(query, parameter, text)
    iri = _as_iri(text)
    if iri is not None:
        try:
            term = ox.NamedNode(iri)
        except ValueError as error:
            raise UnknownParameterError(
                f"{query.id} parameter {parameter.name!r}: {text!r} is not a valid IRI ({error})"
            ) from error
        _check_known(query, parameter, text, iri, lookup)
        return term
    return ox.NamedNode(_by_label(query, parameter, text, lookup))


def _check_known(
    query: CannedQuery, parameter: Parameter, text: str, iri: str, lookup: _Lookup
) -> None:
    """An IRI or CURIE must name a term of the parameter's type; otherwise the answer would
    be a silent 0 rows. The error lists the nearest terms (by CURIE, local name and label)."""
    allowed = lookup.under(parameter.value_type)
    if iri in allowed:
        return
    labels = lookup.labels()
    label_of = {term: label for term, label, kind in sorted(labels) if kind == "label"}
    known = {term for term, _, _ in labels}
    if iri in known:
        problem = f"{text!r} names {iri} ({label_of.get(iri, 'no label')}), which is not a {_short(parameter.value_type)}"
    else:
        problem = f"{text!r} names no term in the graph"
    keys: dict[str, str] = {}
    names = [(term, text) for term, text, _ in labels if term in allowed]
    for term in sorted(allowed):
        names += [(term, compact(term)), (term, term.rsplit("/", 1)[-1].rsplit("#", 1)[-1])]
    for term, name in names:
        keys.setdefault(name.casefold(), term)
    wanted = [text.casefold(), iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1].casefold()]
    wanted.append(compact(iri).casefold())
    nearest: list[str] = []
    for word in wanted:
        for key in difflib.get_close_matches(word, list(keys), n=5, cutoff=0.5):
            if keys[key] not in nearest:
                nearest.append(keys[key])
    shown = [
        f"{compact(term)} ({label_of[term]})" if term in label_of else compact(term)
        for term in nearest[:5]
    ]
    raise UnknownParameterError(
        f"{query.id} parameter {parameter.name!r}: {problem}"
        + (f"; nearest terms: {', '.join(shown)}" if shown else "")
        + f" ({len(allowed)} terms fall under {_short(parameter.value_type)})",
        hint="`lupuskg query ID --param NAME=LABEL` also takes a label or synonym; "
        "check the CURIE's prefix and local name",
    )


def _as_iri(text: str) -> str | None:
    """Full IRIs (optionally in <>), our CURIEs, and OBO CURIEs such as MAXO:0000747."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE) or text.startswith("urn:"):
        return text
    match = _CURIE.match(text)
    if not match:
        return None
    prefix, local = match.group(1), match.group(2) or ""
    if prefix in PREFIXES:
        return PREFIXES[prefix] + local
    if re.fullmatch(r"[A-Z][A-Za-z]*", prefix) and re.fullmatch(r"[0-9]+", local):
        return f"{PREFIXES['obo']}{prefix}_{local}"
    return None


def _literal(query: CannedQuery, parameter: Parameter, text: str) -> ox.Literal:
    if parameter.value_type in (_XSD + "integer", _XSD + "nonNegativeInteger"):
        try:
            int(text)
        except ValueError:
            raise UnknownParameterError(
                f"{query.id} parameter {parameter.name!r} takes an integer, not {text!r}"
            ) from None
    return ox.Literal(text, datatype=ox.NamedNode(parameter.value_type))


def _by_label(query: CannedQuery, parameter: Parameter, text: str, lookup: _Lookup) -> str:
    """The one term of the parameter's type with this label or synonym (exact first)."""
    wanted = _key(text)
    labels = lookup.labels()
    allowed = lookup.under(parameter.value_type)
    elsewhere: set[str] = set()
    for key in (wanted, f"{wanted} therapy"):
        hits = {term for term, label, _ in labels if _key(label) == key}
        fitting = sorted(hits & allowed)
        if len(fitting) == 1:
            return fitting[0]
        if fitting:
            raise UnknownParameterError(
                f"{query.id} parameter {parameter.name!r}: {text!r} names several terms: {', '.join(fitting)}",
                hint="give the IRI or CURIE instead",
            )
        elsewhere |= hits
    valid = sorted(
        {label for term, label, kind in labels if kind == "label" and term in allowed},
        key=str.casefold,
    )
    if elsewhere:
        problem = f"{text!r} names {', '.join(sorted(elsewhere))}, which is not a {_short(parameter.value_type)}"
    else:
        names = {label for term, label, _ in labels if term in allowed}
        candidates = sorted(names | {name.removesuffix(" therapy") for name in names})
        close = difflib.get_close_matches(text, candidates, n=3, cutoff=0.6)
        problem = f"no term labelled {text!r}" + (
            f" (closest: {', '.join(repr(c) for c in close)})" if close else ""
        )
    raise UnknownParameterError(
        f"{query.id} parameter {parameter.name!r}: {problem}; valid choices: {', '.join(valid)}",
        hint="give a label or synonym from the ontology, a CURIE (lkg:UCMSCTherapy) or an IRI",
    )


def _short(iri: str) -> str:
    return compact(iri)


# ---------------------------------------------------------------- binding and running


#: what may hide a brace or the word WHERE: comments, strings, IRIs; then WHERE and "{"
_TOKENS = re.compile(
    r"""(?P<skip>\#[^\n]*"""
    r"""|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'"""
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
    r"""|<[^<>"{}|^`\\\x00-\x20]*>)"""
    r"""|(?P<where>(?<![\w:?$])WHERE(?![\w:-]))"""
    r"""|(?P<brace>\{)""",
    re.IGNORECASE,
)


def _where_group(sparql: str) -> int | None:
    """Offset just after the "{" that opens the outer WHERE group (None if there is none)."""
    after_where = False
    first_brace = None
    for token in _TOKENS.finditer(sparql):
        if token.lastgroup == "where":
            after_where = True
        elif token.lastgroup == "brace":
            if after_where:
                return token.end()
            first_brace = token.end() if first_brace is None else first_brace
    # `SELECT * { ... }` may leave out WHERE; a CONSTRUCT template must not take the block
    if first_brace is not None and not re.search(r"(?i)\bCONSTRUCT\b", sparql):
        return first_brace
    return None


def bind_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """The query with a one-row SPARQL 1.1 VALUES block for the bound parameters.

    Terms are serialised by pyoxigraph (validated IRIs, escaped literals), never pasted
    from user text. The block opens the outer WHERE group, so the parameters are bound
    before everything else in it (FILTER EXISTS included), as pyoxigraph's pre-binding
    does on the embedded store. Not a trailing VALUES clause: Virtuoso 7.2 joins that
    after the rdfs:subClassOf* paths and ignores the value there (issue 7). Queries
    without a WHERE group (none of the canned ones) get the trailing clause.
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    variables = " ".join(f"?{ox.Variable(name).value}" for name in names)
    values = " ".join(str(bindings[name]) for name in names)
    block = f"VALUES ({variables}) {{ ({values}) }}"
    start = _where_group(sparql)
    if start is None:
        return f"{sparql.rstrip()}\n{block}\n"
    return f"{sparql[:start]}\n  {block}{sparql[start:]}"


#: the rows a drill-down (a query with the keyword "drill-down": Q10-pairs, Q11-pairs) gives
#: when no limit is asked for: its rows grow with the pairs in the corpus (21,729 for
#: Q11-pairs at 1,000 documents), so the default call returns one bounded page
DRILL_DOWN_PAGE = 1000
#: the ``limit`` that asks a drill-down for every row
ALL_ROWS: Literal["all"] = "all"
#: a requested limit: a number of rows, every row, or the query's default
Limit = int | Literal["all"] | None


def page_of(
    query: CannedQuery, limit: Limit = None, offset: int | None = None
) -> tuple[int | None, int | None]:
    """The LIMIT and OFFSET a canned query runs with: as asked, except that a drill-down
    asked for no limit gets :data:`DRILL_DOWN_PAGE` rows (from ``offset``) and
    ``limit="all"`` asks for every row."""
    if limit == ALL_ROWS:
        return None, offset
    if limit is None and "drill-down" in query.keywords:
        return DRILL_DOWN_PAGE, offset
    return limit, offset


def page(sparql: str, limit: int | None = None, offset: int | None = None) -> str:
    """The query with ``LIMIT``/``OFFSET`` appended, for paging a drill-down such as Q11-pairs.

    Only integers are written (never user text). The canned queries end in ORDER BY, so
    pages are stable; a query that already has its own LIMIT is refused rather than
    silently wrapped.
    """
    if limit is None and offset is None:
        return sparql
    for name, number in (("limit", limit), ("offset", offset)):
        if number is not None and (
            isinstance(number, bool) or not isinstance(number, int) or number < 0
        ):
            raise QueryError(f"{name} must be a non-negative integer, not {number!r}")
    if re.search(r"(?i)\b(LIMIT|OFFSET)\s+\d+\s*$", sparql.strip()):
        raise QueryError("this query has its own LIMIT or OFFSET; it cannot be paged")
    tail = "".join(
        f"\n{keyword} {number}"
        for keyword, number in (("LIMIT", limit), ("OFFSET", offset))
        if number is not None
    )
    return sparql.rstrip() + tail + "\n"


def run_sparql(
    store: ox.Store, sparql: str, bindings: Mapping[str, Any] | None = None
) -> QueryResult:
    """Run on the embedded store with the union of all graphs as the default graph."""
    substitutions = {ox.Variable(name): term for name, term in (bindings or {}).items()}
    try:
        solutions = store.query(
            sparql, use_default_graph_as_union=True, substitutions=substitutions or None
        )
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {error}") from error
    except OSError as error:
        raise QueryError(f"the store could not answer: {error}") from error
    if isinstance(solutions, ox.QueryTriples):
        raise QueryError(
            "CONSTRUCT and DESCRIBE give graphs, not rows", hint="use `lupuskg sparql`"
        )
    return QueryResult.from_solutions(solutions)


def embedded_runner(store: ox.Store) -> Runner:
    return lambda sparql, bindings: run_sparql(store, sparql, bindings)


def _runner(settings: Settings, endpoint: str | None, include_drafts: bool = False) -> Runner:
    if include_drafts:
        if endpoint:
            raise QueryError(
                "--include-drafts works on the embedded store only",
                hint="drafts are never published; leave out --endpoint",
            )
        return embedded_runner(open_store_with_drafts(settings))
    if endpoint:
        remote = RemoteEndpoint(endpoint)
        remote.check_union_default_graph()
        return lambda sparql, bindings: remote.select(bind_values(sparql, bindings))
    return embedded_runner(open_query_store(settings))


def execute(
    query_id: str,
    params: Mapping[str, Any] | None = None,
    *,
    settings: Settings | None = None,
    endpoint: str | None = None,
    runner: Runner | None = None,
    limit: Limit = None,
    offset: int | None = None,
    include_drafts: bool = False,
    labels: bool = True,
) -> tuple[CannedQuery, dict[str, Any], QueryResult]:
    """Run a canned query; returns the query, the bound parameters and the result.

    ``limit``/``offset`` page the rows (in the query's own ORDER BY); a drill-down gives
    its first :data:`DRILL_DOWN_PAGE` rows unless asked otherwise (``limit="all"``: every
    row, :func:`page_of`); ``include_drafts``
    runs on a copy of the store with graph/drafts/ added (drafts are never built).
    ``labels`` adds a ``<name>Label`` column after each IRI column, looked up on the same
    store (:mod:`lupuskg.labels`); ``labels=False`` gives the query's own columns only,
    as its release ``.rq`` file does.
    """
    settings = settings or project_settings()
    query = get_query(query_id, settings)
    for name in params or {}:
        query.parameter(name)  # unknown names fail before the store is opened
    run = runner or _runner(settings, endpoint, include_drafts)
    bound = resolve_parameters(query, params or {}, run)
    result = run(page(query.sparql, *page_of(query, limit, offset)), bound)
    return query, bound, add_labels(result, run) if labels else result


def run_canned(
    query_id: str,
    /,
    *,
    settings: Settings | None = None,
    endpoint: str | None = None,
    limit: Limit = None,
    offset: int | None = None,
    labels: bool = True,
    **params: Any,
) -> QueryResult:
    """The Python API behind ``lupuskg.query("Q05", therapy="UC-MSC")``.

    ``lupuskg.query("Q11-pairs", limit=20, offset=40)`` pages a drill-down (by default its
    first 1,000 rows; ``limit="all"`` for every row); the result has
    ``…Label`` columns (``labels=False``: without) and a ``to_dataframe()``.
    """
    return execute(
        query_id,
        params,
        settings=settings,
        endpoint=endpoint,
        limit=limit,
        offset=offset,
        labels=labels,
    )[2]


def write_answers(settings: Settings, out_dir: Path) -> list[tuple[str, int]]:
    """Answer every canned question with its defaults into ``out_dir`` as TSV and JSON."""
    out_dir.mkdir(parents=True, exist_ok=True)
    run = embedded_runner(open_query_store(settings, queries=len(catalog(settings))))
    counts = []
    for query_id in catalog(settings):
        _, _, result = execute(query_id, settings=settings, runner=run, limit=ALL_ROWS)
        (out_dir / f"{query_id}.tsv").write_bytes(result.serialize("tsv"))
        (out_dir / f"{query_id}.json").write_bytes(result.serialize("json"))
        counts.append((query_id, len(result)))
    return counts
