"""The pure decision: reference and service probes in, verdict and per-service states out.

The rule, in words: decide our own internet first (no reference answers and Meta doesn't either:
internet down; sign-in pages or intercepted certificates: network limited); only when our own
internet works are Meta's services judged, and a minority of failing references is noise. While
our own connection is at fault every service is `unknown`: Meta is never blamed. Meta services
the network blocks (local addresses, block pages, intercepted certificates) are `unknown` and the
others are judged as usual: when nothing but blocking is seen this round the network is limited,
otherwise Meta's failures are Meta's, and the sentence names the blocking too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from traywatch.core.metastatus.status import OfficialStatus
from traywatch.core.models import (
    Hint,
    InternetState,
    InternetStatus,
    Layer,
    OsHint,
    ProbeResult,
    ReferenceResult,
    RoundResult,
    ServiceResult,
    ServiceState,
    Verdict,
)
from traywatch.core.signed_in.status import AccountStatus
from traywatch.core.verdict import meta_wording, official_wording, wording
from traywatch.core.verdict.service_judge import ServiceProbes as ServiceProbes
from traywatch.core.verdict.service_judge import judge_service, meta_turning_away
from traywatch.i18n import N_, Message, Template, join
from traywatch.i18n.message import JOIN, Param

GRAPH_API = "graph_api"  # the service a failing signed-in call counts against
OWN_INTERNET_DOWN = Template("verdict.why_internet_down", "your internet is down")
OWN_NETWORK_LIMITED = Template("verdict.why_network_limited", "your network is limited")
NOT_JUDGED = Template("service.not_judged", "not judged: {why}")
NOT_JUDGED_LIMITS = Template("service.not_judged_limits", "not judged: your network limits Meta ({detail})")
PUBLIC_ANSWERS_NORMAL = Template("service.public_answers_normal", "its public answers are normal")
_TROUBLE = (ServiceState.DOWN, ServiceState.DEGRADED)


@dataclass(frozen=True)
class Diagnosis:
    verdict: Verdict
    summary: str
    internet: InternetStatus
    services: tuple[ServiceResult, ...]
    account: AccountStatus | None = None  # as judged: "not judged" while our own network is at fault


def _meta_answered(p: ProbeResult) -> bool:
    """Meta's own edge answered (even with an error): proof that our internet works."""
    if p.ok:
        return True
    if p.failed_layer not in (Layer.HTTP, Layer.CONTENT):
        return False
    return not p.hints & {Hint.PORTAL, Hint.UNTRUSTED_CERT}


def _majority(hits: int, of: int) -> bool:
    return hits >= 1 and hits * 2 >= of


def diagnose(
    references: tuple[ReferenceResult, ...],
    services: tuple[ServiceProbes, ...],
    slow_ms: float,
    os_hint: OsHint = OsHint.UNKNOWN,
    account: AccountStatus | None = None,
) -> Diagnosis:
    """`account`: the owner's signed-in check this round; Meta failing it makes the Graph API
    down (the March 2024 pattern) — only when our own internet works."""
    diagnosis = _diagnose(references, services, slow_ms, os_hint, account)
    if account is not None and diagnosis.verdict in (Verdict.INTERNET_DOWN, Verdict.NETWORK_LIMITED):
        account = account.not_judged(_why_not_judged(diagnosis.verdict))
    return replace(diagnosis, account=account)


