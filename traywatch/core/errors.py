"""traywatch's own exceptions: user mistakes and environment problems get a plain message."""

from __future__ import annotations


class TraywatchError(Exception):
    """Base class: anything the user can read and act on."""


class ConfigError(TraywatchError):
    """A problem in a config or catalogue file: names the place and the problem."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem
