"""One layered probe: resolve, connect, TLS, HTTP, content — each step timed and attributed.

The steps are done explicitly (not by an HTTP library's all-in-one call) so that every failure
names its layer, redirects are judged instead of followed, and bodies are read with a size cap.
Proxies from the environment (HTTPS_PROXY / HTTP_PROXY / NO_PROXY) are honoured.
"""

from __future__ import annotations

import base64
import errno
import http.client
import logging
import socket
import ssl
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from traywatch import __version__
from traywatch.core.catalogue import TargetSpec
from traywatch.core.models import Hint, Layer, ProbeResult
from traywatch.core.net import probe_texts as T
from traywatch.core.net.deadline_io import DeadlineSocket
from traywatch.core.net.judge import MAX_RETRY_AFTER_S, ProbeFailure, judge
from traywatch.core.net.resolver import ResolveError, Resolver, ip_literal, is_blocking_address
from traywatch.core.safe_text import clean, clean_url
from traywatch.i18n import Decimal

__all__ = [
    "BODY_CAP",
    "MAX_RETRY_AFTER_S",
    "USER_AGENT",
    "ProbeContext",
    "ProbeFailure",
    "Progress",
    "env_proxy_for",
    "open_connection",
    "run_probe",
    "timeout_result",
]

log = logging.getLogger(__name__)

BODY_CAP = 16 * 1024
MAX_DETAIL = 400  # characters of a probe's detail (a proxy's status line is the network's words)
_RCVBUF = 16 * 1024  # the kernel doubles it for its own bookkeeping
MAX_REFUSED = 3  # stored TLS sessions a server may refuse (one expiring now and then) before none is kept
FALLBACK_CONNECT_S = 3.0  # SYN sent, resent after 1 s; no answer by 3 s: dropped
USER_AGENT = f"traywatch/{__version__} (connectivity check)"
# OpenSSL's verify codes for a certificate outside its dates: very often the computer's clock.
_CLOCK_CODES = {9: T.CERT_NOT_YET_VALID, 10: T.CERT_EXPIRED}


@dataclass
class Progress:
    """Where a running probe is; read by the engine when the round's deadline passes."""

    layer: Layer = Layer.DNS
    started: float = field(default_factory=time.monotonic)
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProbeContext:
    resolver: Resolver
    ssl_context: ssl.SSLContext
    proxy_for: Callable[[str], str | None]
    body_cap: int = BODY_CAP
    allow_local_addresses: bool = False
    # TLS sessions per host:port, resumed in later rounds (saves the certificate chain's bytes).
    # A session is kept while the server resumes it: reading `SSLSocket.session` leaks the copy it
    # makes (python/cpython#116810: 3.10 and 3.11, and 3.12/3.13 before their fixed releases),
    # 6-14 KB a read, ~55 MB an hour at a check every 10 s; so it is read after full handshakes only.
    sessions: dict[str, ssl.SSLSession] = field(default_factory=dict)
    # Stored sessions a server refused, per host:port, over the whole run. A server that never
    # resumes (or takes each ticket once) would make every round (or every other) read one:
    # after MAX_REFUSED refusals it gets full handshakes only, and no session is read for it.
    refused: dict[str, int] = field(default_factory=dict)


def env_proxy_for(url: str) -> str | None:
    """The proxy the environment asks for this URL, or None (NO_PROXY respected)."""
    parts = urlsplit(url)
    if parts.scheme == "tcp" or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)


