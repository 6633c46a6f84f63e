"""Writing SPARQL results (JSON, XML, CSV, TSV) and graphs with hard row and byte caps.

The caps are enforced while the rows are read, so a runaway result never fills memory.
It runs inside the query worker and imports only pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import by_key
from ..namespaces import PREFIXES, XSD
from ..oxigraph import write

__all__ = ["LimitExceeded", "collect", "serialize_boolean", "serialize_graph", "serialize_select"]

XSD_STRING = XSD + "string"
RDF_LANG_STRING = PREFIXES["rdf"] + "langString"
Term = Any  # NamedNode | BlankNode | Literal | Triple
Row = Sequence[Term | None]


class LimitExceeded(Exception):
    """A result is larger than the server allows."""


def collect(items: Iterable[Any], max_rows: int) -> list[Any]:
    """Read at most max_rows items; one more means the result is too large."""
    rows: list[Any] = []
    for item in items:
        if len(rows) >= max_rows:
            raise LimitExceeded(
                f"the result has more than {max_rows} rows; add a LIMIT or narrow the query"
            )
        rows.append(item)
    return rows


def check_size(payload: bytes, max_bytes: int) -> bytes:
    if len(payload) > max_bytes:
        raise LimitExceeded(
            f"the response would exceed {max_bytes} bytes; add a LIMIT or narrow the query"
        )
    return payload


def serialize_select(variables: list[str], rows: list[Row], key: str) -> bytes:
    """SELECT results in one of the four SPARQL results formats."""
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[key]
    return writer(variables, rows)


def serialize_boolean(value: bool, key: str) -> bytes:
    if key == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    text = "true" if value else "false"
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head/><boolean>{text}</boolean></sparql>\n"
    ).encode()


def serialize_graph(
    triples: list[ox.Triple], key: str, prefixes: dict[str, str] | None = None
) -> bytes:
    """A graph in Turtle, N-Triples, JSON-LD or RDF/XML, declaring only the prefixes it uses."""
    candidates = {**PREFIXES, **(prefixes or {})}
    used = {name: iri for name, iri in candidates.items() if _mentions(triples, iri)}
    return write(triples, by_key(key).oxigraph, prefixes=used)


def _mentions(triples: list[ox.Triple], namespace: str) -> bool:
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(namespace):
                return True
            if isinstance(term, ox.Literal) and term.datatype.value.startswith(namespace):
                return True
    return False


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json(variables: list[str], rows: list[Row]) -> bytes:
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in rows
    ]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode()


def _xml_text(text: str) -> str:
    cleaned = "".join(ch if ch in "\t\n\r" or ord(ch) >= 0x20 else "\ufffd" for ch in text)
    return escape(cleaned)


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attribute = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attribute = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attribute = ""
        return f"<literal{attribute}>{_xml_text(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _xml(variables: list[str], rows: list[Row]) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n')
    out.write(
        "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>\n"
    )
    out.write("<results>\n")
    for row in rows:
        out.write("<result>")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                out.write(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.write("</result>\n")
    out.write("</results>\n</sparql>\n")
    return out.getvalue().encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return _nt(term)


def _csv(variables: list[str], rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(term) for term in row])
    return out.getvalue().encode()


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _nt(term: Term) -> str:
    """A term in N-Triples form, with tab and newline escaped (TSV needs one line per row)."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = f'"{term.value.translate(_NT_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value in (XSD_STRING, RDF_LANG_STRING):
            return text
        return f"{text}^^<{term.datatype.value}>"
    return f"<< {_nt(term.subject)} {_nt(term.predicate)} {_nt(term.object)} >>"


def _tsv(variables: list[str], rows: list[Row]) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    lines += ["\t".join("" if term is None else _nt(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()
