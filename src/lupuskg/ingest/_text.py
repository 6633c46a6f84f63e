"""Small helpers shared by the XML readers: element text, dates, names."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from ..exceptions import MalformedRecordError

__all__ = [
    "author_name",
    "initials",
    "iso_date",
    "month_number",
    "one_record",
    "require",
    "text_of",
]

_MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
)}  # fmt: skip


def text_of(element: ET.Element | None) -> str | None:
    """All text below ``element`` (inline markup dropped), whitespace runs collapsed."""
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def require(element: ET.Element | None, path: str, where: str) -> ET.Element:
    """``element.find(path)``, or MalformedRecordError naming the element path."""
    found = element.find(path) if element is not None else None
    if found is None:
        raise MalformedRecordError(
            f"missing element <{path.rsplit('/', 1)[-1]}>",
            where=f"{where}/{path}",
            hint="ingest a complete record (PubMed efetch with retmode=xml, or the PMC JATS file)",
        )
    return found


def month_number(text: str | None) -> int | None:
    if not text:
        return None
    text = text.strip().lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.get(text[:3])


def iso_date(year: str | None, month: str | None, day: str | None, where: str) -> str | None:
    """``YYYY-MM-DD`` when all three parts are there (checked), else None."""
    number = month_number(month)
    if not (year and number and day and year.strip().isdigit() and day.strip().isdigit()):
        return None
    try:
        return dt.date(int(year), number, int(day)).isoformat()
    except ValueError:
        raise MalformedRecordError(
            f"impossible date {year}-{month}-{day}", where=where, hint="check the record's date"
        ) from None


def initials(given: str | None) -> str:
    """PubMed-style initials: "Mei-Ling Anne" -> "MLA"."""
    if not given:
        return ""
    parts = [part for part in re.split(r"[\s\-.]+", given) if part]
    return "".join(part[0].upper() for part in parts)


def author_name(
    group: str | None, surname: str | None, given: str, *, missing: str, where: str
) -> str:
    """How every reader cites an author: a group by its name, a person as "Surname Initials".

    ``given`` is already initials. An author with neither a group name nor a surname is a
    malformed record (``missing`` names the elements the format expected), not a name to
    guess, so the curator sees where it is.
    """
    if group:
        return group
    if surname:
        return f"{surname} {given}".strip()
    raise MalformedRecordError(f"author without {missing}", where=where)


def one_record(
    root: ET.Element, container: str, record: str, hint: str = ""
) -> tuple[ET.Element, str]:
    """The one ``<record>`` of a ``<container>`` set, or ``root`` itself when it is the record,
    with its element path for messages.

    A set of several records is refused rather than read in part: one ingested file makes
    one document.
    """
    if root.tag != container:
        return root, record
    found = root.findall(record)
    if len(found) != 1:
        raise MalformedRecordError(
            f"holds {len(found)} <{record}> elements; ingest needs exactly one",
            where=container,
            hint=hint,
        )
    return found[0], f"{container}/{record}"
