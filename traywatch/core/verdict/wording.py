"""Plain sentences for a shop owner: what is wrong, whose fault it is, and the evidence."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from traywatch.core.metastatus.status import OfficialState, OfficialStatus, OrgStatus
from traywatch.core.models import (
    Hint,
    Layer,
    ProbeResult,
    ReferenceResult,
    ServiceResult,
    ServiceState,
    Verdict,
)
from traywatch.core.safe_text import shown_host

if TYPE_CHECKING:
    from traywatch.core.verdict.service_judge import ServiceProbes

Sentence = tuple[str, str]  # (summary for the owner, technical detail)


def join_names(names: Sequence[str], limit: int = 3) -> str:
    """'Facebook', 'Facebook and Instagram', 'Facebook, Instagram, WhatsApp and 4 more'."""
    names = list(dict.fromkeys(names))
    if not names:
        return ""
    if len(names) > limit + 1:
        return f"{', '.join(names[:limit])} and {len(names) - limit} more"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def duration(seconds: float) -> str:
    """'45 s', '12 min', '2 h 14 min', '3 d 4 h'. Never negative."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    minutes = s // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _providers(refs: Iterable[ReferenceResult], word: str = "and") -> str:
    """The first two distinct providers: 'Google and Cloudflare' / 'Google or Cloudflare'."""
    names = list(dict.fromkeys(r.provider for r in refs))[:2]
    return f" {word} ".join(names)


_RECHECK = re.compile(r" \(next re-check in [^()]*\)$")


def with_recheck(detail: str, wait_s: float) -> str:
    """A carried service's detail with its countdown, for the menus: '... (next re-check in 2 min)'.
    Rounded up, so a re-check still ahead never reads '0 s'."""
    return f"{detail} (next re-check in {duration(max(1, math.ceil(wait_s)))})"


def _steady(detail: str) -> str:
    """The detail without its re-check countdown: summaries must not change every round."""
    return _RECHECK.sub("", detail)


def os_disconnected() -> Sentence:
    return (
        "Your internet is down: this computer reports no network connection — "
        "check the Wi-Fi or cable. This is not Meta.",
        "the operating system reports no network connection",
    )


def captive_portal(refs: Sequence[ReferenceResult]) -> Sentence:
    target = next((r.probe.redirect_to for r in refs if r.probe.redirect_to), None)
    host = shown_host(target) if target else None
    where = f" ({host})" if host else ""
    return (
        f"Your network wants you to sign in first: web checks are sent to a sign-in page{where} "
        "instead of the internet. Open a browser and sign in.",
        "; ".join(f"{r.provider}: {r.probe.detail}" for r in refs),
    )


def interception(refs: Sequence[ReferenceResult]) -> Sentence:
    return (
        f"Something on your network is intercepting secure connections ({_providers(refs)} "
        "certificates are not trusted), so Meta's apps may refuse to work. This is not Meta.",
        "; ".join(f"{r.provider}: {r.probe.detail}" for r in refs),
    )


def clock_wrong(refs: Sequence[ReferenceResult]) -> Sentence:
    return (
        "Secure websites are rejected because this computer's date or time looks wrong — "
        "correct the clock and everything should work again. This is not Meta.",
        "; ".join(f"{r.provider}: {r.probe.detail}" for r in refs),
    )


def internet_down(refs: Sequence[ReferenceResult]) -> Sentence:
    failed = [r.probe for r in refs if not r.probe.ok]
    if failed and all(p.failed_layer is Layer.DNS for p in failed):
        return (
            "Your internet is down: no web address can be looked up, neither Meta's nor "
            f"{_providers(refs, 'or')}'s — check your router. This is not Meta.",
            "every name lookup failed: " + (failed[0].detail if failed else ""),
        )
    return (
        f"Your internet is down: neither Meta nor {_providers(refs, 'or')} can be reached — "
        "check your router, Wi-Fi or cable. This is not Meta.",
        "no connectivity check answered: " + (failed[0].detail if failed else "no checks configured"),
    )


def _block_parts(
    blocked: Sequence[ServiceProbes],
    intercepted: Sequence[ServiceProbes],
    redirected: Sequence[ServiceProbes],
) -> tuple[str, str]:
    """('your network blocks Facebook: ...; your network sends Threads to ...', the evidence)."""
    parts = []
    if blocked:
        first = next(p for s in blocked for p in s.probes if p.has(Hint.BLOCKED_ADDRESS))
        address = first.addresses[0] if first.addresses else "a local address"
        their = "its address is" if len(blocked) == 1 else "their addresses are"
        parts.append(
            f"your network blocks {join_names([s.name for s in blocked])}: {their} "
            f"answered with {address} instead of Meta's"
        )
    if intercepted:
        parts.append(
            f"your network intercepts the secure connection to {join_names([s.name for s in intercepted])}"
        )
    if redirected:
        target = next((p.redirect_to for s in redirected for p in s.probes if p.redirect_to), None)
        host = shown_host(target) if target else None
        where = f" ({host})" if host else ""
        parts.append(
            f"your network sends {join_names([s.name for s in redirected])} to a block or sign-in page{where}"
        )
    evidence = "; ".join(
        p.detail for s in [*blocked, *intercepted, *redirected] for p in s.probes if not p.ok
    )
    return "; ".join(parts), evidence


