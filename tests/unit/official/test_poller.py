"""The Meta Status poller: conditional requests (304 keeps the data), its own cadence, backoff with
Retry-After on failures, and every failure a clear `unavailable` state instead of an exception."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from traywatch.core.metastatus.poller import MAX_BACKOFF_S, MAX_STALE_S, OfficialStatusPoller
from traywatch.core.metastatus.status import OfficialState, OfficialStatus
from traywatch.core.models import Layer
from traywatch.core.net.httpfetch import Fetched, FetchError
from traywatch.core.settings.config import Config, OfficialSettings
from traywatch.core.watch.engine import Engine

BASE = "https://status.test"
NOW = datetime(2024, 3, 5, 15, 20, tzinfo=UTC)
Answer = Fetched | Exception | Callable[[dict[str, str]], Fetched]


def ok_json(data: object, **headers: str) -> Fetched:
    return Fetched(
        200, {k.lower().replace("_", "-"): v for k, v in headers.items()}, json.dumps(data).encode()
    )


def orgs(graph: str = "No known issues", fbs: str = "No known issues") -> list[dict[str, Any]]:
    return [
        {"id": "graph-api", "name": "Graph API", "services": [{"name": "Graph API", "status": graph}]},
        {"id": "fbs", "name": "Meta Business Suite", "services": [{"name": "Suite", "status": fbs}]},
        {
            "id": "workplace",
            "name": "Workplace",
            "services": [{"name": "Workplace", "status": "Major outage"}],
        },
    ]


class ScriptedClient:
    """Answers per path, in order (the last one repeats); records every request's headers."""

    def __init__(self, script: dict[str, list[Answer]]) -> None:
        self.script = script
        self.calls: list[tuple[str, dict[str, str]]] = []

    def get(self, url: str, headers: dict[str, str] | None = None, **_: object) -> Fetched:
        path = url.removeprefix(BASE)
        self.calls.append((path, dict(headers or {})))
        answers = self.script[path]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(dict(headers or {})) if callable(answer) else answer

    def close(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def make(
    script: dict[str, list[Answer]], interval: float = 300.0
) -> tuple[OfficialStatusPoller, ScriptedClient, Clock]:
    client, clock = ScriptedClient(script), Clock()
    poller = OfficialStatusPoller(
        OfficialSettings(True, interval, BASE),
        client,  # type: ignore[arg-type]
        clock=clock,
        now=lambda: NOW,
        rng=random.Random(3),
    )
    return poller, client, clock


def test_before_the_first_poll_the_state_is_unavailable_and_a_poll_is_due() -> None:
    poller, client, _ = make({})
    assert poller.current().state is OfficialState.UNAVAILABLE
    assert poller.current().checked_at is None
    assert poller.due() and client.calls == []


def test_a_healthy_feed_is_ok_and_only_troubled_watched_orgs_have_their_outages_read() -> None:
    poller, client, _ = make(
        {"/data/orgs.json": [ok_json(orgs())], "/data/outages/workplace.json": [ok_json([])]}
    )
    status = poller.poll()
    assert status.state is OfficialState.OK  # Workplace is down, but it is not a tool we watch
    assert status.detail == "Meta Status: no known issues with Meta's business tools"
    assert status.checked_at == NOW
    assert [path for path, _ in client.calls] == ["/data/orgs.json", "/data/outages/workplace.json"]


def test_a_major_disruption_is_confirmed_with_meta_s_time() -> None:
    outage = [{"status": "Major disruptions", "time": "2024-03-05T15:05:00Z", "posts": []}]
    poller, _, _ = make(
        {
            "/data/orgs.json": [ok_json(orgs(graph="Major disruptions"))],
            "/data/outages/graph-api.json": [ok_json(outage)],
            "/data/outages/workplace.json": [ok_json([])],
        }
    )
    status = poller.poll()
    assert status.state is OfficialState.MAJOR
    assert status.detail.startswith("Meta confirms: major disruption for Graph API since ")
    assert status.service_state("graph_api") is OfficialState.MAJOR
    assert status.service_state("ads_manager") is OfficialState.OK
    assert status.service_state("instagram") is None  # not covered by Meta Status


def test_conditional_requests_and_304_keeps_the_previous_data() -> None:
    def not_modified(headers: dict[str, str]) -> Fetched:
        assert headers == {"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 05 Mar 2024 15:00:00 GMT"}
        return Fetched(304, {}, b"")

    first = ok_json(orgs(fbs="Low disruptions"), ETag='"v1"', Last_Modified="Tue, 05 Mar 2024 15:00:00 GMT")
    poller, client, clock = make(
        {
            "/data/orgs.json": [first, not_modified],
            "/data/outages/fbs.json": [ok_json([])],
            "/data/outages/workplace.json": [ok_json([])],
        }
    )
    assert poller.poll().state is OfficialState.MINOR
    assert not poller.due()
    clock.t += 330  # one interval (with jitter) later
    assert poller.due()
    again = poller.poll()
    assert again.state is OfficialState.MINOR and again.org("fbs") is not None
    assert client.calls[0][1] == {}  # nothing to compare with the first time


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        (
            FetchError(Layer.DNS, "metastatus.com not found (NXDOMAIN)"),
            "Meta Status did not answer: metastatus.com not found",
        ),
        (
            FetchError(Layer.HTTP, "status.test did not answer within 8 s", timeout=True),
            "did not answer within 8 s",
        ),
        (FetchError(Layer.CONTENT, "status.test sent an answer bigger than 2048 KB"), "bigger than 2048 KB"),
        (Fetched(500, {}, b"oops"), "Meta Status answered HTTP 500 for orgs.json"),
        (
            Fetched(200, {}, b"<!DOCTYPE html><title>Meta Status</title>"),
            "status feed unreadable: orgs.json is not valid JSON",
        ),
        (
            ok_json({"orgs": orgs()}),
            "status feed unreadable: orgs.json is not a list of organisations (JSON type: object)",
        ),
        (
            ok_json([{"name": "no id"}, "x"]),
            "status feed unreadable: orgs.json lists no readable organisation (2 entries)",
        ),
        (RuntimeError("a bug"), "Meta Status could not be read (RuntimeError)"),
    ],
)
def test_every_failure_is_a_clear_unavailable_state(answer: Answer, detail: str) -> None:
    poller, _, _ = make({"/data/orgs.json": [answer]})
    status = poller.poll()
    assert status.state is OfficialState.UNAVAILABLE
    assert detail in status.detail
    assert poller.current() == status
    assert status.service_state("graph_api") is OfficialState.UNAVAILABLE
    assert status.troubled() == ()


