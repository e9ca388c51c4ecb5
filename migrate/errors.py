"""Exceptions the library raises. Only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class MigrateError(Exception):
    """Base class: a problem the user can act on, described in one line.

    Raised for one post, it fails that post and the run goes on; one that :attr:`stops_run` (a site that no
    longer answers) stops the run instead of failing every post after it.
    """

    #: The problem is the run's, not one post's.
    stops_run = False

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class InputError(MigrateError):
    """The input file cannot be read as a WordPress export."""

    def __init__(
        self, path: str, message: str, *, line: int | None = None, column: int | None = None, hint: str = ""
    ) -> None:
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = str(path)
        self.line = line
        self.column = column


class RuleError(MigrateError):
    """A rule file (mappings/*.yaml) or configuration value is invalid."""

    def __init__(self, path: str, key: str, message: str, *, hint: str = "") -> None:
        super().__init__(f"{path}: {key}: {message}" if key else f"{path}: {message}", hint=hint)
        self.path = str(path)
        self.key = key


class OutputError(MigrateError):
    """The output folder cannot be written."""


class UnknownName(MigrateError):
    """A registry lookup for a name that is not registered."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        super().__init__(f"unknown {kind} {name!r}", hint=f"choose one of: {', '.join(sorted(known))}")


class SkipPost(Exception):
    """Raised by a stage to leave a post out of the output, with the reason shown in the summary (and, when the
    stage found it, the id of the post it is about)."""

    def __init__(self, reason: str, *, post_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.post_id = post_id