def _remaining(deadline: float, layer: Layer, what: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0.0:
        raise ProbeFailure(layer, T.NOT_BEFORE_DEADLINE(what=what), Hint.TIMEOUT)
    return left


def timeout_result(target: TargetSpec, progress: Progress, budget_s: float) -> ProbeResult:
    """The result for a probe still running at the deadline: failed at the layer it was in."""
    waiting = {
        Layer.DNS: T.NO_DNS_ANSWER_WITHIN,
        Layer.TCP: T.NO_CONNECTION_WITHIN,
        Layer.TLS: T.NO_HANDSHAKE_WITHIN,
        Layer.HTTP: T.SILENT_AFTER_CONNECT_WITHIN,
        Layer.CONTENT: T.UNFINISHED_WITHIN,
    }[progress.layer]
    return ProbeResult(
        target=target.url,
        ok=False,
        failed_layer=progress.layer,
        latency_ms=None,
        detail=waiting(host=target.host, seconds=Decimal(budget_s, 0)),
        hints=frozenset({Hint.TIMEOUT} | ({Hint.DNS_NO_ANSWER} if progress.layer is Layer.DNS else set())),
        addresses=progress.addresses,
    )


def run_probe(target: TargetSpec, ctx: ProbeContext, deadline: float, progress: Progress) -> ProbeResult:
    """Probe one target; never raises for network trouble (it is the result)."""
    start = time.monotonic()
    try:
        status, latency, detail, redirect = _probe(target, ctx, deadline, progress)
    except ProbeFailure as failure:
        return _failed(target, progress, start, failure)
    except Exception as exc:  # a bug meeting an answer nobody foresaw: this probe fails, not the round
        log.exception("probing %s met an answer it could not judge", target.url)
        unjudged = ProbeFailure(
            progress.layer,
            T.UNJUDGED(host=target.host, error=type(exc).__name__),
            Hint.GARBAGE,
        )
        return _failed(target, progress, start, unjudged)
    return ProbeResult(
        target=target.url,
        ok=True,
        latency_ms=latency,
        detail=T.safe(detail, MAX_DETAIL),
        status=status,
        addresses=progress.addresses,
        redirect_to=None if redirect is None else clean_url(redirect),
    )


def _failed(target: TargetSpec, progress: Progress, start: float, failure: ProbeFailure) -> ProbeResult:
    """The result of a failed probe; its words, partly the network's, made safe to show and store."""
    return ProbeResult(
        target=target.url,
        ok=False,
        failed_layer=failure.layer,
        latency_ms=(time.monotonic() - start) * 1000.0,
        detail=T.safe(failure.detail, MAX_DETAIL),
        status=failure.status,
        hints=failure.hints,
        addresses=progress.addresses,
        retry_after_s=failure.retry_after,
        redirect_to=None if failure.redirect_to is None else clean_url(failure.redirect_to),
        error_phrase=None if failure.phrase is None else clean(failure.phrase, MAX_DETAIL),
    )


def _probe(
    target: TargetSpec, ctx: ProbeContext, deadline: float, progress: Progress
) -> tuple[int | None, float, str, str | None]:
    start = time.monotonic()
    proxy = ctx.proxy_for(target.url)
    sock = open_connection(target, ctx, deadline, progress)
    try:
        if target.scheme == "tcp":
            return None, (time.monotonic() - start) * 1000.0, f"port {target.port} accepts", None
        progress.layer = Layer.HTTP
        status, headers, body, latency = _exchange(sock, target, ctx, deadline, start, proxy)
        progress.layer = Layer.CONTENT
        return judge(target, status, headers, body, latency)
    finally:
        sock.close()


def open_connection(
    target: TargetSpec, ctx: ProbeContext, deadline: float, progress: Progress
) -> socket.socket:
    """Name lookup, connect (through the environment's proxy) and, for https, the TLS handshake:
    everything before the first HTTP byte. Raises ProbeFailure naming the layer that failed."""
    proxy = ctx.proxy_for(target.url)
    connect_host, connect_port = target.host, target.port
    if proxy:
        p = urlsplit(proxy)
        connect_host, connect_port = p.hostname or "", p.port or 8080

    progress.layer = Layer.DNS
    addresses = _resolve(connect_host, ctx, deadline)
    progress.addresses = addresses
    blocked = all(is_blocking_address(a) for a in addresses)
    if blocked and not (proxy or ctx.allow_local_addresses or ip_literal(target.host)):
        raise ProbeFailure(
            Layer.DNS,
            T.BLOCKED_ADDRESS(host=target.host, address=addresses[0]),
            Hint.BLOCKED_ADDRESS,
        )

    progress.layer = Layer.TCP
    # An app port with a fallback (WhatsApp's 5222) that a network silently drops must not hold
    # the whole round until the deadline: a few seconds without an answer is answer enough.
    if target.fallback_port and not proxy:
        deadline = min(deadline, time.monotonic() + FALLBACK_CONNECT_S)
    sock = _connect(addresses, connect_port, connect_host, deadline)
    try:
        if proxy and target.scheme == "https":
            _tunnel(sock, target, proxy, deadline)
        if target.scheme == "https":
            progress.layer = Layer.TLS
            sock = _handshake(sock, target.host, ctx, f"{target.host}:{target.port}", deadline)
    except BaseException:
        sock.close()
        raise
    return sock


def _resolve(host: str, ctx: ProbeContext, deadline: float) -> tuple[str, ...]:
    left = _remaining(deadline, Layer.DNS, host)
    try:
        addresses = ctx.resolver.resolve(host, left)
    except ResolveError as exc:
        raise ProbeFailure(Layer.DNS, exc.detail, exc.hint) from exc
    if not addresses:
        raise ProbeFailure(Layer.DNS, T.NO_ADDRESSES(host=host), Hint.DNS_NXDOMAIN)
    return addresses


def _connect(addresses: tuple[str, ...], port: int, host: str, deadline: float) -> socket.socket:
    last: ProbeFailure | None = None
    for address in addresses[:3]:
        left = _remaining(deadline, Layer.TCP, host)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        label = host if host == address else T.AT_ADDRESS(host=host, address=address)
        sock = socket.socket(family, socket.SOCK_STREAM)
        # A small receive window: a server cannot push much more than the body cap before the
        # answer is read and the connection closed (real front pages are 100 KB and more).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RCVBUF)
        sock.settimeout(left)
        try:
            sock.connect((address, port))
            return sock
        except TimeoutError:
            sock.close()
            raise ProbeFailure(Layer.TCP, T.PORT_SILENT(label=label, port=str(port)), Hint.TIMEOUT) from None
        except OSError as exc:
            sock.close()
            known = {
                errno.ECONNREFUSED: T.REFUSED,
                errno.ENETUNREACH: T.NET_UNREACHABLE,
                errno.EHOSTUNREACH: T.HOST_UNREACHABLE,
            }.get(exc.errno or 0)
            reason = (
                known(label=label) if known else T.UNREACHABLE(label=label, error=str(exc.strerror or exc))
            )
            last = ProbeFailure(Layer.TCP, reason, Hint.REFUSED)
    assert last is not None
    raise last


def _tunnel(sock: socket.socket, target: TargetSpec, proxy: str, deadline: float) -> None:
    """HTTP CONNECT through the environment's proxy."""
    p = urlsplit(proxy)
    lines = [f"CONNECT {target.host}:{target.port} HTTP/1.1", f"Host: {target.host}:{target.port}"]
    if p.username:
        token = base64.b64encode(f"{unquote(p.username)}:{unquote(p.password or '')}".encode())
        lines.append(f"Proxy-Authorization: Basic {token.decode()}")
    sock.settimeout(_remaining(deadline, Layer.TCP, T.THE_PROXY()))
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer and len(answer) < 8192:
            sock.settimeout(_remaining(deadline, Layer.TCP, T.THE_PROXY()))
            chunk = sock.recv(1024)
            if not chunk:
                break
            answer += chunk
    except OSError as exc:
        raise ProbeFailure(Layer.TCP, T.NO_TUNNEL(error=str(exc)), Hint.TIMEOUT) from exc
    first = answer.split(b"\r\n", 1)[0].decode("latin-1")
    parts = first.split()
    if len(parts) < 2 or parts[1] != "200":
        said = T.PROXY_REFUSED(host=target.host, answer=first) if first else T.PROXY_SILENT(host=target.host)
        raise ProbeFailure(Layer.TCP, said)


def _handshake(
    sock: socket.socket, host: str, ctx: ProbeContext, session_key: str, deadline: float
) -> socket.socket:
    sock.settimeout(_remaining(deadline, Layer.TLS, host))
    try:
        session = ctx.sessions.pop(session_key, None)
        tls = ctx.ssl_context.wrap_socket(sock, server_hostname=host, session=session)
        if session is not None and tls.session_reused:
            ctx.sessions[session_key] = session  # still good: reused next round, nothing read
        elif session is not None:
            ctx.refused[session_key] = ctx.refused.get(session_key, 0) + 1
        return tls
    except ssl.SSLCertVerificationError as exc:
        code = getattr(exc, "verify_code", 0)
        message = getattr(exc, "verify_message", "") or str(exc)
        if code in _CLOCK_CODES:  # not yet valid / expired: very often the computer's clock
            raise ProbeFailure(Layer.TLS, _CLOCK_CODES[code](host=host), Hint.CLOCK) from exc
        raise ProbeFailure(
            Layer.TLS, T.CERT_UNTRUSTED(host=host, error=message), Hint.UNTRUSTED_CERT
        ) from exc
    except TimeoutError:
        raise ProbeFailure(Layer.TLS, T.NO_HANDSHAKE(host=host), Hint.TIMEOUT) from None
    except (ssl.SSLError, OSError) as exc:
        raise ProbeFailure(Layer.TLS, T.TLS_FAILED(host=host, error=str(exc))) from exc


def _exchange(
    sock: socket.socket,
    target: TargetSpec,
    ctx: ProbeContext,
    deadline: float,
    start: float,
    proxy: str | None,
) -> tuple[int, http.client.HTTPMessage, bytes, float]:
    parts = urlsplit(target.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if proxy and target.scheme == "http":
        path = target.url  # absolute form for a plain-http proxy
    conn = http.client.HTTPConnection(target.host, target.port)
    # Every read, of the headers and of the body, waits only for what is left of the probe's
    # time: a server that trickles its answer cannot hold the probe past its deadline.
    conn.sock = DeadlineSocket(sock, deadline)
    sock.settimeout(_remaining(deadline, Layer.HTTP, target.host))
    response: http.client.HTTPResponse | None = None
    try:
        conn.putrequest(target.method, path, skip_accept_encoding=True)
        for name, value in (
            ("User-Agent", USER_AGENT),
            ("Accept", "*/*"),
            ("Accept-Encoding", "identity"),
            ("Connection", "close"),
        ):
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        latency = (time.monotonic() - start) * 1000.0
        # After a full handshake the session ticket has arrived with the answer; keep it before
        # the socket closes (read once: see ProbeContext.sessions).
        if isinstance(sock, ssl.SSLSocket):
            _keep_session(sock, ctx, f"{target.host}:{target.port}")
        body = b"" if target.method == "HEAD" else _read_body(response, ctx.body_cap)
    except TimeoutError:
        if response is not None:  # the status line and headers came, the body did not finish
            raise ProbeFailure(
                Layer.CONTENT, T.UNFINISHED_BY_DEADLINE(host=target.host), Hint.TIMEOUT
            ) from None
        raise ProbeFailure(Layer.HTTP, T.SILENT(host=target.host), Hint.TIMEOUT) from None
    except http.client.IncompleteRead as exc:
        raise ProbeFailure(Layer.HTTP, T.CUT_SHORT(host=target.host), Hint.GARBAGE) from exc
    except (http.client.HTTPException, ValueError) as exc:
        raise ProbeFailure(
            Layer.HTTP,
            T.NOT_HTTP(host=target.host, error=type(exc).__name__),
            Hint.GARBAGE,
        ) from exc
    except OSError as exc:
        raise ProbeFailure(Layer.HTTP, T.DROPPED(host=target.host, error=str(exc))) from exc
    return response.status, response.headers, body, latency


def _keep_session(sock: ssl.SSLSocket, ctx: ProbeContext, key: str) -> None:
    """Keep this connection's session for the next round: read it (once: each read leaks, see
    ProbeContext.sessions) only after a full handshake, and not for a server that keeps
    refusing the sessions we keep."""
    if sock.session_reused or ctx.refused.get(key, 0) >= MAX_REFUSED:
        return
    session = sock.session
    if session is not None:
        ctx.sessions[key] = session


def _read_body(response: http.client.HTTPResponse, cap: int) -> bytes:
    """Read the answer up to `cap` bytes (the byte budget): an error page may say so anywhere in
    it, not only in its title."""
    body = b""
    while len(body) < cap:
        chunk = response.read(min(4096, cap - len(body)))
        if not chunk:
            break
        body += chunk
    return body