def test_failures_back_off_exponentially_up_to_an_hour_and_success_resets() -> None:
    failing: list[Answer] = [FetchError(Layer.TCP, "refused")] * 8 + [ok_json(orgs())]
    poller, _, clock = make(
        {"/data/orgs.json": failing, "/data/outages/workplace.json": [ok_json([])]}, interval=300
    )
    waits = []
    for _ in range(9):
        start = clock.t
        poller.poll()
        while not poller.due():
            clock.t += 10
        waits.append(clock.t - start)
    assert waits[0] == pytest.approx(300, rel=0.12)
    assert waits[1] == pytest.approx(600, rel=0.12)
    assert waits[2] == pytest.approx(1200, rel=0.12)
    assert max(waits) <= MAX_BACKOFF_S * 1.1 + 10
    assert waits[-1] == pytest.approx(300, rel=0.12)  # the success: back to the normal pace


def test_retry_after_is_respected() -> None:
    poller, _, clock = make({"/data/orgs.json": [Fetched(429, {"retry-after": "1800"}, b"")]})
    status = poller.poll()
    assert status.detail == "Meta Status asks us to slow down (HTTP 429)"
    clock.t += 1700
    assert not poller.due()
    clock.t += 110
    assert poller.due()


def test_an_unreadable_outage_feed_keeps_the_org_s_own_status_line() -> None:
    poller, _, _ = make(
        {
            "/data/orgs.json": [ok_json(orgs(graph="High disruption"))],
            "/data/outages/graph-api.json": [ok_json("nope")],
            "/data/outages/workplace.json": [Fetched(404, {}, b"")],
        }
    )
    status = poller.poll()
    assert status.state is OfficialState.MAJOR
    graph = status.org("graph-api")
    assert graph is not None and graph.text == "High disruption" and graph.detail == ""


def test_a_feed_without_the_watched_tools_is_unknown() -> None:
    feed = [{"id": "workplace", "services": [{"status": "No known issues"}]}]
    poller, _, _ = make({"/data/orgs.json": [ok_json(feed)]})
    status = poller.poll()
    assert status.state is OfficialState.UNKNOWN
    assert status.detail == "Meta Status lists none of the business tools traywatch watches"


def test_background_polls_start_only_when_due_and_never_twice_at_once() -> None:
    poller, client, _ = make(
        {"/data/orgs.json": [ok_json(orgs())], "/data/outages/workplace.json": [ok_json([])]}
    )
    assert poller.poll_in_background()
    poller.wait(5)
    assert poller.current().state is OfficialState.OK
    assert not poller.poll_in_background()  # not due again yet
    assert len([c for c in client.calls if c[0] == "/data/orgs.json"]) == 1


def test_a_failed_read_keeps_the_last_good_one_for_half_an_hour() -> None:
    refused = FetchError(Layer.TCP, "status.test refused the connection")
    poller, _, clock = make(
        {
            "/data/orgs.json": [ok_json(orgs(graph="Major disruptions")), refused],
            "/data/outages/graph-api.json": [ok_json([])],
            "/data/outages/workplace.json": [ok_json([])],
        }
    )
    good = poller.poll()
    assert good.state is OfficialState.MAJOR and good.checked_at == NOW
    clock.t += 300
    kept = poller.poll()
    assert kept.state is OfficialState.MAJOR and kept.checked_at == NOW  # as read then
    assert kept.orgs == good.orgs and kept.service_state("graph_api") is OfficialState.MAJOR
    assert "the newest failed: Meta Status did not answer: status.test refused" in kept.detail
    assert poller.current() == kept
    clock.t += MAX_STALE_S  # half an hour after the good reading, it is too old to stand in
    gone = poller.poll()
    assert gone.state is OfficialState.UNAVAILABLE and "refused" in gone.detail
    assert gone.service_state("graph_api") is OfficialState.UNAVAILABLE


def test_inside_an_engine_polls_run_on_the_engine_s_probe_pool_not_a_thread_each() -> None:
    poller, _, _ = make({"/data/orgs.json": [ok_json(orgs())], "/data/outages/workplace.json": [ok_json([])]})
    seen: list[str] = []
    real_poll = poller.poll

    def poll() -> OfficialStatus:
        seen.append(threading.current_thread().name)
        return real_poll()

    poller.poll = poll  # type: ignore[method-assign]
    with Engine(Config(), official=poller, account=None, proxy_for=lambda _url: None) as engine:
        assert poller.pool is engine._pool
        assert poller.poll_in_background()
        poller.wait(5)
    assert poller.current().state is OfficialState.OK
    assert seen and seen[0].startswith("traywatch-probe"), seen
