"""Text from the network made safe to store and show: no control or direction-changing characters.

A server, a captive portal or a middlebox chooses the bytes of its answer, and some of them end
up in what traywatch prints, stores and shows (probe details, redirect addresses, Meta Status
texts). An ESC there resets the terminal of `traywatch history`; a right-to-left override turns
"evil.example" around. `clean` makes one bounded line of words; `clean_url` keeps an address an
address, with every character RFC 3986 does not allow percent-encoded (so markup cannot ride in it);
`shown_host` reads the host of such an address back as a person would write it.
"""

from __future__ import annotations

import re
import string
from urllib.parse import unquote, urlsplit

MAX_TEXT = 160
# C0 and C1 controls, DEL, zero-width characters and the bidirectional overrides and isolates
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]+")
# What RFC 3986 allows in a URI (unreserved, reserved, and '%' of the escapes already made).
_URL_CHARS = frozenset(string.ascii_letters + string.digits + "-._~" + ":/?#[]@" + "!$&'()*+,;=" + "%")
MAX_URL = 2048


def has_control(text: str) -> bool:
    """True when text holds a character that `clean` removes."""
    return _CONTROL.search(text) is not None


def clean(value: object, limit: int = MAX_TEXT) -> str:
    """Text safe to show: no control or direction-changing characters, one line, bounded."""
    if not isinstance(value, str):
        return ""
    text = " ".join(_CONTROL.sub(" ", value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_url(url: str, limit: int = MAX_URL) -> str:
    """The address with every character RFC 3986 does not allow percent-encoded (as UTF-8),
    bounded ("..." at the end of a cut one); an address that was clean comes back unchanged."""
    if all(c in _URL_CHARS for c in url) and len(url) <= limit:
        return url
    out = "".join(c if c in _URL_CHARS else _escaped(c) for c in url[: limit * 2])
    return out if len(out) <= limit else out[: limit - 3] + "..."


def _escaped(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogateescape"))


def shown_host(url: str) -> str | None:
    """The host of an address (one made by `clean_url`) as a person reads it: "évil.example",
    not "%C3%A9vil.example". What cannot be shown as a letter stays escaped, saying what was sent
    ("evil%1Bc.example": a control or direction character, a space, bytes that are not UTF-8).
    None when the address has no host."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    decoded = unquote(host, errors="surrogateescape")
    shown = "".join(_escaped(c) if _unshowable(c) else c for c in decoded)
    return shown if len(shown) <= MAX_TEXT else shown[: MAX_TEXT - 1] + "…"


def _unshowable(char: str) -> bool:
    return char.isspace() or has_control(char) or "\udc80" <= char <= "\udcff"
