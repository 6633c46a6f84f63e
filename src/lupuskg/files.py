"""Writing files so that a full disk or a read-only project is a clean, typed error.

:func:`write_file` writes next to the target and renames into place, so a failure (no
space, read-only file system, no permission) never leaves a half-written file behind, and
raises :class:`lupuskg.exceptions.OutputError` naming the file. :func:`output_error` turns
any ``OSError`` from a write into the same error (the CLI uses it as its last resort).
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from .exceptions import OutputError

__all__ = ["output_error", "write_file"]

_HINTS = {
    errno.ENOSPC: "the disk is full: free some space (or point build-dir/release-dir elsewhere)",
    errno.EDQUOT: "the disk quota is used up: free some space",
    errno.EFBIG: "the file is larger than this process may write (ulimit -f)",
    errno.EROFS: "the file system is read-only: work on a writable copy of the project, or "
    "write the output elsewhere (--output)",
    errno.EACCES: "you may not write there: check the permissions, or write the output elsewhere",
    errno.EPERM: "you may not write there: check the permissions, or write the output elsewhere",
}


def output_error(error: OSError, path: Path | str | None = None) -> OutputError:
    """An OutputError for a failed write, naming the file and what to do."""
    where = path if path is not None else (error.filename or "a file")
    reason = error.strerror or type(error).__name__
    return OutputError(
        f"cannot write {where}: {reason}",
        hint=_HINTS.get(error.errno or 0, "check the path and the disk, then run it again"),
    )


def write_file(path: Path, data: bytes | str, shown: str | None = None) -> None:
    """Write ``data`` to ``path`` atomically (temp file + rename); OSError becomes OutputError."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            handle.write(payload)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise output_error(error, shown or path) from error
