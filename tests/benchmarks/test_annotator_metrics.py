"""The annotator benchmark's measures mean what they say: a perfect draft scores 1, a wrong one less."""

from __future__ import annotations

from pathlib import Path

from benchmark_modules import load_benchmark
from rdflib import Graph, Literal, Namespace

ROOT = Path(__file__).resolve().parents[2]
LKG = Namespace("https://w3id.org/lupuskg/vocab/")
OA = Namespace("http://www.w3.org/ns/oa#")
DOC = ROOT / "graph" / "documents" / "song-2011.ttl"


def test_hand_encoding_against_itself_scores_one() -> None:
    bench = load_benchmark("annotator")
    gold = Graph().parse(DOC)
    row = bench.measure("song-2011", "", gold, gold)
    for key in (
        "quote_recall",
        "precision",
        "ido_accuracy",
        "certainty_accuracy",
        "numeric_recall",
    ):
        assert row[key] == 1.0, key
    assert row["matched"] == row["hand_claims"] == row["draft_claims"]


def test_changed_direction_and_number_are_counted() -> None:
    bench = load_benchmark("annotator")
    gold = Graph().parse(DOC)
    draft = Graph().parse(DOC)
    claim = next(iter(draft.subjects(LKG.direction, LKG.Improves)))
    draft.set((claim, LKG.direction, LKG.Worsens))
    result = next(iter(draft.subjects(LKG.numerator, None)))
    draft.set((result, LKG.numerator, Literal(99)))
    row = bench.measure("song-2011", "", gold, draft)
    assert row["direction_accuracy"] < 1.0
    assert row["numeric_recall"] < 1.0
    assert row["quote_recall"] == 1.0


def test_quotes_elsewhere_match_nothing() -> None:
    bench = load_benchmark("annotator")
    gold = Graph().parse(DOC)
    draft = Graph().parse(DOC)
    for quote in list(draft.subjects(OA.start, None)):
        draft.set((quote, OA.start, Literal(0)))
        draft.set((quote, OA.end, Literal(1)))
    row = bench.measure("song-2011", "", gold, draft)
    assert row["quote_recall"] == 0.0
    assert row["matched"] == 0 and row["precision"] == 0.0