def _diagnose(
    references: tuple[ReferenceResult, ...],
    services: tuple[ServiceProbes, ...],
    slow_ms: float,
    os_hint: OsHint,
    account: AccountStatus | None,
) -> Diagnosis:
    refs_ok = [r for r in references if r.probe.ok]
    fresh_probes = [p for s in services for p in s.probes]
    meta_alive = any(_meta_answered(p) for p in fresh_probes)

    if os_hint is OsHint.DISCONNECTED and not refs_ok and not meta_alive:
        return _own_fault(services, Verdict.INTERNET_DOWN, wording.os_disconnected())

    # Sign-in page: plain-http checks redirected / answered by something else, or their names
    # answered with local addresses (DNS hijack), by at least half of the checks that answered.
    portal = [r for r in references if r.probe.hints & {Hint.PORTAL, Hint.BLOCKED_ADDRESS}]
    answered = [r for r in references if r.probe.reached_server or r in portal]
    if _majority(len(portal), len(answered)):
        return _own_fault(services, Verdict.NETWORK_LIMITED, wording.captive_portal(portal))

    https_answered = [r for r in references if r.probe.target.startswith("https") and r.probe.reached_server]
    for hint, sentence in ((Hint.UNTRUSTED_CERT, wording.interception), (Hint.CLOCK, wording.clock_wrong)):
        bad = [r for r in https_answered if r.probe.has(hint)]
        if _majority(len(bad), len(https_answered)):
            return _own_fault(services, Verdict.NETWORK_LIMITED, sentence(bad))

    if not refs_ok and not meta_alive:
        return _own_fault(services, Verdict.INTERNET_DOWN, wording.internet_down(references))

    blocked = [s for s in services if any(p.has(Hint.BLOCKED_ADDRESS) for p in s.probes)]
    intercepted = [s for s in services if _all_failures(s, Hint.UNTRUSTED_CERT)]
    redirected = [s for s in services if _all_failures(s, Hint.PORTAL) and s not in blocked]
    cut = {s.id for s in blocked + intercepted + redirected}
    judged = _with_account(tuple(judge_service(s, slow_ms) for s in services), services, account)
    results = tuple(_blocked_state(s) if s.id in cut else r for s, r in zip(services, judged, strict=True))
    results = meta_turning_away(results)
    seen_failing = any(
        r.state in _TROUBLE and s.carried is None and s.id not in cut
        for s, r in zip(services, results, strict=True)
    )
    if cut and not seen_failing:  # nothing but blocking seen this round: the network, not Meta
        summary, detail = meta_wording.meta_blocked(blocked, intercepted, redirected)
        return Diagnosis(
            Verdict.NETWORK_LIMITED,
            summary,
            InternetStatus(InternetState.LIMITED, detail),
            tuple(_not_blamed(r) for r in results),
        )

    down = [r for r in results if r.state is ServiceState.DOWN]
    troubled = [r for r in results if r.state in _TROUBLE]
    if down and len(down) * 2 > len(results):
        verdict = Verdict.META_DOWN
    elif troubled:
        verdict = Verdict.META_PARTIAL
    else:
        verdict = Verdict.OK
    internet_detail = wording.internet_up(references, meta_alive)
    summary = meta_wording.meta_summary(verdict, results, references)
    if cut:  # Meta fails on its own beside what the network blocks: say both
        clause, detail = meta_wording.meta_blocked(blocked, intercepted, redirected, beside_meta_trouble=True)
        summary, internet_detail = join(summary, clause), wording.semicolons([internet_detail, detail])
    return Diagnosis(verdict, summary, InternetStatus(InternetState.UP, internet_detail), results)


def _with_account(
    results: tuple[ServiceResult, ...], services: tuple[ServiceProbes, ...], account: AccountStatus | None
) -> tuple[ServiceResult, ...]:
    """Meta's API failing signed-in requests makes the Graph API down, whatever the anonymous
    probe saw (pages load, logins fail). Token problems and limits change nothing here."""
    if account is None or account.graph is None or not account.meta_failing:
        return results
    graph = account.graph
    layer = graph.layer or Layer.CONTENT
    hints = {Hint.AUTH_FAILING} | ({Hint.SERVER_ERROR} if (graph.http_status or 0) >= 500 else set())
    probe = ProbeResult(
        target="signed-in Graph API request",
        ok=False,
        failed_layer=layer,
        latency_ms=graph.latency_ms,
        detail=graph.detail,
        status=graph.http_status,
        hints=frozenset(hints),
    )
    out = []
    for result, svc in zip(results, services, strict=True):
        if result.id != GRAPH_API or svc.carried is not None or result.state is ServiceState.DOWN:
            out.append(result)  # carried while backing off, or already down on its own probes
            continue
        anonymous = PUBLIC_ANSWERS_NORMAL() if result.state is ServiceState.UP else result.detail
        detail = wording.semicolons([graph.detail, anonymous])
        out.append(
            replace(
                result,
                state=ServiceState.DOWN,
                failed_layer=layer,
                latency_ms=None,
                detail=detail,
                probes=(*result.probes, probe),
            )
        )
    return tuple(out)


