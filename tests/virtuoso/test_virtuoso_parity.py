"""`lupuskg publish` into a real Virtuoso, then every canned query answers there as it does here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from lupuskg.config import Settings
from lupuskg.examples import EXAMPLES_GRAPH
from lupuskg.queries import bind_values, catalog, embedded_runner, execute
from lupuskg.store import open_store

pytestmark = pytest.mark.virtuoso

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "decimal",
        "double",
        "float",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
    )
}


def _value(value: dict[str, Any] | None) -> tuple[str, ...]:
    """One binding, normalised: numbers by value, xsd:string = plain literal, language tags lower-case."""
    if value is None:
        return ("unbound",)
    kind = value["type"]
    if kind == "uri":
        return ("iri", value["value"])
    if kind == "bnode":
        return ("bnode",)
    language = value.get("xml:lang")
    if language:
        return ("literal", value["value"], "@" + language.lower())
    datatype = value.get("datatype", XSD + "string")
    if datatype in NUMERIC:
        try:
            return ("number", str(Decimal(value["value"]).normalize()))
        except InvalidOperation:
            pass
    return ("literal", value["value"], datatype)


def normalised(document: dict[str, Any]) -> list[tuple[tuple[str, ...], ...]]:
    variables = document["head"]["vars"]
    return sorted(
        tuple(_value(binding.get(name)) for name in variables)
        for binding in document["results"]["bindings"]
    )


def publish(
    settings: Settings, virtuoso, *, password: str = "dba"
) -> subprocess.CompletedProcess[str]:
    """Run `lupuskg publish` into the private Virtuoso, as a user would."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from lupuskg.cli import main; sys.exit(main())",
            "publish",
            "--store",
            virtuoso.graph_store,
            "--user",
            "dba",
            "--password",
            password,
            "--auth",
            "digest",
        ],
        env={**os.environ, "LUPUSKG_HOME": str(settings.root)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def graph_sizes(virtuoso, graphs: list[str]) -> dict[str, int]:
    sizes = {}
    for graph in graphs:
        response = httpx.get(
            virtuoso.sparql,
            params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        sizes[graph] = int(response.json()["results"]["bindings"][0]["n"]["value"])
    return sizes


@pytest.fixture(scope="module")
def published(built_settings: Settings, virtuoso) -> dict[str, int]:
    """Publish once before any query runs (Virtuoso 7.2 caches plans built on an empty database).

    The result is what publish sends: every store graph but the sparql-examples graph, which
    only `lupuskg serve` serves (it is no part of the dataset)."""
    store = open_store(built_settings)
    local = {
        graph.value: len(list(store.quads_for_pattern(None, None, None, graph)))
        for graph in store.named_graphs()
        if graph.value != EXAMPLES_GRAPH
    }
    first = publish(built_settings, virtuoso)
    assert first.returncode == 0, first.stderr + first.stdout
    return local


def on_virtuoso(virtuoso, sparql: str) -> list[tuple[tuple[str, ...], ...]]:
    client = SPARQLWrapper(virtuoso.sparql)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery(sparql)
    return normalised(client.queryAndConvert())


#: Known Virtuoso 7.2.5 differences (each must still differ, so that a fix is noticed). Q10-pairs,
#: Q11 and Q11-pairs differed (sub-SELECTs joined on several variables, UNION branches binding
#: marker keys, nested FILTER NOT EXISTS) until they joined the build's closure graph (issue 17).
VIRTUOSO_DIFFERS: set[str] = set()


def test_publish_twice_then_every_canned_query_matches(
    built_settings: Settings, virtuoso, published: dict[str, int]
) -> None:
    store = open_store(built_settings)
    local = published
    assert graph_sizes(virtuoso, sorted(local)) == local
    second = publish(built_settings, virtuoso)  # PUT replaces: nothing doubles
    assert second.returncode == 0, second.stderr + second.stdout
    assert f"published {len(local)} graphs, {sum(local.values())} triples" in second.stdout
    assert graph_sizes(virtuoso, sorted(local)) == local

    runner = embedded_runner(store)
    mismatches = []
    for query_id in catalog(built_settings):
        # the query's own columns: the text sent to Virtuoso has no label lookup
        query, bound, result = execute(
            query_id, settings=built_settings, runner=runner, labels=False
        )
        here = normalised(json.loads(result.json))
        assert here, f"{query_id} has no rows on the embedded engine; the comparison would be empty"
        try:
            there = on_virtuoso(virtuoso, bind_values(query.sparql, bound))
        except SPARQLWrapperException as error:
            if query_id in VIRTUOSO_DIFFERS:
                continue
            mismatches.append(f"{query_id}: Virtuoso failed: {str(error).splitlines()[0][:200]}")
            continue
        if query_id in VIRTUOSO_DIFFERS:
            if there == here:
                mismatches.append(f"{query_id} now agrees: remove it from VIRTUOSO_DIFFERS")
            continue
        if there != here:
            only_here = [row for row in here if row not in there][:2]
            only_there = [row for row in there if row not in here][:2]
            mismatches.append(
                f"{query_id}: {len(here)} rows here, {len(there)} on Virtuoso; "
                f"only here: {only_here}; only there: {only_there}"
            )
    assert not mismatches, "\n".join(mismatches)


HSCT = "obo:MAXO_0000747"
MSC = "lkg:MSCTherapy"
UC_MSC = "lkg:UCMSCTherapy"
LUPUS_NEPHRITIS = "obo:MONDO_0005556"
SLE = "obo:MONDO_0007915"

#: every parameterised query with realistic non-default values (none is a root class)
PARAMETER_CASES = [
    *[
        (query_id, {"therapy": therapy})
        for query_id in ("Q03", "Q05", "Q06", "Q15")
        for therapy in (HSCT, MSC, UC_MSC)
    ],
    ("Q05", {"condition": LUPUS_NEPHRITIS}),
    ("Q05", {"therapy": HSCT, "condition": SLE}),
    *[("Q21", {"therapy": therapy}) for therapy in (HSCT, MSC, UC_MSC)],
    ("Q21", {"outcome": "lkg:ClinicalResponse"}),
    ("Q21", {"therapy": HSCT, "outcome": "lkg:Death"}),
    ("Q22", {"document": "lkgd:jayne-2004"}),
    ("Q22", {"document": "lkgd:bmt-hsct-conditioning-sle"}),
    ("Q10-pairs", {"therapy": HSCT, "outcome": "lkg:Remission"}),
    ("Q11-pairs", {"therapyA": HSCT, "outcomeA": "lkg:Remission"}),
]


def _case_id(case: tuple[str, dict[str, str]]) -> str:
    query_id, params = case
    return query_id + "-" + ",".join(f"{name}={value}" for name, value in sorted(params.items()))


def test_parameter_cases_cover_every_parameter(built_settings: Settings) -> None:
    """A new parameterised query or parameter must get a case here."""
    wanted = {
        (query.id, parameter.name)
        for query in catalog(built_settings).values()
        for parameter in query.parameters
        if query.id not in VIRTUOSO_DIFFERS
    }
    covered = {(query_id, name) for query_id, params in PARAMETER_CASES for name in params}
    assert covered == wanted


@pytest.mark.parametrize("case", PARAMETER_CASES, ids=_case_id)
def test_parameterised_query_matches(
    case: tuple[str, dict[str, str]], built_settings: Settings, virtuoso, published: dict[str, int]
) -> None:
    """A real parameter value, bound as on any remote endpoint, gives the embedded answer."""
    query_id, params = case
    runner = embedded_runner(open_store(built_settings))
    query, bound, result = execute(
        query_id, params, settings=built_settings, runner=runner, labels=False
    )
    _, defaults, unrestricted = execute(
        query_id, settings=built_settings, runner=runner, labels=False
    )
    assert bound != defaults
    # the value narrows the answer, so a binding that Virtuoso ignores cannot pass
    assert len(result) < len(unrestricted)
    here = normalised(json.loads(result.json))
    there = on_virtuoso(virtuoso, bind_values(query.sparql, bound))
    assert there == here, (
        f"{len(here)} rows here, {len(there)} on Virtuoso; "
        f"only here: {[row for row in here if row not in there][:2]}; "
        f"only there: {[row for row in there if row not in here][:2]}"
    )


def test_wrong_password_is_a_clear_error(built_settings: Settings, virtuoso) -> None:
    result = publish(built_settings, virtuoso, password="wrong")
    assert result.returncode == 1
    assert "refused the credentials" in result.stderr
    assert "Traceback" not in result.stderr


def test_endpoint_probe_accepts_virtuoso_and_parameters_are_checked(
    built_settings: Settings, virtuoso, published: dict[str, int]
) -> None:
    """The README store table: Virtuoso's default graph is the union, so `--endpoint` runs;
    an unknown CURIE is refused there too, with the nearest terms (no silent 0 rows)."""
    from lupuskg.exceptions import UnknownParameterError

    runner = embedded_runner(open_store(built_settings))
    _, _, here = execute("Q05", {"therapy": "MSC"}, settings=built_settings, runner=runner)
    _, _, there = execute(
        "Q05", {"therapy": "MSC"}, settings=built_settings, endpoint=virtuoso.sparql
    )
    assert len(here) and normalised(json.loads(there.json)) == normalised(json.loads(here.json))
    # the …Label columns, looked up on Virtuoso itself, are the embedded store's labels
    assert "interventionLabel" in there.variables and there.variables == here.variables
    assert any(row[there.variables.index("interventionLabel")] for row in there.rows)
    with pytest.raises(UnknownParameterError, match="nearest terms: obo:MAXO_0000747"):
        execute("Q05", {"therapy": "lkg:HSCT"}, settings=built_settings, endpoint=virtuoso.sparql)
