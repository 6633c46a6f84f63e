"""The browser test drives a real `lupuskg serve`, started with the endpoint tests' helpers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from serve_helpers import Server, serving

from lupuskg.config import Settings


@pytest.fixture(scope="module")
def page_server(
    built_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    yield from serving(built_settings, tmp_path_factory.mktemp("serve-browser") / "serve.log")
