"""Every canned query: metadata shapes, parsing, and the reviewed expected answer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest

from lupuskg.config import Settings
from lupuskg.queries import bind_values, embedded_runner, execute, load_catalog, run_sparql
from lupuskg.store import open_store

if TYPE_CHECKING:
    from conftest import Golden

ROOT = Path(__file__).resolve().parents[2]
QUERIES = load_catalog(ROOT / "queries")
SHAPES = ROOT / "queries" / "_shapes" / "query-metadata-shapes.ttl"
IDS = sorted(QUERIES)


def _rows(data: bytes, fmt: ox.QueryResultsFormat) -> Counter[tuple[str, ...]]:
    """A result as a multiset of rows of N-Triples terms ('' for unbound)."""
    solutions = ox.parse_query_results(data, fmt)
    names = [variable.value for variable in solutions.variables]
    return Counter(
        tuple("" if solution[name] is None else str(solution[name]) for name in names)
        for solution in solutions
    )


def _header(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n", 1)[0].split("\t")


def test_catalog_has_the_design_questions_and_their_drill_downs() -> None:
    """Q01-Q19 (design §4) and the four evidence-model questions: Table 1, forest-plot
    input, time course and adverse events per arm (Q20-Q23)."""
    design = [f"Q{number:02d}" for number in range(1, 24)]
    assert sorted([*design, "Q10-pairs", "Q11-pairs"]) == IDS


@pytest.mark.parametrize("query_id", IDS)
def test_metadata_passes_shapes(query_id: str) -> None:
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(QUERIES[query_id].path)
    shapes = rdflib.Graph().parse(SHAPES)
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text


def test_shapes_reject_a_query_without_title(tmp_path: Path) -> None:
    import pyshacl
    import rdflib

    broken = QUERIES["Q01"].path.read_text(encoding="utf-8").replace("rdfs:label", "rdfs:seeAlso")
    data = rdflib.Graph().parse(data=broken, format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(SHAPES))
    assert not conforms
    assert "one English title" in text


@pytest.mark.parametrize("query_id", IDS)
def test_query_parses_in_both_engines(query_id: str) -> None:
    from rdflib.plugins.sparql import prepareQuery

    text = QUERIES[query_id].sparql
    prepareQuery(text)
    ox.Store().query(text)  # raises SyntaxError if pyoxigraph rejects it


@pytest.mark.parametrize("query_id", IDS)
def test_parameters_are_projected_variables(query_id: str) -> None:
    """Substitution binds projected variables only; a typo would silently bind nothing."""
    select = QUERIES[query_id].sparql.split("WHERE", 1)[0]
    for parameter in QUERIES[query_id].parameters:
        assert f"?{parameter.name} " in select, parameter.name
        # a drill-down's filters have no default (unbound: every row); the others do
        assert (parameter.default is None) == query_id.endswith("-pairs"), parameter.name


@pytest.mark.parametrize("query_id", IDS)
def test_answer_equals_reviewed_expected_file(
    query_id: str, built_settings: Settings, golden: Golden
) -> None:
    _, _, result = execute(query_id, settings=built_settings)
    actual = result.serialize("tsv")
    if golden.update:
        golden.rewrite(f"{query_id}.tsv", actual)
        return
    expected = golden.path(f"{query_id}.tsv").read_bytes()
    assert _header(actual) == _header(expected)
    assert _rows(actual, ox.QueryResultsFormat.TSV) == _rows(expected, ox.QueryResultsFormat.TSV)


@pytest.mark.parametrize(
    "query_id", [q for q in IDS if any(p.name == "therapy" for p in QUERIES[q].parameters)]
)
def test_values_binding_equals_substitution(query_id: str, built_settings: Settings) -> None:
    """The remote form (opening VALUES) answers exactly like the embedded pre-binding.

    Two therapies, MSC and HSCT; at least one must give rows, so the comparison is never
    vacuous (the arm-level queries have no MSC arms until MSC studies are encoded).
    """
    store = open_store(built_settings)
    rows = 0
    for therapy in ("lkg:MSCTherapy", "obo:MAXO_0000747"):
        query, bound, substituted = execute(
            query_id,
            {"therapy": therapy},
            settings=built_settings,
            runner=embedded_runner(store),
            labels=False,  # the query's own columns, as the VALUES form gives them
        )
        with_values = run_sparql(store, bind_values(query.sparql, bound))
        rows += len(substituted)
        assert _rows(with_values.json, ox.QueryResultsFormat.JSON) == _rows(
            substituted.json, ox.QueryResultsFormat.JSON
        ), therapy
    assert rows > 0
