"""The summary is one plain sentence, in good English whatever the number of services, and names
an outage pattern only when the answers match it (audit findings 6 and 9)."""

from __future__ import annotations

from tests.unit.factories import (
    dns_no_answer,
    error_page_200,
    ok,
    rate_limited,
    references,
    server_error,
    services,
    tcp_timeout,
)
from traywatch.core.models import Verdict
from traywatch.core.verdict.diagnosis import ServiceProbes, diagnose

SLOW_MS = 3000.0


def only(sid: str, probes: tuple[ServiceProbes, ...]) -> tuple[ServiceProbes, ...]:
    return tuple(s for s in probes if s.id == sid)


# -- HTTP 429 from many services: said once ---------------------------------------------------------
def test_every_service_answering_429_is_one_note_not_one_sentence_each() -> None:
    d = diagnose(references(), services(rate_limited(60)), SLOW_MS)
    assert d.verdict is Verdict.OK
    assert d.summary.count("limiting requests from your address") == 1, d.summary
    assert d.summary.count(". ") == 1, d.summary  # the verdict and one note
    assert d.summary.endswith(
        "Facebook, Instagram, WhatsApp and 4 more are limiting requests from your address "
        "(HTTP 429) — not an outage."
    ), d.summary


def test_two_services_answering_429_share_one_note_with_a_plural_verb() -> None:
    d = diagnose(references(), services(instagram=rate_limited(60), threads=rate_limited(60)), SLOW_MS)
    assert d.summary == (
        "Your internet and all 7 Meta services are working. Instagram and Threads are limiting "
        "requests from your address (HTTP 429) — not an outage."
    )


def test_one_service_answering_429_keeps_its_own_note() -> None:
    d = diagnose(references(), services(instagram=rate_limited(60)), SLOW_MS)
    assert d.summary.endswith("Instagram is limiting requests from your address (HTTP 429) — not an outage.")


# -- how many services are watched --------------------------------------------------------------------
def test_no_service_watched_says_so_not_all_0() -> None:
    d = diagnose(references(), (), SLOW_MS)
    assert d.verdict is Verdict.OK
    assert "all 0" not in d.summary
    assert d.summary == (
        "Your internet is working; no Meta service is watched (all are turned off in the settings)."
    )


def test_one_service_watched_and_working_is_named() -> None:
    d = diagnose(references(), only("graph_api", services()), SLOW_MS)
    assert d.summary == "Your internet and Graph API are working."


def test_two_services_watched_and_working_are_both() -> None:
    two = tuple(s for s in services() if s.id in ("facebook", "instagram"))
    d = diagnose(references(), two, SLOW_MS)
    assert d.summary == "Your internet and both Meta services you watch are working."


def test_one_watched_service_with_server_errors_gets_a_singular_verb() -> None:
    d = diagnose(references(), only("graph_api", services(server_error)), SLOW_MS)
    assert d.verdict is Verdict.META_DOWN
    assert d.summary.startswith("Meta is down: Graph API answers with server errors (HTTP 503"), d.summary


def test_one_watched_service_silent_or_unresolvable_gets_a_singular_verb() -> None:
    silent = diagnose(references(), only("graph_api", services(tcp_timeout)), SLOW_MS).summary
    assert silent.startswith("Meta is down: Graph API doesn't answer at all"), silent
    dns = diagnose(references(), only("graph_api", services(dns_no_answer)), SLOW_MS).summary
    assert dns.startswith("Meta is down: the address of Graph API can't be looked up"), dns


def test_several_services_keep_the_plural() -> None:
    d = diagnose(references(), services(server_error, whatsapp=ok), SLOW_MS)
    assert " answer with server errors" in d.summary


# -- the December 2024 pattern is 5xx ---------------------------------------------------------------
def test_error_pages_served_with_200_are_not_called_the_december_2024_pattern() -> None:
    d = diagnose(references(), services(error_page_200), SLOW_MS)
    assert d.verdict is Verdict.META_DOWN
    assert 'answer with error pages ("Sorry, something went wrong")' in d.summary
    assert "December 2024" not in d.summary, d.summary


def test_mostly_error_pages_with_200_and_one_server_error_is_not_the_december_pattern() -> None:
    d = diagnose(references(), services(error_page_200, facebook=server_error), SLOW_MS)
    assert "December 2024" not in d.summary, d.summary


def test_server_errors_from_most_services_are_the_december_2024_pattern() -> None:
    d = diagnose(references(), services(server_error, facebook=error_page_200), SLOW_MS)
    assert "December 2024" in d.summary, d.summary
