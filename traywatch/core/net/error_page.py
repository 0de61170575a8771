"""Recognising Meta's error page in a (size-capped) HTML body, served with any status.

Meta's edge answers "Sorry, something went wrong" pages during partial backend failures, at
times with HTTP 200. Only what a visitor would see counts: the page title, and text outside
scripts, styles, templates, <noscript> and elements hidden by attribute, style or class (Meta's
`hidden_elem`) — healthy pages carry the same phrases inside scripts, JSON blobs and translation
tables. Three signs, all catalogue data:
an error phrase said as the message in the visible text (not inside a longer help sentence such
as "Something went wrong? Contact help"), an element only the error page has (`h1#sorry`), or an
error-looking title ("Error", "Facebook | Error").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

# Elements whose text a visitor does not see as the page.
_UNSEEN = frozenset({"script", "style", "template", "noscript", "textarea", "svg"})
# Elements that never have an end tag (so they never enclose text).
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Classes that hide an element: Meta's own `hidden_elem` (`.hidden_elem {display:none}`) and the
# common frameworks' ones.
_HIDING_CLASSES = frozenset({"hidden_elem", "hidden", "d-none"})
# Elements that run on inside a line of text; any other tag starts a new block of text.
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "em",
        "font",
        "i",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
    }
)
# A phrase is the page's message when it is a statement of its own: at the start of its block or
# sentence, and followed by the block's end or a full stop — "Something went wrong? Contact help"
# in a footer, or "…if something went wrong with your upload", is help text, not the error.
_BEFORE = re.compile(r"(?:^|[.!?…:]\s)$")
_AFTER = re.compile(r"^(?:$|[.!…])")
_TITLE_PARTS = re.compile(r"\s+[|\-–—•·:]\s+")
_SPACE = re.compile(r"\s+")
_QUOTE_MAX = 80


@dataclass(frozen=True)
class ErrorSigns:
    """What marks an error page: phrases in the visible text, error-looking titles (the whole
    title or one part of "Site | Title"), and `tag#id` elements only the error page has."""

    phrases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.phrases or self.titles or self.markers)


NO_SIGNS = ErrorSigns()


def normalise(text: str) -> str:
    """Lower case, one space between words, typographic apostrophes as plain ones."""
    return _SPACE.sub(" ", text.replace("\u2019", "'").replace("\u00a0", " ")).strip().lower()


@dataclass
class _Element:
    tag: str
    hidden: bool
    marker: bool


class _Page(HTMLParser):
    """The visible text, the title and the text of marker elements of one HTML document."""

    def __init__(self, markers: frozenset[tuple[str, ...]]) -> None:
        super().__init__(convert_charrefs=True)
        self.markers = markers
        self.blocks: list[str] = [""]  # the visible text, one entry per block element
        self.title: list[str] = []
        self.marked: list[str] = []
        self._stack: list[_Element] = []
        self._in_title = False
        self._title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inherited = bool(self._stack) and self._stack[-1].hidden
        self._break(tag)
        if tag == "title" and not self._title_done and not inherited:  # not an <svg>'s <title>
            self._in_title = True
        if tag in _VOID:
            return
        values = {name: (value or "") for name, value in attrs}
        style = values.get("style", "").replace(" ", "").lower()
        hidden = (
            tag in _UNSEEN
            or "hidden" in values
            or values.get("aria-hidden") == "true"
            or "display:none" in style
            or "visibility:hidden" in style
            or not _HIDING_CLASSES.isdisjoint(values.get("class", "").lower().split())
        )
        marker = (tag, values.get("id", "")) in self.markers
        hidden = hidden or inherited
        self._stack.append(_Element(tag, hidden, marker))
        if marker and not hidden:
            self.marked.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:  # <div/> encloses nothing
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self._break(tag)
        if tag == "title" and self._in_title:
            self._in_title, self._title_done = False, True
        # Close up to the matching open element; a stray end tag changes nothing.
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i].tag == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
            return
        if self._stack and self._stack[-1].hidden:
            return
        self.blocks[-1] += data
        if any(e.marker for e in self._stack) and self.marked:
            self.marked[-1] += data

    def _break(self, tag: str) -> None:
        if tag not in _INLINE and self.blocks[-1]:
            self.blocks.append("")


def _stated(phrase: str, blocks: list[str]) -> bool:
    """True when `phrase` is the message of one of the blocks of text, not words inside a longer
    sentence (see _BEFORE and _AFTER)."""
    wanted = normalise(phrase)
    for block in map(normalise, blocks):
        at = block.find(wanted)
        while at >= 0:
            if _BEFORE.search(block[:at]) and _AFTER.match(block[at + len(wanted) :]):
                return True
            at = block.find(wanted, at + 1)
    return False


def _title_sign(title: str, titles: tuple[str, ...]) -> bool:
    """ "Error", or one part of "Facebook | Error", is an error-looking title."""
    wanted = {normalise(t).rstrip(".!") for t in titles}
    parts = [title, *_TITLE_PARTS.split(title)]
    return any(normalise(p).rstrip(".!") in wanted for p in parts)


def _quote(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1].rstrip() + "…"


def looks_like_json(body: bytes, content_type: str) -> bool:
    """JSON answers (the Graph API's errors) are data, not a page: never scanned as text."""
    return "json" in content_type.lower() or body.lstrip()[:1] in (b"{", b"[")


def error_phrase(body: bytes, signs: ErrorSigns, content_type: str = "") -> str | None:
    """The words of an error page found in `body`, as quoted to the owner; None for a normal
    page. The catalogue's phrase when one is seen, else the marker element's own text, else
    the error-looking title."""
    if not signs or not body or looks_like_json(body, content_type):
        return None
    markers = frozenset(tuple(m.lower().split("#", 1)) for m in signs.markers if "#" in m)
    page = _Page(markers)
    page.feed(body.decode("utf-8", "replace"))
    page.close()
    title = _SPACE.sub(" ", "".join(page.title)).strip()
    blocks = [title, *_TITLE_PARTS.split(title), *page.blocks]
    phrase = next((p for p in signs.phrases if _stated(p, blocks)), None)
    if phrase is not None:
        return phrase
    marked = next((_quote(m) for m in page.marked if m.strip()), None)
    if marked is not None:
        return marked
    if title and _title_sign(title, signs.titles):
        return _quote(title)
    return None
