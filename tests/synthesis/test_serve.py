"""`lupuskg serve` shows the gap map at /map and forest plots at /meta/{therapy}/{outcome}."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from lupuskg.server.app import create_app


@pytest.fixture(scope="module")
def client(synthesis_settings) -> Iterator[TestClient]:
    with TestClient(create_app(synthesis_settings), base_url="http://127.0.0.1") as running:
        yield running


def test_map_page_links_claims_to_this_server(client) -> None:
    response = client.get("/map")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<circle class="bubble"' in response.text
    assert '"claim": "/id/beta-2015.claim-01"' in response.text


def test_forest_plot_is_an_svg_with_author_rows(client) -> None:
    response = client.get("/meta/UC-MSC/complete remission", params={"timepoint": "P12M"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "Beta 2015" in response.text


def test_forest_plot_of_one_study_is_a_400_with_the_reason(client) -> None:
    response = client.get("/meta/UC-MSC/complete remission", params={"timepoint": "P6M"})
    assert response.status_code == 400
    assert "pooling needs results from at least two studies" in response.text
