"""Facts with a code: what the core says, kept sayable in any language.

A `Message` is its English text (so logs, old readers and plain-string code see English) plus the
code and parameters that let the edges say it again in the owner's language (`render`). Codes
and their English templates are declared once, where the fact is established, with `Template`;
history stores the code and parameters (`to_json`) so old incidents render in today's language.
Composing messages with `+` or f-strings loses the code: compose with `join` or a parameter.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Union

_REGISTRY: dict[str, Template] = {}
_REGISTRY_LOCK = threading.Lock()


class Names(tuple[str, ...]):
    """Names joined for the language: 'Facebook, Instagram and WhatsApp', '... and 4 more'."""

    __slots__ = ()


class Parts(tuple["Param", ...]):
    """Sentences said one after another, with a space between them."""

    __slots__ = ()


@dataclass(frozen=True)
class Duration:
    """A length of time, said as '45 s', '12 min', '2 h 14 min' in the language."""

    seconds: float


@dataclass(frozen=True)
class Moment:
    """A point in time, said as a local clock time (with the date when it is not today, or not
    the day of `day_of` when given: 'acknowledged at 15:17' of an incident that began that day)."""

    at: datetime
    day_of: datetime | None = None


@dataclass(frozen=True)
class Decimal:
    """A number shown with a fixed count of decimals and the language's decimal mark."""

    value: float
    digits: int = 1


Param = Union[str, int, Names, Parts, Duration, Moment, Decimal, "Message"]


class Template:
    """One thing the core can say: a stable code and its English wording.

    `text` is the English sentence with `{name}` placeholders (a gettext msgid); `plural` the
    English plural, chosen by the integer parameter named `count`."""

    __slots__ = ("code", "count", "plural", "text")

    def __init__(self, code: str, text: str, plural: str | None = None, count: str | None = None) -> None:
        if (plural is None) != (count is None):
            raise ValueError(f"template {code}: a plural needs its count parameter, and only then")
        self.code, self.text, self.plural, self.count = code, text, plural, count
        with _REGISTRY_LOCK:
            known = _REGISTRY.get(code)
            if known is not None and (known.text, known.plural) != (text, plural):
                raise ValueError(f"message code {code!r} is declared twice")
            _REGISTRY[code] = self

    def __call__(self, **params: Param) -> Message:
        return Message(self.code, params)

    def __repr__(self) -> str:
        return f"Template({self.code!r})"


def template(code: str) -> Template | None:
    return _REGISTRY.get(code)


def templates() -> list[Template]:
    """Every template declared so far (import the modules that declare them first)."""
    with _REGISTRY_LOCK:
        return list(_REGISTRY.values())


class Message(str):
    """A fact with a code and parameters; as a `str`, its English text."""

    __slots__ = ("code", "params")
    code: str
    params: Mapping[str, Param]

    def __new__(cls, code: str, params: Mapping[str, Param], english: str | None = None) -> Message:
        if english is None:
            from traywatch.i18n.render import render_in  # the renderer imports this module

            english = render_in(code, params, "en")
        self = super().__new__(cls, english)
        self.code = code
        self.params = dict(params)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.code, self.params, str(self)))

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": {k: _encode(v) for k, v in self.params.items()}}

    @staticmethod
    def from_json(data: Mapping[str, Any], english: str) -> Message | str:
        """A stored message, or its stored English text when it can't be read back."""
        try:
            params = {str(k): _decode(v) for k, v in dict(data["params"]).items()}
            return Message(str(data["code"]), params, english)
        except (KeyError, TypeError, ValueError, AttributeError):
            return english


def join(*parts: Param) -> Message:
    """Sentences said one after another: the summary and its clauses."""
    flat: list[Param] = []
    for part in parts:
        if isinstance(part, Message) and part.code == JOIN.code:
            flat.extend(part.params["parts"])  # type: ignore[arg-type]
        elif part != "":
            flat.append(part)
    return JOIN(parts=Parts(flat))


JOIN = Template("join", "{parts}")


def names(items: Iterable[str]) -> Names:
    return Names(dict.fromkeys(items))


def _encode(value: Param) -> Any:
    if isinstance(value, Message):
        return {"msg": value.to_json(), "en": str(value)}
    if isinstance(value, Names):
        return {"names": list(value)}
    if isinstance(value, Parts):
        return {"parts": [_encode(v) for v in value]}
    if isinstance(value, Duration):
        return {"duration": value.seconds}
    if isinstance(value, Moment):
        if value.day_of is not None:
            return {
                "moment": value.at.astimezone(UTC).isoformat(),
                "day_of": value.day_of.astimezone(UTC).isoformat(),
            }
        return {"moment": value.at.astimezone(UTC).isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": value.value, "digits": value.digits}
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"not a message parameter: {value!r}")
    return value


def _decode(value: Any) -> Param:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        raise ValueError(f"not a stored parameter: {value!r}")
    if "msg" in value:
        got = Message.from_json(value["msg"], str(value.get("en", "")))
        return got
    if "names" in value:
        return Names(str(n) for n in value["names"])
    if "parts" in value:
        return Parts(_decode(v) for v in value["parts"])
    if "duration" in value:
        return Duration(float(value["duration"]))
    if "moment" in value:
        day_of = value.get("day_of")
        return Moment(
            datetime.fromisoformat(str(value["moment"])),
            None if day_of is None else datetime.fromisoformat(str(day_of)),
        )
    if "decimal" in value:
        return Decimal(float(value["decimal"]), int(value.get("digits", 1)))
    raise ValueError(f"not a stored parameter: {value!r}")
