"""Error types that carry enough context for a one-line message."""

from __future__ import annotations


class AugsynthError(Exception):
    """Base class for every error the toolkit reports to a user."""


class ConfigError(AugsynthError, ValueError):
    """A transform or pipeline parameter is invalid; `field` names where it is."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def under(self, prefix: str) -> ConfigError:
        """The same error, located deeper in a config (e.g. under 'pipeline[2].Rotate')."""
        return ConfigError(f"{prefix}.{self.field}" if self.field else prefix, self.message)


class InputError(AugsynthError):
    """An input file cannot be used; `path` names it so a long run can report and go on."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.message = message
