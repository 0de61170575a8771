"""When the fault is Meta's: the outages seen in the field (October 2021, December 2024),
partial outages, slow or garbled services, and how many down make "Meta is down"."""

from __future__ import annotations

from tests.unit.diagnosis.situations import (
    DEGRADED,
    DOWN,
    SLOW_MS,
    UNKNOWN,
    UP,
    Case,
    check_situation,
    each_case,
    garbage,
    states,
)
from tests.unit.factories import (
    blocked,
    by_scheme,
    dns_no_answer,
    dns_servfail,
    ok,
    portal,
    references,
    server_error,
    service_result,
    services,
    slow,
    tcp_timeout,
)
from traywatch.core.models import InternetState, Verdict
from traywatch.core.verdict.diagnosis import diagnose

CASES = [
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
        "service_failing_on_one_of_two_targets_is_degraded",
        references(),
        services(ads_manager=[ok, tcp_timeout]),
        Verdict.META_PARTIAL,
        InternetState.UP,
        states(UP, ads_manager=DEGRADED),
        ("Ads Manager / Business Suite has problems", "partly failing"),
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
]


@each_case(CASES)
def test_situation(case: Case) -> None:
    check_situation(case)


def test_carried_over_service_result_is_kept_as_given() -> None:
    carried = service_result("facebook", DOWN, checked=False)
    d = diagnose(references(), services(facebook=carried), SLOW_MS)
    assert d.services[0] is carried
    assert d.verdict is Verdict.META_PARTIAL


def test_meta_answering_with_server_errors_proves_the_internet_works_even_without_references() -> None:
    d = diagnose(references(tcp_timeout), services(server_error), SLOW_MS)
    assert d.verdict is Verdict.META_DOWN
    assert d.internet.state is InternetState.UP
