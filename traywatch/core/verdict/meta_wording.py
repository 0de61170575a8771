"""The summary when our own internet works: Meta's services all working, partly failing or down
(with the outage pattern they match), and what the network blocks beside them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from traywatch.core.models import Hint, Layer, ReferenceResult, ServiceResult, ServiceState, Verdict
from traywatch.core.safe_text import shown_host
from traywatch.core.verdict.wording import _steady, notes_clause, semicolons
from traywatch.i18n import Message, Names, Template, join, names
from traywatch.i18n.message import Param

if TYPE_CHECKING:
    from traywatch.core.verdict.service_judge import ServiceProbes

# -- what the network blocks: the first fact opens the sentence, the others follow ---------------
_BLOCKS = "your network blocks {names}: its address is answered with {address} instead of Meta's"
_BLOCKS_MANY = "your network blocks {names}: their addresses are answered with {address} instead of Meta's"
BLOCKS = Template("verdict.blocks", _BLOCKS, _BLOCKS_MANY, count="n")
BLOCKS_FIRST = Template(
    "verdict.blocks_first",
    "Your network blocks {names}: its address is answered with {address} instead of Meta's",
    "Your network blocks {names}: their addresses are answered with {address} instead of Meta's",
    count="n",
)
BLOCKS_ALSO = Template(
    "verdict.blocks_also",
    "Your network also blocks {names}: its address is answered with {address} instead of Meta's",
    "Your network also blocks {names}: their addresses are answered with {address} instead of Meta's",
    count="n",
)
LOCAL_ADDRESS = Template("verdict.local_address", "a local address")
INTERCEPTS = Template("verdict.intercepts", "your network intercepts the secure connection to {names}")
INTERCEPTS_FIRST = Template(
    "verdict.intercepts_first", "Your network intercepts the secure connection to {names}"
)
INTERCEPTS_ALSO = Template(
    "verdict.intercepts_also", "Your network also intercepts the secure connection to {names}"
)
SENDS = Template("verdict.sends", "your network sends {names} to a block or sign-in page")
SENDS_FIRST = Template("verdict.sends_first", "Your network sends {names} to a block or sign-in page")
SENDS_ALSO = Template("verdict.sends_also", "Your network also sends {names} to a block or sign-in page")
SENDS_AT = Template("verdict.sends_at", "your network sends {names} to a block or sign-in page ({host})")
SENDS_AT_FIRST = Template(
    "verdict.sends_at_first", "Your network sends {names} to a block or sign-in page ({host})"
)
SENDS_AT_ALSO = Template(
    "verdict.sends_at_also", "Your network also sends {names} to a block or sign-in page ({host})"
)
BLOCKED = Template(
    "verdict.blocked",
    "{facts} — ask whoever runs this network (a web filter or firewall). This is not Meta.",
)
BLOCKED_ALSO = Template("verdict.blocked_also", "{facts}.")

_FORMS = {  # (later in the sentence, opening it alone, opening it after Meta's trouble)
    "blocks": (BLOCKS, BLOCKS_FIRST, BLOCKS_ALSO),
    "intercepts": (INTERCEPTS, INTERCEPTS_FIRST, INTERCEPTS_ALSO),
    "sends": (SENDS, SENDS_FIRST, SENDS_ALSO),
    "sends_at": (SENDS_AT, SENDS_AT_FIRST, SENDS_AT_ALSO),
}


def _block_facts(
    blocked: Sequence[ServiceProbes],
    intercepted: Sequence[ServiceProbes],
    redirected: Sequence[ServiceProbes],
) -> list[tuple[str, dict[str, Param]]]:
    """[('blocks', its parameters), ...]: what the network does to which services."""
    facts: list[tuple[str, dict[str, Param]]] = []
    if blocked:
        first = next(p for s in blocked for p in s.probes if p.has(Hint.BLOCKED_ADDRESS))
        address: Param = first.addresses[0] if first.addresses else LOCAL_ADDRESS()
        said = names(s.name for s in blocked)
        facts.append(("blocks", {"names": said, "address": address, "n": len(blocked)}))
    if intercepted:
        facts.append(("intercepts", {"names": names(s.name for s in intercepted)}))
    if redirected:
        target = next((p.redirect_to for s in redirected for p in s.probes if p.redirect_to), None)
        host = shown_host(target) if target else None
        said = names(s.name for s in redirected)
        facts.append(("sends_at", {"names": said, "host": host}) if host else ("sends", {"names": said}))
    return facts


def meta_blocked(
    blocked: Sequence[ServiceProbes],
    intercepted: Sequence[ServiceProbes],
    redirected: Sequence[ServiceProbes] = (),
    *,
    beside_meta_trouble: bool = False,
) -> tuple[Message, Message]:
    """Nothing but blocking seen: the network's doing, not Meta's. `beside_meta_trouble`: the
    clause after a Meta-trouble summary instead ("Your network also blocks Instagram: ...")."""
    facts = _block_facts(blocked, intercepted, redirected)
    opening = 2 if beside_meta_trouble else 1
    said = [_FORMS[kind][opening if i == 0 else 0](**params) for i, (kind, params) in enumerate(facts)]
    evidence = semicolons(
        p.detail for s in [*blocked, *intercepted, *redirected] for p in s.probes if not p.ok
    )
    sentence = semicolons(said)
    return (BLOCKED_ALSO(facts=sentence) if beside_meta_trouble else BLOCKED(facts=sentence)), evidence


# -- all working ---------------------------------------------------------------------------------
NONE_WATCHED = Template(
    "verdict.none_watched",
    "Your internet is working; no Meta service is watched (all are turned off in the settings).",
)
ONE_WORKING = Template("verdict.one_working", "Your internet and {name} are working.")
BOTH_WORKING = Template("verdict.both_working", "Your internet and both Meta services you watch are working.")
ALL_WORKING = Template("verdict.all_working", "Your internet and all {count} Meta services are working.")
ALL_WORKING_CODES = frozenset(t.code for t in (NONE_WATCHED, ONE_WORKING, BOTH_WORKING, ALL_WORKING))


def all_working(watched: Sequence[str]) -> Message:
    """The all-clear for the services watched: 'all 7', 'both', the one by name, or none."""
    if not watched:
        return NONE_WATCHED()
    if len(watched) == 1:
        return ONE_WORKING(name=watched[0])
    if len(watched) == 2:
        return BOTH_WORKING()
    return ALL_WORKING(count=len(watched))


# -- Meta in trouble -----------------------------------------------------------------------------
CONTROLS = Template("verdict.controls", "{providers} answers fine", "{providers} answer fine", count="count")
META_ANSWERS = Template("verdict.meta_answers", "other Meta servers still answer")
DOWN_DNS = Template(
    "verdict.meta_down_dns",
    "Meta is down: the address of {names} can't be looked up, while {controls} "
    "— the same pattern as the October 2021 outage.",
    "Meta is down: the addresses of {names} can't be looked up, while {controls} "
    "— the same pattern as the October 2021 outage.",
    count="n",
)
DOWN_SERVER = Template(
    "verdict.meta_down_server",
    "Meta is down: {names} answers with {answers} while your internet works.",
    "Meta is down: {names} answer with {answers} while your internet works.",
    count="n",
)
DOWN_DECEMBER = Template(
    "verdict.meta_down_december",
    "Meta is down: {names} answers with {answers} while your internet works"
    " — the same pattern as the December 2024 outage.",
    "Meta is down: {names} answer with {answers} while your internet works"
    " — the same pattern as the December 2024 outage.",
    count="n",
)
DOWN_SILENT = Template(
    "verdict.meta_down_silent",
    "Meta is down: {names} doesn't answer at all, while {controls}.",
    "Meta is down: {names} don't answer at all, while {controls}.",
    count="n",
)
DOWN_MIXED = Template(
    "verdict.meta_down_mixed",
    "Meta is down: {names} fails, while {controls}.",
    "Meta is down: {names} fail, while {controls}.",
    count="n",
)
SERVER_ERRORS = Template("verdict.server_errors", "server errors (HTTP {statuses})")
SERVER_ERRORS_SAID = Template("verdict.server_errors_said", 'server errors (HTTP {statuses}, "{phrase}")')
ERROR_PAGES_SAID = Template("verdict.error_pages_said", 'error pages ("{phrase}")')
ERROR_PAGES = Template("verdict.error_pages", "error pages")
IS_DOWN_BECAUSE = Template("verdict.is_down_because", "{names} is down ({detail})")
IS_DOWN = Template("verdict.is_down", "{names} is down", "{names} are down", count="n")
HAS_PROBLEMS = Template(
    "verdict.has_problems", "{names} has problems ({detail})", "{names} have problems ({detail})", count="n"
)
PARTIAL = Template("verdict.partial", "{trouble}, while your internet works.")
PARTIAL_OTHERS_WORK = Template(
    "verdict.partial_others_work", "{trouble}, while your internet and the other Meta services work."
)
MARCH_2024 = Template(
    "verdict.march_2024", "Logins fail while the pages load — the same pattern as the March 2024 outage."
)


def _pattern(down: Sequence[ServiceResult]) -> str:
    """Name the outage signature the failures match (see meta-facts.md)."""
    layers = {r.failed_layer for r in down}
    hints = {h for r in down for p in r.probes for h in p.hints}
    if layers == {Layer.DNS}:
        return "dns"
    if layers <= {Layer.HTTP, Layer.CONTENT} and hints & {Hint.SERVER_ERROR, Hint.ERROR_PAGE}:
        return "server"
    if hints & {Hint.TIMEOUT} and layers <= {Layer.TCP, Layer.TLS, Layer.HTTP, Layer.DNS}:
        return "silent"
    return "mixed"


def _like_december_2024(down: Sequence[ServiceResult]) -> bool:
    """Most of the failing services answer with server errors (HTTP 5xx), as Meta's edges did
    in December 2024; error pages served with 200 are another picture."""
    erring = [r for r in down if any(p.has(Hint.SERVER_ERROR) for p in r.probes if not p.ok)]
    return len(erring) * 2 > len(down)


def _server_answers(down: Sequence[ServiceResult]) -> Message:
    """'server errors (HTTP 500 and 502)', 'server errors (HTTP 503, "Sorry, something went
    wrong")', 'error pages ("...")': only what the answers really said is quoted."""
    probes = [p for r in down for p in r.probes if not p.ok]
    statuses = Names(
        str(s) for s in sorted({p.status for p in probes if p.has(Hint.SERVER_ERROR) and p.status})
    )
    phrase = next((p.error_phrase for p in probes if p.has(Hint.ERROR_PAGE) and p.error_phrase), None)
    if statuses:
        return (
            SERVER_ERRORS_SAID(statuses=statuses, phrase=phrase)
            if phrase
            else SERVER_ERRORS(statuses=statuses)
        )
    return ERROR_PAGES_SAID(phrase=phrase) if phrase else ERROR_PAGES()


