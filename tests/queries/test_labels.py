"""`…Label` columns (lupuskg.labels) and `QueryResult.to_dataframe()` (issue 15 part 7)."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from lupuskg.config import Settings
from lupuskg.labels import BATCH, add_labels, lookup
from lupuskg.queries import embedded_runner, execute, run_canned, run_sparql
from lupuskg.results import QueryResult

ROOT = Path(__file__).resolve().parents[2]
OBO_TERMS = ROOT / "ontology" / "reference" / "obo-terms.tsv"
EX = "http://example.org/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
#: rdfs:label of lkg:AutologousHSCT in ontology/lupuskg.ttl
AUTOLOGOUS_HSCT_LABEL = "autologous hematopoietic stem cell transplantation"


def _store(turtle: str) -> ox.Store:
    store = ox.Store()
    store.load(turtle.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(EX + "g"))
    return store


LABELLED = f"""
@prefix ex: <{EX}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:a ex:p ex:t1 , ex:t2 , ex:t3 , "text" .
ex:b ex:p ex:t1 .
ex:t1 rdfs:label "Zebra"@de , "beta"@en , "alpha"@en-GB ; skos:prefLabel "aardvark" .
ex:t2 skos:prefLabel "only preferred" , "also preferred"@fr .
"""


def test_one_label_per_term_by_the_fixed_rule_and_rows_unchanged() -> None:
    """rdfs:label before skos:prefLabel, en before en-GB before de, then the smallest text;
    a term with three labels still gives one row per solution (no OPTIONAL multiplication)."""
    store = _store(LABELLED)
    run = embedded_runner(store)
    result = run_sparql(store, f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s STR(?o)", None)
    labelled = add_labels(result, run)
    assert labelled.variables == ("s", "sLabel", "o", "oLabel")
    assert len(labelled) == len(result) == 5
    rows = [tuple(None if c is None else c.lexical for c in row) for row in labelled]
    assert rows == [
        (EX + "a", None, EX + "t1", "beta"),
        (EX + "a", None, EX + "t2", "only preferred"),  # no language tag before @fr
        (EX + "a", None, EX + "t3", None),
        (EX + "a", None, "text", None),
        (EX + "b", None, EX + "t1", "beta"),
    ]
    # the JSON document (and so CSV, TSV, XML) carries the new columns too
    again = QueryResult.from_json(labelled.json)
    assert again.variables == labelled.variables and again.rows == labelled.rows
    assert b"oLabel" in labelled.serialize("csv").splitlines()[0]


def test_lookup_batches_and_skips_non_literals() -> None:
    many = "\n".join(f'<{EX}n{i}> <{RDFS_LABEL}> "n {i}" .' for i in range(BATCH + 7))
    store = _store(
        f'@prefix ex: <{EX}> .\n{many}\nex:x <{RDFS_LABEL}> ex:notALiteral ; <{SKOS_PREF}> "x" .'
    )
    calls: list[str] = []
    run = embedded_runner(store)

    def counting(sparql: str, bindings: object) -> QueryResult:
        calls.append(sparql)
        return run(sparql, {})

    iris = [f"{EX}n{i}" for i in range(BATCH + 7)] + [EX + "x", EX + "none"]
    found = lookup(iris, counting)
    assert len(calls) == 2 * 2  # two batches per label property
    assert found[f"{EX}n{BATCH + 6}"] == f"n {BATCH + 6}"
    assert found[EX + "x"] == "x"  # the IRI-valued rdfs:label is not a label
    assert EX + "none" not in found


def test_existing_label_columns_are_kept_and_not_doubled(built_settings: Settings) -> None:
    _, _, result = execute("Q01", settings=built_settings)
    assert result.variables == (
        "therapy",
        "therapyLabel",
        "disease",
        "diseaseLabel",
        "doc",
        "docLabel",
        "claims",
    )
    _, _, raw = execute("Q01", settings=built_settings, labels=False)
    assert raw.variables == ("therapy", "therapyLabel", "disease", "doc", "claims")
    assert len(raw) == len(result)


def _verified_labels() -> dict[str, str]:
    with OBO_TERMS.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return {row[1]: row[2] for row in rows[1:] if len(row) > 2 and row[1].startswith("http")}


@pytest.mark.parametrize("query_id", ["Q01", "Q03", "Q05", "Q18"])
def test_labels_of_obo_terms_are_their_verified_labels(
    query_id: str, built_settings: Settings
) -> None:
    """Checked against ontology/reference/obo-terms.tsv, not against the store itself."""
    verified = _verified_labels()
    _, _, result = execute(query_id, settings=built_settings)
    checked = 0
    for row in result.rows:
        for index, name in enumerate(result.variables):
            label_column = name + "Label"
            cell = row[index]
            if label_column not in result.variables or cell is None or cell.kind != "iri":
                continue
            if cell.lexical in verified:
                label = row[result.variables.index(label_column)]
                assert label is not None, (name, cell.lexical)
                assert label.lexical == verified[cell.lexical], (name, cell.lexical)
                checked += 1
    assert checked > 0


def test_q01_expected_rows_with_labels(built_settings: Settings) -> None:
    records = run_canned("Q01", settings=built_settings).to_records()
    hsct_ln = [
        r
        for r in records
        if r["therapy"].endswith("MAXO_0000747") and r["disease"].endswith("MONDO_0005556")
    ]
    assert hsct_ln, "Q01 has no HSCT / lupus nephritis row"
    assert {r["therapyLabel"] for r in hsct_ln} == {"hematopoietic stem cell transplantation"}
    assert {r["diseaseLabel"] for r in hsct_ln} == {"lupus nephritis"}
    assert "https://w3id.org/lupuskg/id/rajoe-2023" in {r["doc"] for r in hsct_ln}


def test_to_dataframe_has_curies_labels_and_python_values(built_settings: Settings) -> None:
    pd = pytest.importorskip("pandas")
    result = run_canned("Q08", settings=built_settings)
    frame = result.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert tuple(frame.columns) == result.variables
    assert len(frame) == len(result)
    assert "lkg:AutologousHSCT" in set(frame["therapy"])
    labels = dict(zip(frame["therapy"], frame["therapyLabel"], strict=True))
    assert labels["lkg:AutologousHSCT"] == AUTOLOGOUS_HSCT_LABEL
    months = [m for m in frame["followUpMonths"] if m is not None and m == m]
    assert months and all(isinstance(m, int | float) for m in months)
    assert all(str(doc).startswith("lkgd:") for doc in frame["doc"])


def test_to_dataframe_without_pandas_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from lupuskg.exceptions import QueryError

    real_import = builtins.__import__

    def no_pandas(name: str, *args: object, **kwargs: object) -> object:
        if name == "pandas":
            raise ImportError("no pandas here")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    result = QueryResult.from_json(b'{"head":{"vars":["x"]},"results":{"bindings":[]}}')
    with pytest.raises(QueryError, match="needs pandas") as caught:
        result.to_dataframe()
    assert caught.value.hint == "pip install 'lupuskg[dataframe]'"
