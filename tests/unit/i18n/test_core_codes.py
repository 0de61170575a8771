"""The core speaks in codes: every sentence it makes for the owner is a `Message` (code and
parameters), each template renders in English exactly as the message's text, and a round said in
another language keeps no English fragment outside its verbatim parameters (names, hosts,
Meta's own words, technical evidence)."""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.support import brackets
from tests.unit.diagnosis import test_address_notes, test_internet_and_network, test_meta_outages
from tests.unit.diagnosis.situations import Case
from tests.unit.factories import (
    FakeClock,
    blocked,
    ok,
    rate_limited,
    references,
    round_from,
    server_error,
    services,
    tcp_timeout,
    tcp_unreachable,
)
from traywatch.core.forward import message as forward
from traywatch.core.forward.outbox import OutboxItem
from traywatch.core.metastatus.poller import summarise
from traywatch.core.metastatus.status import OfficialState, OfficialStatus, OrgStatus
from traywatch.core.models import NOT_CHECKED, Alert, AlertKind, Layer, RoundResult, Verdict
from traywatch.core.net.httpfetch import Fetched, FetchError
from traywatch.core.settings.config import CheckSettings
from traywatch.core.signed_in.checker import DISABLED, OFF
from traywatch.core.signed_in.graph import judge_graph, judge_whatsapp
from traywatch.core.signed_in.status import AccountStatus, combine
from traywatch.core.verdict.diagnosis import Diagnosis, diagnose, with_official
from traywatch.core.watch.monitor import Monitor
from traywatch.i18n import Decimal, Duration, Message, Moment, Names, render
from traywatch.i18n.message import Parts, Template, templates
from traywatch.i18n.render import render_in

CORE_PREFIXES = ("verdict.", "service.", "alert.", "official.", "account.", "forward.")
T = datetime(2024, 3, 5, 15, 20, tzinfo=UTC)
CASES: list[Case] = [*test_meta_outages.CASES, *test_internet_and_network.CASES, *test_address_notes.CASES]


def _diagnosis(case: Case) -> Diagnosis:
    return diagnose(case.refs, case.svcs, case.slow_ms, case.os_hint)


def _org(state: OfficialState, text: str, org_id: str = "graph-api", name: str = "Graph API") -> OrgStatus:
    return OrgStatus(org_id, name, state, text, T - timedelta(minutes=15))


def _account_failing() -> AccountStatus:
    graph = judge_graph(Fetched(503, {}, b"", 40.0))
    return combine(graph, None, T)


def rounds() -> Iterator[tuple[str, RoundResult]]:
    """A broad set of rounds: every diagnosis situation, with and without Meta's own word."""
    for case in CASES:
        yield case.name, round_from(_diagnosis(case), T, case.refs)
    d = diagnose(references(), services(), 3000.0, account=_account_failing())
    failing = replace(round_from(d, T), account=d.account)
    yield "march_2024", failing
    for state, text in (
        (OfficialState.MAJOR, "Major"),
        (OfficialState.MINOR, "Minor"),
        (OfficialState.OK, ""),
    ):
        yield f"official_{state}", with_official(failing, summarise((_org(state, text),), T))
    odd = _org(OfficialState.UNKNOWN, "Investigating reports", "mbs", "Meta Business Suite")
    yield "official_elsewhere", with_official(failing, summarise((odd,), T))
    yield (
        "official_unlisted",
        with_official(
            round_from(diagnose(references(), services(instagram=server_error), 3000.0), T),
            summarise((_org(OfficialState.OK, ""),), T),
        ),
    )
    for watched in (services(), services()[:2], services()[:1]):
        limited = {watched[0].id: rate_limited(60)}
        working = round_from(diagnose(references(), services(**limited)[: len(watched)], 3000.0), T)
        major = summarise((_org(OfficialState.MAJOR, "Major"),), T)
        graph_watched = replace(working, services=working.services)
        yield f"disagrees_{len(watched)}", with_official(graph_watched, major)
    yield "unavailable", with_official(failing, OfficialStatus.unavailable(NOT_CHECKED()))
    d = diagnose(references(tcp_unreachable), services(tcp_unreachable), 3000.0, account=_account_failing())
    yield "account_not_judged", replace(round_from(d, T), account=d.account)


