"""Q10/Q11: the aggregated answers, their drill-downs, paging, and the like-with-like rules.

The rules (issue 11, part 8) are stated in the queries' comments; each has one case in
tests/queries/fixtures/like-with-like.ttl, and the rows below are that fixture's exact answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from lupuskg.closure import add_closure
from lupuskg.config import Settings, settings
from lupuskg.exceptions import QueryError
from lupuskg.queries import execute, load_catalog, page, run_sparql

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
QUERIES = load_catalog(ROOT / "queries")
LKG = "https://w3id.org/lupuskg/vocab/"
LKGD = "https://w3id.org/lupuskg/id/"


def _fixture_rows(query_id: str, columns: list[str]) -> list[tuple[str, ...]]:
    store = ox.Store()
    store.load(path=str(FIXTURES / "like-with-like.ttl"), format=ox.RdfFormat.TURTLE)
    add_closure(store)  # as `lupuskg build` does: the queries join on the closure
    result = run_sparql(store, QUERIES[query_id].sparql)
    index = [result.variables.index(name) for name in columns]
    short = {LKG: "lkg:", LKGD: ""}
    rows = []
    for row in result.rows:
        cells = []
        for i in index:
            text = row[i].lexical
            for base, prefix in short.items():
                text = text.replace(base, prefix)
            cells.append(text)
        rows.append(tuple(cells))
    return rows


def _tsv_rows(data: bytes) -> Counter[tuple[str, ...]]:
    solutions = ox.parse_query_results(data, ox.QueryResultsFormat.TSV)
    names = [variable.value for variable in solutions.variables]
    return Counter(
        tuple("" if s[name] is None else str(s[name]) for name in names) for s in solutions
    )


def test_q11_applies_every_like_with_like_rule() -> None:
    """One row per rule case; the pairs each rule rejects are absent."""
    assert _fixture_rows("Q11", ["therapy", "outcome", "exampleClaimA", "exampleClaimB"]) == [
        # rule 4: arm-cy against arm-cy conflicts; claim-b (arm-flu) is a subgroup difference
        ("lkg:AutologousHSCT", "lkg:DiseaseRemission", "r4.claim-a", "r4.claim-c"),
        # rule 5: no adverse events against leucopenia seen; no headache (claim-b) meets nothing
        ("lkg:BMMSCTherapy", "lkg:AdverseEvent", "r5.claim-a", "r5.claim-c"),
        # rule 3: versus standard meets versus standard; the placebo add-on (claim-b) does not
        ("lkg:CARTTherapy", "lkg:Proteinuria", "r3.claim-a", "r3.claim-c"),
        # rule 2: SLE meets refractory SLE; Sjogren's syndrome (claim-c) does not
        ("lkg:HSCT", "lkg:SLEDAIScore", "r2.claim-a", "r2.claim-b"),
        # rule 5: no treatment-related AE against one seen; the unattributed event (claim-b) does not
        ("lkg:MSCTherapy", "lkg:TreatmentRelatedAdverseEvent", "r7.claim-a", "r7.claim-c"),
        # rule 1: complete remission meets response rate through lkg:ClinicalResponse
        ("lkg:UCMSCTherapy", "lkg:CompleteRemission", "r1.claim-a", "r1.claim-b"),
    ]
    counts = _fixture_rows(
        "Q11",
        ["supportingClaims", "supportingDocuments", "opposingClaims", "opposingDocuments", "pairs"],
    )
    assert counts == [("1", "1", "1", "1", "1")] * 6


def test_q10_corroborates_through_the_response_hierarchy_only() -> None:
    """Rule 1 adds the lkg:ClinicalResponse row; rule 5 keeps "no headache" out of "no AE"."""
    assert _fixture_rows(
        "Q10", ["therapy", "outcome", "direction", "documents", "exampleClaimA", "exampleClaimB"]
    ) == [
        ("lkg:CARTTherapy", "lkg:Proteinuria", "lkg:NoEffect", "2", "r3.claim-b", "r3.claim-c"),
        (
            "lkg:GenericTherapyX",
            "lkg:ClinicalResponse",
            "lkg:Improves",
            "2",
            "r6.claim-a",
            "r6.claim-b",
        ),
        ("lkg:HSCT", "lkg:SLEDAIScore", "lkg:Worsens", "2", "r2.claim-b", "r2.claim-c"),
    ]


NO_TREATMENT_RELATED_AE = {
    f"{LKGD}li-2012.claim-07",
    f"{LKGD}wang-2013.claim-05",
    f"{LKGD}wang-2014.claim-02",
}


def test_corpus_no_treatment_related_ae_conflicts_with_no_unattributed_event(
    built_settings: Settings,
) -> None:
    """The three "no adverse event was attributed to the transplantation" claims of the corpus.

    As lkg:TreatmentRelatedAdverseEvent they meet no event seen after MSC therapy that
    nobody attributed to it (warm sensation with dizziness, infections judged unrelated),
    which they did as plain lkg:AdverseEvent; and they corroborate each other in Q10.
    """
    _, _, pairs = execute("Q11-pairs", settings=built_settings, labels=False)
    in_pairs = {row[i].value for row in pairs.rows for i in (4, 11)}
    assert in_pairs & NO_TREATMENT_RELATED_AE == set()
    assert f"{LKGD}cem-ucmsc-news.claim-08" in in_pairs, "the news item's own conflict stays"
    _, _, corroborated = execute("Q10", settings=built_settings, labels=False)
    rows = {(r[0].value, r[1].value, r[2].value, r[3].value) for r in corroborated.rows}
    row = (f"{LKG}MSCTherapy", f"{LKG}TreatmentRelatedAdverseEvent", f"{LKG}NotObserved", 3)
    assert row in rows, "li-2012, wang-2013 and wang-2014 corroborate each other"


def _documents_named_in(answer: Path) -> set[str]:
    """The document slugs an old answer file cites (its ``lkgd:<slug>`` cells)."""
    return set(re.findall(rf"<{re.escape(LKGD)}([a-z0-9-]+)>", answer.read_text("utf-8")))


@pytest.fixture(scope="module")
def before_aggregation_settings(
    tmp_path_factory: pytest.TempPathFactory, project_copier: Callable[[Path], Path]
) -> Iterator[Settings]:
    """A build of only the documents the old answers were recorded on.

    The old answers are a record of that corpus, so documents added since then must not
    enter the comparison; which documents those are is read from the answer files.
    """
    from lupuskg.build import build

    slugs = set().union(
        *(_documents_named_in(FIXTURES / f"{q}-before-aggregation.tsv") for q in ("Q10", "Q11"))
    )
    root = project_copier(tmp_path_factory.mktemp("before-aggregation"))
    for document in (root / "graph" / "documents").glob("*.ttl"):
        if document.stem not in slugs:
            document.unlink()
    mp = pytest.MonkeyPatch()
    mp.setenv("LUPUSKG_HOME", str(root))
    mp.delenv("LUPUSKG_STORE", raising=False)
    settings.cache_clear()
    project = settings(root)
    build(project, validate=False)
    yield project
    mp.undo()
    settings.cache_clear()


@pytest.mark.parametrize("query_id", ["Q10", "Q11"])
def test_drill_down_without_filters_returns_the_pairs_from_before_aggregation(
    query_id: str, before_aggregation_settings: Settings
) -> None:
    """The old Q10/Q11 answers (kept as fixtures) are the unfiltered drill-downs.

    The only rows added are Q10's rule 1 roll-up to lkg:ClinicalResponse (the response
    hierarchy that the ontology gained after the old answers were recorded).
    """
    _, _, result = execute(f"{query_id}-pairs", settings=before_aggregation_settings, labels=False)
    before = (FIXTURES / f"{query_id}-before-aggregation.tsv").read_bytes()
    assert result.serialize("tsv").split(b"\n", 1)[0] == before.split(b"\n", 1)[0]
    now = _tsv_rows(result.serialize("tsv"))
    added = now - _tsv_rows(before)
    assert _tsv_rows(before) - now == Counter()
    assert {row[1] for row in added} <= {f"<{LKG}ClinicalResponse>"}
    assert len(added) == (4 if query_id == "Q10" else 0)


def test_drill_down_filters_give_one_summary_row(built_settings: Settings) -> None:
    _, _, summary = execute("Q11", settings=built_settings, labels=False)
    row = summary.rows[0]
    therapy, outcome, pairs = row[0], row[1], int(row[6].lexical)
    _, _, drill = execute(
        "Q11-pairs",
        {"therapyA": therapy, "outcomeA": outcome},
        settings=built_settings,
        labels=False,
    )
    claim_pairs = {(r[4].lexical, r[11].lexical) for r in drill.rows}
    assert len(claim_pairs) == pairs
    assert {(r[0], r[1]) for r in drill.rows} == {(therapy, outcome)}


def test_paging_splits_the_drill_down_in_order(built_settings: Settings) -> None:
    _, _, whole = execute("Q10-pairs", settings=built_settings)
    assert len(whole) > 40, "the corpus should give the drill-down more than two pages"
    offsets = range(0, len(whole), 20)
    pages = [
        execute("Q10-pairs", settings=built_settings, limit=20, offset=offset)[2].rows
        for offset in offsets
    ]
    assert [len(p) for p in pages] == [min(20, len(whole) - o) for o in offsets]
    assert [row for p in pages for row in p] == list(whole.rows)


def test_a_drill_down_gives_a_bounded_page_by_default(
    built_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a limit a drill-down gives its first DRILL_DOWN_PAGE rows (seeds: fewer rows
    than the real page, so a page of 20 stands in); limit="all" gives every row."""
    import lupuskg.queries as queries

    _, _, whole = execute("Q10-pairs", settings=built_settings, limit="all")
    monkeypatch.setattr(queries, "DRILL_DOWN_PAGE", 20)
    _, _, first = execute("Q10-pairs", settings=built_settings)
    _, _, second = execute("Q10-pairs", settings=built_settings, offset=20)
    assert list(first.rows) + list(second.rows) == list(whole.rows)[:40]
    _, _, summary = execute("Q10", settings=built_settings)
    _, _, summary_all = execute("Q10", settings=built_settings, limit="all")
    assert len(summary) == len(summary_all) > 20, "only drill-downs are paged by default"


def test_page_writes_integers_only() -> None:
    assert page("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", 5, 10).endswith("LIMIT 5\nOFFSET 10\n")
    with pytest.raises(QueryError, match="limit must be a non-negative integer, not -1"):
        page("SELECT * WHERE { ?s ?p ?o }", -1)
    with pytest.raises(QueryError, match="offset must be a non-negative integer, not '3'"):
        page("SELECT * WHERE { ?s ?p ?o }", None, "3")  # type: ignore[arg-type]
