"""What a probe found, in words: the technical evidence shown as a probe's `detail`, each a
`Message` so it can be said in the owner's language. Hosts, addresses, HTTP statuses and the
network's own words are parameters, said as they are (and made safe to show by `safe`)."""

from __future__ import annotations

from traywatch.core.safe_text import clean
from traywatch.i18n import Message, Template

# -- name lookups ---------------------------------------------------------------------------------
LOOKUP_NO_ANSWER = Template(
    "probe.lookup_no_answer", "the name {host} could not be looked up: no answer or a server failure"
)
NXDOMAIN = Template("probe.nxdomain", "{host} not found (NXDOMAIN)")
LOOKUP_FAILED = Template("probe.lookup_failed", "lookup of {host} failed: {error}")
SERVFAIL = Template("probe.servfail", "lookup of {host} failed (SERVFAIL)")
DNS_SLOW = Template("probe.dns_slow", "no DNS answer for {host} within {seconds}s")
NO_ADDRESSES = Template("probe.no_addresses", "{host} has no addresses")
BLOCKED_ADDRESS = Template(
    "probe.blocked_address", "{host} was answered with {address}: a blocked or local address"
)
# -- connecting -----------------------------------------------------------------------------------
NOT_BEFORE_DEADLINE = Template("probe.not_before_deadline", "no answer from {what} before the deadline")
THE_PROXY = Template("probe.the_proxy", "the proxy")
AT_ADDRESS = Template("probe.at_address", "{host} ({address})")
PORT_SILENT = Template("probe.port_silent", "{label} did not answer on port {port}")
REFUSED = Template("probe.refused", "{label} refused the connection")
NET_UNREACHABLE = Template("probe.net_unreachable", "{label} is unreachable (no route to the internet)")
HOST_UNREACHABLE = Template("probe.host_unreachable", "{label} is unreachable (no route to host)")
UNREACHABLE = Template("probe.unreachable", "{label} could not be reached ({error})")
NO_TUNNEL = Template("probe.no_tunnel", "the proxy did not open a tunnel: {error}")
PROXY_REFUSED = Template("probe.proxy_refused", "the proxy refused to reach {host}: {answer}")
PROXY_SILENT = Template("probe.proxy_silent", "the proxy refused to reach {host}: no answer")
# -- the secure handshake -------------------------------------------------------------------------
CERT_EXPIRED = Template(
    "probe.cert_expired", "{host}'s certificate has expired (is this computer's clock right?)"
)
CERT_NOT_YET_VALID = Template(
    "probe.cert_not_yet_valid", "{host}'s certificate is not valid yet (is this computer's clock right?)"
)
CERT_UNTRUSTED = Template("probe.cert_untrusted", "{host}'s certificate is not trusted: {error}")
NO_HANDSHAKE = Template("probe.no_handshake", "{host} did not complete the secure handshake")
TLS_FAILED = Template("probe.tls_failed", "secure connection to {host} failed: {error}")
# -- the answer -----------------------------------------------------------------------------------
SILENT = Template("probe.silent", "{host} accepted the connection but did not answer")
UNFINISHED_BY_DEADLINE = Template(
    "probe.unfinished_by_deadline", "{host} did not finish its answer before the deadline"
)
# -- still waiting at the probe's deadline: one whole sentence per layer ---------------------------
NO_DNS_ANSWER_WITHIN = Template("probe.no_dns_answer_within", "no DNS answer for {host} within {seconds} s")
NO_HANDSHAKE_WITHIN = Template(
    "probe.no_handshake_within", "{host} did not complete the secure handshake within {seconds} s"
)
SILENT_AFTER_CONNECT_WITHIN = Template(
    "probe.silent_after_connect_within",
    "{host} accepted the connection but did not answer within {seconds} s",
)
CUT_SHORT = Template("probe.cut_short", "{host} cut its answer short")
NOT_HTTP = Template("probe.not_http", "{host} sent something that is not an HTTP answer ({error})")
DROPPED = Template("probe.dropped", "{host} dropped the connection: {error}")
UNJUDGED = Template("probe.unjudged", "{host} sent an answer traywatch could not judge ({error})")
HTTP_OK = Template("probe.http", "HTTP {status}")
REDIRECT = Template("probe.redirect", "HTTP {status} to {where}")
RATE_LIMITED = Template("probe.rate_limited", "{host} is limiting requests from your address (HTTP {status})")
REDIRECTED_AWAY = Template("probe.redirected_away", "{host} was redirected to {where}, which is not {host}")
SERVER_ERROR = Template("probe.server_error", "{host} answered with a server error (HTTP {status})")
SERVER_ERROR_SAID = Template(
    "probe.server_error_said", '{host} answered with a server error (HTTP {status}) ("{phrase}")'
)
ERROR_PAGE = Template("probe.error_page", '{host} shows an error page ("{phrase}")')
UNEXPECTED_STATUS = Template(
    "probe.unexpected_status", "{host} answered HTTP {status} where {expected} was expected"
)
NOT_USUAL_PAGE = Template("probe.not_usual_page", "{host} answered, but not with its usual page")
NOT_META_JSON = Template("probe.not_meta_json", "{host} did not answer with Meta's usual JSON error")
GARBAGE_REDIRECT = Template(
    "probe.garbage_redirect",
    "{host} answered HTTP {status}, but the answer's redirect address is garbage ({location})",
)

# -- the signed-in and Meta Status requests -------------------------------------------------------
NOT_LOOKED_UP = Template("probe.not_looked_up", "{host} could not be looked up")
SECURE_FAILED = Template("probe.secure_failed", "the secure connection failed")
NO_CONNECTION_WITHIN = Template(
    "probe.no_connection_within", "{host} did not accept a connection within {seconds} s"
)
SILENT_WITHIN = Template("probe.silent_within", "{host} did not answer within {seconds} s")
PROXY_MISSED = Template("probe.proxy_missed", "the proxy did not reach {host}")
NOT_REACHED = Template("probe.not_reached", "{host} could not be reached")
DROPPED_PLAIN = Template("probe.dropped_plain", "{host} dropped the connection")
CIRCLES = Template("probe.circles", "{host} redirects in circles")
NOT_USABLE = Template("probe.not_usable", "{host} sent something that is not a usable answer ({error})")
TOO_BIG = Template("probe.too_big", "{host} sent an answer bigger than {kb} KB")
UNFINISHED_WITHIN = Template("probe.unfinished_within", "{host} did not finish its answer within {seconds} s")
CUT_SHORT_BECAUSE = Template("probe.cut_short_because", "{host} cut its answer short ({error})")


def safe(detail: str, limit: int) -> str:
    """The detail made safe to show and store: a message's verbatim words (the network's, partly)
    cleaned and bounded one by one; plain text as a whole."""
    if not isinstance(detail, Message):
        return clean(detail, limit)
    params = {k: safe(v, limit) if isinstance(v, str) else v for k, v in detail.params.items()}
    return Message(detail.code, params)
