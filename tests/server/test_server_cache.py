"""The endpoint's result cache over real HTTP: ETag, If-None-Match -> 304, Cache-Control, and
a rebuild that changes the answer and its ETag (workers hold the store in memory)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from serve_helpers import Server, serving

from lupuskg.build import build
from lupuskg.config import Settings

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
#: the same query, spelt differently (case, layout, a comment): one parse tree
COUNT_RESPELT = "# how many quads\nselect (count(*) as ?n)\nwhere {\n  graph ?g {?s ?p ?o}\n}\n"


def _get(server: Server, query: str, **headers: str) -> httpx.Response:
    return httpx.get(server.endpoint, params={"query": query}, headers=headers, timeout=60)


def _count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_etag_round_trip_gives_304(server: Server) -> None:
    first = _get(server, COUNT, accept="application/sparql-results+json")
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert "no-cache" in first.headers["cache-control"]
    again = _get(server, COUNT, accept="application/sparql-results+json")
    assert again.headers["etag"] == etag and again.content == first.content

    not_modified = _get(
        server, COUNT, accept="application/sparql-results+json", **{"if-none-match": etag}
    )
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == etag

    other = _get(
        server, COUNT, accept="application/sparql-results+json", **{"if-none-match": '"x"'}
    )
    assert other.status_code == 200 and other.content == first.content


def test_respelt_query_shares_the_etag_and_formats_do_not(server: Server) -> None:
    json_answer = _get(server, COUNT, accept="application/sparql-results+json")
    respelt = _get(server, COUNT_RESPELT, accept="application/sparql-results+json")
    assert respelt.headers["etag"] == json_answer.headers["etag"]
    assert _count(respelt) == _count(json_answer)
    csv_answer = _get(server, COUNT, accept="text/csv")
    assert csv_answer.status_code == 200
    assert csv_answer.headers["etag"] != json_answer.headers["etag"]
    assert csv_answer.headers["content-type"].startswith("text/csv")


def test_canned_query_etag(server: Server) -> None:
    url = server.base + "/api/queries/Q05"
    first = httpx.get(url, timeout=60)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    second = httpx.get(url, headers={"if-none-match": f'W/{etag}, "other"'}, timeout=60)
    assert second.status_code == 304
    paged = httpx.get(url, params={"limit": "1"}, timeout=60)
    assert paged.status_code == 200 and paged.headers["etag"] != etag


def test_errors_are_not_cached_and_carry_no_etag(server: Server) -> None:
    response = _get(server, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400
    assert "etag" not in response.headers


@pytest.fixture(scope="module")
def rebuildable(
    tmp_path_factory: pytest.TempPathFactory,
    project_copier: Callable[[Path], Path],
    project_builder: Callable[[Path], AbstractContextManager[Settings]],
) -> Iterator[tuple[Settings, Server]]:
    """A private built project and its own server, for a test that rebuilds under it."""
    root = project_copier(tmp_path_factory.mktemp("cache-project"))
    with project_builder(root) as project:
        log = tmp_path_factory.mktemp("serve-cache") / "serve.log"
        yield from ((project, running) for running in serving(project, log, "--workers", "1"))


def test_rebuild_changes_answer_and_etag(rebuildable: tuple[Settings, Server]) -> None:
    project, server = rebuildable
    before = _get(server, COUNT)
    etag = before.headers["etag"]
    assert _get(server, COUNT, **{"if-none-match": etag}).status_code == 304

    documents = sorted((project.root / "graph" / "documents").glob("*.ttl"))
    removed = documents[-1]
    shutil.move(removed, project.root / removed.name)  # one document fewer
    build(project, validate=False)

    after = _get(server, COUNT, **{"if-none-match": etag})
    assert after.status_code == 200, "the old ETag must not validate against a new build"
    assert after.headers["etag"] != etag
    assert _count(after) < _count(before), "the worker must answer from the new build"
    assert _get(server, COUNT, **{"if-none-match": after.headers["etag"]}).status_code == 304
    assert server.alive()


def test_repeated_post_is_the_same_answer_and_the_host_check_still_applies(
    server: Server,
) -> None:
    """The second identical POST comes from the fast path (fastpath.py): same bytes, same
    headers, 304 on its ETag; a bad Host header is refused even for a request it knows."""
    form = {"query": COUNT + " # fast path"}
    first = httpx.post(server.endpoint, data=form, headers={"accept": "text/csv"}, timeout=60)
    again = httpx.post(server.endpoint, data=form, headers={"accept": "text/csv"}, timeout=60)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert {k: v for k, v in again.headers.items() if k != "date"} == {
        k: v for k, v in first.headers.items() if k != "date"
    }
    etag = first.headers["etag"]
    not_modified = httpx.post(
        server.endpoint,
        data=form,
        headers={"accept": "text/csv", "if-none-match": etag},
        timeout=60,
    )
    assert not_modified.status_code == 304 and not_modified.headers["etag"] == etag
    refused = httpx.post(
        server.endpoint,
        data=form,
        headers={"accept": "text/csv", "host": "evil.example"},
        timeout=60,
    )
    assert refused.status_code == 400 and "etag" not in refused.headers
