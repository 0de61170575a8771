"""Small HTTP GETs for Meta Status and the Graph API, with the probes' own network settings.

`requests`, but never with its defaults: TLS through traywatch's verifying context (OS trust store,
or the CA file from config / REQUESTS_CA_BUNDLE / SSL_CERT_FILE), names looked up by traywatch's
resolver (so `[network] nameservers` apply), proxies from the environment, a connect/read timeout
plus a deadline for the whole answer, a cap on the body size, and no redirects unless asked for.
Every failure is a FetchError naming the layer it happened at; nothing else escapes.
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, HTTPError, NewConnectionError, ReadTimeoutError
from urllib3.util.connection import create_connection

from traywatch import __version__
from traywatch.core.models import Layer
from traywatch.core.net import probe_texts as T
from traywatch.core.net.network_errors import chain as error_chain
from traywatch.core.net.requests_import import requests
from traywatch.core.net.resolver import ResolveError, Resolver, make_resolver
from traywatch.core.net.tls import make_ssl_context
from traywatch.core.settings.config import Config
from traywatch.i18n import Decimal

log = logging.getLogger(__name__)

BODY_CAP = 2 * 1024 * 1024
USER_AGENT = f"traywatch/{__version__} (status check)"
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A GET that produced no usable answer: the layer, a short sentence, timed out or not."""

    def __init__(self, layer: Layer, detail: str, *, timeout: bool = False) -> None:
        super().__init__(detail)
        self.layer = layer
        self.detail = detail
        self.timeout = timeout


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""
    latency_ms: float = 0.0  # until the status line arrived

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class _LookupFailed(NewConnectionError):
    """The name could not be looked up (kept apart from connect failures for the layer)."""


def _open_socket(conn: HTTPConnection, resolver: Resolver) -> socket.socket:
    host, port = conn._dns_host, conn.port
    timeout = conn.timeout if isinstance(conn.timeout, int | float) else 30.0
    try:
        addresses = resolver.resolve(host, timeout)
    except ResolveError as exc:
        raise _LookupFailed(conn, exc.detail) from exc
    last: OSError | None = None
    for address in addresses[:3]:
        try:
            return create_connection((address, port), timeout, conn.source_address, conn.socket_options)
        except TimeoutError as exc:
            raise ConnectTimeoutError(conn, f"{host} did not answer on port {port}") from exc
        except OSError as exc:
            last = exc
    raise NewConnectionError(conn, f"{host} could not be reached on port {port}: {last}")


