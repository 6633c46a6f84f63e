"""Parameter resolution: IRI, CURIE, label, synonym; and clear errors for bad input."""

from __future__ import annotations

import pytest

from lupuskg.config import Settings
from lupuskg.exceptions import UnknownParameterError, UnknownQueryError
from lupuskg.queries import execute, get_query, normalise_id, run_canned
from lupuskg.store import open_store

LKG = "https://w3id.org/lupuskg/vocab/"
OBO = "http://purl.obolibrary.org/obo/"


@pytest.mark.parametrize(
    ("given", "iri"),
    [
        (f"{LKG}UCMSCTherapy", f"{LKG}UCMSCTherapy"),
        (f"<{LKG}UCMSCTherapy>", f"{LKG}UCMSCTherapy"),
        ("lkg:UCMSCTherapy", f"{LKG}UCMSCTherapy"),
        ("obo:MAXO_0000747", f"{OBO}MAXO_0000747"),
        ("MAXO:0000747", f"{OBO}MAXO_0000747"),
        ("umbilical cord mesenchymal stem cell therapy", f"{LKG}UCMSCTherapy"),  # label
        ("umbilical cord MSC therapy", f"{LKG}UCMSCTherapy"),  # exact synonym
        ("UMBILICAL CORD msc THERAPY", f"{LKG}UCMSCTherapy"),  # case-insensitive
        ("UC-MSC", f"{LKG}UCMSCTherapy"),  # synonym "UC-MSC therapy" without "therapy"
        ("HSCT", f"{OBO}MAXO_0000747"),
        ("MSC", f"{LKG}MSCTherapy"),
    ],
)
def test_therapy_resolves(given: str, iri: str, built_settings: Settings) -> None:
    _, bound, _ = execute("Q06", {"therapy": given}, settings=built_settings)
    assert bound["therapy"].value == iri


def test_defaults_are_bound_when_not_given(built_settings: Settings) -> None:
    _, bound, _ = execute("Q05", settings=built_settings)
    assert {name: term.value for name, term in bound.items()} == {
        "therapy": f"{LKG}Therapy",
        "condition": f"{LKG}Condition",
    }


def _subclasses(settings: Settings, iri: str) -> set[str]:
    """``iri`` and every class below it in the built ontology graph (rdfs:subClassOf*)."""
    query = (
        "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <" + iri + "> }"
    )
    rows = open_store(settings).query(query, use_default_graph_as_union=True)
    return {row["c"].value for row in rows}


def test_therapy_matches_subclasses(built_settings: Settings) -> None:
    """therapy=MSC includes the UC-MSC claims (rdfs:subClassOf*), as documented in Q06."""
    records = run_canned("Q06", settings=built_settings, therapy="MSC").to_records()
    interventions = {record["intervention"] for record in records}
    assert {f"{LKG}MSCTherapy", f"{LKG}UCMSCTherapy"} <= interventions  # carl-2024, cem-ucmsc-news
    assert interventions <= _subclasses(built_settings, f"{LKG}MSCTherapy")
    only_uc = run_canned("Q06", settings=built_settings, therapy="UC-MSC").to_records()
    uc_interventions = {record["intervention"] for record in only_uc}
    assert f"{LKG}UCMSCTherapy" in uc_interventions
    assert uc_interventions <= _subclasses(built_settings, f"{LKG}UCMSCTherapy")
    assert len(only_uc) < len(records)


def test_condition_parameter_filters_by_hierarchy(built_settings: Settings) -> None:
    records = run_canned("Q05", settings=built_settings, condition="lupus nephritis").to_records()
    assert records
    assert {record["population"] for record in records} == {
        f"{OBO}MONDO_0005556",
        f"{LKG}RefractoryLupusNephritis",
    }


def test_unknown_query_lists_choices(built_settings: Settings) -> None:
    with pytest.raises(UnknownQueryError) as caught:
        get_query("Q55", built_settings)
    assert str(caught.value) == (
        "unknown query 'Q55' (did you mean Q15, Q05?); valid queries: "
        + ", ".join(f"Q{n:02d}" for n in range(1, 24)).replace(
            "Q10, Q11", "Q10, Q10-pairs, Q11, Q11-pairs"
        )
    )


def test_query_ids_are_forgiving() -> None:
    assert normalise_id("q5") == "Q05"
    assert normalise_id("5") == "Q05"
    assert normalise_id("https://w3id.org/lupuskg/query/Q18") == "Q18"


def test_unknown_parameter_name_lists_choices(built_settings: Settings) -> None:
    with pytest.raises(UnknownParameterError) as caught:
        execute("Q05", {"therapi": "MSC"}, settings=built_settings)
    assert str(caught.value) == (
        "query Q05 has no parameter 'therapi' (did you mean therapy?); valid parameters: condition, therapy"
    )


def test_parameter_on_query_without_parameters(built_settings: Settings) -> None:
    with pytest.raises(UnknownParameterError) as caught:
        execute("Q18", {"therapy": "MSC"}, settings=built_settings)
    assert str(caught.value) == "query Q18 has no parameter 'therapy'; it takes no parameters"


def test_unknown_label_lists_closest_and_valid_choices(built_settings: Settings) -> None:
    with pytest.raises(UnknownParameterError) as caught:
        execute("Q06", {"therapy": "UC-MS"}, settings=built_settings)
    message = str(caught.value)
    assert message.startswith("Q06 parameter 'therapy': no term labelled 'UC-MS' (closest: ")
    assert "'UC-MSC'" in message.split("valid choices")[0]
    choices = message.split("; valid choices: ", 1)[1].split(", ")
    assert "umbilical cord mesenchymal stem cell therapy" in choices
    assert "hematopoietic stem cell transplantation" in choices
    assert "T cell" not in choices  # only therapies are offered for a therapy parameter


def test_label_of_the_wrong_type_is_refused(built_settings: Settings) -> None:
    with pytest.raises(UnknownParameterError) as caught:
        execute(
            "Q06", {"therapy": "mesenchymal stem cell of umbilical cord"}, settings=built_settings
        )
    assert str(caught.value).startswith(
        "Q06 parameter 'therapy': 'mesenchymal stem cell of umbilical cord' names "
        f"{OBO}CL_0002569, which is not a lkg:Therapy; valid choices: "
    )


def test_malformed_iri_is_refused_not_pasted(built_settings: Settings) -> None:
    with pytest.raises(UnknownParameterError) as caught:
        execute("Q06", {"therapy": "<http://x/a> } ; DROP ALL #>"}, settings=built_settings)
    assert "is not a valid IRI" in str(caught.value)


def test_python_api_returns_typed_rows(
    built_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lupuskg

    result = lupuskg.query("Q08")
    assert result.variables[:3] == ("therapy", "therapyLabel", "study")
    records = result.to_records()
    uc = [r for r in records if r["therapy"] == f"{LKG}UCMSCTherapy"]
    assert uc, "Q08 lists no UC-MSC study"
    assert all(
        isinstance(r["sampleSize"], int) and isinstance(r["followUpMonths"], int) for r in uc
    )
    # The longest UC-MSC follow-up is at least cem-ucmsc-news's 6 years (72 months).
    assert len({r["followUpMonths"] for r in uc}) == 1 and uc[0]["followUpMonths"] >= 72
    first = result.rows[0][0]
    assert first is not None and first.kind == "iri" and first.curie.startswith(("lkg:", "obo:"))