def monitor_alerts() -> list[Alert]:
    """Every kind of alert, from a monitor fed diagnosed rounds on a fake clock."""
    clock = FakeClock(T)
    monitor = Monitor(
        CheckSettings(interval_s=60, confirm_delay_s=15, backoff_cap_s=180, jitter=0.0), clock=clock
    )
    alerts: list[Alert] = []

    def run(n: int, refs: object = None, **svcs: object) -> None:
        for _ in range(n):
            skip = monitor.skip_map()
            refs_now = references() if refs is None else refs
            d = diagnose(refs_now, services(**{**svcs, **skip}), 3000.0)  # type: ignore[arg-type]
            alerts.extend(monitor.observe(round_from(d, clock.wall, refs_now)).alerts)  # type: ignore[arg-type]
            clock.advance(60)

    run(3)
    run(3, references(tcp_unreachable), default=tcp_unreachable)  # type: ignore[arg-type]
    run(3)
    run(3, facebook=blocked(), instagram=blocked())  # type: ignore[arg-type]
    run(3)
    run(4, instagram=server_error)  # type: ignore[arg-type]
    run(4, references(tcp_unreachable), default=tcp_unreachable)  # type: ignore[arg-type]
    run(12)
    run(4, default=server_error)  # type: ignore[arg-type]
    run(12)
    return alerts


def owner_texts() -> Iterator[tuple[str, str, Message | str]]:
    """(situation, field, value) for every owner-facing text of the rounds and alerts."""
    for name, rnd in rounds():
        yield name, "summary", rnd.summary
        yield name, "internet", rnd.internet.detail
        for s in rnd.services:
            yield name, f"{s.id}.detail", s.detail
            if s.note:
                yield name, f"{s.id}.note", s.note
        if rnd.official is not None:
            yield name, "official", rnd.official.detail
        if rnd.account is not None:
            yield name, "account", rnd.account.detail
    for alert in monitor_alerts():
        yield alert.kind.value, "title", alert.title
        yield alert.kind.value, "message", alert.message


def walk(value: object) -> Iterator[object]:
    """The value and every parameter nested in it."""
    yield value
    if isinstance(value, Message):
        for param in value.params.values():
            yield from walk(param)
    elif isinstance(value, Parts):
        for part in value:
            yield from walk(part)


def test_every_owner_facing_text_of_the_core_is_a_message_down_to_its_parts() -> None:
    seen: set[str] = set()
    checked = 0
    probe_details = {p.detail for _, rnd in rounds() for s in rnd.services for p in s.probes}
    for where, field, value in owner_texts():
        if field.endswith(".detail") and value in probe_details and not isinstance(value, Message):
            continue  # the test factories' probe evidence is plain text (real probes: see below)
        assert isinstance(value, Message), f"{where} {field}: plain text {value!r}"
        for part in walk(value):
            if isinstance(part, Message):
                seen.add(part.code)
            if isinstance(part, Parts):  # sentences said one after another: each one coded
                coded = all(isinstance(p, Message) or p in probe_details for p in part)
                assert coded, f"{where} {field}: {part!r}"
        checked += 1
    assert checked > 300
    assert {
        "verdict.internet_down",
        "verdict.meta_down_dns",
        "alert.working_again",
        "official.confirms",
    } <= seen


def test_a_message_renders_in_english_exactly_as_its_text_and_survives_json() -> None:
    for where, field, value in owner_texts():
        for part in walk(value):
            if isinstance(part, Message):
                assert render_in(part.code, part.params, "en") == str(part), f"{where} {field}"
                again = Message.from_json(json.loads(json.dumps(part.to_json())), str(part))
                assert again == part and isinstance(again, Message) and again.code == part.code


def _sample(name: str) -> object:
    """A parameter of the kind a placeholder's name says."""
    samples: dict[str, object] = {
        "names": Names(["Facebook", "Instagram"]),
        "duration": Duration(3720),
        "wait": Duration(120),
        "since": Moment(T, T),
        "at": Moment(T, T),
        "first": Moment(T, T),
        "last": Moment(T, T),
        "seconds": Decimal(1.5, 1),
        "ms": Decimal(95, 0),
    }
    return samples.get(name, f"<{name}>")


def _core_templates() -> list[Template]:
    list(rounds()), monitor_alerts(), forward.test_message(T), DISABLED, OFF  # every module loaded
    return [t for t in templates() if t.code.startswith(CORE_PREFIXES)]


