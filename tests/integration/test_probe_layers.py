"""Real rounds against local DNS and HTTPS servers: every layer's failure is named correctly,
and a round never outlives its deadline."""

from __future__ import annotations

import time

import pytest

from tests.integration.conftest import LocalInternet
from tests.support.catalogue import meta_hostnames
from traywatch.core.models import Hint, Layer, RoundResult, ServiceState, Verdict
from traywatch.core.watch.engine import Engine


def run(net: LocalInternet, timeout: float = 3.0, rewrite=lambda t: t) -> RoundResult:  # type: ignore[no-untyped-def]
    with Engine(net.config(timeout, rewrite)) as engine:
        return engine.run_round()


def service(rnd: RoundResult, sid: str):  # type: ignore[no-untyped-def]
    result = rnd.service(sid)
    assert result is not None
    return result


def test_healthy_local_internet_is_ok_with_every_service_up(net: LocalInternet) -> None:
    rnd = run(net)
    assert rnd.verdict is Verdict.OK, rnd.summary
    assert {s.state for s in rnd.services} == {ServiceState.UP}
    assert all(r.probe.ok for r in rnd.references)
    assert rnd.duration_ms < 2000
    assert net.dns.queries("www.facebook.com") >= 1  # the lookup really went through our DNS


@pytest.mark.parametrize(
    ("behaviour", "hint"),
    [("servfail", Hint.DNS_SERVFAIL), ("nxdomain", Hint.DNS_NXDOMAIN), ("timeout", Hint.DNS_NO_ANSWER)],
)
def test_dns_failure_of_one_meta_name_is_layer_dns(net: LocalInternet, behaviour: str, hint: Hint) -> None:
    net.dns.set("www.instagram.com", behaviour)
    rnd = run(net, timeout=2.0)
    instagram = service(rnd, "instagram")
    assert instagram.state is ServiceState.DOWN
    assert instagram.failed_layer is Layer.DNS
    assert hint in instagram.probes[0].hints
    assert rnd.verdict is Verdict.META_PARTIAL
    assert rnd.duration_ms < 3000


def test_october_2021_pattern_every_meta_name_servfails(net: LocalInternet) -> None:
    for name in meta_hostnames():
        net.dns.set(name, "servfail")
    rnd = run(net)
    assert rnd.verdict is Verdict.META_DOWN
    assert "October 2021" in rnd.summary
    assert all(s.failed_layer is Layer.DNS for s in rnd.services)


def test_connection_refused_is_layer_tcp(net: LocalInternet) -> None:
    net.dns.set("g.whatsapp.net", ["127.0.0.2"])  # nothing listens there
    rnd = run(net)
    whatsapp = service(rnd, "whatsapp")
    tcp_probe = whatsapp.probes[1]
    assert tcp_probe.failed_layer is Layer.TCP and Hint.REFUSED in tcp_probe.hints
    # its web app still answers: the chat port blocked is a fact about this network
    assert whatsapp.state is ServiceState.UP and rnd.verdict is Verdict.OK
    assert "blocks WhatsApp's port" in whatsapp.note and "refused" in whatsapp.note


@pytest.mark.parametrize(
    ("cert", "hint"),
    [("untrusted", Hint.UNTRUSTED_CERT), ("wrong_name", Hint.UNTRUSTED_CERT), ("expired", Hint.CLOCK)],
)
def test_certificate_problems_are_layer_tls(net: LocalInternet, cert: str, hint: Hint) -> None:
    net.web.set_cert("www.messenger.com", cert)
    messenger = service(run(net), "messenger")
    assert messenger.probes[0].failed_layer is Layer.TLS
    assert hint in messenger.probes[0].hints


def test_intercepted_certificates_everywhere_mean_network_limited(net: LocalInternet) -> None:
    net.web.set_cert("*", "untrusted")
    rnd = run(net)
    assert rnd.verdict is Verdict.NETWORK_LIMITED
    assert "intercepting" in rnd.summary
    assert {s.state for s in rnd.services} == {ServiceState.UNKNOWN}


