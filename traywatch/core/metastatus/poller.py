"""Polling Meta Status politely: its own slower cadence, conditional requests, backoff on failure.

`orgs.json` is read every `[official] interval` seconds (If-None-Match / If-Modified-Since: a 304
keeps the previous data); the outages feed is read only for organisations that show a problem.
Failures back off exponentially (capped at an hour, Retry-After respected) with jitter, so that
many installations never hammer Meta's status page during the very outages it reports.
`poll()` never raises: every failure is an `unavailable` status with a plain reason, except that
for up to 30 minutes after a good reading the failure shows that reading instead (with its own
time, and the failure named in its detail).
"""

from __future__ import annotations

import logging
import random
import ssl
import threading
import time
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from traywatch.core.metastatus.feed import FeedError, decode, parse_orgs, parse_outages, with_outages
from traywatch.core.metastatus.status import WATCHED_ORGS, OfficialState, OfficialStatus, OrgStatus, worst
from traywatch.core.models import Layer
from traywatch.core.net.httpfetch import FetchError, HttpClient
from traywatch.core.net.resolver import Resolver
from traywatch.core.settings.config import Config, OfficialSettings
from traywatch.core.verdict import official_wording
from traywatch.i18n import Template

NONE_WATCHED = Template(
    "official.none_watched", "Meta Status lists none of the business tools traywatch watches"
)
NOT_YET = Template("official.not_yet", "Meta Status has not been checked yet")
FEED_UNREADABLE = Template("official.feed_unreadable", "status feed unreadable: {detail}")
NO_ANSWER = Template("official.no_answer", "Meta Status did not answer: {detail}")
UNREADABLE = Template("official.unreadable", "Meta Status could not be read ({error})")
LAST_READING = Template("official.last_reading", "{detail} (last reading; the newest failed: {failed})")
SLOW_DOWN = Template("official.slow_down", "Meta Status asks us to slow down (HTTP {status})")
ANSWERED_HTTP = Template("official.answered_http", "Meta Status answered HTTP {status} for {what}")

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 3600.0
# A failed read keeps showing the last good one (marked as such) for this long, so one slow answer
# from Meta Status does not blank its row; after that, "unavailable".
MAX_STALE_S = 1800.0
MAX_OUTAGE_READS = 6  # outage feeds read per poll (organisations showing a problem)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Cached:
    etag: str | None
    last_modified: str | None
    value: object


class _SlowDown(FetchError):
    def __init__(self, detail: str, retry_after: float | None) -> None:
        super().__init__(Layer.HTTP, detail)
        self.retry_after = retry_after


def summarise(orgs: tuple[OrgStatus, ...], checked_at: datetime) -> OfficialStatus:
    """The overall official state: that of the organisations traywatch watches."""
    watched = [o for o in orgs if o.id in WATCHED_ORGS]
    if not watched:
        return OfficialStatus(
            OfficialState.UNKNOWN,
            NONE_WATCHED(),
            checked_at,
            orgs,
        )
    state = worst(o.state for o in watched)
    return OfficialStatus(state, official_wording.official_detail(watched, checked_at), checked_at, orgs)


class Submitter(Protocol):
    """Where background reads run: the Engine's probe pool (or any executor)."""

    def submit(self, fn: Callable[[], OfficialStatus], /) -> Future[OfficialStatus]: ...


