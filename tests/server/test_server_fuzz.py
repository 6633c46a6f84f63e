"""Hypothesis fuzzing of the running endpoint: random queries, parameters, headers and bodies.

Whatever arrives, the server answers with a deliberate status (never 500) and stays up.
"""

from __future__ import annotations

from importlib.metadata import version
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SPARQL_WORDS = st.sampled_from(
    [
        "SELECT",
        "ASK",
        "CONSTRUCT",
        "DESCRIBE",
        "WHERE",
        "{",
        "}",
        "?s",
        "?p",
        "?o",
        "<http://a>",
        "FILTER",
        "(",
        ")",
        "OPTIONAL",
        "UNION",
        "GRAPH",
        "SERVICE",
        "FROM",
        "NAMED",
        "INSERT",
        "LIMIT",
        "1",
        "*",
        ".",
        ";",
        '"x"',
        "'y'@en",
        "PREFIX",
        "p:",
        "p:q",
        "#",
        "\n",
        "VALUES",
        "BIND",
        "AS",
        "COUNT",
        "GROUP",
        "BY",
        "ORDER",
        "<",
        ">",
        "^^",
        "a",
        "\\",
        '"""',
        "$x",
    ]
)
QUERY_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(SPARQL_WORDS, max_size=40).map(" ".join),
)
PARAM_NAMES = st.sampled_from(
    ["query", "update", "format", "default-graph-uri", "named-graph-uri", "x"]
)
PARAMS = st.lists(st.tuples(PARAM_NAMES, st.text(max_size=80)), max_size=5)
HEADERS = st.sampled_from(
    [
        "*/*",
        "text/csv",
        "application/sparql-results+json;q=0.1, image/png",
        "",
        "text/turtle;q=abc",
        "application/ld+json",
        "garbage",
        ";;;,,,",
        "text/*;q=0.5, */*;q=0",
    ]
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/sparql-query",
        "application/sparql-update",
        "text/plain",
        "",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded; charset=latin1",
    ]
)

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _check(server, response: httpx.Response) -> None:
    assert response.status_code < 500 or response.status_code == 503, (
        response.status_code,
        response.text,
    )
    assert "Traceback" not in response.text


@pytest.mark.slow
@FUZZ
@given(text=QUERY_TEXT, accept=HEADERS)
def test_random_queries_never_500(server, text: str, accept: str) -> None:
    response = httpx.get(
        server.endpoint, params={"query": text}, headers={"Accept": accept}, timeout=60
    )
    _check(server, response)


@pytest.mark.slow
@FUZZ
@given(params=PARAMS, accept=HEADERS)
def test_random_parameters_never_500(server, params: list[tuple[str, str]], accept: str) -> None:
    response = httpx.get(server.endpoint, params=params, headers={"Accept": accept}, timeout=60)
    _check(server, response)


@pytest.mark.slow
@FUZZ
@given(
    body=st.one_of(st.binary(max_size=400), QUERY_TEXT.map(str.encode)), content_type=CONTENT_TYPES
)
def test_random_bodies_never_500(server, body: bytes, content_type: str) -> None:
    response = httpx.post(
        server.endpoint, content=body, headers={"Content-Type": content_type}, timeout=60
    )
    _check(server, response)


@pytest.mark.slow
@FUZZ
@given(
    path=st.sampled_from(
        [
            "/api/queries/Q05",
            "/api/queries/Q03",
            "/api/queries/",
            "/vocab/",
            "/id/",
            "/ontology",
            "/ontology/",
            "/graph/",
            "/np/",
            "/query/",
            "/source/",
            f"/release/{version('lupuskg')}/",
            "/dataset/",
            "/",
        ]
    ),
    suffix=st.text(max_size=40),
    params=st.lists(
        st.tuples(st.sampled_from(["therapy", "condition", "format", "zz"]), st.text(max_size=40)),
        max_size=3,
    ),
    accept=HEADERS,
)
def test_random_api_and_page_requests_never_500(server, path, suffix, params, accept) -> None:
    url = server.base + path + (quote(suffix, safe="/:") if path.endswith("/") else "")
    response = httpx.get(url, params=params, headers={"Accept": accept}, timeout=60)
    _check(server, response)


def test_server_survived_the_fuzzing(server) -> None:
    assert server.alive()
    assert httpx.get(server.base + "/health", timeout=10).text == "ok\n"
    assert "Traceback" not in server.output()