def test_silent_tls_peer_times_out_at_layer_tls(net: LocalInternet) -> None:
    # Point Threads' https URL at the plain TCP port, which accepts and says nothing.
    def rewrite(text: str) -> str:
        return text.replace(f"www.threads.com:{net.web.https_port}", f"www.threads.com:{net.web.tcp_port}")

    started = time.monotonic()
    rnd = run(net, timeout=1.5, rewrite=rewrite)
    threads = service(rnd, "threads")
    assert threads.failed_layer is Layer.TLS
    assert Hint.TIMEOUT in threads.probes[0].hints
    assert time.monotonic() - started < 1.5 + 1.0


@pytest.mark.parametrize(
    ("behaviour", "hint"),
    [("hang", Hint.TIMEOUT), ("garbage", Hint.GARBAGE), ("reset", None), ("close", None)],
)
def test_broken_http_answers_are_layer_http(net: LocalInternet, behaviour: str, hint: Hint | None) -> None:
    net.web.set_host("www.facebook.com", behaviour)
    facebook = service(run(net, timeout=1.5), "facebook")
    assert facebook.state is ServiceState.DOWN
    assert facebook.failed_layer is Layer.HTTP, facebook.detail
    if hint:
        assert hint in facebook.probes[0].hints


def test_december_2024_pattern_server_errors_everywhere(net: LocalInternet) -> None:
    from tests.support.fake_web import meta_error_routes

    net.web.set_routes(meta_error_routes())
    rnd = run(net)
    assert rnd.verdict is Verdict.META_DOWN
    assert "December 2024" in rnd.summary
    assert rnd.internet.state.value == "up"


def test_graph_api_answering_html_is_a_content_failure(net: LocalInternet) -> None:
    from tests.support.fake_web import Reply

    net.web.set_host("graph.facebook.com", Reply(400, {"Content-Type": "text/html"}, "<html>nope</html>"))
    graph = service(run(net), "graph_api")
    assert graph.failed_layer is Layer.CONTENT
    assert graph.state is ServiceState.DOWN


def test_graph_api_serving_the_edge_error_page_with_200_is_said_with_its_words(net: LocalInternet) -> None:
    from tests.support.fake_web import Reply
    from tests.support.meta_pages import edge_error_page

    html = {"Content-Type": "text/html; charset=utf-8"}
    net.web.set_host("graph.facebook.com", Reply(200, html, edge_error_page()))
    rnd = run(net)
    graph = service(rnd, "graph_api")
    assert graph.state is ServiceState.DOWN and graph.failed_layer is Layer.CONTENT
    assert graph.detail == 'graph.facebook.com shows an error page ("Sorry, something went wrong")'
    assert "was expected" not in rnd.summary and '"Sorry, something went wrong"' in rnd.summary


def test_error_pages_served_with_200_everywhere_are_quoted_but_not_called_december_2024(
    net: LocalInternet,
) -> None:
    from tests.support.fake_web import Reply
    from tests.support.meta_pages import edge_error_page

    for host in meta_hostnames():
        net.web.set_host(host, Reply(200, {"Content-Type": "text/html; charset=utf-8"}, edge_error_page()))
    rnd = run(net)
    assert rnd.verdict is Verdict.META_DOWN
    assert 'error pages ("Sorry, something went wrong")' in rnd.summary
    assert "December 2024" not in rnd.summary  # that outage answered with server errors (5xx)


def test_captive_portal_redirects_mean_network_limited(net: LocalInternet) -> None:
    from tests.support.fake_web import captive_portal_routes

    net.web.set_routes(captive_portal_routes())
    rnd = run(net)
    assert rnd.verdict is Verdict.NETWORK_LIMITED
    assert "sign in" in rnd.summary
    assert {s.state for s in rnd.services} == {ServiceState.UNKNOWN}


