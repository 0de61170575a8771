"""A local fake graph.facebook.com over TLS: valid, expired and revoked tokens, Meta's API failing
(5xx, error 2, silence), the WhatsApp number's health; then a whole round in the local internet
where logins fail while pages load (March 2024), with Meta Status beside it; and `check --json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import LocalInternet
from tests.integration.official.conftest import RecordingServer, settings
from tests.support.certs import CertBundle
from tests.support.fake_web import FakeWebServer, Reply
from tests.unit.official.keyrings import MEMORY, MemoryKeyring
from traywatch.cli import main
from traywatch.core.metastatus.poller import OfficialStatusPoller
from traywatch.core.models import Layer, ServiceState, Verdict
from traywatch.core.signed_in.checker import AccountChecker
from traywatch.core.signed_in.credentials import (
    GRAPH_TOKEN,
    SECURE_BACKENDS,
    WHATSAPP_PHONE_ID,
    CredentialStore,
)
from traywatch.core.signed_in.status import AccountState
from traywatch.core.watch.engine import Engine

TOKEN = "EAAGm0PX4ZCpsBAKvalidTOKENforTESTS1234567890x9Q2"
PHONE = "106540352242922"


def graph_error(
    code: int, subcode: int | None = None, status: int = 400
) -> tuple[int, dict[str, str], bytes]:
    err: dict[str, object] = {"message": "msg", "type": "OAuthException", "code": code, "fbtrace_id": "AbC"}
    if subcode:
        err["error_subcode"] = subcode
    return status, {"Content-Type": "application/json"}, json.dumps({"error": err}).encode()


ME_OK = (200, {"Content-Type": "application/json"}, b'{"id": "10231234567"}')
ANSWERS = {
    "valid": ME_OK,
    "expired": graph_error(190, 463),
    "password_changed": graph_error(190, 460),
    "revoked": graph_error(190, 458),
    "logged_out": graph_error(190, 467),
    "rate_limited": graph_error(4),
    "error_2": graph_error(2, status=503),
    "5xx": (502, {"Content-Type": "text/html"}, b"<html>502 Bad Gateway</html>"),
}


@pytest.fixture
def store(tmp_path: Path) -> CredentialStore:
    ring = MemoryKeyring()
    store = CredentialStore(
        tmp_path / "account.json", backend=ring, secure_backends={**SECURE_BACKENDS, MEMORY: "mem"}
    )
    store.set(GRAPH_TOKEN, TOKEN)
    return store


@pytest.fixture
def graph(certs: CertBundle) -> Iterator[RecordingServer]:
    state = {"me": ME_OK}

    def answer(path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if path.startswith(f"/v21.0/{PHONE}"):
            body = {"health_status": {"can_send_message": "LIMITED", "entities": [
                {"entity_type": "PHONE_NUMBER", "id": PHONE, "can_send_message": "LIMITED",
                 "errors": [{"error_code": 141006, "error_description": "Payment method issue",
                             "possible_solution": "Add a valid payment method"}]}]}}  # fmt: skip
            return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()
        return state["me"]

    with RecordingServer(certs, answer) as server:
        server.state = state  # type: ignore[attr-defined]
        yield server


def checker(certs: CertBundle, url: str, store: CredentialStore, timeout: float = 3.0) -> AccountChecker:
    made = AccountChecker.from_config(settings(certs, graph_url=url, timeout=timeout), credentials=store)
    assert made is not None
    return made


@pytest.mark.parametrize(
    ("case", "state", "words"),
    [
        ("valid", AccountState.OK, "signed-in requests work"),
        ("expired", AccountState.TOKEN_INVALID, "it has expired (error 190/463)"),
        ("password_changed", AccountState.TOKEN_INVALID, "password changed"),
        ("revoked", AccountState.TOKEN_INVALID, "the app was removed"),
        ("logged_out", AccountState.TOKEN_INVALID, "revoked or the user logged out"),
        ("rate_limited", AccountState.LIMITED, "limits this account's requests"),
        ("error_2", AccountState.API_DOWN, "service temporarily unavailable"),
        ("5xx", AccountState.API_DOWN, "server error (HTTP 502)"),
    ],
)
def test_the_signed_in_call_over_tls(
    certs: CertBundle,
    graph: RecordingServer,
    store: CredentialStore,
    case: str,
    state: AccountState,
    words: str,
) -> None:
    graph.state["me"] = ANSWERS[case]  # type: ignore[attr-defined]
    check = checker(certs, graph.url, store)
    status = check.check(3.0)
    check.close()
    assert status.state is state and words in status.detail
    (seen,) = graph.seen
    assert seen.path == "/v21.0/me?fields=id"
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in json.dumps(status.to_json())
    if state is AccountState.TOKEN_INVALID:
        assert status.action and "traywatch account set-token" in status.action


def test_the_whatsapp_number_s_health(
    certs: CertBundle, graph: RecordingServer, store: CredentialStore
) -> None:
    store.set(WHATSAPP_PHONE_ID, PHONE)
    check = checker(certs, graph.url, store)
    status = check.check(3.0)
    check.close()
    assert [s.path for s in graph.seen] == ["/v21.0/me?fields=id", f"/v21.0/{PHONE}?fields=health_status"]
    assert status.state is AccountState.LIMITED
    assert status.whatsapp is not None and status.whatsapp.errors == (
        "phone number: Payment method issue — Add a valid payment method",
    )


def test_a_silent_graph_api_is_meta_failing_within_the_budget(
    web: FakeWebServer, certs: CertBundle, store: CredentialStore
) -> None:
    web.set_routes({"localhost": {"*": "hang"}})
    check = checker(certs, f"https://localhost:{web.https_port}", store, timeout=1.0)
    status = check.check(1.0)
    check.close()
    assert status.state is AccountState.API_DOWN
    assert status.graph is not None and status.graph.layer is Layer.HTTP
    assert "did not answer within 1 s" in status.detail


def test_a_round_where_logins_fail_while_pages_load(
    net: LocalInternet, certs: CertBundle, graph: RecordingServer, store: CredentialStore, web: FakeWebServer
) -> None:
    graph.state["me"] = ANSWERS["error_2"]  # type: ignore[attr-defined]
    orgs = [
        {
            "id": "facebook-login",
            "name": "Facebook Login",
            "services": [{"name": "Login", "status": "Major disruptions"}],
        }
    ]
    web.set_routes(
        {"localhost": {"/data/orgs.json": Reply(200, {}, json.dumps(orgs)), "*": Reply(200, {}, "[]")}}
    )
    config = net.config()
    official_settings = settings(certs, official_url=f"https://localhost:{web.https_port}")
    poller = OfficialStatusPoller.from_config(official_settings)
    with Engine(config, official=poller, account=checker(certs, graph.url, store)) as engine:
        first = engine.with_fresh_official(engine.run_round())
    graph_api = first.service("graph_api")
    assert graph_api is not None and graph_api.state is ServiceState.DOWN
    assert graph_api.failed_layer is Layer.HTTP
    assert first.verdict is Verdict.META_PARTIAL
    assert all(s.state is ServiceState.UP for s in first.services if s.id != "graph_api")
    assert "the same pattern as the March 2024 outage" in first.summary
    assert first.summary.endswith("Meta confirms: major disruption for Facebook Login.")
    data = first.to_json()
    assert data["account"]["state"] == "api_down"
    assert {s["id"]: s["official_state"] for s in data["services"]}["graph_api"] == "major"
    assert TOKEN not in json.dumps(data)


def test_the_signed_in_call_keeps_its_interval_until_meta_is_in_trouble(
    net: LocalInternet, certs: CertBundle, graph: RecordingServer, store: CredentialStore
) -> None:
    with Engine(net.config(), account=checker(certs, graph.url, store)) as engine:
        for _ in range(3):  # healthy rounds: one signed-in call, then its answer carried
            rnd = engine.run_round()
            assert rnd.verdict is Verdict.OK and rnd.account is not None
            assert rnd.account.state is AccountState.OK
        assert len(graph.seen) == 1
        net.web.set_route("www.facebook.com", "*", Reply(503, {}, "<title>Service Unavailable</title>"))
        net.web.set_route("www.facebook.com", "/", Reply(503, {}, "<title>Service Unavailable</title>"))
        troubled = engine.run_round()  # the round that finds Facebook failing
        assert troubled.service("facebook").state is not ServiceState.UP  # type: ignore[union-attr]
        engine.run_round()
        engine.run_round()
    assert len(graph.seen) == 3  # every round after trouble was seen


def test_check_json_shows_meta_status_beside_our_measurement(
    net: LocalInternet, traywatch_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orgs = [
        {
            "id": "graph-api",
            "name": "Graph API",
            "services": [{"name": "Graph API", "status": "Low disruptions"}],
        }
    ]
    net.web.set_route("127.0.0.1", "/data/orgs.json", Reply(200, {}, json.dumps(orgs)))
    net.web.set_route("127.0.0.1", "/data/outages/graph-api.json", Reply(200, {}, "[]"))
    catalogue = net.workdir / "cli-catalogue.toml"
    catalogue.write_text(net.catalogue_text(), "utf-8")
    config = traywatch_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f"""
