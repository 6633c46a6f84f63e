"""The derived graph: pooled estimates rebuilt by every build, linked to results, quotes, documents."""

from __future__ import annotations

from lupuskg.dataset import load_graphs
from lupuskg.queries import run_sparql
from lupuskg.store import open_store
from lupuskg.synthesis.derived import DERIVED_GRAPH

ESTIMATE = "https://w3id.org/lupuskg/id/derived.pooled-UCMSCTherapy-CompleteRemission-P1Y-"

CERTAINTY = "https://w3id.org/lupuskg/id/derived.certainty-UCMSCTherapy-CompleteRemission"

WALK = """
PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?estimate ?value ?result ?document ?quote WHERE {
  GRAPH <https://w3id.org/lupuskg/graph/derived> {
    ?estimate a lkg:PooledEstimate ; lkg:value ?value ; lkg:pooledResult ?result .
  }
  ?result lkg:sourceDocument ?document ; lkg:hasQuote/oa:exact ?quote .
}
ORDER BY ?estimate ?result
"""


def test_a_pooled_estimate_walks_to_every_quote_behind_it(synthesis_settings) -> None:
    rows = run_sparql(open_store(synthesis_settings), WALK).to_records()
    by_estimate: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        by_estimate.setdefault(row["estimate"], []).append((row["document"], row["quote"]))
    assert sorted(by_estimate) == [ESTIMATE + "DL", ESTIMATE + "PM"]
    expected = [
        (
            "https://w3id.org/lupuskg/id/alpha-2010",
            "At 12 months, 2 of 20 patients were in complete remission.",
        ),
        (
            "https://w3id.org/lupuskg/id/beta-2015",
            "At 12 months, 10 of 20 patients were in complete remission.",
        ),
        (
            "https://w3id.org/lupuskg/id/gamma-2020",
            "At 12 months, 15 of 20 patients were in complete remission.",
        ),
    ]
    assert by_estimate[ESTIMATE + "DL"] == expected
    assert by_estimate[ESTIMATE + "PM"] == expected
    dl_value = {str(row["value"]) for row in rows if row["estimate"] == ESTIMATE + "DL"}
    assert dl_value == {"0.430042"}  # the hand-computed DerSimonian–Laird estimate


def test_a_single_study_time_point_is_not_pooled(synthesis_settings) -> None:
    rows = run_sparql(
        open_store(synthesis_settings),
        "PREFIX lkg: <https://w3id.org/lupuskg/vocab/> SELECT ?e WHERE { ?e lkg:timePoint ?t ; a lkg:PooledEstimate }",
    ).to_records()
    assert len(rows) == 2  # P12M by DL and PM; the P6M result comes from one study only


def test_export_includes_the_derived_graph(synthesis_settings) -> None:
    graphs = load_graphs(synthesis_settings)
    assert DERIVED_GRAPH in graphs
    derived = graphs[DERIVED_GRAPH]
    subjects = {str(s) for s in derived.subjects()}
    results = {s for s in subjects if ".result-" in s}
    assert subjects - results == {ESTIMATE + "DL", ESTIMATE + "PM", CERTAINTY}
    # every fixture result with counts carries its proportion and Wilson interval
    assert results == {
        "https://w3id.org/lupuskg/id/alpha-2010.result-01",
        "https://w3id.org/lupuskg/id/alpha-2010.result-02",
        "https://w3id.org/lupuskg/id/beta-2015.result-01",
        "https://w3id.org/lupuskg/id/gamma-2020.result-01",
    }


def test_the_certainty_profile_sits_beside_the_pooled_estimates(synthesis_settings) -> None:
    rows = run_sparql(
        open_store(synthesis_settings),
        """PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
        SELECT ?rating ?rule ?estimate WHERE {
          GRAPH <https://w3id.org/lupuskg/graph/derived> {
            ?node a lkg:CertaintyAssessment ; lkg:certaintyRating ?rating ;
              lkg:ratingRule ?rule ; lkg:assessedEstimate ?estimate .
          }
        } ORDER BY ?rule ?estimate""",
    ).to_records()
    assert {row["rating"] for row in rows} == {"very low"}
    assert {row["estimate"] for row in rows} == {ESTIMATE + "DL", ESTIMATE + "PM"}
    assert sorted({row["rule"] for row in rows}) == [
        "imprecision (-1): 60 patients known (< 100)",
        "inconsistency (-1): pooled I² 85% > 50%",
        "start (+0): low: no randomised study (observational or no study data)",
    ]
