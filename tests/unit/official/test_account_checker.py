"""The signed-in check: nothing without a token, the token only in the Authorization header, the
WhatsApp number read when an id is stored, and a locked keyring not asked every round."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.official.keyrings import MEMORY, MemoryKeyring, UntouchableKeyring
from traywatch.core.net.httpfetch import Fetched
from traywatch.core.settings.config import AccountSettings
from traywatch.core.signed_in.checker import KEYRING_RETRY_S, AccountChecker
from traywatch.core.signed_in.credentials import (
    GRAPH_TOKEN,
    SECURE_BACKENDS,
    WHATSAPP_PHONE_ID,
    CredentialStore,
)
from traywatch.core.signed_in.status import AccountState

TOKEN = "EAABwzLixnjYBO7ZCZA1x2y3z4SECRETsecretSECRET0x9Q2"
BASE = "https://graph.test"


class RecordingClient:
    def __init__(self, answers: dict[str, Fetched]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, dict[str, str]]] = []

    def get(self, url: str, headers: dict[str, str] | None = None, **_: object) -> Fetched:
        self.calls.append((url, dict(headers or {})))
        return self.answers[url.split("?")[0].removeprefix(BASE)]

    def close(self) -> None:
        pass


class Clock:
    t = 100.0

    def __call__(self) -> float:
        return self.t


def checker(
    tmp_path: Path, ring: MemoryKeyring, answers: dict[str, Fetched]
) -> tuple[AccountChecker, RecordingClient, Clock]:
    store = CredentialStore(
        tmp_path / "account.json", backend=ring, secure_backends={**SECURE_BACKENDS, MEMORY: "mem"}
    )
    client, clock = RecordingClient(answers), Clock()
    settings = AccountSettings(True, BASE, "v21.0")
    return AccountChecker(settings, client, store, clock=clock), client, clock  # type: ignore[arg-type]


def me_ok() -> Fetched:
    return Fetched(200, {}, b'{"id": "123"}', 80.0)


def test_without_a_token_nothing_is_called_and_the_keyring_is_untouched(tmp_path: Path) -> None:
    check, client, _ = checker(tmp_path, UntouchableKeyring(), {})
    status = check.check(5.0)
    assert status.state is AccountState.OFF and "set-token" in status.detail
    assert client.calls == [] and not check.configured


def test_the_token_travels_only_in_the_authorization_header(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    check, client, _ = checker(tmp_path, ring, {"/v21.0/me": me_ok()})
    check.credentials.set(GRAPH_TOKEN, TOKEN)
    status = check.check(5.0)
    assert status.state is AccountState.OK
    ((url, headers),) = client.calls
    assert url == f"{BASE}/v21.0/me?fields=id"
    assert headers == {"Authorization": f"Bearer {TOKEN}"}
    assert TOKEN not in json.dumps(status.to_json())


def test_the_whatsapp_number_is_read_when_an_id_is_stored(tmp_path: Path) -> None:
    body = {"health_status": {"can_send_message": "BLOCKED", "entities": []}}
    check, client, _ = checker(
        tmp_path,
        MemoryKeyring(),
        {"/v21.0/me": me_ok(), "/v21.0/106540352242922": Fetched(200, {}, json.dumps(body).encode())},
    )
    check.credentials.set(GRAPH_TOKEN, TOKEN)
    check.credentials.set(WHATSAPP_PHONE_ID, "106540352242922")
    status = check.check(5.0)
    assert client.calls[1][0] == f"{BASE}/v21.0/106540352242922?fields=health_status"
    assert status.state is AccountState.LIMITED
    assert status.whatsapp is not None and status.whatsapp.status == "BLOCKED"
    assert status.detail == "signed-in requests work (80 ms); WhatsApp number: is blocked from sending"
    assert status.action and "WhatsApp Manager" in status.action
    data = status.to_json()
    assert data["whatsapp"]["status"] == "BLOCKED" and "106540352242922" not in json.dumps(data)


def test_an_expired_token_says_what_to_do_and_skips_the_whatsapp_read(tmp_path: Path) -> None:
    expired = {
        "error": {"message": "Session has expired", "code": 190, "error_subcode": 463, "fbtrace_id": "x"}
    }
    check, client, _ = checker(
        tmp_path, MemoryKeyring(), {"/v21.0/me": Fetched(400, {}, json.dumps(expired).encode())}
    )
    check.credentials.set(GRAPH_TOKEN, TOKEN)
    check.credentials.set(WHATSAPP_PHONE_ID, "106540352242922")
    status = check.check(5.0)
    assert status.state is AccountState.TOKEN_INVALID
    assert "it has expired" in status.detail and "Generate new token" in (status.action or "")
    assert len(client.calls) == 1


def test_a_locked_keyring_is_reported_and_not_asked_again_every_round(tmp_path: Path) -> None:
    ring = MemoryKeyring()
    check, client, clock = checker(tmp_path, ring, {"/v21.0/me": me_ok()})
    check.credentials.set(GRAPH_TOKEN, TOKEN)
    ring.locked = True
    check.credentials._cache.clear()  # as after a restart: the value must come from the keyring
    status = check.check(5.0)
    assert status.state is AccountState.UNAVAILABLE and "is locked" in status.detail
    reads = ring.reads
    clock.t += KEYRING_RETRY_S / 2
    assert check.check(5.0) is status and ring.reads == reads
    ring.locked = False
    clock.t += KEYRING_RETRY_S
    assert check.check(5.0).state is AccountState.OK
    assert client.calls


def me_answer(status: int, body: bytes) -> Fetched:
    return Fetched(status, {}, body, 80.0)


def test_while_all_is_well_one_call_per_interval_and_the_answer_is_carried(tmp_path: Path) -> None:
    check, client, clock = checker(tmp_path, MemoryKeyring(), {"/v21.0/me": me_ok()})
    check.credentials.set(GRAPH_TOKEN, TOKEN)
    first = check.check(5.0, urgent=False)
    assert first.state is AccountState.OK and len(client.calls) == 1
    for _ in range(4):  # rounds a minute apart inside the 5-minute interval
        clock.t += 60
        assert check.check(5.0, urgent=False) is first
    assert len(client.calls) == 1
    clock.t += 60  # 300 s since the call
    assert check.check(5.0, urgent=False).state is AccountState.OK
    assert len(client.calls) == 2


def test_trouble_or_a_failing_api_means_a_call_every_round(tmp_path: Path) -> None:
    answers = {"/v21.0/me": me_ok()}
    check, client, clock = checker(tmp_path, MemoryKeyring(), answers)
    check.credentials.set(GRAPH_TOKEN, TOKEN)
    check.check(5.0, urgent=False)
    clock.t += 60
    check.check(5.0, urgent=True)  # a Meta service is failing: no carrying
    assert len(client.calls) == 2
    answers["/v21.0/me"] = me_answer(500, b'{"error": {"message": "An unknown error occurred", "code": 1}}')
    clock.t += 60
    assert check.check(5.0, urgent=True).state is AccountState.API_DOWN
    clock.t += 60
    check.check(5.0, urgent=False)  # the API failed last time: asked again although not urgent
    assert len(client.calls) == 4


def test_a_new_token_is_checked_at_once(tmp_path: Path) -> None:
    answers = {"/v21.0/me": me_answer(401, b'{"error": {"message": "Session has expired", "code": 190}}')}
    check, client, clock = checker(tmp_path, MemoryKeyring(), answers)
    check.credentials.set(GRAPH_TOKEN, TOKEN)
    assert check.check(5.0, urgent=False).state is AccountState.TOKEN_INVALID
    clock.t += 30
    assert check.check(5.0, urgent=False).state is AccountState.TOKEN_INVALID
    assert len(client.calls) == 1  # the owner must act: not asked again every round
    answers["/v21.0/me"] = me_ok()
    check.credentials.set(GRAPH_TOKEN, TOKEN + "new")
    clock.t += 30
    assert check.check(5.0, urgent=False).state is AccountState.OK
    assert len(client.calls) == 2
    assert client.calls[-1][1]["Authorization"] == f"Bearer {TOKEN}new"
