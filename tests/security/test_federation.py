"""Probes of finding 1: SERVICE in any spelling never reaches the network; CORS and Host.

The earlier guard matched the word SERVICE and missed `SERVICEl:x`, `SERVICESILENT<iri>`
and `SERVICE:x`, which pyoxigraph accepts and federates: 14 of 17 such variants made the
server call a local listener and return its answer.
"""

from __future__ import annotations

import contextlib

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_helpers import Listener
from serve_helpers import Server

from lupuskg.server.limits import ServerLimits
from lupuskg.server.problems import Problem
from lupuskg.server.safety import guard_query

LIMITS = ServerLimits()


def glued(url: str) -> list[str]:
    """The spellings that got through the word-matching guard (and a few more)."""
    return [
        f"PREFIX l: <{url}> SELECT * {{ SERVICEl:x {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICESILENT<{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> SELECT * {{ SERVICE SILENT:x {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE<{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ sErViCe#comment\n<{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERV\\u0049CE\\u0020SILENT<{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"ASK {{ {{ SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"BASE <{url}> SELECT * {{ SERVICE <x> {{ ?s ?p ?o }} }}",
    ]


@pytest.mark.parametrize("text", glued("http://127.0.0.1:9/"))
def test_the_guard_refuses_every_glued_spelling(text: str) -> None:
    with pytest.raises(Problem) as caught:
        guard_query(text, LIMITS)
    assert caught.value.status in (400, 403)


def test_the_engine_really_federates_the_glued_spellings(listener: Listener) -> None:
    """Keeps the probe honest: pyoxigraph, unguarded, does call the listener for these."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a/"), ox.NamedNode("http://b/"), ox.Literal("c")))
    for text in glued(listener.url)[:3]:
        with contextlib.suppress(OSError):  # SILENT swallows the failed call, others raise
            list(store.query(text))
    assert len(listener.connections) == 3


_LETTERS = st.lists(st.booleans(), min_size=7, max_size=7)
_SEPARATOR = st.sampled_from(["", " ", "\t", "\n", "#c\n", " #SERVICE\n"])
_TARGET = st.sampled_from(["l:x", ":x", "<http://127.0.0.1:9/>", "?e"])


def _spell(word: str, upper: list[bool], escape: list[bool]) -> str:
    out = []
    for letter, up, esc in zip(word, upper, escape, strict=False):
        char = letter.upper() if up else letter.lower()
        out.append(f"\\u{ord(char):04X}" if esc else char)
    return "".join(out)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    upper=_LETTERS,
    escape=_LETTERS,
    silent=st.sampled_from(["", "SILENT", "silent", "SiLeNt"]),
    before=_SEPARATOR,
    after=_SEPARATOR,
    target=_TARGET,
)
def test_generated_service_spellings_never_pass(
    upper: list[bool], escape: list[bool], silent: str, before: str, after: str, target: str
) -> None:
    keyword = _spell("service", upper, escape)
    text = (
        "PREFIX l: <http://127.0.0.1:9/> PREFIX : <http://127.0.0.1:9/> "
        f"SELECT * {{ VALUES ?e {{ <http://127.0.0.1:9/> }} {keyword}{before}{silent}{after}"
        f"{target} {{ ?s ?p ?o }} }}"
    )
    with pytest.raises(Problem) as caught:
        guard_query(text, LIMITS)
    assert caught.value.status in (400, 403)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service WHERE { ?service ?p 'a SERVICE <http://x/> in a string' }",
        "PREFIX service: <http://ex/service/> SELECT * WHERE { ?s service:service ?o }",
        "SELECT * WHERE { ?s <http://ex/SERVICE> ?o }",
    ],
)
def test_service_as_a_name_string_or_iri_is_not_a_call(text: str) -> None:
    assert guard_query(text, LIMITS).form == "SELECT"


def test_service_in_a_comment_is_refused_rather_than_guessed() -> None:
    with pytest.raises(Problem) as caught:
        guard_query("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>", LIMITS)
    assert caught.value.status == 403


def test_no_spelling_reaches_a_listener_through_the_endpoint(
    guarded_server: Server, listener: Listener
) -> None:
    statuses = []
    for text in glued(listener.url):
        response = httpx.post(guarded_server.endpoint, data={"query": text}, timeout=30)
        statuses.append(response.status_code)
        assert "REMOTE-BODY" not in response.text
    assert listener.connections == []
    assert set(statuses) <= {400, 403}, statuses


def test_cors_is_off_by_default(guarded_server: Server) -> None:
    response = httpx.get(
        guarded_server.base + "/health", headers={"Origin": "http://evil.example"}, timeout=10
    )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_a_foreign_host_header_is_refused(guarded_server: Server) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example."""
    refused = httpx.get(
        guarded_server.base + "/sparql",
        params={"query": "ASK {}"},
        headers={"Host": "evil.example"},
        timeout=10,
    )
    assert refused.status_code == 400
    local = httpx.get(
        guarded_server.base + "/health", headers={"Host": "localhost:1234"}, timeout=10
    )
    assert local.status_code == 200


def test_cors_origins_are_configurable() -> None:
    from starlette.testclient import TestClient

    from lupuskg.server.app import create_app

    class _NoStore:
        store_dir = "."

    app = create_app(_NoStore(), ServerLimits(cors_origins=("https://ok.example",)))  # type: ignore[arg-type]
    client = TestClient(app, base_url="http://127.0.0.1")
    allowed = client.get("/health", headers={"Origin": "https://ok.example"})
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    assert allowed.headers.get("access-control-allow-origin") == "https://ok.example"
    assert "access-control-allow-origin" not in other.headers
