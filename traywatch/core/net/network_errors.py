"""A network library's exception (requests, urllib3, socket, ssl) in our own words.

The libraries' texts are English and technical ("HTTPSConnectionPool(host=..., port=443): Max
retries exceeded with url: / (Caused by NewConnectionError(...))"). Where such an error reaches
the owner, `network_words` gives the common cases as one of our translated sentences; the
library's text stays in the log. The classes are recognised by name along the exception's chain
(causes, contexts, urllib3's wrapped reasons), so nothing here imports requests.
"""

from __future__ import annotations

from traywatch.i18n import Message, Template

TIMED_OUT = Template("network.timed_out", "The server did not answer in time.")
REFUSED = Template("network.refused", "The server refused the connection.")
NAME_NOT_FOUND = Template("network.name_not_found", "The server's name could not be looked up.")
CERT_NOT_VERIFIED = Template(
    "network.cert_not_verified",
    "The server's certificate could not be verified, so no secure connection was made.",
)
TLS_FAILED = Template("network.tls_failed", "The secure connection to the server failed.")
PROXY_FAILED = Template("network.proxy_failed", "The proxy did not pass the connection on.")
TOO_MANY_REDIRECTS = Template("network.too_many_redirects", "The server sent the request round in circles.")
NOT_CONNECTED = Template("network.not_connected", "The connection to the server failed.")

# (class names, as "module.Class" with the top-level module, in any order along the chain; the
# sentence). The first row that matches wins, so the precise causes come before the broad ones.
_KINDS: tuple[tuple[frozenset[str], Template], ...] = (
    (frozenset({"requests.TooManyRedirects"}), TOO_MANY_REDIRECTS),
    (frozenset({"requests.ProxyError", "urllib3.ProxyError"}), PROXY_FAILED),
    (frozenset({"ssl.SSLCertVerificationError"}), CERT_NOT_VERIFIED),
    (frozenset({"urllib3.NameResolutionError", "socket.gaierror", "builtins.gaierror"}), NAME_NOT_FOUND),
    (frozenset({"builtins.ConnectionRefusedError"}), REFUSED),
    (
        frozenset({"requests.Timeout", "urllib3.TimeoutError", "builtins.TimeoutError", "socket.timeout"}),
        TIMED_OUT,
    ),
    (frozenset({"requests.SSLError", "urllib3.SSLError", "ssl.SSLError"}), TLS_FAILED),
    (
        frozenset({"requests.ConnectionError", "urllib3.NewConnectionError", "urllib3.ProtocolError"}),
        NOT_CONNECTED,
    ),
)


def chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes/contexts and urllib3's wrapped reasons, outermost first."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(seen) < 20:
        item = todo.pop(0)
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        reason = getattr(item, "reason", None)  # urllib3's wrapped cause (ssl's is a string)
        todo.extend([reason if isinstance(reason, BaseException) else None, item.__cause__, item.__context__])
        todo.extend(a for a in item.args if isinstance(a, BaseException))
    return seen


def _names(exc: BaseException) -> set[str]:
    return {
        f"{cls.__module__.partition('.')[0]}.{cls.__name__}"
        for item in chain(exc)
        for cls in type(item).__mro__
    }


def network_words(exc: BaseException) -> Message | None:
    """Our sentence for a network library's error, or None when it is not one."""
    found = _names(exc)
    for names, said in _KINDS:
        if names & found:
            return said()
    return None
