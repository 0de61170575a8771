"""Concise builders for probe results, references, service probes and rounds (no network).

The references and services come from the real built-in catalogue, so a test that says
"every Meta target fails at DNS" covers exactly the targets traywatch probes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from traywatch.core.catalogue import Catalogue, load_catalogue
from traywatch.core.models import (
    Hint,
    InternetState,
    InternetStatus,
    Layer,
    ProbeResult,
    ReferenceResult,
    RoundResult,
    ServiceResult,
    ServiceState,
    Verdict,
)
from traywatch.core.verdict.diagnosis import Diagnosis, ServiceProbes
from traywatch.core.watch.monitor import verdict_of

Maker = Callable[[str], ProbeResult]  # target URL -> the probe result for it
PORTAL_URL = "http://login.portal.example/login?continue=1"
T0 = datetime(2024, 12, 11, 17, 40, tzinfo=UTC)


@functools.cache
def catalogue() -> Catalogue:
    return load_catalogue()


def service_ids() -> tuple[str, ...]:
    return tuple(s.id for s in catalogue().services)


def service_name(sid: str) -> str:
    return next(s.name for s in catalogue().services if s.id == sid)


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


# -- single probe results ------------------------------------------------------------------------
def ok(
    url: str = "https://www.facebook.com/", latency_ms: float = 120.0, status: int | None = 200
) -> ProbeResult:
    if url.startswith("tcp://"):
        status = None
    return ProbeResult(url, True, None, latency_ms, f"HTTP {status}" if status else "connects", status)


def fail(
    url: str,
    layer: Layer,
    *hints: Hint,
    detail: str = "",
    status: int | None = None,
    latency_ms: float | None = 50.0,
    retry_after_s: float | None = None,
    redirect_to: str | None = None,
    addresses: tuple[str, ...] = (),
    error_phrase: str | None = None,
) -> ProbeResult:
    return ProbeResult(
        target=url,
        ok=False,
        failed_layer=layer,
        latency_ms=latency_ms,
        detail=detail or f"{_host(url)} failed at {layer.value}",
        status=status,
        hints=frozenset(hints),
        addresses=addresses,
        retry_after_s=retry_after_s,
        redirect_to=redirect_to,
        error_phrase=error_phrase,
    )


def slow(ms: float) -> Maker:
    return lambda url: ok(url, latency_ms=ms)


def dns_servfail(url: str) -> ProbeResult:
    return fail(url, Layer.DNS, Hint.DNS_SERVFAIL, detail=f"lookup of {_host(url)} failed (SERVFAIL)")


def dns_no_answer(url: str) -> ProbeResult:
    return fail(url, Layer.DNS, Hint.DNS_NO_ANSWER, Hint.TIMEOUT, detail=f"no DNS answer for {_host(url)}")


def tcp_timeout(url: str) -> ProbeResult:
    return fail(url, Layer.TCP, Hint.TIMEOUT, detail=f"{_host(url)} did not answer", latency_ms=None)


def tcp_unreachable(url: str) -> ProbeResult:
    return fail(
        url, Layer.TCP, Hint.REFUSED, detail=f"{_host(url)} is unreachable (no route to the internet)"
    )


def tls_untrusted(url: str) -> ProbeResult:
    return fail(url, Layer.TLS, Hint.UNTRUSTED_CERT, detail=f"{_host(url)}'s certificate is not trusted")


def tls_timeout(url: str) -> ProbeResult:
    return fail(url, Layer.TLS, Hint.TIMEOUT, detail=f"{_host(url)} did not complete the secure handshake")


def tls_clock(url: str) -> ProbeResult:
    return fail(url, Layer.TLS, Hint.CLOCK, detail=f"{_host(url)}'s certificate is expired (clock?)")


def server_error(
    url: str, status: int = 503, phrase: str | None = "Sorry, something went wrong"
) -> ProbeResult:
    """A 5xx answer; `phrase`: the error-page text found in it (None: a plain body)."""
    quoted = f' ("{phrase}")' if phrase else ""
    return fail(
        url,
        Layer.HTTP,
        Hint.SERVER_ERROR,
        *((Hint.ERROR_PAGE,) if phrase else ()),
        status=status,
        detail=f"{_host(url)} answered with a server error (HTTP {status}){quoted}",
        error_phrase=phrase,
    )


def error_page_200(url: str, phrase: str = "Sorry, something went wrong") -> ProbeResult:
    """Meta's edge error page served with HTTP 200: no server error, the page's words quoted."""
    detail = f'{_host(url)} shows an error page ("{phrase}")'
    return fail(url, Layer.CONTENT, Hint.ERROR_PAGE, status=200, detail=detail, error_phrase=phrase)


def plain_server_error(status: int) -> Maker:
    """A 5xx with a plain body ("502 Bad Gateway"): no error page, no phrase."""
    return lambda url: server_error(url, status, phrase=None)


def rate_limited(retry_after_s: float | None = 120.0) -> Maker:
    return lambda url: fail(
        url,
        Layer.HTTP,
        Hint.RATE_LIMITED,
        status=429,
        retry_after_s=retry_after_s,
        detail=f"{_host(url)} is limiting requests from your address (HTTP 429)",
    )


def portal(url: str) -> ProbeResult:
    return fail(
        url,
        Layer.CONTENT,
        Hint.PORTAL,
        status=302,
        redirect_to=PORTAL_URL,
        detail=f"{_host(url)} was redirected to login.portal.example",
    )


def blocked(address: str = "0.0.0.0") -> Maker:
    return lambda url: fail(
        url,
        Layer.DNS,
        Hint.BLOCKED_ADDRESS,
        addresses=(address,),
        detail=f"{_host(url)} was answered with {address}: a blocked or local address",
    )


def by_scheme(http: Maker = ok, https: Maker = ok, tcp: Maker = ok) -> Maker:
    """Pick the maker by the target's scheme (plain-http references vs https ones, tcp targets)."""
    return lambda url: {"http": http, "https": https, "tcp": tcp}[urlsplit(url).scheme](url)


