"""`lupuskg query ... --format table` at a fixed width (issue 15 part 8).

The rendered tables are golden files (tests/expected/tables/), rewritten by
``--update-expected``; the other tests check what must hold at any width.
"""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.queries import execute
from lupuskg.results import QueryResult
from lupuskg.tables import DEFAULT_ROWS, layout, render_table

#: (golden file, COLUMNS, arguments after `lupuskg query`)
CASES = [
    ("Q05-100.txt", 100, ["Q05"]),
    ("Q05-hsct-80.txt", 80, ["Q05", "--param", "therapy=HSCT"]),
    ("Q15-100-max5.txt", 100, ["Q15", "--max-rows", "5"]),
    ("Q09-wide.txt", 100, ["Q09", "--wide"]),
]


def _table(columns: int, args: list[str]) -> str:
    result = CliRunner().invoke(main, ["query", *args], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("name", "columns", "args"), CASES, ids=[c[0] for c in CASES])
def test_table_equals_golden_file(
    name: str, columns: int, args: list[str], built_settings: Settings, golden: object
) -> None:
    actual = _table(columns, args).encode("utf-8")
    if golden.update:  # type: ignore[attr-defined]
        golden.rewrite(f"tables/{name}", actual)  # type: ignore[attr-defined]
        return
    expected = golden.path(f"tables/{name}").read_bytes()  # type: ignore[attr-defined]
    assert actual.decode("utf-8") == expected.decode("utf-8")


@pytest.mark.parametrize("columns", [80, 100])
def test_q05_fits_the_width_with_labels_and_a_row_cap(
    columns: int, built_settings: Settings
) -> None:
    out = _table(columns, ["Q05"])
    lines = out.splitlines()
    assert max(len(line) for line in lines[1:]) <= columns  # the title may be longer
    _, _, result = execute("Q05", settings=built_settings)
    shown = min(len(result), DEFAULT_ROWS)
    # title, header, rule, rows, footer lines: not one line per 6-character cell fragment
    assert len(lines) <= shown + 6
    assert f"{len(result)} row(s)" in out
    assert "hidden columns:" in out and "--wide" in out
    assert "immune suppressan" in out  # the label of obo:MAXO_0000297, maybe cut with "…"
    assert "http" not in "\n".join(lines[1:])  # labels and CURIEs, never a full IRI
    header = lines[1].split()
    assert "interventionLabel" not in header and "intervention" in header


def test_wide_shows_every_column_and_row(built_settings: Settings) -> None:
    out = _table(100, ["Q05", "--wide"])
    _, _, result = execute("Q05", settings=built_settings)
    header = out.splitlines()[1].split()
    assert header == list(result.variables)
    assert f"{len(result)} row(s)" in out and "more not shown" not in out
    assert len(out.splitlines()) == len(result) + 4  # title, header, rule, rows, count


def test_same_value_in_every_row_is_said_once() -> None:
    document = (
        b'{"head":{"vars":["a","b"]},"results":{"bindings":['
        b'{"a":{"type":"literal","value":"same"},"b":{"type":"literal","value":"one"}},'
        b'{"a":{"type":"literal","value":"same"},"b":{"type":"literal","value":"two"}},'
        b'{"a":{"type":"literal","value":"same"},"b":{"type":"literal","value":"six"}}]}}'
    )
    result = QueryResult.from_json(document)
    out = io.StringIO()
    render_table(result, file=out)  # fits: nothing folded
    assert out.getvalue().splitlines()[0].split() == ["a", "b"]
    narrow = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "5")  # "a" and "b" need 4 + 2 + 3: too wide
        render_table(result, file=narrow)
    assert narrow.getvalue().splitlines() == [
        "b",
        "───",
        "one",
        "two",
        "six",
        "3 row(s)",
        "same in every row: a = same",
    ]


def test_layout_keeps_columns_from_the_left_and_shares_the_spare_width() -> None:
    headers = ["first", "second", "third"]
    cells = [["x" * 30, "y" * 30, "z" * 30]]
    widths, kept = layout(headers, cells, 60)
    assert kept == 3 and sum(widths) + 2 * 2 <= 60
    assert widths == [19, 19, 18]  # 16 each, then the spare 8 in proportion, left first
    widths, kept = layout(headers, cells, 40)
    assert kept == 2 and widths == [19, 19]
    widths, kept = layout(headers, [["a", "b", "c"]], 100)
    assert kept == 3 and widths == [5, 6, 5]  # never wider than the content needs