def meta_summary(
    verdict: Verdict, results: Sequence[ServiceResult], refs: Sequence[ReferenceResult]
) -> Message:
    ok_refs = [r for r in refs if r.probe.ok]
    # The evidence that our own internet works: the checks that answered, or else Meta's own edges.
    controls = _controls(ok_refs)
    if verdict is Verdict.OK:
        return join(all_working([r.name for r in results]), *notes_clause(results))
    text = _trouble_summary(verdict, results, controls)
    down = [r for r in results if r.state is ServiceState.DOWN]
    logins = any(p.has(Hint.AUTH_FAILING) for r in down for p in r.probes)
    march = MARCH_2024() if logins and any(r.state is not ServiceState.DOWN for r in results) else ""
    return join(text, march, *notes_clause(results))


def _controls(ok_refs: Sequence[ReferenceResult]) -> Message:
    """The checks that answered ('Google answers fine' / 'Google and Cloudflare answer fine'), or
    else Meta's own edges."""
    found = Names(list(names(r.provider for r in ok_refs))[:2])
    return CONTROLS(providers=found, count=len(found)) if found else META_ANSWERS()


def _trouble_summary(verdict: Verdict, results: Sequence[ServiceResult], controls: Message) -> Message:
    down = [r for r in results if r.state is ServiceState.DOWN]
    slow = [r for r in results if r.state is ServiceState.DEGRADED]
    if verdict is Verdict.META_DOWN:
        said, n = names(r.name for r in down), len(down)  # a single watched service can be "Meta" down too
        pattern = _pattern(down)
        if pattern == "dns":
            return DOWN_DNS(names=said, controls=controls, n=n)
        if pattern == "server":
            server = DOWN_DECEMBER if _like_december_2024(down) else DOWN_SERVER
            return server(names=said, answers=_server_answers(down), n=n)
        if pattern == "silent":
            return DOWN_SILENT(names=said, controls=controls, n=n)
        return DOWN_MIXED(names=said, controls=controls, n=n)
    parts: list[Message] = []
    if down:
        detail = _steady(down[0].detail) if len(down) == 1 else ""
        said = names(r.name for r in down)
        parts.append(
            IS_DOWN_BECAUSE(names=said, detail=detail) if detail else IS_DOWN(names=said, n=len(down))
        )
    if slow:
        said = names(r.name for r in slow)
        parts.append(HAS_PROBLEMS(names=said, detail=_steady(slow[0].detail), n=len(slow)))
    trouble = semicolons(parts)
    others = [r for r in results if r.state not in (ServiceState.DOWN, ServiceState.DEGRADED)]
    if others and all(r.state is ServiceState.UP for r in others):
        return PARTIAL_OTHERS_WORK(trouble=trouble)
    return PARTIAL(trouble=trouble)
