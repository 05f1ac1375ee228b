"""The base of errors that point at a place in a file the user can open."""

from __future__ import annotations


class LocatedError(Exception):
    """A problem at a 1-based ``line`` and ``column``, with a message meant for the user."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
