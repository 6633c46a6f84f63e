"""Registry words -> lupuskg terms: arm roles, design, masking, therapies, conditions.

Only terms the ontology declares are used. Where no rule matches, the draft falls back
to the general class (lkg:Therapy) and says so in a curation note, so a curator sees
what to refine; nothing is guessed silently.
"""

from __future__ import annotations

import re

from ..namespaces import OBO, VOCAB

__all__ = [
    "ALLOCATION",
    "ARM_ROLES",
    "blinding_for",
    "donor_for",
    "population_for",
    "route_for",
    "therapy_for",
]

L = VOCAB

ARM_ROLES = {
    "EXPERIMENTAL": L + "ExperimentalArm",
    "ACTIVE_COMPARATOR": L + "ActiveComparatorArm",
    "PLACEBO_COMPARATOR": L + "PlaceboComparatorArm",
    "SHAM_COMPARATOR": L + "PlaceboComparatorArm",
    "NO_INTERVENTION": L + "NoInterventionArm",
}

ALLOCATION = {"RANDOMIZED": L + "Randomised", "NON_RANDOMIZED": L + "NonRandomised"}

_BLINDING = {
    "NONE": L + "OpenLabel",
    "SINGLE": L + "SingleBlind",
    "DOUBLE": L + "DoubleBlind",
    "TRIPLE": L + "DoubleBlind",
    "QUADRUPLE": L + "DoubleBlind",
}


def blinding_for(masking: str | None) -> str | None:
    return _BLINDING.get(masking or "")


#: (pattern over the lower-cased name and description, class IRI); the first match wins
_THERAPIES: tuple[tuple[str, str], ...] = (
    (r"\bplacebo\b|\bsham\b", L + "Placebo"),
    (r"\bcar[- ]?t\b|chimeric antigen receptor", L + "CARTCellTherapy"),
    (r"(mesenchymal|\bmscs?\b|stromal).*(umbilical|\buc\b)|(umbilical|\buc-?)\S*.*(mesenchymal|\bmscs?\b|stromal)", L + "UCMSCTherapy"),
    (r"(mesenchymal|\bmscs?\b|stromal).*bone marrow|bone marrow.*(mesenchymal|\bmscs?\b|stromal)", L + "BMMSCTherapy"),
    (r"(mesenchymal|\bmscs?\b|stromal).*adipose|adipose.*(mesenchymal|\bmscs?\b|stromal)", L + "ADMSCTherapy"),
    (r"mesenchymal|\bmscs?\b", L + "MSCTherapy"),
    (r"autologous.*(ha?ematopoietic|hsct|stem cell transplant)|(ha?ematopoietic|hsct).*autologous", L + "AutologousHSCT"),
    (r"ha?ematopoietic stem cell|\bhsct\b", OBO + "MAXO_0000747"),
    (r"cyclophosphamide", L + "CyclophosphamideTherapy"),
    (r"mycophenol", L + "MycophenolateMofetilTherapy"),
    (r"azathioprine", L + "AzathioprineTherapy"),
    (r"hydroxychloroquine", L + "HydroxychloroquineTherapy"),
    (r"standard (of )?(care|therapy|treatment|immunosuppress)", L + "StandardImmunosuppressiveRegimen"),
    (r"prednis|glucocorticoid|corticosteroid|\bsteroids?\b", OBO + "MAXO_0000640"),
)  # fmt: skip


def therapy_for(name: str, description: str | None) -> tuple[str, bool]:
    """The therapy class for a registered intervention, and whether a rule matched.

    The name decides first; the description only when the name matches nothing.
    """
    for text in (name.lower(), f"{name} {description or ''}".lower()):
        for pattern, iri in _THERAPIES:
            if re.search(pattern, text):
                return iri, True
    return L + "Therapy", False


def donor_for(text: str) -> str | None:
    lowered = text.lower()
    if re.search(r"\ballogen(e)?ic\b", lowered):
        return L + "Allogeneic"
    if re.search(r"\bautologous\b", lowered):
        return L + "Autologous"
    return None


def route_for(text: str) -> str | None:
    lowered = text.lower()
    for pattern, iri in (
        (r"intravenous|\bi\.?v\.? infusion", L + "IntravenousRoute"),
        (r"subcutaneous", L + "SubcutaneousRoute"),
        (r"\boral(ly)?\b", L + "OralRoute"),
    ):
        if re.search(pattern, lowered):
            return iri
    return None


def population_for(condition: str) -> str | None:
    """A population class for a registered condition, or None when none fits."""
    lowered = condition.lower()
    refractory = "refractory" in lowered
    if "nephritis" in lowered:
        return L + "RefractoryLupusNephritis" if refractory else OBO + "MONDO_0005556"
    if "lupus" in lowered or re.search(r"\bsle\b", lowered):
        return L + "RefractorySLE" if refractory else OBO + "MONDO_0007915"
    return None