def test_rate_limited_service_is_this_address_with_retry_after(net: LocalInternet) -> None:
    from tests.support.fake_web import Reply

    net.web.set_host("www.threads.com", Reply(429, {"Retry-After": "90"}, ""))
    rnd = run(net)
    threads = service(rnd, "threads")
    assert threads.state is ServiceState.UP and rnd.verdict is Verdict.OK
    assert threads.note == "Threads is limiting requests from your address (HTTP 429)"
    assert threads.probes[0].retry_after_s == 90.0


def test_error_words_past_the_title_are_read_up_to_the_cap(net: LocalInternet) -> None:
    from tests.support.fake_web import Reply
    from tests.support.meta_pages import healthy_front_page

    html = {"Content-Type": "text/html; charset=utf-8"}
    scripts = healthy_front_page(pad_to=10_000).removesuffix("</body></html>\n")
    deep = scripts + '<div id="core"><h1 id="sorry">Sorry, something went wrong.</h1></div></body></html>'
    net.web.set_host("www.facebook.com", Reply(200, html, deep))
    facebook = service(run(net), "facebook")
    assert facebook.state is ServiceState.DOWN and facebook.failed_layer is Layer.CONTENT
    assert facebook.probes[0].error_phrase == "Sorry, something went wrong"

    beyond = healthy_front_page(pad_to=17_000).removesuffix("</body></html>\n")
    net.web.set_host("www.facebook.com", Reply(200, html, beyond + "<h1>Sorry, something went wrong.</h1>"))
    assert service(run(net), "facebook").state is ServiceState.UP  # the cap is kept: 16 KB, no more


def test_round_with_every_meta_answer_hanging_ends_at_the_deadline(net: LocalInternet) -> None:
    for host in meta_hostnames():
        net.web.set_host(host, "hang")
    started = time.monotonic()
    rnd = run(net, timeout=2.0)
    elapsed = time.monotonic() - started
    assert elapsed < 2.0 + 1.0
    assert rnd.verdict is Verdict.META_DOWN
    assert "don't answer" in rnd.summary


def test_a_large_body_is_read_only_up_to_the_cap(net: LocalInternet) -> None:
    from tests.support.fake_web import Reply

    # A 32 MB front page is judged on its first 16 KB, quickly.
    net.web.set_host("www.facebook.com", Reply(200, {"Content-Type": "text/html"}, "x" * 32_000_000))
    # Microsoft's check text placed after the first 16 KB is never seen: proof of the cap.
    net.web.set_host("www.msftconnecttest.com", Reply(200, {}, "x" * 20_000 + "Microsoft Connect Test"))
    rnd = run(net)
    assert service(rnd, "facebook").state is ServiceState.UP
    assert rnd.duration_ms < 2000
    microsoft = next(r for r in rnd.references if r.id == "microsoft")
    assert microsoft.probe.failed_layer is Layer.CONTENT
    assert rnd.verdict is Verdict.OK  # one odd reference is noise


def test_later_rounds_resume_tls_sessions_and_still_verify(net: LocalInternet) -> None:
    from tests.support.fake_web import FakeWebServer, healthy_meta_routes

    with Engine(net.config()) as engine:
        assert engine.run_round().verdict is Verdict.OK
        assert any(key.startswith("www.facebook.com:") for key in engine._ctx.sessions)
        assert engine.run_round().verdict is Verdict.OK
        # An interceptor (another machine, same names and ports) cannot resume our sessions:
        # the full handshake it forces fails verification.
        with FakeWebServer(
            healthy_meta_routes(),
            bind="127.0.0.2",
            http_port=net.web.http_port,
            https_port=net.web.https_port,
            tcp_ports=(net.web.tcp_port or 0,),
            certfile=net.certs.untrusted.server_file,
        ):
            for name in list(engine._ctx.sessions):
                net.dns.set(name.rpartition(":")[0], ["127.0.0.2"])
            assert engine.run_round().verdict is Verdict.NETWORK_LIMITED
