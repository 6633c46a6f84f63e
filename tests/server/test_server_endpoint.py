"""The real `lupuskg serve` over HTTP: protocol, formats, status codes, limits, API and pages."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from lupuskg.config import Settings
from lupuskg.namespaces import DATA, ONTOLOGY_GRAPH, VOCAB, document_graph
from lupuskg.queries import bind_values, catalog, embedded_runner, execute
from lupuskg.store import open_store

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 25"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


# ---------------------------------------------------------------- helpers


def json_rows(document: dict[str, Any]) -> list[tuple[tuple[str, str, str, str], ...]]:
    """Sorted rows of a SPARQL JSON result, each value as (kind, lexical, datatype, language)."""
    variables = document["head"]["vars"]
    rows = []
    for binding in document["results"]["bindings"]:
        row = []
        for name in variables:
            value = binding.get(name)
            if value is None:
                row.append(("unbound", "", "", ""))
            elif value["type"] == "uri":
                row.append(("iri", value["value"], "", ""))
            elif value["type"] == "bnode":
                row.append(("bnode", "", "", ""))
            else:
                language = value.get("xml:lang", "")
                datatype = "" if language else value.get("datatype", XSD_STRING)
                row.append(("literal", value["value"], datatype, language.lower()))
        rows.append(tuple(row))
    return sorted(rows)


def get(server: Any, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(
        server.endpoint, params={"query": query, **params}, headers=headers, timeout=60
    )


def rows_of(response: httpx.Response) -> list[tuple[tuple[str, str, str, str], ...]]:
    assert response.status_code == 200, response.text
    return json_rows(response.json())


@pytest.fixture(scope="module")
def embedded(built_settings: Settings) -> dict[str, tuple[str, list[Any]]]:
    """Every canned query answered by the embedded engine: (bound SPARQL text, sorted rows),
    without the …Label columns, which the text alone does not give."""
    runner = embedded_runner(open_store(built_settings))
    answers = {}
    for query_id in catalog(built_settings):
        query, bound, result = execute(
            query_id, settings=built_settings, runner=runner, labels=False
        )
        answers[query_id] = (bind_values(query.sparql, bound), json_rows(json.loads(result.json)))
    return answers


class _Trap(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = b"<http://trap/s> <http://trap/p> <http://trap/o> ."
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def trap() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request (it must never see one)."""
    _Trap.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Trap.hits
    httpd.shutdown()
    httpd.server_close()


# ---------------------------------------------------------------- canned queries


def test_every_canned_query_gives_the_embedded_rows_through_sparqlwrapper(server, embedded) -> None:
    assert len(embedded) >= 19
    for query_id, (text, expected) in embedded.items():
        client = SPARQLWrapper(server.endpoint)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setQuery(text)
        got = json_rows(client.queryAndConvert())
        assert got == expected, f"{query_id}: the endpoint and the embedded engine disagree"


@pytest.fixture(scope="module")
def labelled(built_settings: Settings) -> dict[str, dict[str, Any]]:
    """Every canned query as `lupuskg.query` answers it: with the …Label columns (JSON)."""
    runner = embedded_runner(open_store(built_settings))
    return {
        query_id: json.loads(execute(query_id, settings=built_settings, runner=runner)[2].json)
        for query_id in catalog(built_settings)
    }


