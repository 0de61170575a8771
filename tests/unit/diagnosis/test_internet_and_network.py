"""When the fault is ours: the internet down, or a network in the way (sign-in pages,
interception, DNS filters, a wrong clock), never Meta."""

from __future__ import annotations

from tests.unit.diagnosis.situations import (
    DOWN,
    SLOW_MS,
    UNKNOWN,
    UP,
    Case,
    check_situation,
    each_case,
    states,
)
from tests.unit.factories import (
    blocked,
    by_scheme,
    dns_no_answer,
    dns_servfail,
    portal,
    references,
    service_ids,
    service_result,
    services,
    tcp_timeout,
    tcp_unreachable,
    tls_clock,
    tls_timeout,
    tls_untrusted,
)
from traywatch.core.models import InternetState, Layer, OsHint, ServiceState, Verdict
from traywatch.core.verdict.diagnosis import diagnose

CASES = [
    Case(
        "all_fine",
        references(),
        services(),
        Verdict.OK,
        InternetState.UP,
        states(UP),
        ("Your internet and all 7 Meta services are working",),
        internet_words=("6 of 6",),
    ),
    Case(
        "captive_portal_redirects_plain_http_checks_to_a_sign_in_page",
        references(by_scheme(http=portal), google_tls=tls_untrusted, cloudflare_tls=tls_timeout),
        services(by_scheme(https=tls_untrusted, tcp=tcp_timeout)),
        Verdict.NETWORK_LIMITED,
        InternetState.LIMITED,
        states(UNKNOWN),
        ("sign in", "login.portal.example"),
    ),
    Case(
        "captive_portal_that_drops_https_entirely",
        references(by_scheme(http=portal, https=tcp_timeout)),
        services(tcp_timeout),
        Verdict.NETWORK_LIMITED,
        InternetState.LIMITED,
        states(UNKNOWN),
        ("sign in",),
    ),
    Case(
        "captive_portal_hijacking_dns_of_the_checks",
        references(blocked("10.0.0.1")),
        services(blocked("10.0.0.1")),
        Verdict.NETWORK_LIMITED,
        InternetState.LIMITED,
        states(UNKNOWN),
        ("sign in",),
    ),
    Case(
        "tls_interception_of_the_https_checks",
        references(by_scheme(https=tls_untrusted)),
        services(by_scheme(https=tls_untrusted)),
        Verdict.NETWORK_LIMITED,
        InternetState.LIMITED,
        states(UNKNOWN),
        ("intercepting", "not trusted", "not Meta"),
    ),
    Case(
        "tls_interception_of_meta_only",
        references(),
        services(by_scheme(https=tls_untrusted)),
        Verdict.NETWORK_LIMITED,
        InternetState.LIMITED,
        states(UNKNOWN),
        ("intercepts the secure connection", "not Meta"),
    ),
    Case(
        "dns_filter_answers_meta_names_with_local_addresses",
        references(),
        services(
            facebook=blocked("0.0.0.0"),
            instagram=blocked("127.0.0.1"),
            whatsapp=blocked("10.0.0.1"),
        ),
        Verdict.NETWORK_LIMITED,
        InternetState.LIMITED,
        states(UP, facebook=UNKNOWN, instagram=UNKNOWN, whatsapp=UNKNOWN),
        ("blocks", "Facebook, Instagram and WhatsApp", "0.0.0.0", "not Meta"),
    ),
    Case(
        "one_dead_reference_among_healthy_ones_is_noise",
        references(microsoft=tcp_timeout),
        services(),
        Verdict.OK,
        InternetState.UP,
        states(UP),
        ("working",),
        internet_words=("5 of 6",),
    ),
    Case(
        "one_redirected_reference_among_healthy_ones_is_noise",
        references(apple=portal),
        services(),
        Verdict.OK,
        InternetState.UP,
        states(UP),
        ("working",),
    ),
    Case(
        "all_references_dead_but_meta_fine_means_internet_works",
        references(tcp_timeout),
        services(),
        Verdict.OK,
        InternetState.UP,
        states(UP),
        ("working",),
        internet_words=("Meta did",),
    ),
    Case(
        "nothing_answers_at_all",
        references(tcp_unreachable),
        services(tcp_unreachable),
        Verdict.INTERNET_DOWN,
        InternetState.DOWN,
        states(UNKNOWN),
        ("Your internet is down", "This is not Meta"),
    ),
    Case(
        "everything_times_out",
        references(tcp_timeout),
        services(tcp_timeout),
        Verdict.INTERNET_DOWN,
        InternetState.DOWN,
        states(UNKNOWN),
        ("This is not Meta",),
    ),
    Case(
        "resolver_answers_nothing_for_anything",
        references(dns_no_answer),
        services(dns_no_answer),
        Verdict.INTERNET_DOWN,
        InternetState.DOWN,
        states(UNKNOWN),
        ("can be looked up", "router", "This is not Meta"),
    ),
    Case(
        "os_reports_disconnected",
        references(tcp_unreachable),
        services(tcp_unreachable),
        Verdict.INTERNET_DOWN,
        InternetState.DOWN,
        states(UNKNOWN),
        ("no network connection", "This is not Meta"),
        os_hint=OsHint.DISCONNECTED,
    ),
    Case(
        "os_says_disconnected_but_the_checks_answer",
        references(),
        services(),
        Verdict.OK,
        InternetState.UP,
        states(UP),
        os_hint=OsHint.DISCONNECTED,
    ),
    Case(
        "computer_clock_wrong",
        references(by_scheme(https=tls_clock)),
        services(by_scheme(https=tls_clock)),
        Verdict.NETWORK_LIMITED,
        InternetState.LIMITED,
        states(UNKNOWN),
        ("date or time", "clock", "not Meta"),
    ),
]


