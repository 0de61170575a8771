"""The one renderer: a message's code and parameters in, the owner's language out."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from traywatch.i18n import catalogs, formats
from traywatch.i18n.message import (
    Decimal,
    Duration,
    Message,
    Moment,
    Names,
    Param,
    Parts,
    Template,
    template,
)

log = logging.getLogger(__name__)

NAMES_SHOWN = 3  # a longer list says "... and N more"
MORE = Template("list.more", "{count} more", "{count} more", count="count")


def render(value: str, lang: str | None = None) -> str:
    """The text in `lang` (the language in use by default). A plain string (an English row
    stored before messages had codes, a name, Meta's own words) is said as it is."""
    if not isinstance(value, Message):
        return str(value)
    code = lang or catalogs.current_language()
    if code == "en":
        return str.__str__(value)
    try:
        return render_in(value.code, value.params, code)
    except (KeyError, IndexError, ValueError, TypeError):
        log.warning("message %s could not be said in %s; showing English", value.code, code)
        return str.__str__(value)


def render_in(code: str, params: Mapping[str, Param], lang: str) -> str:
    """A code's text in a language, its parameters filled in. Raises KeyError for an unknown
    code or a missing parameter."""
    found = template(code)
    if found is None:
        raise KeyError(f"unknown message code {code!r}")
    if found is _JOIN_TEMPLATE:
        return " ".join(p for p in (_param(v, lang) for v in params["parts"]) if p)  # type: ignore[union-attr]
    words = catalogs.translation(lang)  # looked up here, so one patch reaches every caller
    if found.plural is not None and found.count is not None:
        text = words.ngettext(found.text, found.plural, int(params[found.count]))  # type: ignore[arg-type]
    else:
        text = words.gettext(found.text)
    return text.format_map({k: _param(v, lang) for k, v in params.items()})


def _param(value: Param, lang: str) -> str:
    if isinstance(value, Message):
        return str.__str__(value) if lang == "en" else render(value, lang)
    if isinstance(value, Names):
        return _names(value, lang)
    if isinstance(value, Parts):
        return " ".join(p for p in (_param(v, lang) for v in value) if p)
    if isinstance(value, Duration):
        return formats.duration(value.seconds, lang)
    if isinstance(value, Moment):
        return formats.clock(value.at, lang, value.now)
    if isinstance(value, Decimal):
        return formats.decimal(value.value, value.digits, lang)
    if isinstance(value, int):
        return formats.integer(value, lang)
    return value


def _names(items: Names, lang: str) -> str:
    shown = list(items)
    if len(shown) > NAMES_SHOWN + 1:
        rest = len(shown) - NAMES_SHOWN
        shown = [*shown[:NAMES_SHOWN], render_in(MORE.code, {"count": rest}, lang)]
    return formats.list_join(shown, lang)


def _join_template() -> Template:
    from traywatch.i18n.message import JOIN

    return JOIN


_JOIN_TEMPLATE = _join_template()
