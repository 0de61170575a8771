"""Plain sentences for a shop owner: what is wrong, whose fault it is, and the evidence.

Every sentence is a `Message` from a `Template` declared here, so the edges can say it in the
owner's language; `join_names`, `duration` and `clock` stay as plain English helpers for
technical text (settings warnings, logs) and the places not yet translated."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from traywatch.core.models import (
    Hint,
    Layer,
    ProbeResult,
    ReferenceResult,
    ServiceResult,
    ServiceState,
)
from traywatch.core.safe_text import shown_host
from traywatch.i18n import Decimal, Duration, Message, Names, Template, join, names
from traywatch.i18n.message import Param

if TYPE_CHECKING:
    pass

Sentence = tuple[Message, Message]  # (summary for the owner, technical detail)


def join_names(items: Sequence[str], limit: int = 3) -> str:
    """'Facebook', 'Facebook and Instagram', 'Facebook, Instagram, WhatsApp and 4 more' (plain
    English, for technical warnings; owner-facing sentences take a `Names` parameter)."""
    items = list(dict.fromkeys(items))
    if not items:
        return ""
    if len(items) > limit + 1:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def duration(seconds: float) -> str:
    """'45 s', '12 min', '2 h 14 min', '3 d 4 h'. Never negative (plain English)."""
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


def clock(moment: datetime, now: datetime | None = None) -> str:
    """Local time of day, with the date when it is not today: '14:05', '5 Mar 14:05'."""
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    return local.strftime("%H:%M") if local.date() == today else f"{local.day} {local.strftime('%b %H:%M')}"


# -- pieces shared by the sentences -------------------------------------------------------------
THEN = Template("verdict.then", "{first}; {then}")  # two facts in one sentence
EITHER = Template("verdict.either", "{first} or {second}")
EVIDENCE = Template("verdict.evidence", "{provider}: {detail}")
RECHECK = Template("service.recheck", "{detail} (next re-check in {wait})")


def chain(link: Template, items: Iterable[Param]) -> Message:
    """Items linked pairwise by `link` ('{first}; {then}'), nested from the right; nothing for none."""
    said = [i for i in items if i != ""]
    if not said:
        return join()
    out: Param = said[-1]
    for item in reversed(said[:-1]):
        out = link(first=item, then=out)
    return out if isinstance(out, Message) else join(out)


def semicolons(items: Iterable[Param]) -> Message:
    """Facts said one after another with semicolons ('a; b; c'); nothing for none."""
    return chain(THEN, items)


def semicolon_items(text: str) -> list[str]:
    """The facts of a `semicolons()` text, one by one (a plain string is one fact)."""
    if isinstance(text, Message) and text.code == THEN.code:
        first, then = text.params["first"], text.params["then"]
        return [*semicolon_items(first), *semicolon_items(then)]  # type: ignore[arg-type]
    return [text] if text else []


def _providers(refs: Iterable[ReferenceResult], either: bool = False) -> Param:
    """The first two distinct providers: 'Google and Cloudflare' / 'Google or Cloudflare'."""
    found = list(dict.fromkeys(r.provider for r in refs))[:2]
    if either and len(found) == 2:
        return EITHER(first=found[0], second=found[1])
    return Names(found)


def _evidence(refs: Sequence[ReferenceResult]) -> Message:
    return semicolons(EVIDENCE(provider=r.provider, detail=r.probe.detail) for r in refs)


def with_recheck(detail: str, wait_s: float) -> Message:
    """A carried service's detail with its countdown, for the menus: '... (next re-check in 2 min)'.
    Rounded up, so a re-check still ahead never reads '0 s'."""
    return RECHECK(detail=_steady(detail), wait=Duration(max(1, math.ceil(wait_s))))


def _steady(detail: str) -> str:
    """The detail without its re-check countdown: summaries must not change every round."""
    if isinstance(detail, Message) and detail.code == RECHECK.code:
        return detail.params["detail"]  # type: ignore[return-value]
    return detail


# -- our own connection at fault -----------------------------------------------------------------
OS_DISCONNECTED = Template(
    "verdict.os_disconnected",
    "Your internet is down: this computer reports no network connection — "
    "check the Wi-Fi or cable. This is not Meta.",
)
OS_DISCONNECTED_DETAIL = Template(
    "verdict.os_disconnected_detail", "the operating system reports no network connection"
)
CAPTIVE_PORTAL = Template(
    "verdict.captive_portal",
    "Your network wants you to sign in first: web checks are sent to a sign-in page "
    "instead of the internet. Open a browser and sign in.",
)
CAPTIVE_PORTAL_AT = Template(
    "verdict.captive_portal_at",
    "Your network wants you to sign in first: web checks are sent to a sign-in page ({host}) "
    "instead of the internet. Open a browser and sign in.",
)
INTERCEPTION = Template(
    "verdict.interception",
    "Something on your network is intercepting secure connections ({providers} "
    "certificates are not trusted), so Meta's apps may refuse to work. This is not Meta.",
)
CLOCK_WRONG = Template(
    "verdict.clock_wrong",
    "Secure websites are rejected because this computer's date or time looks wrong — "
    "correct the clock and everything should work again. This is not Meta.",
)
INTERNET_DOWN_DNS = Template(
    "verdict.internet_down_dns",
    "Your internet is down: no web address can be looked up, not Meta's and not those of "
    "{providers} — check your router. This is not Meta.",
)
INTERNET_DOWN_DNS_DETAIL = Template("verdict.internet_down_dns_detail", "every name lookup failed: {detail}")
INTERNET_DOWN = Template(
    "verdict.internet_down",
    "Your internet is down: neither Meta nor {providers} can be reached — "
    "check your router, Wi-Fi or cable. This is not Meta.",
)
INTERNET_DOWN_DETAIL = Template("verdict.internet_down_detail", "no connectivity check answered: {detail}")
NO_CHECKS = Template("verdict.no_checks", "no checks configured")


def os_disconnected() -> Sentence:
    return OS_DISCONNECTED(), OS_DISCONNECTED_DETAIL()


def captive_portal(refs: Sequence[ReferenceResult]) -> Sentence:
    target = next((r.probe.redirect_to for r in refs if r.probe.redirect_to), None)
    host = shown_host(target) if target else None
    summary = CAPTIVE_PORTAL_AT(host=host) if host else CAPTIVE_PORTAL()
    return summary, _evidence(refs)


def interception(refs: Sequence[ReferenceResult]) -> Sentence:
    return INTERCEPTION(providers=_providers(refs)), _evidence(refs)


def clock_wrong(refs: Sequence[ReferenceResult]) -> Sentence:
    return CLOCK_WRONG(), _evidence(refs)


def internet_down(refs: Sequence[ReferenceResult]) -> Sentence:
    failed = [r.probe for r in refs if not r.probe.ok]
    if failed and all(p.failed_layer is Layer.DNS for p in failed):
        return (
            INTERNET_DOWN_DNS(providers=_providers(refs, either=True)),
            INTERNET_DOWN_DNS_DETAIL(detail=failed[0].detail),
        )
    first: Param = failed[0].detail if failed else NO_CHECKS()
    return INTERNET_DOWN(providers=_providers(refs, either=True)), INTERNET_DOWN_DETAIL(detail=first)


def internet_up(refs: Sequence[ReferenceResult], meta_alive: bool) -> Message:
    ok = [r for r in refs if r.probe.ok]
    if not ok and meta_alive:
        return INTERNET_UP_BY_META()
    return INTERNET_UP(answered=len(ok), total=len(refs), providers=_providers(ok))


INTERNET_UP_BY_META = Template(
    "verdict.internet_up_by_meta",
    "the usual connectivity checks did not answer, but Meta did: your internet works",
)
INTERNET_UP = Template(
    "verdict.internet_up", "{answered} of {total} connectivity checks answered ({providers})"
)
ANSWERS_NORMALLY = Template("service.answers_normally", "answers normally ({ms} ms)")


def answers_normally(ok: Sequence[ProbeResult]) -> Message:
    latency = max((p.latency_ms or 0.0 for p in ok), default=0.0)
    return ANSWERS_NORMALLY(ms=Decimal(latency, 0))


# -- facts about this address or network, shown beside a service's state ------------------------
RATE_LIMITED_NOTE = Template(
    "service.rate_limited", "{name} is limiting requests from your address (HTTP 429)"
)
RATE_LIMITED_DETAIL = Template(
    "service.rate_limited_detail",
    "{note}: usual on shared, office, VPN or datacenter connections, not an outage",
)
TURNING_AWAY = Template(
    "service.turning_away", "{host} turns requests away (HTTP 429) while other Meta services fail too"
)
PORT_BLOCKED_NOTE = Template(
    "service.port_blocked",
    "your network blocks {name}'s port {port} ({how}), so {name} uses port {fallback} instead",
)
PORT_BLOCKED_SENTENCE = Template(
    "verdict.port_blocked",
    "Your network blocks {name}'s port {port} ({how}), so {name} uses port {fallback} instead.",
)
PORT_SILENT = Template("service.port_silent", "no answer")
PORT_REFUSED = Template("service.port_refused", "refused")
LIMITED_CLAUSE = Template(
    "verdict.rate_limited",
    "{names} is limiting requests from your address (HTTP 429) — not an outage.",
    "{names} are limiting requests from your address (HTTP 429) — not an outage.",
    count="n",
)


def rate_limited_note(name: str) -> Message:
    return RATE_LIMITED_NOTE(name=name)


def rate_limited_detail(note: str) -> Message:
    return RATE_LIMITED_DETAIL(note=note)


def turning_away(limited: ProbeResult) -> Message:
    return TURNING_AWAY(host=urlsplit(limited.target).hostname or limited.target)


def port_blocked_note(name: str, probe: ProbeResult, fallback: int) -> Message:
    how = PORT_SILENT() if probe.has(Hint.TIMEOUT) else PORT_REFUSED()
    port = urlsplit(probe.target).port
    return PORT_BLOCKED_NOTE(name=name, port=str(port), how=how, fallback=str(fallback))


def notes_clause(results: Sequence[ServiceResult]) -> list[str]:
    """The sentences ending a summary on what this address or network meets ('Instagram is
    limiting requests from your address (HTTP 429) — not an outage.'), said once, never as Meta's
    trouble. Services limiting this address share one sentence, however many they are."""
    noted = [r for r in results if r.note and r.state is ServiceState.UP]
    limited = [r for r in noted if any(_is(n, RATE_LIMITED_NOTE) for n in semicolon_items(r.note))]
    sentences: list[str] = []
    if limited:
        sentences.append(LIMITED_CLAUSE(names=names(r.name for r in limited), n=len(limited)))
    for r in noted:
        for note in semicolon_items(r.note):
            if _is(note, PORT_BLOCKED_NOTE):
                sentences.append(PORT_BLOCKED_SENTENCE(**note.params))  # type: ignore[attr-defined]
            elif not _is(note, RATE_LIMITED_NOTE):
                sentences.append(note)  # a note from elsewhere, said as it is
    return sentences


def _is(text: str, template: Template) -> bool:
    return isinstance(text, Message) and text.code == template.code
