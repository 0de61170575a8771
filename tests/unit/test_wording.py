"""Names, durations and addresses as a shop owner reads them."""

from __future__ import annotations

import pytest

from tests.unit.factories import Maker, by_scheme, fail, references, services
from traywatch.core.models import Hint, Layer
from traywatch.core.safe_text import clean_url, shown_host
from traywatch.core.verdict.diagnosis import diagnose
from traywatch.core.verdict.wording import duration, join_names


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["Facebook"], "Facebook"),
        (["Facebook", "Instagram"], "Facebook and Instagram"),
        (["Facebook", "Instagram", "WhatsApp"], "Facebook, Instagram and WhatsApp"),
        (["Facebook", "Instagram", "WhatsApp", "Threads"], "Facebook, Instagram, WhatsApp and Threads"),
        (["A", "B", "C", "D", "E"], "A, B, C and 2 more"),
        (["A", "B", "C", "D", "E", "F", "G"], "A, B, C and 4 more"),
        (["Facebook", "Facebook", "Instagram"], "Facebook and Instagram"),
    ],
)
def test_join_names(names: list[str], expected: str) -> None:
    assert join_names(names) == expected


def test_join_names_with_a_custom_limit() -> None:
    assert join_names(["A", "B", "C"], limit=1) == "A and 2 more"
    assert join_names(["A", "B"], limit=1) == "A and B"  # "A and 1 more" says nothing shorter


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0 s"),
        (0.4, "0 s"),
        (59, "59 s"),
        (59.4, "59 s"),
        (59.6, "1 min"),
        (60, "1 min"),
        (61, "1 min"),
        (3599, "59 min"),
        (3600, "1 h"),
        (2 * 3600 + 14 * 60, "2 h 14 min"),
        (2 * 3600 + 14 * 60 + 59, "2 h 14 min"),
        (86400, "1 d"),
        (3 * 86400 + 4 * 3600 + 30 * 60, "3 d 4 h"),
        (400 * 86400, "400 d"),
        (-1, "0 s"),
        (-86400, "0 s"),
    ],
)
def test_duration(seconds: float, expected: str) -> None:
    assert duration(seconds) == expected


# -- a redirect host as a person writes it ---------------------------------------------------------
def _sent_to(address: str) -> Maker:
    return lambda url: fail(url, Layer.CONTENT, Hint.PORTAL, status=302, redirect_to=clean_url(address))


@pytest.mark.parametrize("address", ["http://\u00e9vil.example/login?next=/", "http://%C3%A9vil.example/"])
def test_the_summary_names_a_block_page_host_readably_not_percent_encoded(address: str) -> None:
    d = diagnose(references(), services(instagram=_sent_to(address)), 3000.0)
    assert "sends Instagram to a block or sign-in page (\u00e9vil.example)" in d.summary
    portal = diagnose(references(by_scheme(http=_sent_to(address))), services(), 3000.0)
    assert "sign-in page (\u00e9vil.example) instead" in portal.summary


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("http://%C3%A9vil.example/", "\u00e9vil.example"),
        ("http://Login.Portal.example:8080/x", "login.portal.example"),
        ("http://evil%E2%80%AE.example/", "evil%E2%80%AE.example"),  # a direction override stays escaped
        ("http://evil%1Bc%20x.example/", "evil%1Bc%20x.example"),  # so do an ESC and a space
        ("http://%FF%C3.example/", "%FF%C3.example"),  # not UTF-8: said as sent, not guessed
        ("/relative/only", None),
        ("http://[x/", None),
    ],
)
def test_shown_host(address: str, expected: str | None) -> None:
    assert shown_host(address) == expected