def with_official(rnd: RoundResult, official: OfficialStatus | None) -> RoundResult:
    """The round with Meta's own word beside our measurement. The verdict and every state stay
    as measured; a Meta-trouble summary gains "Meta confirms: ..." or "not acknowledged", an
    all-working one "... working from here, but Meta Status reports ..." when Meta reports
    trouble for services we watch."""
    if official is None:
        return rnd
    summary = rnd.summary
    if rnd.verdict in (Verdict.META_PARTIAL, Verdict.META_DOWN):
        troubled = [s.id for s in rnd.services if s.state in _TROUBLE]
        covered = any(official.service_state(sid) is not None for sid in troubled)
        summary = join(summary, official_wording.official_clause(official, troubled, covered, rnd.checked_at))
    elif rnd.verdict is Verdict.OK:
        reported = official.troubled([s.id for s in rnd.services])
        sentences = _sentences(summary)
        if reported and sentences and _code(sentences[0]) in meta_wording.ALL_WORKING_CODES:
            # "... working from here, but Meta Status reports ...", then the notes as they were
            working = official_wording.working_but([s.name for s in rnd.services], reported, rnd.checked_at)
            summary = join(working, *sentences[1:])
    return replace(rnd, official=official, summary=summary)


def _sentences(summary: str) -> list[Param]:
    """The sentences a summary was joined from (a plain or single one is one sentence)."""
    if isinstance(summary, Message) and summary.code == JOIN.code:
        return list(summary.params["parts"])  # type: ignore[arg-type]
    return [summary]


def _code(value: Param) -> str | None:
    return value.code if isinstance(value, Message) else None


def _why_not_judged(verdict: Verdict) -> Message:
    return OWN_INTERNET_DOWN() if verdict is Verdict.INTERNET_DOWN else OWN_NETWORK_LIMITED()


def _own_fault(services: tuple[ServiceProbes, ...], verdict: Verdict, sentence: tuple[str, str]) -> Diagnosis:
    """Our own connection is at fault: every service is unknown, none is blamed."""
    summary, detail = sentence
    down = verdict is Verdict.INTERNET_DOWN
    state = InternetState.DOWN if down else InternetState.LIMITED
    why = NOT_JUDGED(why=_why_not_judged(verdict))
    results = tuple(
        ServiceResult(s.id, s.name, ServiceState.UNKNOWN, _first_layer(s), None, why, s.probes)
        for s in services
    )
    return Diagnosis(verdict, summary, InternetStatus(state, detail), results)


def _all_failures(s: ServiceProbes, hint: Hint) -> bool:
    """Every failing probe of the service shows this sign (and at least one fails)."""
    failed = [p for p in s.probes if not p.ok]
    return bool(failed) and all(p.has(hint) for p in failed)


def _first_layer(s: ServiceProbes) -> Layer | None:
    return next((p.failed_layer for p in s.probes if not p.ok), None)


def _not_blamed(r: ServiceResult) -> ServiceResult:
    """While our network limits Meta, a failing service may be its doing too: never `down`."""
    if r.state is not ServiceState.DOWN:
        return r
    return replace(
        r,
        state=ServiceState.UNKNOWN,
        latency_ms=None,
        detail=NOT_JUDGED_LIMITS(detail=r.detail),
    )


BLOCKED_BY_NETWORK = N_("blocked by your network")  # the menus' short cause for a blocked service
BLOCKED = Template("service.blocked", "blocked by your network: {detail}")


def blocked_by_network(svc: ServiceResult) -> bool:
    """The service is unknown because the network blocks it (not Meta, not our internet)."""
    return isinstance(svc.detail, Message) and svc.detail.code == BLOCKED.code


def _blocked_state(s: ServiceProbes) -> ServiceResult:
    first = next(p for p in s.probes if not p.ok)
    return ServiceResult(
        s.id,
        s.name,
        ServiceState.UNKNOWN,
        first.failed_layer,
        None,
        BLOCKED(detail=first.detail),
        s.probes,
    )
