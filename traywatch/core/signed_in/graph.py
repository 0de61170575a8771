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
from traywatch.i18n import Decimal, Template

RENEW = Template(
    "account.renew",
    "get a new access token — in Meta Business Suite open Settings → Users → System users → "
    "Generate new token (or use the Graph API Explorer on developers.facebook.com) — and paste it "
    "in traywatch's settings, or run `traywatch account set-token`",
)()
RENEW_PERMISSION = Template(
    "account.renew_permission",
    "get a new access token with the missing permission — in Meta Business Suite open Settings → "
    "Users → System users → Generate new token (or use the Graph API Explorer on developers.facebook.com) "
    "— and paste it in traywatch's settings, or run `traywatch account set-token`",
)
_TOKEN_WHY = {
    463: Template("account.token_expired", "it has expired"),
    460: Template("account.token_password", "it was cancelled because the account's password changed"),
    458: Template("account.token_app_removed", "the app was removed from the account"),
    467: Template("account.token_revoked", "it was revoked or the user logged out"),
    464: Template("account.token_unconfirmed", "the account is not confirmed yet"),
    492: Template("account.token_session", "the session is no longer valid"),
}
TOKEN_INVALID = Template("account.token_invalid_why", "it is invalid or was revoked")
TOKEN_REFUSED = Template("account.token_refused", "Meta no longer accepts the access token: {why} ({ref})")
NO_PERMISSION = Template(
    "account.no_permission", "the access token lacks a permission for {what} ({ref}: {message})"
)
RATE_LIMITED = Template(
    "account.rate_limited",
    "Meta limits this account's requests for now ({ref}: {message}); not an outage, it eases off by itself",
)
_DOWN_WORDS = {
    1: Template("account.unknown_error", "an unknown error"),
    2: Template("account.temporarily_unavailable", "service temporarily unavailable"),
}
API_FAILS = Template("account.api_fails", "Meta's API fails signed-in requests ({ref}: {words})")
ANSWERED_ERROR = Template("account.answered_error", "Meta answered {what} with {ref}: {message}")
NO_ANSWER = Template("account.no_answer", "no answer")
REQUESTS_FAIL = Template("account.requests_fail", "signed-in requests to Meta's API fail: {detail}")
SERVER_ERROR = Template(
    "account.server_error", "Meta's API answers signed-in requests with a server error (HTTP {status})"
)
LIMITED_429 = Template(
    "account.limited_429", "Meta limits this account's requests for now (HTTP 429); not an outage"
)
WORKS = Template("account.works", "signed-in requests work ({ms} ms)")
NOT_JSON = Template("account.not_json", "Meta's API answered {what} with HTTP {status} and not JSON")
ODD_JSON = Template(
    "account.odd_json", "Meta's API answered {what} with HTTP {status} and JSON of an unexpected shape"
)
THE_NUMBER = Template("account.the_number", "the WhatsApp number")
UNKNOWN_NUMBER = Template(
    "account.unknown_number", "Meta does not know this phone-number id, or the token cannot see it"
)
CHECK_NUMBER = Template(
    "account.check_number", "check the WhatsApp phone-number id (WhatsApp Manager → Phone numbers)"
)
HEALTH_UNREAD = Template("account.health_unread", "its health could not be read: {detail}")
NO_HEALTH = Template("account.no_health", "Meta's answer has no health_status")
CAN_SEND = Template("account.can_send", "can send messages")
SOME_MESSAGES = Template("account.some_messages", "can send only some messages")
SOME_MESSAGES_BECAUSE = Template("account.some_messages_because", "can send only some messages ({errors})")
BLOCKED = Template("account.blocked", "is blocked from sending")
BLOCKED_BECAUSE = Template("account.blocked_because", "is blocked from sending ({errors})")
SEE_MANAGER = Template(
    "account.see_manager", "see WhatsApp Manager → Phone numbers for what Meta asks you to fix"
)
REPORTS = Template("account.reports", 'Meta reports "{status}"')
REPORTS_BECAUSE = Template("account.reports_because", 'Meta reports "{status}" ({errors})')
REPORTS_NOTHING = Template("account.reports_nothing", "Meta reports no can_send_message value")
REPORTS_NOTHING_BECAUSE = Template(
    "account.reports_nothing_because", "Meta reports no can_send_message value ({errors})"
)
_RATE = {4, 17, 32, 613, *range(80001, 80015), 130429, 131048, 131056}
_DOWN = {1, 2}
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
        why = _TOKEN_WHY.get(sub or 0, TOKEN_INVALID)()
        return GraphAnswer(
            AccountState.TOKEN_INVALID,
            TOKEN_REFUSED(why=why, ref=ref),
            action=RENEW,
            **common,
        )
    if code in _PERMISSION:
        return GraphAnswer(
            AccountState.TOKEN_INVALID,
            NO_PERMISSION(what=what, ref=ref, message=message),
            action=RENEW_PERMISSION(),
            **common,
        )
    if code in _RATE or answer.status == 429:
        return GraphAnswer(
            AccountState.LIMITED,
            RATE_LIMITED(ref=ref, message=message),
            **common,
        )
    if code in _DOWN or error.get("is_transient") is True or answer.status >= 500:
        known = _DOWN_WORDS.get(code or 0)
        return GraphAnswer(
            AccountState.API_DOWN,
            API_FAILS(ref=ref, words=known() if known else message),
            layer=Layer.HTTP if answer.status >= 500 else Layer.CONTENT,
            **common,
        )
    return GraphAnswer(AccountState.UNKNOWN, ANSWERED_ERROR(what=what, ref=ref, message=message), **common)


