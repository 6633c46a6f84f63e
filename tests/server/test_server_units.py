"""Unit tests of the endpoint's pure parts: the query guard, negotiation, result writers, limits."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from lupuskg.exceptions import InputError
from lupuskg.server.limits import ServerLimits, load_limits
from lupuskg.server.negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose
from lupuskg.server.problems import Problem
from lupuskg.server.safety import guard_query
from lupuskg.server.serialize import LimitExceeded, collect, serialize_select

LIMITS = ServerLimits()


def refused(text: str, limits: ServerLimits = LIMITS) -> tuple[int, str]:
    with pytest.raises(Problem) as caught:
        guard_query(text, limits)
    return caught.value.status, caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "insert data { <http://a> <http://b> <http://c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://g>",
        "CREATE GRAPH <http://g>",
        "ADD <http://a> TO <http://b>",
        "MOVE DEFAULT TO <http://b>",
        "COPY <http://a> TO <http://b>",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://ex/> SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { ex:a ex:b ex:c }",
    ],
)
def test_updates_are_refused_with_403(text: str) -> None:
    status, message = refused(text)
    assert status == 403
    assert "read-only" in message


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * WHERE { ?s ?p "INSERT DATA" }',
        "SELECT * WHERE { ?s ?p '''\nDELETE\n''' }",
        "SELECT * WHERE { ?s <http://example.org/delete> ?o }",
        "# LOAD <http://x> in a comment\nSELECT * WHERE { ?s ?p ?o }",
        "SELECT ?insert ?load WHERE { ?insert ?drop ?load }",
        "PREFIX copy: <http://ex/> SELECT * WHERE { ?s copy:move ?o }",
        'SELECT * WHERE { ?s ?p "x"@de-add }',
    ],
)
def test_keywords_inside_strings_iris_comments_and_names_are_not_updates(text: str) -> None:
    assert guard_query(text, LIMITS).form == "SELECT"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://evil.example/sparql> { ?s ?p ?o } }",
        "PREFIX e: <http://evil.example/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }",
        "select * where { service <http://x/> { ?s ?p ?o } }",
    ],
)
def test_service_outside_the_allow_list_is_refused(text: str) -> None:
    status, message = refused(text)
    assert status == 403
    assert "allow-list" in message


def test_allow_listed_service_passes_and_prefixed_names_resolve() -> None:
    limits = ServerLimits(service_allow=("http://ok.example/sparql",))
    text = "PREFIX k: <http://ok.example/> SELECT * WHERE { SERVICE k:sparql { ?s ?p ?o } }"
    assert guard_query(text, limits).form == "SELECT"
    assert refused("SELECT * WHERE { SERVICE <http://ok.example/other> {} }", limits)[0] == 403


def test_over_long_query_is_413_and_empty_or_non_query_is_400() -> None:
    limits = ServerLimits(max_query_length=40)
    status, message = refused("SELECT * WHERE { ?s ?p ?o } # " + "x" * 40, limits)
    assert (status, message) == (
        413,
        "query text is 70 characters; this endpoint accepts at most 40",
    )
    assert refused("   ") == (400, "empty query")
    assert refused("PREFIX a: <http://a/>")[0] == 400


@pytest.mark.parametrize(
    ("text", "form", "dataset"),
    [
        ("PREFIX s: <http://select/> ASK { ?s ?p ?o }", "ASK", False),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
        ("DESCRIBE <http://a>", "DESCRIBE", False),
        ("SELECT * FROM <http://g> WHERE { ?s ?p ?o }", "SELECT", True),
        ("SELECT * FROM NAMED <http://g> WHERE { GRAPH ?g { ?s ?p ?o } }", "SELECT", True),
        ("ASK { { SELECT * WHERE { ?s ?p ?o } } }", "ASK", False),
    ],
)
def test_form_and_dataset_clause_are_detected(text: str, form: str, dataset: bool) -> None:
    guarded = guard_query(text, LIMITS)
    assert (guarded.form, guarded.has_dataset_clause) == (form, dataset)


@pytest.mark.parametrize(
    ("accept", "requested", "key"),
    [
        (None, None, "json"),
        ("*/*", None, "json"),
        ("text/csv", None, "csv"),
        ("text/html, text/tab-separated-values;q=0.9, */*;q=0.1", None, "tsv"),
        ("application/sparql-results+xml;q=0.5, application/sparql-results+json", None, "json"),
        ("application/xml", None, "xml"),
        ("text/*", None, "csv"),
        ("image/png", "csv", "csv"),
        (None, "text/tab-separated-values", "tsv"),
    ],
)
def test_result_negotiation(accept: str | None, requested: str | None, key: str) -> None:
    assert choose(RESULT_FORMATS, accept, requested).key == key


def test_negotiation_failures_are_406() -> None:
    with pytest.raises(Problem) as caught:
        choose(RESULT_FORMATS, "image/png, text/turtle;q=0.5")
    assert caught.value.status == 406
    with pytest.raises(Problem) as caught:
        choose(GRAPH_FORMATS, "text/turtle;q=0")
    assert caught.value.status == 406
    with pytest.raises(Problem) as caught:
        choose(GRAPH_FORMATS, None, "csv")
    assert caught.value.status == 406
    assert choose(GRAPH_FORMATS, "application/rdf+xml").key == "rdfxml"


def _term_rows() -> tuple[list[str], list[tuple[object, ...]]]:
    rows = [
        (ox.NamedNode("http://a/x"), ox.Literal('tab\there "quoted"\nnewline', language="en")),
        (
            ox.BlankNode("b0"),
            ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        (None, ox.Literal("a, b <&> c")),
    ]
    return ["s", "o"], rows


@pytest.mark.parametrize(
    ("key", "syntax"),
    [
        ("json", ox.QueryResultsFormat.JSON),
        ("xml", ox.QueryResultsFormat.XML),
        ("tsv", ox.QueryResultsFormat.TSV),
    ],
)
def test_results_writers_round_trip_through_pyoxigraph(
    key: str, syntax: ox.QueryResultsFormat
) -> None:
    variables, rows = _term_rows()
    parsed = ox.parse_query_results(serialize_select(variables, rows, key), syntax)
    back = [tuple(solution[name] for name in variables) for solution in parsed]
    assert [repr(row) for row in back] == [repr(row) for row in rows]


def test_csv_writer_follows_the_w3c_csv_rules() -> None:
    variables, rows = _term_rows()
    text = serialize_select(variables, rows, "csv").decode()
    assert (
        text == 's,o\r\nhttp://a/x,"tab\there ""quoted""\nnewline"\r\n_:b0,42\r\n,"a, b <&> c"\r\n'
    )


def test_row_cap_stops_reading_at_one_past_the_limit() -> None:
    consumed = []

    def endless():
        number = 0
        while True:
            number += 1
            consumed.append(number)
            yield number

    with pytest.raises(LimitExceeded, match="more than 3 rows"):
        collect(endless(), 3)
    assert consumed == [1, 2, 3, 4]


def test_limits_come_from_pyproject_and_reject_unknown_keys(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lupuskg.server]\nquery-timeout = 2.5\nmax-rows = 7\nservice-allow = ["http://a/"]\n'
    )
    limits = load_limits(tmp_path)
    assert (limits.timeout, limits.max_rows, limits.service_allow) == (2.5, 7, ("http://a/",))
    assert limits.max_query_length == ServerLimits().max_query_length
    assert limits.with_overrides(max_rows=None, workers=3).workers == 3
    (tmp_path / "pyproject.toml").write_text("[tool.lupuskg.server]\nmax-row = 7\n")
    with pytest.raises(InputError, match="max-row"):
        load_limits(tmp_path)
    with pytest.raises(InputError):
        ServerLimits(timeout=0)


def test_project_pyproject_limits_load() -> None:
    root = Path(__file__).resolve().parents[2]
    assert load_limits(root).timeout > 0