class OfficialStatusPoller:
    """Meta Status on its own cadence. `current()` any time, from any thread; `poll()` reads now;
    `poll_in_background()` reads on the pool when due (the Engine calls it after rounds and
    hands the poller its own pool; without one, a daemon thread of its own)."""

    def __init__(
        self,
        settings: OfficialSettings,
        client: HttpClient,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self._client = client
        self._clock = clock
        self._now = now
        self._rng = rng or random.Random()
        self._cache: dict[str, _Cached] = {}
        self._current = OfficialStatus.unavailable(NOT_YET())
        self._next_at = float("-inf")
        self._failures = 0
        self._last_good: tuple[float, OfficialStatus] | None = None  # (clock, reading)
        self._lock = threading.Lock()  # _current, _next_at, _running
        self._polling = threading.Lock()  # one poll at a time
        self._running: Future[OfficialStatus] | None = None
        self.pool: Submitter | None = None  # the Engine sets its probe pool here

    @classmethod
    def from_config(
        cls,
        config: Config,
        ssl_context: ssl.SSLContext | None = None,
        resolver: Resolver | None = None,
    ) -> OfficialStatusPoller | None:
        """The poller the config asks for; None when `[official] enabled = false`."""
        if not config.official.enabled:
            return None
        client = HttpClient.for_config(config, ssl_context, resolver)
        return cls(config.official, client)

    # -- reading the state ---------------------------------------------------------------------
    def current(self) -> OfficialStatus:
        with self._lock:
            return self._current

    def due(self) -> bool:
        with self._lock:
            return self._clock() >= self._next_at

    # -- polling -------------------------------------------------------------------------------
    def poll_in_background(self) -> bool:
        """Start a poll on the pool if one is due and none is running; True if started."""
        with self._lock:
            if self._running is not None and not self._running.done():
                return False
            if self._clock() < self._next_at:
                return False
            self._running = self.pool.submit(self.poll) if self.pool is not None else _on_a_thread(self.poll)
            return True

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background poll to finish (tests, and `check` before printing)."""
        with self._lock:
            running = self._running
        if running is not None:
            futures.wait([running], timeout)

    def poll(self) -> OfficialStatus:
        """Read Meta Status now and remember the result; never raises."""
        with self._polling:
            retry_after: float | None = None
            try:
                status = self._read()
            except _SlowDown as exc:
                status, retry_after = OfficialStatus.unavailable(exc.detail), exc.retry_after
            except FeedError as exc:
                status = OfficialStatus.unavailable(FEED_UNREADABLE(detail=exc.detail))
            except FetchError as exc:
                status = OfficialStatus.unavailable(NO_ANSWER(detail=exc.detail))
            except Exception as exc:  # a bug here must never stop the watching
                log.exception("reading Meta Status failed")
                status = OfficialStatus.unavailable(UNREADABLE(error=type(exc).__name__))
            return self._remember(status, retry_after)

    def _remember(self, status: OfficialStatus, retry_after: float | None) -> OfficialStatus:
        interval = self.settings.interval_s
        if status.state is OfficialState.UNAVAILABLE:
            self._failures += 1
            delay = min(interval * 2 ** min(self._failures - 1, 10), MAX_BACKOFF_S)
            log.info("%s (next try in %.0f s)", status.detail, delay)
            status = self._last_good_or(status)
        else:
            self._failures = 0
            self._last_good = (self._clock(), status)
            delay = interval
        delay = max(delay * self._rng.uniform(0.9, 1.1), min(retry_after or 0.0, MAX_BACKOFF_S))
        with self._lock:
            self._current = status
            self._next_at = self._clock() + delay
        return status

    def _last_good_or(self, failed: OfficialStatus) -> OfficialStatus:
        """The last good reading (its own `checked_at`, the failure named) while it is recent."""
        if self._last_good is None or self._clock() - self._last_good[0] > MAX_STALE_S:
            return failed
        good = self._last_good[1]
        return replace(good, detail=LAST_READING(detail=good.detail, failed=failed.detail))

    def _read(self) -> OfficialStatus:
        orgs = list(parse_orgs(self._get_json("/data/orgs.json", "orgs.json")))
        troubled = sorted(
            (i for i, o in enumerate(orgs) if o.state.trouble),
            key=lambda i: orgs[i].id not in WATCHED_ORGS,  # the watched ones first
        )
        for i in troubled[:MAX_OUTAGE_READS]:
            org = orgs[i]
            try:
                data = self._get_json(f"/data/outages/{org.id}.json", f"outages/{org.id}.json")
                orgs[i] = with_outages(org, parse_outages(data, org.id))
            except (FeedError, FetchError) as exc:  # the org's status line still stands
                log.info("Meta Status outages of %s not read: %s", org.id, exc)
        return summarise(tuple(orgs), self._now())

    def _get_json(self, path: str, what: str) -> object:
        url = self.settings.base_url + path
        cached = self._cache.get(url)
        headers: dict[str, str] = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        answer = self._client.get(url, headers, follow_redirects=True)
        if answer.status == 304 and cached is not None:
            return cached.value
        if answer.status in (429, 503):
            raise _SlowDown(
                SLOW_DOWN(status=str(answer.status)),
                _seconds(answer.header("Retry-After")),
            )
        if answer.status != 200:
            raise FetchError(Layer.HTTP, ANSWERED_HTTP(status=str(answer.status), what=what))
        value = decode(answer.body, what)
        self._cache[url] = _Cached(answer.header("ETag"), answer.header("Last-Modified"), value)
        return value

    def close(self) -> None:
        self._client.close()


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float((value or "").strip())
    except ValueError:
        return None
    return seconds if 0 <= seconds < float("inf") else None


def _on_a_thread(fn: Callable[[], OfficialStatus]) -> Future[OfficialStatus]:
    """A poller used without an Engine (tests, tools): one daemon thread for this read."""
    future: Future[OfficialStatus] = Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            future.set_result(fn())  # poll() never raises

    threading.Thread(target=run, name="traywatch-official", daemon=True).start()
    return future
