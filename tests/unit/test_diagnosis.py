"""The diagnosis decides whose fault it is: one named row per real-world situation."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from tests.unit.factories import (
    Maker,
    blocked,
    by_scheme,
    dns_no_answer,
    dns_servfail,
    fail,
    ok,
    plain_server_error,
    portal,
    rate_limited,
    references,
    server_error,
    service_ids,
    service_result,
    services,
    slow,
    tcp_timeout,
    tcp_unreachable,
    tls_clock,
    tls_timeout,
    tls_untrusted,
)
from traywatch.core.models import (
    Hint,
    InternetState,
    Layer,
    OsHint,
    ProbeResult,
    ReferenceResult,
    ServiceState,
    Verdict,
)
from traywatch.core.verdict.diagnosis import ServiceProbes, diagnose

UP, DEGRADED, DOWN, UNKNOWN = ServiceState.UP, ServiceState.DEGRADED, ServiceState.DOWN, ServiceState.UNKNOWN
SLOW_MS = 3000.0


def states(default: ServiceState, **overrides: ServiceState) -> dict[str, ServiceState]:
    return {sid: overrides.get(sid, default) for sid in service_ids()}


@dataclass(frozen=True)
class Case:
    name: str
    refs: tuple[ReferenceResult, ...]
    svcs: tuple[ServiceProbes, ...]
    verdict: Verdict
    internet: InternetState
    states: Mapping[str, ServiceState]
    words: tuple[str, ...] = ()
    os_hint: OsHint = OsHint.UNKNOWN
    slow_ms: float = SLOW_MS
    internet_words: tuple[str, ...] = field(default=())


def garbage(url: str) -> ProbeResult:
    return fail(url, Layer.CONTENT, Hint.GARBAGE, status=200, detail="not Meta's usual JSON error")


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
        "october_2021_meta_names_servfail_while_references_answer",
        references(),
        services(dns_servfail),
        Verdict.META_DOWN,
        InternetState.UP,
        states(DOWN),
        ("Meta is down", "can't be looked up", "October 2021", "Facebook"),
    ),
    Case(
        "october_2021_meta_names_get_no_dns_answer_while_references_answer",
        references(),
        services(dns_no_answer),
        Verdict.META_DOWN,
        InternetState.UP,
        states(DOWN),
        ("can't be looked up", "October 2021"),
    ),
    Case(
        "december_2024_meta_edges_answer_sorry_something_went_wrong",
        references(),
        services(by_scheme(https=server_error, tcp=ok)),  # WhatsApp's chat port still accepts
        Verdict.META_DOWN,
        InternetState.UP,
        states(DOWN, whatsapp=DEGRADED),
        ("Meta is down", "server errors", "something went wrong", "December 2024"),
    ),
    Case(
        "meta_silently_dropped_tcp_timeouts",
        references(),
        services(tcp_timeout),
        Verdict.META_DOWN,
        InternetState.UP,
        states(DOWN),
        ("Meta is down", "don't answer at all"),
    ),
    Case(
        "only_instagram_down",
        references(),
        services(instagram=tcp_timeout),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(UP, instagram=DOWN),
        ("Instagram is down", "other Meta services work"),
    ),
    Case(
        "three_of_seven_down_is_partial_not_meta_down",
        references(),
        services(facebook=server_error, instagram=server_error, threads=server_error),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(UP, facebook=DOWN, instagram=DOWN, threads=DOWN),
        ("Facebook, Instagram and Threads are down",),
    ),
    Case(
        "four_of_seven_down_is_meta_down",
        references(),
        services(facebook=server_error, instagram=server_error, threads=server_error, messenger=server_error),
        Verdict.META_DOWN,
        InternetState.UP,
        states(UP, facebook=DOWN, instagram=DOWN, threads=DOWN, messenger=DOWN),
        ("Meta is down", "Facebook, Instagram, Messenger and Threads"),
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
        "dns_filter_blocking_some_names_while_another_service_is_slow",
        references(),
        services(facebook=blocked("0.0.0.0"), threads=slow(5000)),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(UP, facebook=UNKNOWN, threads=DEGRADED),
        ("Threads has problems", "blocks Facebook"),
    ),
    Case(
        "dns_filter_blocks_instagram_while_the_rest_of_meta_answers_500",
        references(),
        services(by_scheme(https=server_error, tcp=ok), instagram=blocked("0.0.0.0")),
        Verdict.META_DOWN,
        InternetState.UP,
        states(DOWN, instagram=UNKNOWN, whatsapp=DEGRADED),
        ("Meta is down", "December 2024", "Your network also blocks Instagram", "0.0.0.0"),
    ),
    Case(
        "block_page_for_threads_while_meta_drops_everything_else",
        references(),
        services(tcp_timeout, threads=portal),
        Verdict.META_DOWN,
        InternetState.UP,
        states(DOWN, threads=UNKNOWN),
        ("Meta is down", "don't answer at all", "sends Threads to a block or sign-in page"),
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
        "slow_meta_is_degraded_not_down",
        references(),
        services(slow(4500)),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(DEGRADED),
        ("have problems", "slow: 4.5 s"),
    ),
    Case(
        "meta_just_under_the_slow_threshold_is_fine",
        references(),
        services(slow(2999)),
        Verdict.OK,
        InternetState.UP,
        states(UP),
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
        "service_failing_on_one_of_two_targets_is_degraded",
        references(),
        services(ads_manager=[ok, tcp_timeout]),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(UP, ads_manager=DEGRADED),
        ("Ads Manager / Business Suite has problems", "partly failing"),
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
    Case(
        "graph_api_answers_garbage",
        references(),
        services(graph_api=garbage),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(UP, graph_api=DOWN),
        ("Graph API is down",),
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


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_situation(case: Case) -> None:
    d = diagnose(case.refs, case.svcs, case.slow_ms, case.os_hint)

    assert d.verdict is case.verdict, d.summary
    assert d.internet.state is case.internet
    assert {s.id: s.state for s in d.services} == dict(case.states), d.summary
    assert [s.id for s in d.services] == list(service_ids())  # catalogue order kept
    for word in case.words:
        assert word in d.summary
    for word in case.internet_words:
        assert word in d.internet.detail
    assert d.summary.endswith(".")


def test_every_service_is_unknown_with_a_reason_when_our_internet_is_down() -> None:
    d = diagnose(references(tcp_unreachable), services(tcp_unreachable), SLOW_MS)
    for s in d.services:
        assert s.detail == "not judged: your internet is down"
        assert s.failed_layer is Layer.TCP  # the evidence is kept
        assert s.latency_ms is None


def test_carried_over_service_result_is_kept_as_given() -> None:
    carried = service_result("facebook", DOWN, checked=False)
    d = diagnose(references(), services(facebook=carried), SLOW_MS)
    assert d.services[0] is carried
    assert d.verdict is Verdict.META_PARTIAL


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


def test_meta_answering_with_server_errors_proves_the_internet_works_even_without_references() -> None:
    d = diagnose(references(tcp_timeout), services(server_error), SLOW_MS)
    assert d.verdict is Verdict.META_DOWN
    assert d.internet.state is InternetState.UP


# -- "Meta is never blamed when our internet is down" ---------------------------------------------
_REF_OUTCOMES: list[Maker] = [
    ok,
    ok,
    ok,
    dns_no_answer,
    dns_servfail,
    tcp_timeout,
    tcp_unreachable,
    tls_untrusted,
    tls_clock,
    tls_timeout,
    portal,
    blocked("10.1.2.3"),
]
_META_OUTCOMES: list[Maker] = [
    ok,
    slow(9000),
    dns_servfail,
    dns_no_answer,
    tcp_timeout,
    tcp_unreachable,
    tls_untrusted,
    tls_clock,
    tls_timeout,
    server_error,
    rate_limited(60),
    portal,
    blocked("0.0.0.0"),
    garbage,
]


def _answered(p: ProbeResult) -> bool:
    """Independent of the code under test: a peer sent a real HTTP answer (not a sign-in page)."""
    return p.ok or (p.status is not None and not p.has(Hint.PORTAL))


def _random_world(
    rng: random.Random,
) -> tuple[tuple[ReferenceResult, ...], tuple[ServiceProbes, ...], OsHint]:
    ref_default = rng.choice(_REF_OUTCOMES)
    ref_overrides = {
        rid: rng.choice(_REF_OUTCOMES)
        for rid in rng.sample(
            ["google", "cloudflare", "microsoft", "apple", "google_tls", "cloudflare_tls"], 2
        )
    }
    svc_default = rng.choice(_META_OUTCOMES)
    svc_overrides: dict[str, object] = {}
    for sid in rng.sample(list(service_ids()), rng.randint(0, 4)):
        if rng.random() < 0.2:
            svc_overrides[sid] = service_result(sid, rng.choice([UP, DEGRADED, DOWN]), checked=False)
        else:
            svc_overrides[sid] = rng.choice(_META_OUTCOMES)
    refs = references(ref_default, **ref_overrides)
    svcs = services(svc_default, **svc_overrides)  # type: ignore[arg-type]
    return refs, svcs, rng.choice(list(OsHint))


def test_meta_is_never_blamed_when_our_internet_is_down() -> None:
    rng = random.Random(20211004)
    seen: set[Verdict] = set()
    for _ in range(4000):
        refs, svcs, os_hint = _random_world(rng)
        d = diagnose(refs, svcs, SLOW_MS, os_hint)
        seen.add(d.verdict)
        world = f"refs={[(r.id, r.probe.detail) for r in refs]} services={svcs} os={os_hint}"
        down = [s for s in d.services if s.state is DOWN]

        if d.verdict in (Verdict.INTERNET_DOWN, Verdict.NETWORK_LIMITED):
            assert not down, f"{d.verdict}: {[s.id for s in down]} blamed\n{world}"
        if down:
            someone_answered = any(r.probe.ok for r in refs) or any(
                _answered(p) for s in svcs for p in s.probes
            )
            assert someone_answered, world

        expected_internet = {
            Verdict.INTERNET_DOWN: InternetState.DOWN,
            Verdict.NETWORK_LIMITED: InternetState.LIMITED,
        }.get(d.verdict, InternetState.UP)
        assert d.internet.state is expected_internet
        assert [s.id for s in d.services] == [s.id for s in svcs]
        if d.verdict is Verdict.OK:
            assert all(s.state is UP for s in d.services), world
        if d.verdict is Verdict.META_DOWN:
            assert len(down) * 2 > len(d.services), world
        assert d.summary
    assert seen == set(Verdict)  # the random worlds really covered every verdict


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
