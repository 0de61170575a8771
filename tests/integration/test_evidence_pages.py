"""Real rounds against local servers that answer with captured Meta answers
(tests/fixtures/evidence, sources in docs/evidence.md): Meta's edge error page on a front page
is Facebook failing, and Graph's real no-token answer is the Graph edge up."""

from __future__ import annotations

from pathlib import Path

from tests.integration.conftest import LocalInternet
from tests.support.fake_web import Reply
from traywatch.core.models import Hint, Layer, RoundResult, ServiceResult, ServiceState, Verdict
from traywatch.core.watch.engine import Engine

EVIDENCE = Path(__file__).resolve().parents[1] / "fixtures" / "evidence"
EDGE_ERROR_PAGE = (EVIDENCE / "facebook_edge_error.html").read_bytes()
GRAPH_NO_TOKEN = (EVIDENCE / "graph_me_no_token.json").read_bytes()
HTML = {"Content-Type": "text/html; charset=utf-8"}


def run(net: LocalInternet) -> RoundResult:
    with Engine(net.config(3.0)) as engine:
        return engine.run_round()


def service(rnd: RoundResult, sid: str) -> ServiceResult:
    result = rnd.service(sid)
    assert result is not None
    return result


def test_captured_edge_error_page_with_200_on_the_front_page_is_facebook_failing(
    net: LocalInternet,
) -> None:
    net.web.set_host("www.facebook.com", Reply(200, HTML, EDGE_ERROR_PAGE))
    rnd = run(net)
    facebook = service(rnd, "facebook")
    assert facebook.state is not ServiceState.UP, facebook.detail
    assert facebook.failed_layer is Layer.CONTENT
    assert Hint.ERROR_PAGE in facebook.probes[0].hints
    assert "Sorry, something went wrong" in facebook.detail  # the words a visitor sees, quoted
    assert rnd.verdict is Verdict.META_PARTIAL


def test_captured_edge_error_page_with_502_from_graph_is_a_server_error(net: LocalInternet) -> None:
    net.web.set_host("graph.facebook.com", Reply(502, HTML, EDGE_ERROR_PAGE))
    graph = service(run(net), "graph_api")
    assert graph.state is ServiceState.DOWN
    assert graph.failed_layer is Layer.HTTP
    assert {Hint.SERVER_ERROR, Hint.ERROR_PAGE} <= graph.probes[0].hints


def test_graphs_real_no_token_answer_is_the_graph_edge_up(net: LocalInternet) -> None:
    net.web.set_host("graph.facebook.com", Reply(400, {"Content-Type": "application/json"}, GRAPH_NO_TOKEN))
    rnd = run(net)
    assert service(rnd, "graph_api").state is ServiceState.UP
    assert rnd.verdict is Verdict.OK, rnd.summary
