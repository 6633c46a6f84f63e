"""Clean HTTP errors: a status code and one sentence, never a stack trace."""

from __future__ import annotations

__all__ = ["Problem"]


class Problem(Exception):
    """A request that cannot be answered; the app turns it into a short text/plain response."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def __repr__(self) -> str:
        return f"Problem({self.status}, {self.message!r})"
