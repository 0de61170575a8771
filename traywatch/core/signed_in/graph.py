"""Reading Meta's answers to signed-in calls: token problems, account limits, or Meta failing.

Graph API errors carry `error.code` (and often `error_subcode`). 190 (and 102) is the token: it
expired (463), the password changed (460), the app was removed (458) or it was revoked/logged out
(467) — the owner must act. 4, 17, 32, 613 and the 80001–80014 family are rate limits — the
account, not an outage. 1 ("unknown error"), 2 ("service temporarily unavailable"), transient
errors, 5xx and silence are Meta's API failing — an outage when our own internet works.
"""

from __future__ import annotations

import json
from typing import Any

from traywatch.core.models import Layer
from traywatch.core.net.httpfetch import Fetched, FetchError
from traywatch.core.safe_text import clean
from traywatch.core.signed_in.status import AccountState, GraphAnswer, WhatsAppHealth

RENEW = (
    "get a new access token — in Meta Business Suite open Settings → Users → System users → "
    "Generate new token (or use the Graph API Explorer on developers.facebook.com) — and paste it "
    "in traywatch's settings, or run `traywatch account set-token`"
)
_TOKEN_WHY = {
    463: "it has expired",
    460: "it was cancelled because the account's password changed",
    458: "the app was removed from the account",
    467: "it was revoked or the user logged out",
    464: "the account is not confirmed yet",
    492: "the session is no longer valid",
}
_RATE = {4, 17, 32, 613, *range(80001, 80015), 130429, 131048, 131056}
_DOWN = {1: "an unknown error", 2: "service temporarily unavailable"}
_PERMISSION = {10, *range(200, 300)}


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _error_answer(answer: Fetched, error: dict[str, Any], what: str) -> GraphAnswer:
    code, sub = _int(error.get("code")), _int(error.get("error_subcode"))
    message = clean(error.get("message")) or "no message"
    ref = f"error {code}" + (f"/{sub}" if sub is not None else "")
    common: dict[str, Any] = {
        "http_status": answer.status,
        "code": code,
        "subcode": sub,
        "latency_ms": answer.latency_ms,
    }
    if code in (190, 102):
        why = _TOKEN_WHY.get(sub or 0, "it is invalid or was revoked")
        return GraphAnswer(
            AccountState.TOKEN_INVALID,
            f"Meta no longer accepts the access token: {why} ({ref})",
            action=RENEW,
            **common,
        )
    if code in _PERMISSION:
        return GraphAnswer(
            AccountState.TOKEN_INVALID,
            f"the access token lacks a permission for {what} ({ref}: {message})",
            action=RENEW + " with the missing permission",
            **common,
        )
    if code in _RATE or answer.status == 429:
        return GraphAnswer(
            AccountState.LIMITED,
            f"Meta limits this account's requests for now ({ref}: {message}); not an outage, it "
            "eases off by itself",
            **common,
        )
    if code in _DOWN or error.get("is_transient") is True or answer.status >= 500:
        words = _DOWN.get(code or 0, message)
        return GraphAnswer(
            AccountState.API_DOWN,
            f"Meta's API fails signed-in requests ({ref}: {words})",
            layer=Layer.HTTP if answer.status >= 500 else Layer.CONTENT,
            **common,
        )
    return GraphAnswer(AccountState.UNKNOWN, f"Meta answered {what} with {ref}: {message}", **common)


def judge_graph(answer: Fetched | None, failure: FetchError | None = None, what: str = "/me") -> GraphAnswer:
    """The answer (or failure) of a signed-in call, judged. Never raises."""
    if failure is not None or answer is None:
        detail = failure.detail if failure else "no answer"
        return GraphAnswer(
            AccountState.API_DOWN,
            f"signed-in requests to Meta's API fail: {detail}",
            layer=failure.layer if failure else Layer.HTTP,
        )
    data = _json(answer.body)
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return _error_answer(answer, error, what)
    if answer.status >= 500:
        return GraphAnswer(
            AccountState.API_DOWN,
            f"Meta's API answers signed-in requests with a server error (HTTP {answer.status})",
            layer=Layer.HTTP,
            http_status=answer.status,
            latency_ms=answer.latency_ms,
        )
    if answer.status == 429:
        return GraphAnswer(
            AccountState.LIMITED,
            "Meta limits this account's requests for now (HTTP 429); not an outage",
            http_status=429,
            latency_ms=answer.latency_ms,
        )
    if answer.status == 200 and isinstance(data, dict):
        return GraphAnswer(
            AccountState.OK,
            f"signed-in requests work ({answer.latency_ms:.0f} ms)",
            http_status=200,
            latency_ms=answer.latency_ms,
        )
    shape = "not JSON" if data is None else "JSON of an unexpected shape"
    return GraphAnswer(
        AccountState.UNKNOWN,
        f"Meta's API answered {what} with HTTP {answer.status} and {shape}",
        http_status=answer.status,
        latency_ms=answer.latency_ms,
    )


def _entity_errors(health: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    entities = health.get("entities")
    sources: list[tuple[str, object]] = [("", health.get("errors"))]
    if isinstance(entities, list):
        sources += [
            (clean(e.get("entity_type")), e.get("errors")) for e in entities[:20] if isinstance(e, dict)
        ]
    for entity, errors in sources:
        for err in errors[:10] if isinstance(errors, list) else []:
            if not isinstance(err, dict):
                continue
            text = clean(err.get("error_description"), 300) or f"error {clean(str(err.get('error_code')))}"
            fix = clean(err.get("possible_solution"), 300)
            line = f"{entity.replace('_', ' ').lower()}: {text}" if entity else text
            found.append(f"{line} — {fix}" if fix else line)
    return tuple(dict.fromkeys(found))[:8]


def judge_whatsapp(answer: Fetched | None, failure: FetchError | None = None) -> WhatsAppHealth:
    """The phone number's health_status: AVAILABLE, LIMITED or BLOCKED (account health, not outages)."""
    graph = judge_graph(answer, failure, "the WhatsApp number")
    if graph.code == 100:
        return WhatsAppHealth(
            AccountState.UNKNOWN,
            "",
            "Meta does not know this phone-number id, or the token cannot see it",
            action="check the WhatsApp phone-number id (WhatsApp Manager → Phone numbers)",
        )
    if graph.state is not AccountState.OK or answer is None:
        return WhatsAppHealth(
            graph.state, "", f"its health could not be read: {graph.detail}", action=graph.action
        )
    data = _json(answer.body)
    health = data.get("health_status") if isinstance(data, dict) else None
    if not isinstance(health, dict):
        return WhatsAppHealth(AccountState.UNKNOWN, "", "Meta's answer has no health_status")
    status = (
        clean(health.get("can_send_message"), 40) if isinstance(health.get("can_send_message"), str) else ""
    )
    errors = _entity_errors(health)
    why = f" ({'; '.join(errors)})" if errors else ""
    if status.upper() == "AVAILABLE":
        return WhatsAppHealth(AccountState.OK, status, "can send messages", errors)
    if status.upper() in ("LIMITED", "BLOCKED"):
        words = "can send only some messages" if status.upper() == "LIMITED" else "is blocked from sending"
        return WhatsAppHealth(
            AccountState.LIMITED,
            status,
            f"{words}{why}",
            errors,
            action="see WhatsApp Manager → Phone numbers for what Meta asks you to fix",
        )
    shown = f'"{status}"' if status else "no can_send_message value"
    return WhatsAppHealth(AccountState.UNKNOWN, status, f"Meta reports {shown}{why}", errors)
