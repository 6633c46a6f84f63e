"""What the cold command line imports: `import lupuskg.cli` and `lupuskg query` stay light.

Checked in a fresh interpreter through sys.modules, not by timing: the heavy packages
(each 40 ms to over 1 s to import on this machine) must not be loaded by the command
line itself, nor by a canned query rendered as a table, CSV or JSON. A module that
starts importing one of them at module level, or on the query path, fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from lupuskg.config import Settings

#: packages the cold query path never needs (top-level names, or exact module names)
HEAVY = (
    "curies",
    "pydantic",
    "rdflib",
    "rich",
    "pyshacl",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "owlready2",
    "SPARQLWrapper",
    "starlette",
    "uvicorn",
    "httpx",
    "requests",
    "importlib.metadata",
)

_REPORT = """
import json, sys
def heavy():
    names = set(sys.modules)
    return sorted(h for h in HEAVY if h in names)
"""


def _run(code: str, env: dict[str, str] | None = None) -> dict[str, object]:
    script = f"HEAVY = {HEAVY!r}\n{_REPORT}\n{code}"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    result = json.loads(last)
    assert isinstance(result, dict)
    return result


def test_importing_the_command_line_loads_no_heavy_package() -> None:
    result = _run("import lupuskg.cli\nprint(json.dumps({'heavy': heavy()}))")
    assert result["heavy"] == []


def test_the_checker_sees_a_heavy_import() -> None:
    """The check above can fail: importing one of the packages shows up."""
    result = _run("import lupuskg.cli, importlib.metadata\nprint(json.dumps({'heavy': heavy()}))")
    assert result["heavy"] == ["importlib.metadata"]


@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
def test_a_cold_canned_query_loads_no_heavy_package(
    built_settings: Settings, output_format: str
) -> None:
    env = {**os.environ, "LUPUSKG_HOME": str(built_settings.root)}
    env.pop("LUPUSKG_STORE", None)
    code = f"""
import io, contextlib
from lupuskg.cli import main
sys.argv = ["lupuskg", "query", "Q05", "-f", {output_format!r}]
out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
with contextlib.redirect_stdout(out):
    try:
        main()
    except SystemExit as exit:
        code = exit.code
out.flush()
size = len(out.buffer.getvalue())
print(json.dumps({{"code": code, "bytes": size, "heavy": heavy()}}))
"""
    result = _run(code, env)
    assert result["code"] == 0
    assert isinstance(result["bytes"], int) and result["bytes"] > 500  # the query answered
    assert result["heavy"] == []
