"""Notes about this address, not outages: Meta limiting our requests (HTTP 429) and a network
that blocks WhatsApp's chat port 5222."""

from __future__ import annotations

from tests.unit.diagnosis.situations import DEGRADED, DOWN, UP, Case, check_situation, each_case, states
from tests.unit.factories import (
    dns_servfail,
    ok,
    rate_limited,
    references,
    server_error,
    services,
    tcp_timeout,
    tcp_unreachable,
)
from traywatch.core.models import InternetState, Verdict

CASES = [
    Case(
        "rate_limited_service_is_this_address_not_meta",
        references(),
        services(facebook=rate_limited(120)),
        Verdict.OK,
        InternetState.UP,
        states(UP),
        ("Facebook is limiting requests from your address (HTTP 429) — not an outage.",),
    ),
    Case(
        "rate_limited_while_most_of_meta_fails_is_meta_turning_requests_away",
        references(),
        services(server_error, instagram=rate_limited(120)),
        Verdict.META_DOWN,
        InternetState.UP,
        states(DOWN, instagram=DEGRADED),
        ("Meta is down",),
    ),
    Case(
        "whatsapp_chat_port_dropped_while_web_answers_is_the_network",
        references(),
        services(whatsapp=[ok, tcp_timeout]),
        Verdict.OK,
        InternetState.UP,
        states(UP),
        ("Your network blocks WhatsApp's port 5222 (no answer), so WhatsApp uses port 443 instead.",),
    ),
    Case(
        "whatsapp_chat_port_refused_while_web_answers_is_the_network",
        references(),
        services(whatsapp=[ok, tcp_unreachable]),
        Verdict.OK,
        InternetState.UP,
        states(UP),
        ("Your network blocks WhatsApp's port 5222 (refused)",),
    ),
    Case(
        "whatsapp_chat_port_and_web_failing_is_whatsapp_down",
        references(),
        services(whatsapp=[server_error, tcp_timeout]),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(UP, whatsapp=DOWN),
        ("WhatsApp is down",),
    ),
    Case(
        "whatsapp_chat_name_failing_is_not_a_port_block",
        references(),
        services(whatsapp=[ok, dns_servfail]),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(UP, whatsapp=DEGRADED),
        ("WhatsApp has problems",),
    ),
]


@each_case(CASES)
def test_situation(case: Case) -> None:
    check_situation(case)
