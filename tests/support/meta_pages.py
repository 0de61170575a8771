"""HTML pages shaped like Meta's, for judging error pages: the edge's error page and healthy
front pages that carry the same error words where a visitor never sees them.

The error page follows the structure public reports show of Meta's edge error page (titled
"Facebook | Error", `<h1 id="sorry">Sorry, something went wrong.</h1>` then a `<p id="promise">`;
e.g. maiha/facebook.cr#1, maraujo/pySocialWatcher#16); the markup here is our own.
"""

from __future__ import annotations

import json

_HEAD = (
    '<!DOCTYPE html>\n<html lang="{lang}" id="facebook"><head><meta charset="utf-8">'
    "<title>{title}</title>"
    '<meta name="robots" content="noindex,nofollow"><style>body{{margin:0;text-align:center}}'
    "h1{{font-size:18px}}</style></head>\n"
)


def edge_error_page(
    title: str = "Facebook | Error",
    heading: str = "Sorry, something went wrong.",
    lang: str = "en",
    where: str = "h1",
) -> str:
    """Meta's edge error page. `where`: the element carrying the words ("h1" with its
    id="sorry", "div" for a plain <div>, "title" to have them in the title only)."""
    if where == "title":
        body = '<div id="core"><p id="promise">We are working on it.</p></div>'
        title = heading
    elif where == "div":
        body = f'<div id="core"><div class="message">{heading}</div></div>'
    else:
        body = f'<div id="core"><h1 id="sorry">{heading}</h1><p id="promise">We are working on it.</p></div>'
    footer = '<div id="footer">Meta © 2024</div>'
    return _HEAD.format(lang=lang, title=title) + f"<body>{body}{footer}</body></html>\n"


_TRANSLATIONS = {
    "error.generic": "Sorry, something went wrong",
    "error.retry": "Something went wrong. Please try again.",
    "error.unavailable": "This page isn't available right now",
}


def healthy_front_page(title: str = "Facebook - log in or sign up", pad_to: int = 0) -> str:
    """A logged-out front page whose scripts, JSON blob, template and hidden translation table
    hold every error phrase; nothing a visitor sees says anything is wrong. `pad_to`: grow the
    page with more script to at least that many bytes (the cap is 16 KB)."""
    blob = json.dumps({"require": [["ErrorDialog", {"strings": _TRANSLATIONS}]]})
    parts = [
        _HEAD.format(lang="en", title=title),
        "<body>",
        f'<script type="application/json" data-sjs>{blob}</script>',
        "<script>window.__i18n = {msg: 'Sorry, something went wrong.'};</script>",
        '<template id="error-toast"><h1 id="sorry">Sorry, something went wrong.</h1></template>',
        '<div hidden class="i18n">This page isn\'t available right now</div>',
        '<div style="display: none">Something went wrong</div>',
        "<noscript>Sorry, something went wrong: turn on JavaScript.</noscript>",
        '<div id="root"><h2>Connect with friends and the world around you.</h2>',
        '<form action="/login/"><input name="email"><button>Log in</button></form></div>',
    ]
    page = "".join(parts)
    filler = "<script>/* bundle */ var a" + "x" * 1000 + " = 'Something went wrong';</script>\n"
    while len(page.encode()) < pad_to:
        page += filler
    return page + "</body></html>\n"
