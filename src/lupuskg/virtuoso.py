"""The configuration of a private Virtuoso: a throwaway instance for parity tests and benchmarks.

Virtuoso 7.2 (Debian ``virtuoso-opensource``) starts from a copy of the system
``virtuoso.ini`` with its database files moved into a temp directory and its two
``ServerPort`` lines (ISQL in ``[Parameters]``, HTTP in ``[HTTPServer]``) moved to free
loopback ports, so it never touches the system instance. ``tests/virtuoso`` and
``benchmarks/peers.py`` both start one this way.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["SYSTEM_INI", "private_ini"]

#: the configuration the Debian package installs (read, never written)
SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
_SYSTEM_DB = "/var/lib/virtuoso-opensource-7/db/"
_VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"


def _key(line: str) -> str:
    """The setting a ``Name = value`` line sets ("" for anything else)."""
    match = re.match(r"^\s*(\w+)\s*=", line)
    return match.group(1) if match else ""


def private_ini(
    directory: Path,
    isql_port: int,
    http_port: int,
    *,
    max_rows: int | None = None,
    system_ini: Path = SYSTEM_INI,
) -> Path:
    """Write ``directory/virtuoso.ini``: the system one with every file in ``directory``.

    Both ports listen on 127.0.0.1 only. ``max_rows`` replaces ``ResultSetMaxRows``
    (Virtuoso's default 10,000 cuts large answers short); by default it is kept.
    """
    text = system_ini.read_text().replace(_SYSTEM_DB, f"{directory}/")
    replacements = {
        "DefaultHost": f"DefaultHost = 127.0.0.1:{http_port}",
        "DirsAllowed": f"DirsAllowed = ., {directory}, {_VAD_DIR}",
    }
    if max_rows is not None:
        replacements["ResultSetMaxRows"] = f"ResultSetMaxRows = {max_rows}"
    lines, section = [], ""
    for line in text.splitlines():
        header = re.match(r"^\s*\[(.+)\]", line)
        if header:
            section = header.group(1)
        key = _key(line)
        if key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{isql_port if section == 'Parameters' else http_port}"
        else:
            line = replacements.get(key, line)
        lines.append(line)
    ini = directory / "virtuoso.ini"
    ini.write_text("\n".join(lines) + "\n")
    return ini
