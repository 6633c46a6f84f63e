"""ClinicalTrials.gov API v2 study JSON (``/api/v2/studies/NCT...``): one study per file."""

from __future__ import annotations

import re
from typing import Any

from ..exceptions import MalformedRecordError
from .records import RegistryArm, RegistryIntervention, RegistryOutcome, TrialRecord

__all__ = ["read_ctgov"]

NCT = re.compile(r"NCT\d{8}")


class _Reader:
    """Typed access to the JSON with errors that name the JSON path."""

    def __init__(self, data: Any, prefix: str = "$") -> None:
        self.data = data
        self.prefix = prefix

    def get(self, path: str, kind: type | tuple[type, ...], *, required: bool = False) -> Any:
        node = self.data
        walked = self.prefix
        for part in path.split("."):
            if not isinstance(node, dict):
                raise MalformedRecordError(
                    f"expected an object, found {type(node).__name__}", where=walked
                )
            walked += f".{part}"
            if part not in node:
                if required:
                    raise MalformedRecordError(
                        "missing",
                        where=walked,
                        hint="ingest the full study record (api/v2/studies/NCT... as JSON)",
                    )
                return None
            node = node[part]
        if node is not None and not isinstance(node, kind):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise MalformedRecordError(
                f"expected {names}, found {type(node).__name__}", where=walked
            )
        return node

    def strings(self, path: str) -> list[str]:
        values = self.get(path, list) or []
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise MalformedRecordError(
                    f"expected a string, found {type(value).__name__}",
                    where=f"{self.prefix}.{path}[{index}]",
                )
        return [" ".join(v.split()) for v in values if v.strip()]

    def objects(self, path: str) -> list[tuple[str, _Reader]]:
        values = self.get(path, list) or []
        out = []
        for index, value in enumerate(values):
            where = f"{self.prefix}.{path}[{index}]"
            if not isinstance(value, dict):
                raise MalformedRecordError(
                    f"expected an object, found {type(value).__name__}", where=where
                )
            out.append((where, _Reader(value, where)))
        return out


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


_P = "protocolSection"
_DESIGN = f"{_P}.designModule"


def read_ctgov(data: Any) -> TrialRecord:
    """The study of one API v2 record."""
    if not isinstance(data, dict):
        raise MalformedRecordError("a study record is a JSON object", where="$")
    r = _Reader(data)
    p, design = _P, _DESIGN
    r.get(p, dict, required=True)
    nct, brief = _identity(r)
    arms = _arm_groups(r)
    interventions = _interventions(r)
    locations = [loc for _where, loc in r.objects(f"{p}.contactsLocationsModule.locations")]
    countries = sorted({c for loc in locations if (c := loc.get("country", str))})
    mesh = [
        term
        for _where, m in r.objects("derivedSection.conditionBrowseModule.meshes")
        if (term := m.get("term", str))
    ]
    count = _enrolment(r)
    return TrialRecord(
        nct_id=nct,
        brief_title=brief,
        official_title=_text(r.get(f"{p}.identificationModule.officialTitle", str)),
        acronym=_text(r.get(f"{p}.identificationModule.acronym", str)),
        summary=_text(r.get(f"{p}.descriptionModule.briefSummary", str)),
        study_type=r.get(f"{design}.studyType", str),
        phases=r.strings(f"{design}.phases"),
        allocation=r.get(f"{design}.designInfo.allocation", str),
        intervention_model=r.get(f"{design}.designInfo.interventionModel", str),
        masking=r.get(f"{design}.designInfo.maskingInfo.masking", str),
        who_masked=r.strings(f"{design}.designInfo.maskingInfo.whoMasked"),
        enrolment=count,
        enrolment_type=r.get(f"{design}.enrollmentInfo.type", str),
        status=r.get(f"{p}.statusModule.overallStatus", str),
        why_stopped=_text(r.get(f"{p}.statusModule.whyStopped", str)),
        start=_date(r, f"{p}.statusModule.startDateStruct.date"),
        primary_completion=_date(r, f"{p}.statusModule.primaryCompletionDateStruct.date"),
        completion=_date(r, f"{p}.statusModule.completionDateStruct.date"),
        first_submitted=_date(r, f"{p}.statusModule.studyFirstSubmitDate"),
        first_posted=_date(r, f"{p}.statusModule.studyFirstPostDateStruct.date"),
        last_update=_date(r, f"{p}.statusModule.lastUpdatePostDateStruct.date"),
        sponsor=_text(r.get(f"{p}.sponsorCollaboratorsModule.leadSponsor.name", str)),
        conditions=r.strings(f"{p}.conditionsModule.conditions"),
        keywords=r.strings(f"{p}.conditionsModule.keywords"),
        mesh=mesh,
        arms=arms,
        interventions=interventions,
        primary_outcomes=_outcomes(r, f"{p}.outcomesModule.primaryOutcomes"),
        secondary_outcomes=_outcomes(r, f"{p}.outcomesModule.secondaryOutcomes"),
        countries=countries,
        facilities=len(locations),
    )


def _identity(r: _Reader) -> tuple[str, str]:
    """The NCT number (checked) and the brief title (not empty): a record needs both."""
    where = f"{_P}.identificationModule"
    nct: str = r.get(f"{where}.nctId", str, required=True)
    if not NCT.fullmatch(nct):
        raise MalformedRecordError(
            f"{nct!r} is not an NCT number (NCT and eight digits)", where=f"$.{where}.nctId"
        )
    brief = _text(r.get(f"{where}.briefTitle", str, required=True))
    if not brief:
        raise MalformedRecordError("empty", where=f"$.{where}.briefTitle")
    return nct, brief


def _arm_groups(r: _Reader) -> list[RegistryArm]:
    return [
        RegistryArm(
            label=_required_text(a, "label", where),
            kind=a.get("type", str),
            description=_text(a.get("description", str)),
            intervention_names=a.strings("interventionNames"),
        )
        for where, a in r.objects(f"{_P}.armsInterventionsModule.armGroups")
    ]


def _interventions(r: _Reader) -> list[RegistryIntervention]:
    return [
        RegistryIntervention(
            kind=i.get("type", str) or "OTHER",
            name=_required_text(i, "name", where),
            description=_text(i.get("description", str)),
            arm_labels=i.strings("armGroupLabels"),
        )
        for where, i in r.objects(f"{_P}.armsInterventionsModule.interventions")
    ]


def _enrolment(r: _Reader) -> int | None:
    """The enrolment count; JSON booleans are ints in Python, and neither they nor a
    negative count is a number of patients."""
    path = f"{_DESIGN}.enrollmentInfo.count"
    count: int | None = r.get(path, int)
    if isinstance(count, bool) or (count is not None and count < 0):
        raise MalformedRecordError("expected a non-negative integer", where=f"$.{path}")
    return count


def _required_text(reader: _Reader, key: str, where: str) -> str:
    value = _text(reader.get(key, str))
    if not value:
        raise MalformedRecordError("missing or empty", where=f"{where}.{key}")
    return value


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _date(reader: _Reader, path: str) -> str | None:
    value: str | None = reader.get(path, str)
    if value is None:
        return None
    if not _DATE.fullmatch(value):
        raise MalformedRecordError(
            f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", where=f"$.{path}"
        )
    return value


def _outcomes(reader: _Reader, path: str) -> list[RegistryOutcome]:
    return [
        RegistryOutcome(
            measure=_required_text(o, "measure", where),
            time_frame=_text(o.get("timeFrame", str)),
            description=_text(o.get("description", str)),
        )
        for where, o in reader.objects(path)
    ]
