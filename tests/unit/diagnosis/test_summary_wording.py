"""The wording of the summary: how Meta's server errors and error pages are quoted, and no
claim the evidence does not back."""

from __future__ import annotations

from tests.unit.diagnosis.situations import SLOW_MS
from tests.unit.factories import (
    by_scheme,
    fail,
    ok,
    plain_server_error,
    references,
    server_error,
    services,
    tcp_timeout,
)
from traywatch.core.models import Hint, Layer, Verdict
from traywatch.core.verdict.diagnosis import diagnose


def test_plain_server_errors_are_not_quoted_as_an_error_page_meta_never_sent() -> None:
    d = diagnose(references(), services(by_scheme(https=plain_server_error(502), tcp=ok)), SLOW_MS)
    assert d.verdict is Verdict.META_DOWN
    assert "server errors (HTTP 502)" in d.summary and "December 2024" in d.summary
    assert "went wrong" not in d.summary.lower()
    mixed = services(plain_server_error(500), facebook=plain_server_error(502), whatsapp=ok)
    assert "server errors (HTTP 500 and 502)" in diagnose(references(), mixed, SLOW_MS).summary


def test_an_error_page_is_quoted_as_the_page_said_it() -> None:
    page = services(lambda url: server_error(url, 500, phrase="Something went wrong"), whatsapp=ok)
    summary = diagnose(references(), page, SLOW_MS).summary
    assert 'answer with server errors (HTTP 500, "Something went wrong")' in summary
    title = services(
        lambda url: fail(
            url,
            Layer.CONTENT,
            Hint.ERROR_PAGE,
            status=200,
            detail='x shows an error page ("Oops")',
            error_phrase="Oops",
        )
    )
    assert 'answer with error pages ("Oops")' in diagnose(references(), title, SLOW_MS).summary


def test_meta_down_without_references_does_not_claim_other_sites_answer() -> None:
    d = diagnose(references(tcp_timeout), services(server_error), SLOW_MS)
    assert "answer fine" not in d.summary
