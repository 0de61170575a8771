"""Meta's own word and the signed-in check in a round: evidence beside our measurement. Meta failing
signed-in calls is an outage (March 2024); token problems and official status never change the
verdict; while our own internet is down nothing is blamed on Meta."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.unit.factories import rate_limited, references, server_error, services, tcp_unreachable
from traywatch.core.metastatus.status import OfficialState, OfficialStatus, OrgStatus
from traywatch.core.models import (
    Hint,
    InternetState,
    InternetStatus,
    Layer,
    RoundResult,
    ServiceState,
    Verdict,
)
from traywatch.core.signed_in.status import AccountState, AccountStatus, GraphAnswer
from traywatch.core.verdict.diagnosis import diagnose, with_official

T = datetime(2024, 3, 5, 15, 20, tzinfo=UTC)
SINCE = datetime(2024, 3, 5, 15, 5, tzinfo=UTC)
HM = SINCE.astimezone().strftime("%H:%M")  # sentences use the computer's local time


def account(
    state: AccountState, detail: str, layer: Layer | None = None, status: int | None = None
) -> AccountStatus:
    graph = GraphAnswer(
        state, detail, layer=layer, http_status=status, code=2 if state is AccountState.API_DOWN else None
    )
    return AccountStatus(state, detail, graph=graph, checked_at=T)


FAILING = account(
    AccountState.API_DOWN,
    "Meta's API fails signed-in requests (error 2: service temporarily unavailable)",
    Layer.CONTENT,
    400,
)


def official(*orgs: OrgStatus) -> OfficialStatus:
    from traywatch.core.metastatus.poller import summarise

    return summarise(tuple(orgs), T)


def org(org_id: str, name: str, state: OfficialState, text: str) -> OrgStatus:
    return OrgStatus(org_id, name, state, text, SINCE)


def as_round(diagnosis: object) -> RoundResult:
    d = diagnosis
    return RoundResult(d.verdict, d.summary, d.internet, d.services, (), T, 10.0, account=d.account)  # type: ignore[attr-defined]


def test_meta_failing_signed_in_calls_makes_the_graph_api_down_the_march_2024_pattern() -> None:
    d = diagnose(references(), services(), 3000.0, account=FAILING)
    graph = next(s for s in d.services if s.id == "graph_api")
    assert graph.state is ServiceState.DOWN and graph.failed_layer is Layer.CONTENT
    assert graph.detail.startswith("Meta's API fails signed-in requests (error 2")
    assert "its public answers are normal" in graph.detail
    assert any(p.has(Hint.AUTH_FAILING) for p in graph.probes)
    assert d.verdict is Verdict.META_PARTIAL
    assert "Graph API is down" in d.summary
    assert "Logins fail while the pages load — the same pattern as the March 2024 outage." in d.summary
    assert d.account is FAILING
    assert all(s.state is ServiceState.UP for s in d.services if s.id != "graph_api")


def test_a_token_problem_is_not_an_outage() -> None:
    expired = account(AccountState.TOKEN_INVALID, "Meta no longer accepts the access token: it has expired")
    d = diagnose(references(), services(), 3000.0, account=expired)
    assert d.verdict is Verdict.OK
    assert all(s.state is ServiceState.UP for s in d.services)
    assert d.account is expired


def test_while_our_internet_is_down_the_signed_in_failure_is_not_judged() -> None:
    d = diagnose(references(tcp_unreachable), services(tcp_unreachable), 3000.0, account=FAILING)
    assert d.verdict is Verdict.INTERNET_DOWN
    assert all(s.state is ServiceState.UNKNOWN for s in d.services)
    assert d.account is not None and d.account.state is AccountState.UNKNOWN
    assert d.account.detail == "not judged: your internet is down"


def test_a_graph_api_carried_while_backing_off_is_left_as_it_was() -> None:
    carried = diagnose(references(), services(graph_api=server_error), 3000.0).services[-1]
    d = diagnose(references(), services(graph_api=carried), 3000.0, account=FAILING)
    assert d.services[-1] is carried


def test_official_status_adds_meta_s_word_to_a_trouble_summary_but_never_changes_the_verdict() -> None:
    rnd = as_round(diagnose(references(), services(), 3000.0, account=FAILING))
    major = official(org("graph-api", "Graph API", OfficialState.MAJOR, "Major disruptions"))
    confirmed = with_official(rnd, major)
    assert confirmed.verdict is rnd.verdict and confirmed.services == rnd.services
    assert confirmed.summary.startswith(rnd.summary)
    assert confirmed.summary.endswith(f"Meta confirms: major disruption for Graph API since {HM}.")

    quiet = with_official(rnd, official(org("graph-api", "Graph API", OfficialState.OK, "No known issues")))
    assert quiet.summary.endswith(" Meta has not acknowledged this yet.")

    unreadable = with_official(
        rnd, OfficialStatus.unavailable("status feed unreadable: orgs.json is a string")
    )
    assert unreadable.summary == rnd.summary


def test_consumer_apps_are_not_on_meta_status_and_the_summary_says_so() -> None:
    rnd = as_round(diagnose(references(), services(instagram=server_error), 3000.0))
    quiet = with_official(rnd, official(org("graph-api", "Graph API", OfficialState.OK, "No known issues")))
    assert quiet.summary.endswith(
        "Meta has not acknowledged this yet (its status page lists only its business tools)."
    )
    data = quiet.to_json()
    states = {s["id"]: s["official_state"] for s in data["services"]}
    assert states == {
        "facebook": None,
        "instagram": None,
        "whatsapp": None,
        "messenger": None,
        "threads": None,
        "ads_manager": "unknown",  # its organisations are not in this (partial) feed
        "graph_api": "ok",
    }
    assert data["official"]["not_covered"] == ["facebook", "instagram", "whatsapp", "messenger", "threads"]
    elsewhere = with_official(
        rnd, official(org("fbs", "Meta Business Suite", OfficialState.MINOR, "Low disruptions"))
    )
    assert elsewhere.summary.endswith(
        f"Meta Status shows: minor disruption for Meta Business Suite since {HM}."
    )


def test_meta_s_trouble_while_we_see_none_keeps_the_verdict_and_the_summary_says_both() -> None:
    rnd = as_round(diagnose(references(), services(), 3000.0))
    for state, text, words in (
        (OfficialState.MAJOR, "Major outage", "a major disruption"),
        (OfficialState.MINOR, "Low disruptions", "a minor disruption"),
        (OfficialState.UNKNOWN, "Investigating", '"Investigating"'),  # Meta's words: no article
    ):
        shown = with_official(rnd, official(org("graph-api", "Graph API", state, text)))
        assert shown.verdict is Verdict.OK and shown.services == rnd.services
        assert shown.summary == (
            "Your internet and all 7 Meta services are working from here, but Meta Status reports "
            f"{words} for Graph API since {HM}."
        )
        assert shown.to_json()["official"]["state"] == state.value


def test_meta_s_trouble_beside_a_note_about_this_address_reads_in_order() -> None:
    rnd = as_round(diagnose(references(), services(instagram=rate_limited(60)), 3000.0))
    shown = with_official(
        rnd, official(org("graph-api", "Graph API", OfficialState.MINOR, "Low disruptions"))
    )
    assert shown.verdict is Verdict.OK
    assert shown.summary == (
        "Your internet and all 7 Meta services are working from here, but Meta Status reports "
        f"a minor disruption for Graph API since {HM}. Instagram is limiting requests from your "
        "address (HTTP 429) — not an outage."
    )


def test_meta_s_trouble_with_none_of_our_services_leaves_an_all_working_summary_alone() -> None:
    rnd = as_round(diagnose(references(), services(), 3000.0))
    for status in (
        official(org("fb-ig-shops", "Shops", OfficialState.MAJOR, "Major outage")),  # covers none of ours
        official(org("graph-api", "Graph API", OfficialState.OK, "No known issues")),
        OfficialStatus.unavailable("Meta Status did not answer"),
    ):
        assert with_official(rnd, status).summary == rnd.summary


def test_an_unknown_official_status_is_quoted_verbatim() -> None:
    rnd = as_round(diagnose(references(), services(ads_manager=server_error), 3000.0))
    odd = official(org("fbs", "Meta Business Suite", OfficialState.UNKNOWN, "Investigating reports"))
    assert with_official(rnd, odd).summary.endswith(
        f'Meta confirms: "Investigating reports" for Meta Business Suite since {HM}.'
    )


def test_the_round_json_keeps_its_keys_and_gains_official_and_account_without_secrets() -> None:
    rnd = as_round(diagnose(references(), services(), 3000.0, account=FAILING))
    data = json.loads(
        json.dumps(
            with_official(
                rnd, official(org("graph-api", "Graph API", OfficialState.OK, "No known issues"))
            ).to_json()
        )
    )
    assert set(data) == {
        "verdict",
        "summary",
        "internet",
        "services",
        "checked_at",
        "duration_ms",
        "official",
        "account",
    }
    assert data["official"]["state"] == "ok" and data["official"]["checked_at"] == "2024-03-05T15:20:00Z"
    assert data["official"]["orgs"][0] == {
        "id": "graph-api",
        "name": "Graph API",
        "state": "ok",
        "status": "No known issues",
        "since": "2024-03-05T15:05:00Z",
        "services": ["graph_api"],
        "detail": "",
    }
    assert data["account"]["state"] == "api_down"
    assert (
        data["account"]["graph"]["failed_layer"] == "content" and data["account"]["graph"]["error_code"] == 2
    )
    bare = RoundResult(Verdict.OK, "x", InternetStatus(InternetState.UP, "x"), (), (), T, 1.0).to_json()
    assert bare["official"]["state"] == "unavailable" and bare["account"]["state"] == "off"
