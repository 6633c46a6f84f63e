"""Quote checks: whitespace-normalised comparison on raw-text offsets, and finding the right ones."""

from __future__ import annotations

from pathlib import Path

import rdflib

from lupuskg.validation.quotes import QuoteContext, check_quotes, find_quote, normalise

TEXT = "Line one ends here.\nThe  therapy’s\teffect was   clear.\nEnd."
TTL = """PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
<https://w3id.org/lupuskg/id/d.quote-01> a lkg:Quote ;
    oa:exact "{exact}" ;
    oa:start "{start}"^^xsd:nonNegativeInteger ; oa:end "{end}"^^xsd:nonNegativeInteger ;
    lkg:inSourceText <https://w3id.org/lupuskg/source/d.txt> .
"""


def _check(tmp_path: Path, exact: str, start: int, end: int):  # type: ignore[no-untyped-def]
    (tmp_path / "graph" / "sources").mkdir(parents=True, exist_ok=True)
    (tmp_path / "graph" / "sources" / "d.txt").write_text(TEXT, encoding="utf-8")
    graph = rdflib.Graph().parse(
        data=TTL.format(exact=exact, start=start, end=end), format="turtle"
    )
    context = QuoteContext(tmp_path, tmp_path / "graph" / "sources", "d.ttl", lambda _iri: 4)
    return check_quotes(graph, context)


def test_normalise_collapses_whitespace() -> None:
    assert normalise("  a \n\t b  ") == "a b"


def test_whitespace_differences_are_accepted(tmp_path: Path) -> None:
    start = TEXT.index("The")
    end = TEXT.index("clear.") + len("clear.")
    assert _check(tmp_path, "The therapy’s effect was clear.", start, end) == []


def test_offsets_are_code_points(tmp_path: Path) -> None:
    start = TEXT.index("therapy’s")
    assert _check(tmp_path, "therapy’s", start, start + 9) == []


def test_mismatch_shows_both_strings_and_suggests_offsets(tmp_path: Path) -> None:
    [result] = _check(tmp_path, "effect was clear.", 0, 17)
    assert result.constraint == "lkg:QuoteMismatch"
    assert result.message == (
        "The quote does not match the source text graph/sources/d.txt at oa:start 0, oa:end 17: "
        'the quote says "effect was clear." but the source there says "Line one ends her"'
    )
    start = TEXT.index("effect")
    assert (
        result.hint
        == f"The passage occurs at oa:start {start}, oa:end {len(TEXT) - 5}: set those offsets"
    )
    assert (result.severity, result.focus, result.line) == ("Violation", "lkgd:d.quote-01", 4)


def test_quote_absent_from_source(tmp_path: Path) -> None:
    [result] = _check(tmp_path, "the effect was unclear", 0, 5)
    assert result.constraint == "lkg:QuoteNotInSource"
    assert "does not occur anywhere in the source text graph/sources/d.txt" in result.message


def test_find_quote_returns_raw_offsets() -> None:
    assert find_quote("The therapy’s effect", TEXT) == [(20, 41)]
    assert TEXT[20:41] == "The  therapy’s\teffect"