[check]
timeout = 3
[catalogue]
file = "{catalogue}"
[network]
nameservers = ["{net.dns.nameserver}"]
ca_file = "{net.certs.ca_file}"
allow_local_addresses = true
[official]
base_url = "https://127.0.0.1:{net.web.https_port}"
""",
        "utf-8",
    )
    code = main(["check", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["verdict"] == "ok"
    assert data["summary"] == (  # our measurement, and Meta's word beside it
        "Your internet and all 7 Meta services are working from here, but Meta Status reports "
        "a minor disruption for Graph API."
    )
    assert data["official"]["state"] == "minor", data["official"]
    assert data["official"]["detail"] == "Meta confirms: minor disruption for Graph API"
    assert data["official"]["not_covered"] == ["facebook", "instagram", "whatsapp", "messenger", "threads"]
    states = {s["id"]: s["official_state"] for s in data["services"]}
    assert states["graph_api"] == "minor" and states["instagram"] is None
    assert data["account"]["state"] == "off"


@pytest.mark.parametrize(("case", "code", "state"), [("valid", 0, "ok"), ("expired", 1, "token_invalid")])
def test_account_test_command_tries_the_stored_token(
    certs: CertBundle,
    graph: RecordingServer,
    store: CredentialStore,
    traywatch_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
    code: int,
    state: str,
) -> None:
    import traywatch.commands.account as account_command

    monkeypatch.setattr(account_command, "_store", lambda: store)
    graph.state["me"] = ANSWERS[case]  # type: ignore[attr-defined]
    config = traywatch_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[network]\nca_file = "{certs.ca_file}"\n[account]\ngraph_base_url = "{graph.url}"\n')
    assert main(["account", "test", "--json"]) == code
    data = json.loads(capsys.readouterr().out)
    assert data["state"] == state and TOKEN not in json.dumps(data)
    assert main(["account", "status"]) == 0
    out = capsys.readouterr().out
    assert "Graph API token: EAAG…x9Q2" in out and TOKEN not in out
