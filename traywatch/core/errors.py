"""traywatch's own exceptions: user mistakes and environment problems get a plain message."""

from __future__ import annotations

from traywatch.i18n import Message, Template

# A config problem as the owner reads it. `where` (a file path, "file [section.key]", a catalogue
# entry) is said as it is, never translated; an environment variable is `environment_variable()`.
PROBLEM_AT = Template("config.problem_at", "{where}: {problem}")
ENVIRONMENT_VARIABLE = Template("config.environment_variable", "environment variable {name}")


class TraywatchError(Exception):
    """Base class: anything the user can read and act on."""


def environment_variable(name: str) -> Message:
    """The `where` of a problem with an environment variable (its name is said as it is)."""
    return ENVIRONMENT_VARIABLE(name=name)


def variable_named(where: str) -> str | None:
    """The environment variable a ConfigError's `where` names, or None when it names none."""
    if isinstance(where, Message) and where.code == ENVIRONMENT_VARIABLE.code:
        return str(where.params["name"])
    return None


def message_of(exc: BaseException) -> str:
    """What an exception says: its `Message` when it carries one (the edges `render` it; a
    ConfigError's is its "where: problem" line), else its English text."""
    message = getattr(exc, "message", None)
    if isinstance(message, Message):
        return message
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


class ConfigError(TraywatchError):
    """A problem in a config or catalogue file: names the place and the problem.

    `problem` is a `Message` (a plain string is said as it is); `message` is the whole
    "where: problem" line for the edges to `render`; `str(exc)` is its English text."""

    def __init__(self, where: str, problem: str) -> None:
        self.message = PROBLEM_AT(where=where, problem=problem)
        super().__init__(str(self.message))
        self.where = where
        self.problem = problem
