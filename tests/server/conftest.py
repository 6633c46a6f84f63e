"""Fixtures that run the real `lupuskg serve` in a subprocess on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from serve_helpers import Server, serving

from lupuskg.config import Settings


@pytest.fixture(scope="session")
def server(built_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The endpoint with its default limits."""
    yield from serving(built_settings, tmp_path_factory.mktemp("serve") / "serve.log")


@pytest.fixture(scope="session")
def tight_server(
    built_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The endpoint with tiny limits: 1.5 s, 5 rows, 4 kB responses, 500-character queries."""
    yield from serving(
        built_settings,
        tmp_path_factory.mktemp("serve-tight") / "serve.log",
        "--timeout",
        "1.5",
        "--max-rows",
        "5",
        "--max-bytes",
        "4000",
        "--max-query-length",
        "500",
        "--workers",
        "1",
    )