@each_case(CASES)
def test_situation(case: Case) -> None:
    check_situation(case)


def test_every_service_is_unknown_with_a_reason_when_our_internet_is_down() -> None:
    d = diagnose(references(tcp_unreachable), services(tcp_unreachable), SLOW_MS)
    for s in d.services:
        assert s.detail == "not judged: your internet is down"
        assert s.failed_layer is Layer.TCP  # the evidence is kept
        assert s.latency_ms is None


def test_carried_over_results_alone_do_not_prove_the_internet_works() -> None:
    carried = {sid: service_result(sid, UP, checked=False) for sid in service_ids()}
    d = diagnose(references(tcp_unreachable), services(**carried), SLOW_MS)
    assert d.verdict is Verdict.INTERNET_DOWN
    assert all(s.state is UNKNOWN for s in d.services)


def test_blocked_service_detail_says_the_network_blocks_it() -> None:
    d = diagnose(references(), services(facebook=blocked("0.0.0.0")), SLOW_MS)
    facebook = d.services[0]
    assert facebook.detail.startswith("blocked by your network")
    assert facebook.failed_layer is Layer.DNS


def test_a_carried_down_service_is_not_blamed_while_the_network_blocks_meta() -> None:
    carried = service_result("instagram", DOWN, checked=False)
    d = diagnose(references(), services(facebook=blocked("0.0.0.0"), instagram=carried), SLOW_MS)
    assert d.verdict is Verdict.NETWORK_LIMITED
    assert all(s.state is not DOWN for s in d.services)


def test_a_service_failing_beside_a_blocked_one_is_judged_and_the_block_still_said() -> None:
    d = diagnose(references(), services(facebook=blocked("0.0.0.0"), instagram=dns_servfail), SLOW_MS)
    assert d.verdict is Verdict.META_PARTIAL
    assert d.internet.state is InternetState.UP
    facebook, instagram = d.services[0], d.services[1]
    assert instagram.state is DOWN and "SERVFAIL" in instagram.detail
    assert facebook.state is UNKNOWN and facebook.detail.startswith("blocked by your network")
    assert d.summary.startswith("Instagram is down (lookup of")
    assert "other Meta services work" not in d.summary  # Facebook is not seen working
    assert d.summary.endswith(
        "Your network also blocks Facebook: its address is answered with 0.0.0.0 instead of Meta's."
    )
    assert "blocked" in d.internet.detail  # the evidence of the block stays in the internet part


def test_only_blocking_seen_is_the_network_even_with_carried_results() -> None:
    carried = service_result("instagram", UP, checked=False)
    d = diagnose(references(), services(facebook=blocked("0.0.0.0"), instagram=carried), SLOW_MS)
    assert d.verdict is Verdict.NETWORK_LIMITED
    assert "This is not Meta" in d.summary


def test_meta_sent_to_a_block_page_is_the_network_not_meta() -> None:
    d = diagnose(references(), services(instagram=portal), SLOW_MS)
    assert d.verdict is Verdict.NETWORK_LIMITED
    states = {s.id: s.state for s in d.services}
    assert states["instagram"] is ServiceState.UNKNOWN
    assert states["facebook"] is ServiceState.UP
    assert "block or sign-in page" in d.summary and "This is not Meta" in d.summary
