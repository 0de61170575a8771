"""Meta's answers to signed-in calls: the owner's token (act), the account's limits (wait), or
Meta's API failing (an outage)."""

from __future__ import annotations

import json

import pytest

from traywatch.core.models import Layer
from traywatch.core.net.httpfetch import Fetched, FetchError
from traywatch.core.signed_in.graph import RENEW, judge_graph, judge_whatsapp
from traywatch.core.signed_in.status import AccountState


def error(
    status: int, code: int, subcode: int | None = None, message: str = "msg", **extra: object
) -> Fetched:
    body: dict[str, object] = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "A1"}
    if subcode is not None:
        body["error_subcode"] = subcode
    body.update(extra)
    return Fetched(status, {"content-type": "application/json"}, json.dumps({"error": body}).encode(), 87.0)


@pytest.mark.parametrize(
    ("answer", "state", "words"),
    [
        (Fetched(200, {}, b'{"id": "1234567890"}', 95.0), AccountState.OK, "signed-in requests work (95 ms)"),
        (error(400, 190, 463), AccountState.TOKEN_INVALID, "it has expired (error 190/463)"),
        (error(400, 190, 460), AccountState.TOKEN_INVALID, "password changed"),
        (error(400, 190, 458), AccountState.TOKEN_INVALID, "the app was removed"),
        (error(400, 190, 467), AccountState.TOKEN_INVALID, "revoked or the user logged out"),
        (error(400, 190), AccountState.TOKEN_INVALID, "it is invalid or was revoked (error 190)"),
        (error(400, 102), AccountState.TOKEN_INVALID, "error 102"),
        (error(403, 200, message="Permissions error"), AccountState.TOKEN_INVALID, "lacks a permission"),
        (error(400, 4, message="Application request limit reached"), AccountState.LIMITED, "not an outage"),
        (error(400, 17), AccountState.LIMITED, "error 17"),
        (error(400, 32), AccountState.LIMITED, "error 32"),
        (error(400, 613), AccountState.LIMITED, "error 613"),
        (error(400, 80004), AccountState.LIMITED, "error 80004"),
        (Fetched(429, {}, b""), AccountState.LIMITED, "HTTP 429"),
        (error(500, 1, message="An unknown error occurred"), AccountState.API_DOWN, "an unknown error"),
        (error(503, 2), AccountState.API_DOWN, "service temporarily unavailable"),
        (error(400, 2), AccountState.API_DOWN, "error 2"),
        (error(400, 9999, is_transient=True), AccountState.API_DOWN, "error 9999"),
        (Fetched(502, {}, b"<html>Bad gateway</html>"), AccountState.API_DOWN, "server error (HTTP 502)"),
        (error(400, 100, 33), AccountState.UNKNOWN, "error 100/33"),
        (Fetched(200, {}, b"<html>sign in to the hotel wifi</html>"), AccountState.UNKNOWN, "not JSON"),
        (Fetched(200, {}, b"[1, 2]"), AccountState.UNKNOWN, "unexpected shape"),
    ],
)
def test_graph_answers_are_told_apart(answer: Fetched, state: AccountState, words: str) -> None:
    judged = judge_graph(answer)
    assert judged.state is state
    assert words in judged.detail
    assert (judged.action == RENEW or "permission" in (judged.action or "")) is (
        state is AccountState.TOKEN_INVALID
    )


def test_layers_of_meta_failing() -> None:
    assert judge_graph(error(503, 2)).layer is Layer.HTTP
    assert judge_graph(error(400, 2)).layer is Layer.CONTENT
    timeout = FetchError(Layer.HTTP, "graph.facebook.com did not answer within 8 s", timeout=True)
    silent = judge_graph(None, timeout)
    assert silent.state is AccountState.API_DOWN and silent.layer is Layer.HTTP
    assert "did not answer within 8 s" in silent.detail
    refused = judge_graph(None, FetchError(Layer.TCP, "graph.facebook.com could not be reached"))
    assert refused.state is AccountState.API_DOWN and refused.layer is Layer.TCP


def health(can_send: object, *errors: dict[str, str]) -> Fetched:
    body = {
        "health_status": {
            "can_send_message": can_send,
            "entities": [
                {
                    "entity_type": "PHONE_NUMBER",
                    "id": "1065",
                    "can_send_message": can_send,
                    "errors": list(errors),
                },
                {"entity_type": "WABA", "id": "2001", "can_send_message": "AVAILABLE"},
            ],
        },
        "id": "1065",
    }
    return Fetched(200, {}, json.dumps(body).encode(), 120.0)


def test_whatsapp_number_health() -> None:
    assert judge_whatsapp(health("AVAILABLE")).state is AccountState.OK
    limited = judge_whatsapp(
        health(
            "LIMITED",
            {
                "error_code": "141006",
                "error_description": "Payment method missing",
                "possible_solution": "Add one",
            },
        )
    )
    assert limited.state is AccountState.LIMITED and limited.status == "LIMITED"
    assert limited.errors == ("phone number: Payment method missing — Add one",)
    assert limited.detail == "can send only some messages (phone number: Payment method missing — Add one)"
    blocked = judge_whatsapp(health("BLOCKED", {"error_description": "Display name not approved"}))
    assert blocked.state is AccountState.LIMITED and "is blocked from sending" in blocked.detail
    assert blocked.action and "WhatsApp Manager" in blocked.action
    odd = judge_whatsapp(health("PAUSED_FOR_REVIEW"))
    assert odd.state is AccountState.UNKNOWN and '"PAUSED_FOR_REVIEW"' in odd.detail
    assert judge_whatsapp(health(["AVAILABLE"])).state is AccountState.UNKNOWN
    assert judge_whatsapp(Fetched(200, {}, b'{"id": "1"}')).detail == "Meta's answer has no health_status"


def test_whatsapp_errors_of_the_call_itself() -> None:
    unknown_id = judge_whatsapp(error(400, 100, 33, "Unsupported get request"))
    assert unknown_id.state is AccountState.UNKNOWN and "phone-number id" in (unknown_id.action or "")
    assert judge_whatsapp(error(400, 190, 463)).state is AccountState.TOKEN_INVALID
    assert judge_whatsapp(error(503, 2)).state is AccountState.API_DOWN