def test_every_core_template_renders_in_english_with_its_parameters() -> None:
    found = _core_templates()
    assert len(found) > 120
    for t in found:
        fields = set(re.findall(r"\{(\w+)\}", t.text + (t.plural or "")))
        params = {f: _sample(f) for f in fields}
        if t.count:
            params[t.count] = 2
        english = render_in(t.code, params, "en")  # type: ignore[arg-type]
        assert not re.search(r"\{\w+\}", english), t.code  # every placeholder filled
        assert english == str(Message(t.code, params)), t.code  # type: ignore[arg-type]


class _Shouting(gettext.NullTranslations):
    """A test language: every msgid upper-cased (placeholders kept) and bracketed."""

    @staticmethod
    def _say(text: str) -> str:
        pieces = re.split(r"(\{\w+\})", text)
        return "⟦" + "".join(p if p.startswith("{") else p.upper() for p in pieces) + "⟧"

    def gettext(self, message: str) -> str:
        return self._say(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._say(msgid1 if n == 1 else msgid2)


@pytest.fixture
def shouting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every language speaks `_Shouting`; lists, durations and clock times carry no English."""
    from traywatch.i18n import formats

    brackets.install(monkeypatch, _Shouting())  # English stays English: a message's own text
    monkeypatch.setattr(formats, "list_join", lambda items, lang: " + ".join(items))
    monkeypatch.setattr(formats, "duration", lambda seconds, lang: f"{round(seconds)}")
    monkeypatch.setattr(formats, "clock", lambda moment, lang, now=None: moment.strftime("%H:%M"))


def _english_left(said: str, value: object) -> str:
    for verbatim in sorted(set(brackets.verbatim(value)), key=len, reverse=True):
        said = said.replace(verbatim, "")
    return re.sub(r"[^a-z]+", " ", said).strip()  # what was not upper-cased: English words


def _meta_down_with_meta_status() -> RoundResult:
    refs = references(ok)
    d = diagnose(refs, services(server_error, whatsapp=tcp_timeout, instagram=rate_limited(60)), 3000.0)
    major = OrgStatus("graph-api", "Graph API", OfficialState.MAJOR, "Major", T - timedelta(minutes=5))
    return with_official(round_from(d, T, refs), summarise((major,), T))


@pytest.mark.usefixtures("shouting")
def test_a_round_said_in_another_language_keeps_no_english_outside_its_parameters() -> None:
    rnd = _meta_down_with_meta_status()
    assert rnd.verdict is Verdict.META_DOWN and "Meta confirms" in rnd.summary
    said = render(rnd.summary, "es")
    assert said.startswith("⟦") and _english_left(said, rnd.summary) == "", said
    for text in (rnd.internet.detail, *(s.detail for s in rnd.services), rnd.official.detail):  # type: ignore[union-attr]
        assert _english_left(render(text, "es"), text) == "", render(text, "es")


@pytest.mark.usefixtures("shouting")
def test_every_situation_is_said_without_english_fragments() -> None:
    for where, field, value in owner_texts():
        said = render(value, "es")
        assert _english_left(said, value) == "", f"{where} {field}: {said}"


def test_the_forwarded_alert_is_said_in_the_language_in_use(shouting: None) -> None:
    from traywatch.i18n import set_language

    alert = next(a for a in monitor_alerts() if a.kind is AlertKind.META_RECOVERED)
    item = OutboxItem(1, alert, ("t",), False, 1, None, None, "internet")
    set_language("es")
    try:
        sent = forward.single(item, alert.at + timedelta(minutes=10))
    finally:
        set_language("en")
    assert sent.title.startswith("⟦") and "⟦SENT " in sent.body and "YOUR INTERNET WAS DOWN" in sent.body
    assert _english_left(sent.title, alert.title) == "" and "Working again" not in sent.body


def test_a_blocked_service_is_known_by_its_code_not_its_words() -> None:
    from traywatch.core.verdict.diagnosis import BLOCKED, blocked_by_network

    d = diagnose(references(), services(facebook=blocked()), 3000.0)
    facebook = next(s for s in d.services if s.id == "facebook")
    assert blocked_by_network(facebook) and facebook.detail.code == BLOCKED.code  # type: ignore[attr-defined]
    worded = replace(facebook, detail=str(facebook.detail))
    assert not blocked_by_network(worded)
    assert all(not blocked_by_network(s) for s in d.services if s.id != "facebook")


def test_a_carried_service_keeps_its_steady_detail_as_a_field_beside_the_countdown() -> None:
    clock = FakeClock(T)
    monitor = Monitor(
        CheckSettings(interval_s=60, confirm_delay_s=15, backoff_cap_s=180, jitter=0.0), clock=clock
    )
    for _ in range(6):
        d = diagnose(references(), services(**{"instagram": server_error, **monitor.skip_map()}), 3000.0)  # type: ignore[arg-type]
        monitor.observe(round_from(d, clock.wall))
        clock.advance(16)
    carried = monitor.skip_map()["instagram"]
    assert isinstance(carried.detail, Message) and carried.detail.code == "service.recheck"
    steady = carried.detail.params["detail"]
    assert "next re-check" not in steady and "next re-check in" in carried.detail  # type: ignore[operator]
    d = diagnose(references(), services(instagram=carried), 3000.0)
    assert "next re-check" not in d.summary and str(steady) in d.summary


def test_graph_and_whatsapp_answers_are_said_in_codes() -> None:
    answers = [
        judge_graph(Fetched(200, {}, b'{"id": "1"}', 95.0)),
        judge_graph(Fetched(429, {}, b"", 95.0)),
        judge_graph(Fetched(200, {}, b"[]", 95.0)),
        judge_graph(None, None),
        judge_graph(None, FetchError(Layer.TCP, "connection refused")),
        judge_graph(
            Fetched(400, {}, json.dumps({"error": {"code": 190, "error_subcode": 463}}).encode(), 9.0)
        ),
        judge_graph(Fetched(400, {}, json.dumps({"error": {"code": 200, "message": "Perm"}}).encode(), 9.0)),
        judge_graph(Fetched(400, {}, json.dumps({"error": {"code": 4, "message": "Limit"}}).encode(), 9.0)),
        judge_graph(Fetched(400, {}, json.dumps({"error": {"code": 2, "message": "x"}}).encode(), 9.0)),
        judge_graph(Fetched(400, {}, json.dumps({"error": {"code": 77, "message": "odd"}}).encode(), 9.0)),
    ]
    for graph in answers:
        assert isinstance(graph.detail, Message), graph.detail
        assert graph.action is None or isinstance(graph.action, Message)
    for body in (b'{"health_status": {"can_send_message": "LIMITED"}}', b'{"health_status": {}}', b"{}"):
        health = judge_whatsapp(Fetched(200, {}, body, 9.0))
        assert isinstance(health.detail, Message), health.detail
    both = combine(answers[0], judge_whatsapp(Fetched(200, {}, b"{}", 9.0)), T)
    assert isinstance(both.detail, Message) and isinstance(OFF.detail, Message)
    assert isinstance(DISABLED.detail, Message)


def test_a_forwarded_message_is_plain_text_rendered_at_send_time() -> None:
    sent = forward.test_message(T)
    assert type(sent.title) is str and type(sent.body) is str
    assert (
        sent.body
        == f"Forwarding works: traywatch alerts will reach you here (sent at {T.astimezone():%H:%M})."
    )


def test_a_probe_says_its_evidence_in_codes_with_the_network_s_words_made_safe() -> None:
    import http.client

    from tests.unit.factories import catalogue
    from traywatch.core.net import judge as probe_judge
    from traywatch.core.net import probe_texts
    from traywatch.core.net.judge import ProbeFailure
    from traywatch.core.net.probe import Progress, timeout_result

    target = next(s.targets[0] for s in catalogue().services if s.id == "facebook")
    said = []
    for status in (200, 301, 429, 503, 404):
        try:
            said.append(probe_judge.judge(target, status, http.client.HTTPMessage(), b"", 9.0)[2])
        except ProbeFailure as failure:
            said.append(failure.detail)
    said.append(timeout_result(target, Progress(), 3.0).detail)
    for detail in said:
        assert isinstance(detail, Message) and detail.code.startswith("probe."), detail
        assert render_in(detail.code, detail.params, "en") == str(detail)
    hostile = probe_texts.TLS_FAILED(host="x.example", error="bad\x1b[31m\u202eline\nbreak")
    safe = probe_texts.safe(hostile, 400)
    assert isinstance(safe, Message) and safe.code == hostile.code
    assert safe == "secure connection to x.example failed: bad [31m line break"
