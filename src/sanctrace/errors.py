"""The exception tree. Every error a user can cause carries a message that names the input
and, where there is one, the fix; views turn these into one line (CLI, exit code 2) or one
JSON shape (API).

    SanctraceError
    ├── InputError            bad file or value from the user: names file, line, reason
    ├── WorkspaceError        the workspace is missing, locked or of another version
    ├── NotFoundError         an id that is not in the workspace
    └── MissingDependency     an optional extra is not installed: says what to install
"""

from __future__ import annotations


class SanctraceError(Exception):
    """Base class: anything sanctrace raises on purpose."""


class InputError(SanctraceError):
    """Bad input. ``location`` is ``file``, ``file:line`` or ``file: element``."""

    def __init__(self, location: str, reason: str) -> None:
        self.location = location
        self.reason = reason
        super().__init__(f"{location}: {reason}")


class WorkspaceError(SanctraceError):
    """The workspace cannot be opened or used as asked."""


class NotFoundError(SanctraceError):
    """A requested record does not exist."""


class MissingDependency(SanctraceError):
    """An optional dependency is missing; the message carries the install command."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed; install it with: pip install 'sanctrace[{extra}]'"
        )
