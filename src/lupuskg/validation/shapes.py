"""SHACL of one document graph, validated together with the ontology and its imports.

Claims point at classes (OWL 2 punning), so "is a therapy" is the SPARQL path
``?value rdfs:subClassOf* lkg:Therapy``; that needs the ontology in the data graph.
Validation is limited to the document's own subjects with pyshacl's ``focus_nodes``.
The verdict does not depend on that option: the shapes target data nodes only, so
standard SHACL without it (pySHACL's defaults, Jena SHACL) reports nothing on the
ontology's nodes and no violation on the release (tests/export/test_release_shacl.py);
the option only spares the engine a search for targets among the ontology's nodes.
"""

from __future__ import annotations

import importlib
import io
import pickle
import re
import types
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor as RdflibProcessor
from rdflib.query import Result as RdflibResult
from rdflib.term import Identifier

from ..namespaces import SH, VOCAB
from .engines import run_engine
from .results import ValidationResult, curie, render_term

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "QueryKey",
    "constraint_count",
    "dump_queries",
    "load_queries",
    "parsed_queries",
    "preload_queries",
    "query_text_key",
    "run_shapes",
    "shape_count",
]

_SH = SH
#: IRIs that pyshacl pastes into messages for {?value} / {$this}; shown as CURIEs instead
_IRI_IN_TEXT = re.compile(r"<?(https?://[^\s<>\"{}|^`]+)>?")

#: SHACL parameters that each make one constraint (sh:closed counts once per shape)
_PARAMETERS = (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "minLength", "maxLength", "pattern", "in", "closed",
    "lessThan", "lessThanOrEquals", "equals", "disjoint", "hasValue", "languageIn",
    "uniqueLang", "node", "qualifiedValueShape", "sparql",
)  # fmt: skip


def run_shapes(
    document: rdflib.Graph,
    ontology: rdflib.Graph,
    shapes: rdflib.Graph,
    *,
    file: str,
    line_of: Callable[[str], int | None],
    engine: str | None = None,
) -> list[ValidationResult]:
    """Validate one document (plus the ontology) and turn each sh:result into a record.

    ``engine``: turbo or pyshacl (lupuskg.validation.engines); default $LUPUSKG_SHACL_ENGINE,
    else turbo.
    """

    focus = sorted({s for s in document.subjects() if isinstance(s, URIRef)})
    if not focus:
        return []
    data = _QueryCachingGraph()
    data += ontology
    data += document
    report = run_engine(data, shapes, focus, engine)
    return [_record(report, node, shapes, file, line_of) for node in _result_nodes(report)]


#: what a translated query depends on: its text, base IRI and prefixes
QueryKey = tuple[str, str | None, tuple[tuple[str, str], ...]]

#: translated SPARQL of the shapes, kept for the life of the process (a few hundred entries)
_QUERY_CACHE: dict[QueryKey, Any] = {}


