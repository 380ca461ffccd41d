"""The error a familiar call raises for an argument it cannot use, naming the argument."""

from __future__ import annotations

from augment.core.errors import AugsynthError


class CallError(AugsynthError, ValueError):
    """An argument of a familiar call is unusable; `argument` names it (e.g. "bboxes[2]")."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument}: {message}")
        self.argument = argument
        self.message = message