def test_rest_api_lists_and_runs_the_canned_queries(
    server, built_settings, embedded, labelled
) -> None:
    """Over HTTP the REST API answers what `lupuskg query` and `lupuskg.query` answer:
    each IRI column followed by its …Label column; `labels=false` gives the query's own
    columns, the rows of its text at the SPARQL endpoint."""
    listing = httpx.get(server.base + "/api/queries", timeout=30).json()
    assert [entry["id"] for entry in listing] == list(catalog(built_settings))
    with_labels = 0
    for entry in listing:
        response = httpx.get(entry["url"], timeout=60)
        assert response.status_code == 200, response.text
        document = response.json()
        expected = labelled[entry["id"]]
        assert document["head"]["vars"] == expected["head"]["vars"], entry["id"]
        assert json_rows(document) == json_rows(expected), entry["id"]
        with_labels += any(name.endswith("Label") for name in document["head"]["vars"])
        plain = httpx.get(entry["url"], params={"labels": "false"}, timeout=60)
        assert rows_of(plain) == embedded[entry["id"]][1], entry["id"]
        own = plain.json()["head"]["vars"]
        assert [v for v in document["head"]["vars"] if v in own] == own, entry["id"]
        assert entry["sparql"] and entry["title"] and entry["question"]
    assert with_labels >= 15, f"only {with_labels} canned answers have …Label columns"


def test_rest_api_labels_name_the_terms(server) -> None:
    """Q05's therapy column is labelled with the term's rdfs:label, in JSON and in CSV."""
    document = httpx.get(
        server.base + "/api/queries/Q05", params={"therapy": "UC-MSC"}, timeout=60
    ).json()
    names = document["head"]["vars"]
    iri_columns = [n for n in names if n + "Label" in names]
    assert iri_columns and all(names.index(n) + 1 == names.index(n + "Label") for n in iri_columns)
    bindings = document["results"]["bindings"]
    assert bindings
    labels = {b[n + "Label"]["value"] for b in bindings for n in iri_columns if n + "Label" in b}
    assert "umbilical cord mesenchymal stem cell therapy" in {label.lower() for label in labels}
    table = httpx.get(
        server.base + "/api/queries/Q05",
        params={"therapy": "UC-MSC", "format": "csv"},
        timeout=60,
    )
    header = next(csv.reader(io.StringIO(table.text)))
    assert header == names
    bad = httpx.get(server.base + "/api/queries/Q05", params={"labels": "maybe"}, timeout=30)
    assert bad.status_code == 400 and "labels must be true or false" in bad.text


def test_rest_api_binds_parameters_like_the_embedded_engine(server, built_settings) -> None:
    runner = embedded_runner(open_store(built_settings))
    checked = []
    for query in catalog(built_settings).values():
        if not any(parameter.name == "therapy" for parameter in query.parameters):
            continue
        for value in ("lkg:UCMSCTherapy", "UC-MSC"):
            _, _, result = execute(  # the REST API answers as lupuskg.query does
                query.id, {"therapy": value}, settings=built_settings, runner=runner
            )
            response = httpx.get(
                f"{server.base}/api/queries/{query.id}", params={"therapy": value}, timeout=60
            )
            assert rows_of(response) == json_rows(json.loads(result.json)), (query.id, value)
        checked.append(query.id)
    assert len(checked) >= 3


def test_rest_api_errors(server) -> None:
    unknown = httpx.get(server.base + "/api/queries/Q99", timeout=30)
    assert unknown.status_code == 404 and "unknown query" in unknown.text
    bad = httpx.get(server.base + "/api/queries/Q05", params={"bogus": "1"}, timeout=30)
    assert bad.status_code == 400 and "has no parameter 'bogus'" in bad.text
    csv_answer = httpx.get(server.base + "/api/queries/Q01", params={"format": "csv"}, timeout=30)
    assert csv_answer.headers["content-type"].startswith("text/csv")


def test_openapi_describes_every_canned_query(server, built_settings) -> None:
    document = httpx.get(server.base + "/api/openapi.json", timeout=30).json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": server.base}]
    for query in catalog(built_settings).values():
        operation = document["paths"][f"/api/queries/{query.id}"]["get"]
        assert operation["operationId"] == query.id
        names = [parameter["name"] for parameter in operation["parameters"]]
        assert names == [parameter.name for parameter in query.parameters] + [
            "format",
            "limit",
            "offset",
            "labels",
        ]


# ---------------------------------------------------------------- protocol and formats