class _QueryCachingGraph(Graph):
    """The data graph pyshacl queries, translating each SPARQL text once per process.

    pyshacl hands rdflib the same query text (SPARQL-based constraint components) once
    per focus node with different initBindings; rdflib re-parses it every time, which
    dominated validation time (~75 %). A translated query is reusable across bindings
    (rdflib's own prepareQuery relies on that), so it is cached by text, base and prefixes.
    pyshacl validates this graph in place (no inference, no ontology graph of its own), so
    its queries reach this method.
    """

    def query(
        self,
        query_object: str | Query,
        processor: str | RdflibProcessor = "sparql",
        result: str | type[RdflibResult] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> RdflibResult:
        if isinstance(query_object, str):
            initNs = initNs or dict(self.namespaces())
            base = kwargs.get("base")
            namespaces = tuple(sorted((k, str(v)) for k, v in initNs.items()))
            key = (query_text_key(query_object), base, namespaces)
            if key not in _QUERY_CACHE:
                _QUERY_CACHE[key] = translateQuery(parseQuery(query_object), base, initNs)
            query_object = _QUERY_CACHE[key]
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<[^<>\s]*>\s*$", re.IGNORECASE)


def query_text_key(text: str) -> str:
    """The query text with its leading PREFIX lines sorted, when no prefix is declared twice.

    pyshacl writes the shapes' prefixes in the iteration order of a set, which changes
    with each process's string hashing: the same query came in up to six spellings,
    and a query table keyed by raw text missed in every new process. Declaring distinct
    prefixes in another order means the same query; a prefix declared twice (where
    order does matter) keeps the text as it is.
    """
    lines = text.split("\n")
    head = 0
    names = []
    while head < len(lines):
        line = lines[head]
        match = _PREFIX_LINE.match(line)
        if match:
            names.append(match.group(1) or "")
        elif line.strip():
            break
        head += 1
    if not names or len(set(names)) != len(names):
        return text
    prefixes = sorted(line.strip() for line in lines[:head] if line.strip())
    return "\n".join([*prefixes, *lines[head:]])


def parsed_queries() -> dict[QueryKey, Any]:
    """A snapshot of the translated queries this process holds."""
    return dict(_QUERY_CACHE)


def preload_queries(queries: Mapping[QueryKey, Any]) -> None:
    """Add translated queries (e.g. from :func:`load_queries`); held entries are kept."""
    for key, query in queries.items():
        _QUERY_CACHE.setdefault(key, query)


# Persisting translated queries across processes. Parsing the shapes' SPARQL was about
# half of re-validating one document. rdflib's algebra nodes (CompValue, an OrderedDict
# whose constructor needs a name, and Expr, which holds its evaluation function as a
# method bound to itself) do not survive plain pickling: the bound method is looked up
# again by name on unpickling, which CompValue answers with None, so the query would
# silently lose its FILTER functions. The reducer below stores the plain function
# instead and binds it again; a function that cannot be stored by its qualified name
# (a lambda) makes the whole dump fail, so a query is either stored exactly or not at
# all. Module-level algebra singletons are stored by reference.
_SINGLETONS = (("rdflib.plugins.sparql.operators", "TrueFilter"),)


def _singleton(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _rebuild_node(
    cls: type[CompValue],
    items: list[tuple[Any, Any]],
    attributes: dict[str, Any],
    evalfn: Callable[..., Any] | None,
) -> CompValue:
    node = cls.__new__(cls)
    OrderedDict.__init__(node)
    node.__dict__.update(attributes)
    if evalfn is not None:
        node.__dict__["_evalfn"] = types.MethodType(evalfn, node)
    OrderedDict.update(node, items)
    return node


class _QueryPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, CompValue):
            for module, name in _SINGLETONS:
                if obj is _singleton(module, name):
                    return _singleton, (module, name)
            attributes = dict(obj.__dict__)
            bound = attributes.pop("_evalfn", None)
            if bound is not None and not (
                isinstance(bound, types.MethodType) and bound.__self__ is obj
            ):
                raise pickle.PicklingError(f"unexpected evaluation function on {obj.name}")
            evalfn = bound.__func__ if bound is not None else None
            items = list(OrderedDict.items(obj))
            return _rebuild_node, (type(obj), items, attributes, evalfn)
        return NotImplemented


def dump_queries(queries: Mapping[QueryKey, Any]) -> bytes:
    """Translated queries as bytes; raises pickle.PicklingError when one cannot be stored."""
    buffer = io.BytesIO()
    try:
        _QueryPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(dict(queries))
    except (AttributeError, TypeError, RecursionError) as error:  # e.g. a local function
        raise pickle.PicklingError(str(error)) from error
    return buffer.getvalue()


def load_queries(data: bytes) -> dict[QueryKey, Any]:
    """What :func:`dump_queries` stored (only ever read from the project's build directory)."""
    loaded = pickle.loads(data)
    if not isinstance(loaded, dict):
        raise pickle.UnpicklingError("not a query table")
    return loaded


def _result_nodes(report: rdflib.Graph) -> list[rdflib.term.Node]:
    return list(report.subjects(RDF.type, URIRef(_SH + "ValidationResult")))


def _record(
    report: rdflib.Graph,
    node: rdflib.term.Node,
    shapes: rdflib.Graph,
    file: str,
    line_of: Callable[[str], int | None],
) -> ValidationResult:
    def value(name: str) -> rdflib.term.Node | None:
        return report.value(node, URIRef(_SH + name))

    focus = value("focusNode")
    path = value("resultPath")
    found = value("value")
    severity = value("resultSeverity")
    component = value("sourceConstraintComponent")
    return ValidationResult(
        severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        file=file,
        line=line_of(str(focus)) if isinstance(focus, URIRef) else None,
        focus=render_term(focus) if focus is not None else "",
        path=render_term(path) if isinstance(path, URIRef) else None,
        message=_message(report, node, shapes),
        hint=_hint(shapes, value("sourceConstraint"), value("sourceShape")),
        constraint=curie(str(component)) if component else "",
        value=render_term(found) if found is not None else None,
        focus_term=focus.n3() if focus is not None else None,
        value_term=found.n3() if found is not None else None,
    )


def _message(report: rdflib.Graph, node: rdflib.term.Node, shapes: rdflib.Graph) -> str:
    messages = sorted(str(m) for m in report.objects(node, URIRef(_SH + "resultMessage")))
    if len(messages) > 1:
        # pyshacl reports both the shape's and the constraint's message. An sh:sparql
        # constraint's own message wins over its shape's (which describes sh:closed);
        # for a constraint component the shape's curator-worded message wins.
        shape = report.value(node, URIRef(_SH + "sourceShape"))
        shape_messages = {str(m) for m in shapes.objects(shape, URIRef(_SH + "message"))}
        if report.value(node, URIRef(_SH + "sourceConstraint")) is not None:
            messages = [m for m in messages if m not in shape_messages] or messages
        else:
            messages = [m for m in messages if m in shape_messages] or messages
    message = messages[0] if messages else "constraint not satisfied"
    return _IRI_IN_TEXT.sub(_as_curie, message)


def _as_curie(match: re.Match[str]) -> str:
    shown = curie(match.group(1))
    return match.group(0) if shown.startswith("<") else shown


def _hint(
    shapes: rdflib.Graph, constraint: rdflib.term.Node | None, shape: rdflib.term.Node | None
) -> str:
    """The sh:description of the SPARQL constraint or the shape: how to fix it."""
    for holder in (constraint, shape):
        if holder is not None:
            description = shapes.value(holder, URIRef(_SH + "description"))
            if description is not None:
                return str(description)
    return ""


def shape_count(shapes: rdflib.Graph) -> int:
    """Node shapes plus property shapes."""
    nodes = set(shapes.subjects(RDF.type, URIRef(_SH + "NodeShape")))
    properties = set(shapes.objects(None, URIRef(_SH + "property")))
    return len(nodes | properties)


def constraint_count(shapes: rdflib.Graph) -> int:
    """Constraint parameters in all shapes, including our own SPARQL-based components."""
    vocab = VOCAB
    predicates = [URIRef(_SH + name) for name in _PARAMETERS]
    predicates += [URIRef(vocab + "subClassOf"), URIRef(vocab + "declaredClass")]
    holders = set(shapes.subjects(RDF.type, URIRef(_SH + "NodeShape")))
    holders |= set(shapes.objects(None, URIRef(_SH + "property")))
    return sum(
        1
        for predicate in predicates
        for subject in shapes.subjects(predicate)
        if subject in holders
    )
