"""`lupuskg serve`'s limit options are read from ServerLimits: same names, same bounds."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lupuskg.cli.serve import serve_command
from lupuskg.exceptions import InputError
from lupuskg.server.limits import Bound, ServerLimits, limit_options


def _below(kind: type[float], bound: Bound) -> float:
    """The largest value of ``kind`` that the bound refuses."""
    return kind(bound.minimum) if bound.open else kind(bound.minimum) - 1


@pytest.mark.parametrize(("name", "kind", "bound"), [o[:3] for o in limit_options()])
def test_option_and_dataclass_refuse_the_same_values(
    name: str, kind: type[float], bound: Bound
) -> None:
    with pytest.raises(InputError, match=name):
        ServerLimits(**{name: _below(kind, bound)})
    ServerLimits(**{name: kind(bound.minimum) + 1})
    flag = "--" + name.replace("_", "-")
    refused = CliRunner().invoke(serve_command, [flag, str(_below(kind, bound))])
    assert refused.exit_code == 2 and flag in refused.output


def test_only_limits_declared_with_an_option_become_options() -> None:
    names = {o[0] for o in limit_options()}
    assert {"timeout", "max_rows", "max_connections", "cache_entries"} <= names
    assert "cache_mb" not in names  # a limit without an option is still a field