def judge_graph(answer: Fetched | None, failure: FetchError | None = None, what: str = "/me") -> GraphAnswer:
    """The answer (or failure) of a signed-in call, judged. Never raises. `what`: the call, as
    said in the detail (a path, or a Message)."""
    return _judge_graph(answer, failure, what)


def _judge_graph(answer: Fetched | None, failure: FetchError | None, what: str) -> GraphAnswer:
    if failure is not None or answer is None:
        detail = failure.detail if failure else NO_ANSWER()
        return GraphAnswer(
            AccountState.API_DOWN,
            REQUESTS_FAIL(detail=detail),
            layer=failure.layer if failure else Layer.HTTP,
        )
    data = _json(answer.body)
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return _error_answer(answer, error, what)
    if answer.status >= 500:
        return GraphAnswer(
            AccountState.API_DOWN,
            SERVER_ERROR(status=str(answer.status)),
            layer=Layer.HTTP,
            http_status=answer.status,
            latency_ms=answer.latency_ms,
        )
    if answer.status == 429:
        return GraphAnswer(
            AccountState.LIMITED,
            LIMITED_429(),
            http_status=429,
            latency_ms=answer.latency_ms,
        )
    if answer.status == 200 and isinstance(data, dict):
        return GraphAnswer(
            AccountState.OK,
            WORKS(ms=Decimal(answer.latency_ms, 0)),
            http_status=200,
            latency_ms=answer.latency_ms,
        )
    shape = NOT_JSON if data is None else ODD_JSON
    return GraphAnswer(
        AccountState.UNKNOWN,
        shape(what=what, status=str(answer.status)),
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
    graph = judge_graph(answer, failure, THE_NUMBER())
    if graph.code == 100:
        return WhatsAppHealth(
            AccountState.UNKNOWN,
            "",
            UNKNOWN_NUMBER(),
            action=CHECK_NUMBER(),
        )
    if graph.state is not AccountState.OK or answer is None:
        return WhatsAppHealth(graph.state, "", HEALTH_UNREAD(detail=graph.detail), action=graph.action)
    data = _json(answer.body)
    health = data.get("health_status") if isinstance(data, dict) else None
    if not isinstance(health, dict):
        return WhatsAppHealth(AccountState.UNKNOWN, "", NO_HEALTH())
    status = (
        clean(health.get("can_send_message"), 40) if isinstance(health.get("can_send_message"), str) else ""
    )
    errors = _entity_errors(health)
    why = "; ".join(errors)  # Meta's own words, verbatim
    if status.upper() == "AVAILABLE":
        return WhatsAppHealth(AccountState.OK, status, CAN_SEND(), errors)
    if status.upper() in ("LIMITED", "BLOCKED"):
        limited = status.upper() == "LIMITED"
        if errors:
            words = (SOME_MESSAGES_BECAUSE if limited else BLOCKED_BECAUSE)(errors=why)
        else:
            words = (SOME_MESSAGES if limited else BLOCKED)()
        return WhatsAppHealth(AccountState.LIMITED, status, words, errors, action=SEE_MANAGER())
    if status:
        reported = REPORTS_BECAUSE(status=status, errors=why) if errors else REPORTS(status=status)
    else:
        reported = REPORTS_NOTHING_BECAUSE(errors=why) if errors else REPORTS_NOTHING()
    return WhatsAppHealth(AccountState.UNKNOWN, status, reported, errors)
