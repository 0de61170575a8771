"""Audit of issue 11 part 1: a healthy page keeps its error words where a visitor never sees them.
Meta's own markup hides elements with a CSS class, `class="hidden_elem"` (`.hidden_elem
{display:none}`; seen throughout public captures of facebook.com pages, e.g. around
`<code class="hidden_elem">` blocks), not only with `hidden`, `style` or `aria-hidden`. A
translation table kept in such an element is invisible, so the page is healthy; today it reads
as Meta's error page and the service is reported down."""

# audit: fails on main at e298e8b (the fix makes it pass)

from __future__ import annotations

from tests.unit.factories import catalogue
from traywatch.core.net.error_page import error_phrase

SIGNS = next(s.targets[0] for s in catalogue().services if s.id == "instagram").error_signs
PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>Instagram</title></head><body>'
    '<div class="hidden_elem" id="error-strings"><h2>Sorry, something went wrong.</h2>'
    "<p>This page isn't available right now</p></div>"
    '<div id="root"><h2>Sign up to see photos and videos from your friends.</h2>'
    '<form action="/accounts/login/"><button>Log in</button></form></div></body></html>'
)


def test_error_words_in_an_element_hidden_by_metas_hidden_elem_class_are_not_an_error_page() -> None:
    assert error_phrase(PAGE.encode(), SIGNS, "text/html; charset=utf-8") is None