def _pool_classes(resolver: Resolver) -> dict[str, type[HTTPConnectionPool]]:
    """Connection pools whose connections look names up with our resolver."""

    class _Http(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return _open_socket(self, resolver)

    class _Https(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return _open_socket(self, resolver)

    class _HttpPool(HTTPConnectionPool):
        ConnectionCls = _Http

    class _HttpsPool(HTTPSConnectionPool):
        ConnectionCls = _Https

    return {"http": _HttpPool, "https": _HttpsPool}


class _Adapter(requests.adapters.HTTPAdapter):
    """Our SSL context and resolver for every pool; requests' own CA bundle never mixed in."""

    def __init__(self, ssl_context: ssl.SSLContext, resolver: Resolver) -> None:
        self._ctx = ssl_context
        self._classes = _pool_classes(resolver)
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._ctx
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._classes

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._ctx
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = self._classes
        return manager

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # Verification comes from our context alone (never off, never certifi mixed in).
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = None
        conn.ca_cert_dir = None

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> Any:
        host, pool = super().build_connection_pool_key_attributes(request, True, cert)
        kwargs: dict[str, Any] = dict(pool)
        kwargs.pop("ca_certs", None)
        kwargs.pop("ca_cert_dir", None)
        return host, kwargs


def classify(exc: requests.RequestException, host: str, timeout_s: float) -> FetchError:
    """A requests exception as a FetchError with the layer that failed."""
    chain = error_chain(exc)
    lookup = next((e for e in chain if isinstance(e, _LookupFailed)), None)
    if lookup is not None:
        reason = next((e for e in chain if isinstance(e, ResolveError)), None)
        return FetchError(Layer.DNS, reason.detail if reason else T.NOT_LOOKED_UP(host=host))
    if isinstance(exc, requests.exceptions.SSLError):
        cert = next((e for e in chain if isinstance(e, ssl.SSLCertVerificationError)), None)
        why = (cert.verify_message if cert else "") or T.SECURE_FAILED()
        return FetchError(Layer.TLS, T.TLS_FAILED(host=host, error=why))
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FetchError(
            Layer.TCP, T.NO_CONNECTION_WITHIN(host=host, seconds=Decimal(timeout_s, 0)), timeout=True
        )
    if isinstance(exc, requests.exceptions.ReadTimeout) or any(
        isinstance(e, ReadTimeoutError | TimeoutError) for e in chain
    ):
        return FetchError(Layer.HTTP, T.SILENT_WITHIN(host=host, seconds=Decimal(timeout_s, 0)), timeout=True)
    if isinstance(exc, requests.exceptions.ProxyError):
        return FetchError(Layer.TCP, T.PROXY_MISSED(host=host))
    if isinstance(exc, requests.exceptions.ConnectionError):
        if any(isinstance(e, ConnectionRefusedError) for e in chain):
            return FetchError(Layer.TCP, T.REFUSED(label=host))
        if any(isinstance(e, NewConnectionError | ConnectTimeoutError) for e in chain):
            return FetchError(Layer.TCP, T.NOT_REACHED(host=host))
        return FetchError(Layer.HTTP, T.DROPPED_PLAIN(host=host))
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return FetchError(Layer.HTTP, T.CIRCLES(host=host))
    return FetchError(Layer.HTTP, T.NOT_USABLE(host=host, error=type(exc).__name__))


class HttpClient:
    """One requests Session with our TLS context and resolver. Thread-safe enough for our use:
    each call is one request; close() at the end."""

    def __init__(
        self,
        ssl_context: ssl.SSLContext,
        resolver: Resolver | None = None,
        *,
        timeout_s: float = 10.0,
        body_cap: int = BODY_CAP,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout_s = timeout_s
        self.body_cap = body_cap
        self._session = requests.Session()
        self._session.trust_env = False  # proxies are taken from the environment per request below;
        # trust_env would also read ~/.netrc, whose password could replace our Authorization header
        adapter = _Adapter(ssl_context, resolver or make_resolver(()))
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})

    @classmethod
    def for_config(
        cls,
        config: Config,
        ssl_context: ssl.SSLContext | None = None,
        resolver: Resolver | None = None,
        body_cap: int = BODY_CAP,
    ) -> HttpClient:
        """A client with the probes' trust and name lookups (shared when given), as configured."""
        return cls(
            ssl_context or make_ssl_context(config.network.ca_file),
            resolver or make_resolver(config.network.nameservers),
            timeout_s=config.check.timeout_s,
            body_cap=body_cap,
        )

    def get(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        *,
        timeout_s: float | None = None,
        follow_redirects: bool = False,
    ) -> Fetched:
        """GET url; any HTTP status is an answer. Raises FetchError for everything else."""
        timeout = self.timeout_s if timeout_s is None else max(0.1, timeout_s)
        host = urlsplit(url).hostname or url
        start = time.monotonic()
        deadline = start + timeout
        try:
            response = self._session.get(
                url,
                headers=dict(headers or {}),
                timeout=(timeout, timeout),
                stream=True,
                allow_redirects=follow_redirects,
                proxies=requests.utils.get_environ_proxies(url),
            )
        except requests.RequestException as exc:
            raise classify(exc, host, timeout) from exc
        except ValueError as exc:  # a redirect address no URL parser can read ("http://[x]/")
            raise FetchError(Layer.HTTP, T.NOT_USABLE(host=host, error=type(exc).__name__)) from exc
        latency_ms = (time.monotonic() - start) * 1000.0
        try:
            body = self._read(response, host, timeout, deadline)
        finally:
            response.close()
        names = {k.lower(): v for k, v in response.headers.items()}
        return Fetched(response.status_code, names, body, latency_ms)

    def _read(self, response: requests.Response, host: str, timeout: float, deadline: float) -> bytes:
        cap = self.body_cap
        too_big = FetchError(Layer.CONTENT, T.TOO_BIG(host=host, kb=cap // 1024))
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > cap:
            raise too_big
        body = bytearray()
        for chunk in self._chunks(response, host, timeout):
            body += chunk
            if len(body) > cap:
                raise too_big
            if time.monotonic() > deadline:
                raise FetchError(
                    Layer.HTTP, T.UNFINISHED_WITHIN(host=host, seconds=Decimal(timeout, 0)), timeout=True
                )
        return bytes(body)

    @staticmethod
    def _chunks(response: requests.Response, host: str, timeout: float) -> Iterator[bytes]:
        """The body as it arrives: read1() returns after each receive, so a server trickling
        bytes meets the deadline check between them (read(n) would wait for all n)."""
        raw = response.raw
        if not hasattr(raw, "read1"):  # urllib3 older than 2.3
            try:
                yield from response.iter_content(_CHUNK)
            except requests.RequestException as exc:
                raise classify(exc, host, timeout) from exc
            return
        while True:
            try:
                chunk = raw.read1(_CHUNK, decode_content=True)
            except ReadTimeoutError as exc:
                raise FetchError(
                    Layer.HTTP, T.SILENT_WITHIN(host=host, seconds=Decimal(timeout, 0)), timeout=True
                ) from exc
            except (HTTPError, OSError) as exc:
                raise FetchError(
                    Layer.HTTP, T.CUT_SHORT_BECAUSE(host=host, error=type(exc).__name__)
                ) from exc
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
