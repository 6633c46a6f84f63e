"""The private virtuoso.ini both the Virtuoso tests and benchmarks/peers.py start from."""

from __future__ import annotations

from pathlib import Path

from lupuskg.virtuoso import private_ini

_SYSTEM = """\
[Database]
DatabaseFile = /var/lib/virtuoso-opensource-7/db/virtuoso.db
[Parameters]
ServerPort = 1111
DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad
ResultSetMaxRows = 10000
;ServerPort = 9999
[HTTPServer]
ServerPort   = 8890
DefaultHost = localhost:8890
"""


def test_files_move_into_the_directory_and_ports_to_loopback(tmp_path: Path) -> None:
    system = tmp_path / "system.ini"
    system.write_text(_SYSTEM)
    directory = tmp_path / "db"
    directory.mkdir()
    lines = private_ini(directory, 4001, 4002, system_ini=system).read_text().splitlines()
    assert f"DatabaseFile = {directory}/virtuoso.db" in lines
    assert lines[lines.index("[Parameters]") + 1] == "ServerPort = 127.0.0.1:4001"
    assert lines[lines.index("[HTTPServer]") + 1] == "ServerPort = 127.0.0.1:4002"
    assert "DefaultHost = 127.0.0.1:4002" in lines
    assert f"DirsAllowed = ., {directory}, /usr/share/virtuoso-opensource-7/vad" in lines
    assert "ResultSetMaxRows = 10000" in lines
    assert ";ServerPort = 9999" in lines  # comments stay as they are
    assert not any("/var/lib/" in line for line in lines)


def test_the_row_cap_is_replaced_only_when_asked(tmp_path: Path) -> None:
    system = tmp_path / "system.ini"
    system.write_text(_SYSTEM)
    text = private_ini(tmp_path, 1, 2, max_rows=1_000_000, system_ini=system).read_text()
    assert "ResultSetMaxRows = 1000000" in text
    assert "ResultSetMaxRows = 10000\n" not in text
