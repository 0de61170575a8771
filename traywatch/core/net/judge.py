"""Judging one HTTP answer against the catalogue's idea of a healthy one: rate limiting (429),
redirects, server errors (a 503's Retry-After kept for pacing), the expected status, error pages
(whatever their status: see error_page) and the expected content. Also `ProbeFailure`, what every
step of a probe raises: its layer and why.
"""

from __future__ import annotations

import http.client
import json
import math
from urllib.parse import urljoin, urlsplit

from traywatch.core.catalogue import TargetSpec
from traywatch.core.models import Hint, Layer
from traywatch.core.net import probe_texts as T
from traywatch.core.net.error_page import error_phrase
from traywatch.core.safe_text import clean, clean_url, shown_host

MAX_RETRY_AFTER_S = 3600.0  # a server asking for more than an hour of silence is not obeyed


class ProbeFailure(Exception):
    """A probe step failed at `layer`: why, in words, with hints for the diagnosis and what
    the answer said (status, Retry-After, redirect target, an error page's own words)."""

    def __init__(
        self,
        layer: Layer,
        detail: str,
        *hints: Hint,
        status: int | None = None,
        retry_after: float | None = None,
        redirect_to: str | None = None,
        phrase: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.layer = layer
        self.detail = detail
        self.hints = frozenset(hints)
        self.status = status
        self.retry_after = retry_after
        self.redirect_to = redirect_to
        self.phrase = phrase


def retry_after(headers: http.client.HTTPMessage) -> float | None:
    """Retry-After in seconds (at most MAX_RETRY_AFTER_S), or None when absent or a date."""
    value = headers.get("Retry-After", "")
    try:
        seconds = float(value.strip())
    except ValueError:
        return None  # an HTTP-date form: treated as "unspecified"
    if not math.isfinite(seconds):
        return None  # "inf" / "nan": unspecified
    return min(max(0.0, seconds), MAX_RETRY_AFTER_S)


def _in_domains(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def judge(
    target: TargetSpec, status: int, headers: http.client.HTTPMessage, body: bytes, latency: float
) -> tuple[int, float, str, str | None]:
    """(status, latency, detail, redirect target) of a healthy answer; ProbeFailure otherwise."""
    is_reference = not target.redirect_domains
    host = target.host
    retry = retry_after(headers)
    # Only 429 is "slow down". A 503 is the server failing, whatever it adds: during an outage
    # Meta's edges may all answer 503 + Retry-After, and that must not read as "degraded, it
    # answers"; its Retry-After still paces our re-checks (the monitor's backoff). A 429 is
    # about this address (shared, office, VPN), not an outage: the diagnosis says so.
    if status == 429:
        raise ProbeFailure(
            Layer.HTTP,
            T.RATE_LIMITED(host=host, status=str(status)),
            Hint.RATE_LIMITED,
            status=status,
            retry_after=retry,
        )
    if 300 <= status < 400:
        location, where = _redirect_target(target, status, headers)
        shown = shown_host(location) or where  # "évil.example", not "%c3%a9vil.example"
        if status in target.expect_status:
            return status, latency, T.REDIRECT(status=str(status), where=shown), location
        if not is_reference and _in_domains(where, target.redirect_domains):
            return status, latency, T.REDIRECT(status=str(status), where=shown), location
        raise ProbeFailure(
            Layer.CONTENT,
            T.REDIRECTED_AWAY(host=host, where=shown),
            Hint.PORTAL,
            status=status,
            redirect_to=location,
        )
    phrase = error_phrase(body, target.error_signs, str(headers.get("Content-Type") or ""))
    if status >= 500:
        said = (
            T.SERVER_ERROR_SAID(host=host, status=str(status), phrase=phrase)
            if phrase
            else T.SERVER_ERROR(host=host, status=str(status))
        )
        raise ProbeFailure(
            Layer.HTTP,
            said,
            Hint.SERVER_ERROR,
            *((Hint.ERROR_PAGE,) if phrase else ()),
            status=status,
            retry_after=retry,
            phrase=phrase,
        )
    wrong = Hint.PORTAL if is_reference else Hint.GARBAGE
    error_page = (
        ProbeFailure(
            Layer.CONTENT,
            T.ERROR_PAGE(host=host, phrase=phrase),
            Hint.ERROR_PAGE,
            status=status,
            phrase=phrase,
        )
        if phrase
        else None
    )
    # Meta's edge error page is said as one (its words quoted) whatever status it came with, also
    # where another status was expected (the Graph API's 400); a reference's unexpected answer
    # stays a sign-in page's doing.
    if error_page is not None and not is_reference:
        raise error_page
    if target.expect_status and status not in target.expect_status:
        raise ProbeFailure(
            Layer.CONTENT,
            T.UNEXPECTED_STATUS(host=host, status=str(status), expected=str(target.expect_status[0])),
            wrong,
            status=status,
        )
    if error_page is not None:
        raise error_page
    if target.body_contains and target.body_contains.encode() not in body:
        raise ProbeFailure(Layer.CONTENT, T.NOT_USUAL_PAGE(host=host), wrong, status=status)
    if target.json_error and not _is_meta_json_error(body):
        raise ProbeFailure(
            Layer.CONTENT,
            T.NOT_META_JSON(host=host),
            Hint.GARBAGE,
            status=status,
        )
    return status, latency, T.HTTP_OK(status=str(status)), None


def _redirect_target(target: TargetSpec, status: int, headers: http.client.HTTPMessage) -> tuple[str, str]:
    """(absolute address, its host) of a redirect, with what the network sent made safe; a
    Location no URL parser can read fails the probe (never the round)."""
    sent = clean_url(_as_sent(str(headers.get("Location", ""))))
    try:
        location = urljoin(target.url, sent)
        where = urlsplit(location).hostname or "?"
    except ValueError:  # "http://evil[.example/", "http://[x]/": not an address at all
        raise ProbeFailure(
            Layer.HTTP,
            T.GARBAGE_REDIRECT(host=target.host, status=str(status), location=clean(sent, 80)),
            Hint.GARBAGE,
            status=status,
        ) from None
    return location, where


def _as_sent(value: str) -> str:
    """A header value read as Latin-1 (as http.client does) back as the UTF-8 it was written in,
    as browsers read a Location; left as it is when it is not UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _is_meta_json_error(body: bytes) -> bool:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nested past the parser's depth
        return False
    error = data.get("error") if isinstance(data, dict) else None
    return isinstance(error, dict) and "fbtrace_id" in error
