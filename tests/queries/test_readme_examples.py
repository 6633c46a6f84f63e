"""The README's "From Python" query example returns rows (it is run as written)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lupuskg.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _querying_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Querying", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the Querying section has no Python example"
    return blocks[0]


def test_readme_query_example_returns_rows(
    built_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _querying_example()
    assert "lupuskg.query(" in code
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)
    result = namespace["result"]
    assert len(result) > 0, "the README example answers 0 rows"  # type: ignore[arg-type]
    printed = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("{") for line in printed) == len(result)  # type: ignore[arg-type]