def test_get_form_post_and_direct_post_agree(server) -> None:
    by_get = rows_of(get(server, ALL_TRIPLES))
    by_form = rows_of(httpx.post(server.endpoint, data={"query": ALL_TRIPLES}, timeout=30))
    by_direct = rows_of(
        httpx.post(
            server.endpoint,
            content=ALL_TRIPLES.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=30,
        )
    )
    assert len(by_get) == 25
    assert by_get == by_form == by_direct


@pytest.mark.parametrize(
    ("accept", "syntax", "media"),
    [
        (
            "application/sparql-results+xml",
            ox.QueryResultsFormat.XML,
            "application/sparql-results+xml",
        ),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
        ("application/json", ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    ],
)
def test_results_formats_carry_the_same_rows(server, accept, syntax, media) -> None:
    reference = ox.parse_query_results(get(server, ALL_TRIPLES).content, ox.QueryResultsFormat.JSON)
    response = get(server, ALL_TRIPLES, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["vary"] == "Accept"
    parsed = ox.parse_query_results(response.content, syntax)
    assert [str(row) for row in parsed] == [str(row) for row in reference]


def test_csv_results(server) -> None:
    response = get(server, ALL_TRIPLES, "text/csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0] == ["s", "p", "o"] and len(table) == 26


def test_ask_results(server) -> None:
    assert get(server, "ASK { ?s ?p ?o }").json() == {"head": {}, "boolean": True}
    xml = get(server, "ASK { <http://nothing> ?p ?o }", "application/sparql-results+xml")
    assert bool(ox.parse_query_results(xml.content, ox.QueryResultsFormat.XML)) is False


@pytest.mark.parametrize(
    ("accept", "syntax"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_graph_formats_carry_the_same_triples(server, accept, syntax) -> None:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s a <{VOCAB}Study> ; ?p ?o }}"
    reference = set(
        ox.parse(get(server, query, "application/n-triples").content, ox.RdfFormat.N_TRIPLES)
    )
    response = get(server, query, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert set(ox.parse(response.content, syntax)) == reference
    assert len(reference) > 10


def test_curl_get_and_direct_post(server) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    by_get = subprocess.run(
        [
            curl,
            "-s",
            "-G",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            "query=SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            server.endpoint,
        ],
        capture_output=True,
        check=True,
        timeout=60,
        text=True,
    ).stdout
    by_post = subprocess.run(
        [
            curl,
            "-s",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/sparql-query",
            "-H",
            "Accept: text/csv",
            "--data-binary",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            server.endpoint,
        ],
        capture_output=True,
        check=True,
        timeout=60,
        text=True,
    ).stdout
    assert by_get == by_post
    header, count = by_get.split()
    assert header == "n" and int(count) > 1000
    status = subprocess.run(
        [
            curl,
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/sparql-update",
            "--data-binary",
            "CLEAR ALL",
            server.endpoint,
        ],
        capture_output=True,
        check=True,
        timeout=60,
        text=True,
    ).stdout
    assert status == "403"


# ---------------------------------------------------------------- status codes and safety


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "fragment"),
    [
        ("GET", {"params": {"query": "SELECT * WHERE { ?s ?p"}}, 400, "malformed query"),
        (
            "GET",
            {"params": [("query", "ASK {}"), ("query", "ASK {}")]},
            400,
            "2 'query' parameters",
        ),
        ("POST", {"data": {"format": "json"}}, 400, "missing 'query'"),
        (
            "POST",
            {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}},
            415,
            "unsupported content type",
        ),
        (
            "POST",
            {"content": b"\xff\xfe", "headers": {"Content-Type": "application/sparql-query"}},
            400,
            "UTF-8",
        ),
        ("PUT", {"content": b"ASK {}"}, 405, "Method Not Allowed"),
        (
            "GET",
            {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}},
            400,
            "invalid graph IRI",
        ),
    ],
)
def test_protocol_errors(server, method, kwargs, status, fragment) -> None:
    response = httpx.request(method, server.endpoint, timeout=30, **kwargs)
    assert response.status_code == status
    assert fragment in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    ("request_kwargs", "fragment"),
    [
        (
            {
                "method": "GET",
                "params": {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"},
            },
            "(INSERT)",
        ),
        ({"method": "POST", "data": {"update": "CLEAR ALL"}}, "read-only"),
        (
            {
                "method": "POST",
                "content": b"DROP ALL",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            "read-only",
        ),
        ({"method": "POST", "data": {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}}, "(LOAD)"),
        (
            {
                "method": "GET",
                "params": {
                    "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }"
                },
            },
            "allow-list",
        ),
    ],
)
def test_updates_load_and_service_are_403(server, request_kwargs, fragment) -> None:
    response = httpx.request(url=server.endpoint, timeout=30, **request_kwargs)
    assert response.status_code == 403
    assert fragment in response.text


def test_refused_service_and_load_never_reach_the_target(server, trap) -> None:
    url, hits = trap
    for query in (
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"LOAD <{url}/data.nt>",
    ):
        assert get(server, query).status_code == 403
    assert hits == []


def test_from_is_resolved_in_the_store_and_never_dereferenced(server, built_settings, trap) -> None:
    url, hits = trap
    outside = get(
        server, f"SELECT * FROM <{url}/data.nt> FROM NAMED <{url}/named.nt> WHERE {{ ?s ?p ?o }}"
    )
    assert rows_of(outside) == []
    assert hits == []
    graph = document_graph(built_settings.document_files()[0].stem)
    count = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}"
    in_graph = get(server, count.format(dataset=f"FROM <{graph}>")).json()
    by_param = get(server, count.format(dataset=""), **{"default-graph-uri": graph}).json()
    union = get(server, count.format(dataset="")).json()
    value = lambda doc: int(doc["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    store = open_store(built_settings)
    expected = len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
    assert value(in_graph) == value(by_param) == expected
    assert value(union) > expected


def test_over_long_query_is_413(tight_server) -> None:
    long_query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 600
    assert get(tight_server, long_query).status_code == 413
    response = httpx.post(tight_server.endpoint, data={"query": long_query}, timeout=30)
    assert response.status_code == 413
    assert "at most 500" in response.text


def test_unsupported_accept_is_406(server) -> None:
    response = get(server, ALL_TRIPLES, "image/png")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    graph = get(server, "CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")
    assert graph.status_code == 406


def test_timeout_is_503_and_the_worker_is_replaced(tight_server) -> None:
    response = get(tight_server, EXPENSIVE)
    assert response.status_code == 503
    assert response.text == "the query ran longer than 1.5 s and was stopped\n"
    assert tight_server.alive()
    # one worker only: this answer comes from the replacement process
    assert rows_of(get(tight_server, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"))


def test_row_and_byte_caps_are_503(tight_server) -> None:
    assert len(rows_of(get(tight_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 5"))) == 5
    too_many = get(tight_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 6")
    assert too_many.status_code == 503
    assert "more than 5 rows" in too_many.text
    big = (
        'SELECT ?c WHERE { VALUES ?n { 1 2 3 4 5 } BIND("xxxxxxxxxx" AS ?a) '
        "BIND(CONCAT(?a,?a,?a,?a,?a,?a,?a,?a,?a,?a) AS ?b) "
        "BIND(CONCAT(?b,?b,?b,?b,?b,?b,?b,?b,?b,?b, STR(?n)) AS ?c) }"
    )
    too_big = get(tight_server, big)
    assert too_big.status_code == 503
    assert "exceed 4000 bytes" in too_big.text


# ---------------------------------------------------------------- descriptions and pages


def _turtle(response: httpx.Response) -> set[ox.Triple]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    return {quad.triple for quad in ox.parse(response.content, ox.RdfFormat.TURTLE)}


def _graph_counts(settings: Settings, *, served: bool = False) -> dict[str, int]:
    """Triples per graph in the store: the dataset graphs VoID describes, and with `served`
    also the sparql-examples graph, which the endpoint (and so its service description)
    serves but which is no part of the dataset."""
    from lupuskg.examples import EXAMPLES_GRAPH

    store = open_store(settings)
    return {
        graph.value: len(list(store.quads_for_pattern(None, None, None, graph)))
        for graph in store.named_graphs()
        if served or graph.value != EXAMPLES_GRAPH
    }


def test_service_description_at_the_endpoint(server, built_settings) -> None:
    triples = _turtle(httpx.get(server.endpoint, headers={"Accept": "text/turtle"}, timeout=30))
    service = ox.NamedNode(server.endpoint)
    assert ox.Triple(service, ox.NamedNode(SD + "endpoint"), service) in triples
    assert (
        ox.Triple(
            service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")
        )
        in triples
    )
    assert (
        ox.Triple(service, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph"))
        in triples
    )
    names = {t.object.value: t.subject for t in triples if t.predicate.value == SD + "name"}
    counts = _graph_counts(built_settings, served=True)
    assert set(names) == set(counts)
    for iri, named in names.items():
        graph = next(
            t.object for t in triples if t.subject == named and t.predicate.value == SD + "graph"
        )
        size = next(
            t.object
            for t in triples
            if t.subject == graph and t.predicate.value == VOID + "triples"
        )
        assert int(size.value) == counts[iri]
    browser = httpx.get(
        server.endpoint,
        headers={"Accept": "text/html,*/*;q=0.8"},
        timeout=30,
        follow_redirects=True,
    )
    assert browser.history[0].status_code == 303 and "yasgui" in browser.text


def test_void_counts_triples_per_graph(server, built_settings) -> None:
    triples = _turtle(httpx.get(server.base + "/.well-known/void", timeout=30))
    counts = _graph_counts(built_settings)
    by_subset = {}
    for triple in triples:
        if triple.predicate.value == SD + "name":
            size = next(
                t.object
                for t in triples
                if t.subject == triple.subject and t.predicate.value == VOID + "triples"
            )
            by_subset[triple.object.value] = int(size.value)
    assert by_subset == counts
    assert ONTOLOGY_GRAPH in by_subset
    endpoint = {t.object.value for t in triples if t.predicate.value == VOID + "sparqlEndpoint"}
    assert endpoint == {server.endpoint}


def _first_claim(settings: Settings) -> tuple[str, str, str]:
    store = open_store(settings)
    row = next(
        iter(
            store.query(
                f"""SELECT ?claim ?exact ?title WHERE {{
          ?claim <{VOCAB}sourceDocument> ?doc ; <{VOCAB}hasQuote>/<http://www.w3.org/ns/oa#exact> ?exact .
          ?doc <http://purl.org/dc/terms/title> ?title }} ORDER BY ?claim ?exact ?title LIMIT 1""",
                use_default_graph_as_union=True,
            )
        )
    )
    return row["claim"].value, row["exact"].value, row["title"].value


def test_claim_page_shows_statement_quote_and_source(server, built_settings) -> None:
    import html

    claim, exact, title = _first_claim(built_settings)
    page = httpx.get(server.base + "/" + claim.removeprefix(DATA.rsplit("id/", 1)[0]), timeout=30)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert html.escape(exact) in page.text
    assert html.escape(title) in page.text


def test_term_page_lists_claims_and_negotiates_rdf(server) -> None:
    page = httpx.get(server.base + "/vocab/UCMSCTherapy", timeout=30)
    assert page.status_code == 200
    assert "Claims that mention it" in page.text and "<blockquote>" in page.text
    triples = _turtle(
        httpx.get(
            server.base + "/vocab/UCMSCTherapy", headers={"Accept": "text/turtle"}, timeout=30
        )
    )
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    assert any(
        t.subject == ox.NamedNode(VOCAB + "UCMSCTherapy") and t.predicate == label for t in triples
    )
    jsonld = httpx.get(server.base + "/vocab/UCMSCTherapy", params={"format": "jsonld"}, timeout=30)
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert (
        httpx.get(
            server.base + "/vocab/UCMSCTherapy", headers={"Accept": "image/png"}, timeout=30
        ).status_code
        == 406
    )
    missing = httpx.get(server.base + "/id/no-such-thing", timeout=30)
    assert missing.status_code == 404 and "Not found" in missing.text
    assert httpx.get(server.base + "/ontology", timeout=30).status_code == 200


def test_query_page_is_self_contained(server) -> None:
    page = httpx.get(server.base + "/", timeout=30)
    assert page.status_code == 200
    assert '<script src="/static/yasgui/yasgui.min.js">' in page.text
    assert "https://" not in page.text and "http://" not in page.text.replace("xmlns", "")
    shipped = Path(__file__).resolve().parents[2] / "src/lupuskg/server/static/yasgui/yasgui.min.js"
    served = httpx.get(server.base + "/static/yasgui/yasgui.min.js", timeout=30)
    assert served.status_code == 200 and served.content == shipped.read_bytes()


def test_void_is_the_release_description(server, built_settings) -> None:
    """One VoID generator: /.well-known/void is the graph `lupuskg release` writes (same
    endpoint URL), distributions, checksums and HCLS levels included."""
    import rdflib
    from rdflib.compare import isomorphic

    from lupuskg.release import write_release

    bundle = write_release(built_settings, built_settings.release_dir, endpoint_url=server.endpoint)
    released = rdflib.Graph().parse(bundle.directory / "void.ttl")
    served = rdflib.Graph().parse(
        data=httpx.get(
            server.base + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=120
        ).text,
        format="turtle",
    )
    assert len(released) > 100
    assert isomorphic(served, released), (
        f"{len(served)} triples served, {len(released)} released; only served: "
        f"{sorted(str(t) for t in (served - released))[:3]}; "
        f"only released: {sorted(str(t) for t in (released - served))[:3]}"
    )


def _readme_serving_section() -> str:
    readme = Path(__file__).resolve().parents[2] / "README.md"
    text = readme.read_text(encoding="utf-8")
    return text.split("## Serving", 1)[1].split("\n## ", 1)[0]


def test_readme_serving_examples_run_against_the_server(server, capsys) -> None:
    """The README's SPARQLWrapper and curl examples, as written but for the port."""
    import re

    section = _readme_serving_section()
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    code = code.replace("http://127.0.0.1:8000", server.base)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.count("'quote'") >= 3  # three bindings of ?quote, printed as a dict
    (shell,) = re.findall(r"```bash\ncurl (.*?)\n```", section, re.S)
    if shutil.which("curl") is None:
        pytest.skip("no curl on PATH")
    import shlex

    done = subprocess.run(
        ["curl", "-s", *shlex.split(shell.replace("http://127.0.0.1:8000", server.base))],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert sorted(rows[0]) == ["o", "p", "s"] and len(rows) == 6  # SELECT *: any order


def test_rest_pages_a_drill_down(server) -> None:
    url = server.base + "/api/queries/Q10-pairs"
    whole = httpx.get(url, params={"limit": "all", "format": "json"}, timeout=60)
    default = httpx.get(url, params={"format": "json"}, timeout=60)
    assert whole.status_code == default.status_code == 200
    rows = whole.json()["results"]["bindings"]
    assert 0 < len(rows) <= 1000, "the seeds' drill-down fits in the default page"
    assert default.json()["results"]["bindings"] == rows
    paged = httpx.get(url, params={"limit": "5", "offset": "5", "format": "json"}, timeout=60)
    assert paged.json()["results"]["bindings"] == rows[5:10]
    bad = httpx.get(url, params={"limit": "some"}, timeout=30)
    assert bad.status_code == 400 and "'all'" in bad.text