def meta_blocked(
    blocked: Sequence[ServiceProbes],
    intercepted: Sequence[ServiceProbes],
    redirected: Sequence[ServiceProbes] = (),
    *,
    beside_meta_trouble: bool = False,
) -> Sentence:
    """Nothing but blocking seen: the network's doing, not Meta's. `beside_meta_trouble`: the
    clause after a Meta-trouble summary instead ("Your network also blocks Instagram: ...")."""
    sentence, evidence = _block_parts(blocked, intercepted, redirected)
    if beside_meta_trouble:
        return f"Your network also {sentence.removeprefix('your network ')}.", evidence
    return (
        f"{sentence[0].upper()}{sentence[1:]} — ask whoever runs this network (a web filter or "
        "firewall). This is not Meta.",
        evidence,
    )


def internet_up(refs: Sequence[ReferenceResult], meta_alive: bool) -> str:
    ok = [r for r in refs if r.probe.ok]
    if not ok and meta_alive:
        return "the usual connectivity checks did not answer, but Meta did: your internet works"
    return f"{len(ok)} of {len(refs)} connectivity checks answered ({_providers(ok)})"


def answers_normally(ok: Sequence[ProbeResult]) -> str:
    latency = max((p.latency_ms or 0.0 for p in ok), default=0.0)
    return f"answers normally ({latency:.0f} ms)"


# -- facts about this address or network, shown beside a service's state ------------------------
def rate_limited_note(name: str) -> str:
    return f"{name} is limiting requests from your address (HTTP 429)"


def rate_limited_detail(note: str) -> str:
    return f"{note}: usual on shared, office, VPN or datacenter connections, not an outage"


def turning_away(limited: ProbeResult) -> str:
    host = urlsplit(limited.target).hostname or limited.target
    return f"{host} turns requests away (HTTP 429) while other Meta services fail too"


def port_blocked_note(name: str, probe: ProbeResult, fallback: int) -> str:
    parts = urlsplit(probe.target)
    how = "no answer" if probe.has(Hint.TIMEOUT) else "refused"
    return f"your network blocks {name}'s port {parts.port} ({how}), so {name} uses port {fallback} instead"


def notes_clause(results: Sequence[ServiceResult]) -> str:
    """' Instagram is limiting requests from your address (HTTP 429) — not an outage.' for the
    end of a summary: what this address or network meets, said once, never as Meta's trouble.
    Services limiting this address share one sentence ('Facebook, Instagram, WhatsApp and 4 more
    are limiting ...'), however many they are."""
    noted = [r for r in results if r.note and r.state is ServiceState.UP]
    limited = [r for r in noted if rate_limited_note(r.name) in r.note.split("; ")]
    sentences = []
    if limited:
        verb = "is" if len(limited) == 1 else "are"
        sentences.append(
            f" {join_names([r.name for r in limited])} {verb} limiting requests from your address"
            " (HTTP 429) — not an outage."
        )
    for r in noted:
        for note in r.note.split("; "):
            if note != rate_limited_note(r.name):
                sentences.append(f" {note[0].upper()}{note[1:]}.")
    return "".join(sentences)


def all_working(names: Sequence[str]) -> str:
    """The all-clear for the services watched: 'all 7', 'both', the one by name, or none."""
    if not names:
        return "Your internet is working; no Meta service is watched (all are turned off in the settings)."
    if len(names) == 1:
        return f"Your internet and {names[0]} are working."
    if len(names) == 2:
        return "Your internet and both Meta services you watch are working."
    return f"Your internet and all {len(names)} Meta services are working."


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


def _server_answers(down: Sequence[ServiceResult]) -> str:
    """'server errors (HTTP 500 and 502)', 'server errors (HTTP 503, "Sorry, something went
    wrong")', 'error pages ("...")': only what the answers really said is quoted."""
    probes = [p for r in down for p in r.probes if not p.ok]
    statuses = sorted({p.status for p in probes if p.has(Hint.SERVER_ERROR) and p.status})
    phrase = next((p.error_phrase for p in probes if p.has(Hint.ERROR_PAGE) and p.error_phrase), None)
    if statuses:
        said = f', "{phrase}"' if phrase else ""
        return f"server errors (HTTP {join_names([str(s) for s in statuses])}{said})"
    return f'error pages ("{phrase}")' if phrase else "error pages"


def meta_summary(verdict: Verdict, results: Sequence[ServiceResult], refs: Sequence[ReferenceResult]) -> str:
    ok_refs = [r for r in refs if r.probe.ok]
    # The evidence that our own internet works: the checks that answered, or else Meta's own edges.
    controls = f"{_providers(ok_refs)} answer fine" if ok_refs else "other Meta servers still answer"
    if verdict is Verdict.OK:
        return all_working([r.name for r in results]) + notes_clause(results)
    text = _trouble_summary(verdict, results, controls)
    down = [r for r in results if r.state is ServiceState.DOWN]
    logins = any(p.has(Hint.AUTH_FAILING) for r in down for p in r.probes)
    if logins and any(r.state is not ServiceState.DOWN for r in results):
        text += march_2024_clause()
    return text + notes_clause(results)


