"""What a language's catalogue still lacks: untranslated, fuzzy and obsolete messages, placeholders
that differ from the English, plural forms left empty, and a .mo that is not the .po compiled.

Used by `catalogues.py check`; plain Babel catalogues in, a report out.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message

_FORMATTER = string.Formatter()


def format_fields(text: str) -> Iterator[tuple[str, str | None]]:
    """(literal text, field name or None) pairs of a str.format template; ValueError when the
    braces do not balance."""
    for literal, name, _spec, _conversion in _FORMATTER.parse(text):
        yield literal, name


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders a text uses ('{a.b}' and '{a[0]}' count as 'a')."""
    return {name.split(".")[0].split("[")[0] for _, name in format_fields(text) if name is not None}


def _strings(message: Message) -> list[str]:
    value = message.string
    return list(value) if isinstance(value, (list, tuple)) else [value or ""]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _show(message: Message) -> str:
    text = _ids(message)[0].replace("\n", "\\n")
    short = text if len(text) <= 70 else text[:67] + "..."
    where = f" ({message.locations[0][0]}:{message.locations[0][1]})" if message.locations else ""
    return f'"{short}"{where}'


def placeholder_problem(message: Message) -> str | None:
    """How a translation's placeholders differ from the English ones, or None."""
    if "python-brace-format" not in message.flags:
        return None
    forms = [placeholders(text) for text in _ids(message)]
    # A plural's forms must say what both English forms say and nothing neither says: a form
    # used for one ("the last hour") may leave out the count, as the English singular does.
    required, allowed = set.intersection(*forms), set.union(*forms)
    for text in _strings(message):
        if not text:
            continue
        try:
            said = placeholders(text)
        except ValueError as exc:
            return f"not a valid format: {exc}"
        missing, unknown = required - said, said - allowed
        if missing or unknown:
            parts = [f"missing {{{n}}}" for n in sorted(missing)] + [
                f"unknown {{{n}}}" for n in sorted(unknown)
            ]
            return ", ".join(parts)
    return None


@dataclass
class Report:
    """One language's problems, by kind."""

    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    plural_forms: list[str] = field(default_factory=list)
    mo: str | None = None

    @property
    def count(self) -> int:
        kinds = (self.untranslated, self.fuzzy, self.obsolete, self.placeholders, self.plural_forms)
        return sum(len(kind) for kind in kinds) + (self.mo is not None)

    def text(self, lang: str) -> str:
        if not self.count:
            return f"{lang}: complete"
        kinds = {
            "untranslated": self.untranslated,
            "fuzzy (to review, then remove the fuzzy flag)": self.fuzzy,
            "obsolete (delete them, or run update)": self.obsolete,
            "placeholders differ from the English": self.placeholders,
            "plural forms missing": self.plural_forms,
        }
        lines = [f"{lang}: {self.count} problems"]
        for title, entries in kinds.items():
            if entries:
                lines.append(f"  {len(entries)} {title}:")
                lines.extend(f"    {entry}" for entry in entries)
        if self.mo:
            lines.append(f"  the .mo is {self.mo}: run compile")
        return "\n".join(lines)


def check(catalog: Catalog, template: Catalog, mo_state: str | None) -> Report:
    """The problems of one language's catalogue, against the template it should follow."""
    report = Report(mo=mo_state)
    for wanted in template:
        if wanted.id and catalog.get(wanted.id, context=wanted.context) is None:
            report.untranslated.append(f"{_show(wanted)}: not in the catalogue (run update)")
    for message in catalog:
        if not message.id:
            continue
        if template.get(message.id, context=message.context) is None and len(template):
            report.obsolete.append(f"{_show(message)}: no longer in the template (run update)")
            continue
        strings = _strings(message)
        if not any(strings):
            report.untranslated.append(_show(message))
            continue
        if message.fuzzy:
            report.fuzzy.append(_show(message))
        if message.pluralizable and (len(strings) != catalog.num_plurals or not all(strings)):
            filled = sum(1 for s in strings if s)
            report.plural_forms.append(f"{_show(message)}: {filled} of {catalog.num_plurals} forms")
        problem = placeholder_problem(message)
        if problem:
            report.placeholders.append(f"{_show(message)}: {problem}")
    report.obsolete.extend(_show(message) for message in catalog.obsolete.values())
    return report