# -- a round's inputs ----------------------------------------------------------------------------
def references(default: Maker = ok, **by_id: Maker) -> tuple[ReferenceResult, ...]:
    """Every reference of the catalogue, probed with `default` unless named (id with '-' as '_')."""
    out = []
    for ref in catalogue().references:
        make = by_id.get(ref.id.replace("-", "_"), default)
        out.append(ReferenceResult(ref.id, ref.provider, make(ref.target.url)))
    return tuple(out)


ServiceSpecArg = Maker | Iterable[Maker] | ServiceResult


def services(default: Maker = ok, **by_id: ServiceSpecArg) -> tuple[ServiceProbes, ...]:
    """Every catalogue service. A value per id is one maker for all its targets, one maker per
    target (a list), or a ServiceResult meaning "carried over, not probed this round"."""
    out = []
    for spec in catalogue().services:
        arg = by_id.get(spec.id, default)
        if isinstance(arg, ServiceResult):
            out.append(ServiceProbes(spec.id, spec.name, (), arg))
            continue
        makers = [arg] * len(spec.targets) if callable(arg) else list(arg)
        assert len(makers) == len(spec.targets), f"{spec.id} has {len(spec.targets)} targets"
        probes = tuple(make(t.url) for make, t in zip(makers, spec.targets, strict=True))
        fallbacks = {t.url: t.fallback_port for t in spec.targets if t.fallback_port}
        out.append(ServiceProbes(spec.id, spec.name, probes, fallback_ports=fallbacks))
    return tuple(out)


# -- rounds for the monitor ----------------------------------------------------------------------
def service_result(
    sid: str,
    state: ServiceState,
    *,
    retry_after_s: float | None = None,
    checked: bool = True,
) -> ServiceResult:
    """`retry_after_s`: a 429 asking for that wait when the state is up (Meta limiting this
    address), a 503 with that Retry-After when it is trouble."""
    url = f"https://{sid}.example/"
    if state in (ServiceState.UP, ServiceState.UNKNOWN) and retry_after_s is None:
        probes: tuple[ProbeResult, ...] = (ok(url),)
    elif retry_after_s is not None and state in (ServiceState.UP, ServiceState.UNKNOWN):
        probes = (rate_limited(retry_after_s)(url),)
    else:
        probes = (replace(server_error(url), retry_after_s=retry_after_s),)
    layer = probes[0].failed_layer
    detail = "answers normally" if state is ServiceState.UP else probes[0].detail
    return ServiceResult(sid, service_name(sid), state, layer, 100.0, detail, probes, checked)


def make_round(
    at: datetime,
    states: Mapping[str, ServiceState] | None = None,
    *,
    internet: InternetState = InternetState.UP,
    retry_after: Mapping[str, float] | None = None,
    carried: Mapping[str, ServiceResult] | None = None,
    summary: str | None = None,
) -> RoundResult:
    """A round as the engine would report it. Services default to up; while our internet is not
    up every service is unknown (that is what the diagnosis reports then)."""
    states = dict(states or {})
    retry_after = retry_after or {}
    carried = carried or {}
    results = []
    for sid in service_ids():
        if internet is not InternetState.UP:
            results.append(service_result(sid, ServiceState.UNKNOWN))
        elif sid in carried:
            results.append(carried[sid])
        else:
            state = states.get(sid, ServiceState.UP)
            results.append(service_result(sid, state, retry_after_s=retry_after.get(sid)))
    if internet is InternetState.DOWN:
        verdict = Verdict.INTERNET_DOWN
    elif internet is InternetState.LIMITED:
        verdict = Verdict.NETWORK_LIMITED
    else:
        verdict = verdict_of({r.id: r.state for r in results})
    refs_ok = internet is InternetState.UP
    refs = references(ok if refs_ok else tcp_unreachable)
    return RoundResult(
        verdict=verdict,
        summary=summary or f"round at {at:%H:%M:%S}: {verdict.value}",
        internet=InternetStatus(internet, "synthetic"),
        services=tuple(results),
        references=refs,
        checked_at=at,
        duration_ms=42.0,
    )


def round_from(d: Diagnosis, at: datetime, refs: tuple[ReferenceResult, ...] = ()) -> RoundResult:
    """The round the engine reports for a diagnosis (no Meta Status, no signed-in check)."""
    return RoundResult(d.verdict, d.summary, d.internet, d.services, refs or references(), at, 42.0)


class FakeClock:
    """A monotonic clock and a wall clock that the test moves by hand."""

    def __init__(self, start: datetime = T0) -> None:
        self.mono = 1000.0
        self.wall = start

    def __call__(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)