def _trouble_summary(verdict: Verdict, results: Sequence[ServiceResult], controls: str) -> str:
    down = [r for r in results if r.state is ServiceState.DOWN]
    slow = [r for r in results if r.state is ServiceState.DEGRADED]
    if verdict is Verdict.META_DOWN:
        names = join_names([r.name for r in down])
        one = len(down) == 1  # a single watched service can be "Meta" down too
        pattern = _pattern(down)
        if pattern == "dns":
            addresses = "address" if one else "addresses"
            return (
                f"Meta is down: the {addresses} of {names} can't be looked up, while {controls} "
                "— the same pattern as the October 2021 outage."
            )
        if pattern == "server":
            december = " — the same pattern as the December 2024 outage" if _like_december_2024(down) else ""
            return (
                f"Meta is down: {names} {'answers' if one else 'answer'} with {_server_answers(down)} "
                f"while your internet works{december}."
            )
        if pattern == "silent":
            return f"Meta is down: {names} {'doesn' if one else 'don'}'t answer at all, while {controls}."
        return f"Meta is down: {names} {'fails' if one else 'fail'}, while {controls}."
    parts = []
    if down:
        detail = _steady(down[0].detail) if len(down) == 1 else ""
        verb = "is" if len(down) == 1 else "are"
        parts.append(f"{join_names([r.name for r in down])} {verb} down" + (f" ({detail})" if detail else ""))
    if slow:
        verb = "has" if len(slow) == 1 else "have"
        parts.append(f"{join_names([r.name for r in slow])} {verb} problems ({_steady(slow[0].detail)})")
    text = "; ".join(parts)
    text = text[0].upper() + text[1:]
    others = [r for r in results if r.state not in (ServiceState.DOWN, ServiceState.DEGRADED)]
    if others and all(r.state is ServiceState.UP for r in others):
        return f"{text}, while your internet and the other Meta services work."
    return f"{text}, while your internet works."


# -- Meta's own word (Meta Status) and the owner's signed-in check --------------------------------
def clock(moment: datetime, now: datetime | None = None) -> str:
    """Local time of day, with the date when it is not today: '14:05', '5 Mar 14:05'."""
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    return local.strftime("%H:%M") if local.date() == today else f"{local.day} {local.strftime('%b %H:%M')}"


def official_words(org: OrgStatus) -> str:
    """'major disruption', 'minor disruption', or Meta's own unknown status text in quotes."""
    if org.state is OfficialState.MAJOR:
        return "major disruption"
    if org.state is OfficialState.MINOR:
        return "minor disruption"
    return f'"{org.text}"' if org.text else "an unclear status"


def _official_problem(orgs: Sequence[OrgStatus], now: datetime | None, article: bool = False) -> str:
    """'major disruption for Graph API and Facebook Login since 14:05' ('a major ...' with
    `article`; Meta's own words in quotes never get one)."""
    top = max(orgs, key=lambda o: (o.state is OfficialState.MAJOR, o.state is OfficialState.MINOR))
    names = join_names([o.name for o in orgs if o.state is top.state])
    starts = [o.since for o in orgs if o.since is not None]
    since = f" since {clock(min(starts), now)}" if starts else ""
    a = "a " if article and top.state in (OfficialState.MAJOR, OfficialState.MINOR) else ""
    return f"{a}{official_words(top)} for {names}{since}"


def official_detail(watched: Sequence[OrgStatus], now: datetime | None = None) -> str:
    """The official section's sentence: what Meta Status says about the business tools."""
    troubled = [o for o in watched if o.state.trouble]
    if not troubled:
        return "Meta Status: no known issues with Meta's business tools"
    return f"Meta confirms: {_official_problem(troubled, now)}"


def official_clause(
    official: OfficialStatus, troubled_ids: Sequence[str], covered: bool, now: datetime | None = None
) -> str:
    """The sentence added to a Meta-trouble summary: Meta's word beside our own measurement."""
    if official.state is OfficialState.UNAVAILABLE:
        return ""
    confirming = official.troubled(troubled_ids)
    if confirming:
        return f" Meta confirms: {_official_problem(confirming, now)}."
    elsewhere = official.troubled()  # about other business tools: related, perhaps, not a confirmation
    if elsewhere:
        return f" Meta Status shows: {_official_problem(elsewhere, now)}."
    if not covered:
        return " Meta has not acknowledged this yet (its status page lists only its business tools)."
    return " Meta has not acknowledged this yet."


def official_disagrees(reported: Sequence[OrgStatus], now: datetime | None = None) -> str:
    """Continues an all-working summary (its final full stop removed) when Meta Status reports
    trouble for services we watch: our probes see only what an anonymous visitor sees."""
    return f" from here, but Meta Status reports {_official_problem(reported, now, article=True)}."


def march_2024_clause() -> str:
    return " Logins fail while the pages load — the same pattern as the March 2024 outage."
