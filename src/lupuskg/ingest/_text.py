"""Small helpers shared by the XML readers: element text, dates, names."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from ..exceptions import MalformedRecordError

__all__ = ["initials", "iso_date", "month_number", "require", "text_of"]

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
