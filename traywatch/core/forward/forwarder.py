"""The forwarder: alerts in (`submit`), deliveries out (`pump`), on a thread of its own.

`submit` writes each alert to the outbox first (durable), then wakes the delivery thread, which
tries at once — even while our own internet is down, since a target on the shop's own network
(its own ntfy, a mail relay) still works then. What fails waits in the outbox and is retried
with back-off (15 s doubling to 15 min, per target), oldest first, marked late when it finally
goes; alerts older than a day, and those held by quiet hours, go as one summary each.

One forwarder per profile: the tray app and `traywatch watch` on the same history file would
otherwise both send every alert (and both empty the same outbox). A lock file beside the history
decides; the other one stays silent, and takes over when the first one stops.
"""

from __future__ import annotations

import logging
import queue
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from traywatch.core.forward.delivery import AppriseSender, Sender
from traywatch.core.forward.message import DAY_S, Message, single, summary, test_message
from traywatch.core.forward.outbox import Outbox, OutboxItem
from traywatch.core.forward.policy import OWN_FAULT, ForwardPolicy
from traywatch.core.forward.secrets import ForwardSecrets
from traywatch.core.forward.settings import ForwardSettings
from traywatch.core.forward.targets import Target
from traywatch.core.history.lock import RecorderLock
from traywatch.core.history.records import HistoryError
from traywatch.core.models import Alert, AlertKind
from traywatch.core.notify.settings import NotificationSettings
from traywatch.core.signed_in.credentials import CredentialError
from traywatch.core.watch.monitor import MonitorUpdate

log = logging.getLogger(__name__)

RETRY_FIRST_S = 15.0
RETRY_CAP_S = 900.0
IDLE_WAKE_S = 60.0  # re-check quiet hours' end at least this often while something waits
UNUSABLE_RETRY_FIRST_S = 0.5  # the history file was locked or full: try again soon ...
UNUSABLE_RETRY_CAP_S = 30.0  # ... backing off to this
_BACK = {AlertKind.INTERNET_RESTORED, AlertKind.NETWORK_RESTORED}


@dataclass(frozen=True)
class Delivery:
    """One attempt to reach one target: which alerts, and the error (None: delivered)."""

    target: Target
    ids: tuple[int, ...]
    title: str
    error: str | None


def _utc(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


UNUSABLE_SAID_AFTER = 3  # tries in a row (a few seconds) before a warning


class Forwarder:
    def __init__(
        self,
        settings: ForwardSettings,
        notifications: NotificationSettings,
        outbox: Outbox,
        sender: Sender | None = None,
        secrets: ForwardSecrets | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.policy = ForwardPolicy(settings, notifications)
        self.outbox = outbox
        self.sender: Sender = sender or AppriseSender()
        self._secrets = secrets
        self._clock = clock
        self._own_fault = False
        self._failures: dict[str, int] = {}
        self._retry_at: dict[str, float] = {}
        self._pumping = threading.Lock()
        self._wake = threading.Event()
        self._incoming: queue.SimpleQueue[tuple[Sequence[Alert], float]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = RecorderLock(outbox.path.with_name(outbox.path.name + ".forward.lock"))
        self._owner: bool | None = None

    @property
    def secrets(self) -> ForwardSecrets:
        if self._secrets is None:
            self._secrets = ForwardSecrets()
        return self._secrets

    def configure(self, settings: ForwardSettings, notifications: NotificationSettings) -> None:
        """New settings (the settings dialog): new targets are tried at once."""
        self.settings = settings
        self.policy.configure(settings, notifications)
        self.outbox.drop_targets_except([t.key for t in settings.targets])
        self._retry_at.clear()
        self._wake.set()

    def owns_forwarding(self) -> bool:
        """Whether this process is the profile's forwarder (taking over when the other stopped)."""
        try:
            owner = self._lock.acquire()
        except OSError as exc:
            log.warning("cannot take the forwarding lock (%s); forwarding from here anyway", exc)
            owner = True
        if owner != self._owner:
            self._owner = owner
            if not owner:
                log.info("another traywatch forwards alerts from this profile; this one does not")
        return owner

    # -- in ---------------------------------------------------------------------------------------
    def handle(self, update: MonitorUpdate) -> None:
        """A Watcher listener: forward what the policy allows of this update's alerts. The rounds'
        thread only hands them over; the delivery thread stores them in the outbox and sends
        them, so a locked or slow history file never holds up the checks."""
        self._own_fault = update.snapshot.verdict in OWN_FAULT
        if any(a.kind in _BACK for a in update.alerts):
            self._retry_at.clear()  # our internet is back: what waits goes now, not after back-off
        chosen = self.policy.select(update.alerts, update.snapshot)
        if chosen:
            self._incoming.put((chosen, self._clock()))
            self._wake.set()

    def _store_incoming(self) -> None:
        """Put what the rounds handed over into the outbox (a failure keeps it for the next try)."""
        while True:
            try:
                alerts, moment = self._incoming.get_nowait()
            except queue.Empty:
                return
            try:
                self.submit(alerts, moment)
            except Exception:
                self._incoming.put((alerts, moment))  # the history file is locked or full: later
                raise

    def submit(self, alerts: Sequence[Alert], now: float | None = None) -> list[int]:
        """Store these (already chosen) alerts for every target and wake the delivery."""
        if not alerts or not self.settings.active or not self.owns_forwarding():
            return []
        moment = self._clock() if now is None else now
        held = self.policy.in_quiet_hours(_utc(moment))
        keys = [t.key for t in self.settings.targets]
        ids = [self.outbox.add(alert, keys, held=held) for alert in alerts]
        if held:
            log.info("forwarding quiet hours: %d alert(s) held", len(ids))
        self._retry_at.clear()  # delivery is always tried at once for a new alert
        self._wake.set()
        return ids

    # -- out --------------------------------------------------------------------------------------
    def pump(self, now: float | None = None) -> list[Delivery]:
        """Deliver what is due, per target, oldest first; stop at a target's first failure."""
        with self._pumping:
            if not self.settings.targets or not self.owns_forwarding():
                return []
            moment = self._clock() if now is None else now
            items = self.outbox.items()
            if not items:
                return []
            quiet = self.policy.in_quiet_hours(_utc(moment))
            done: list[Delivery] = []
            for target in self.settings.targets:
                if self._retry_at.get(target.key, 0.0) > moment:
                    continue
                mine = [i for i in items if target.key in i.targets and not (quiet and i.held)]
                for batch, message in self._batches(mine, moment):
                    result = self._deliver(target, batch, message, moment)
                    done.append(result)
                    if result.error is not None:
                        break
            return done

    def _batches(self, items: list[OutboxItem], now: float) -> list[tuple[list[OutboxItem], Message]]:
        moment = _utc(now)
        old = [i for i in items if now - i.alert.at.timestamp() > DAY_S]
        held = [i for i in items if i.held and i not in old]
        rest = [i for i in items if i not in old and i not in held]
        out: list[tuple[list[OutboxItem], Message]] = []
        if old:
            out.append((old, summary(old, moment, held_by_quiet=False)))
        if held:
            out.append((held, summary(held, moment, held_by_quiet=True)))
        out.extend(([i], single(i, moment)) for i in rest)
        return out

    def _deliver(self, target: Target, batch: list[OutboxItem], message: Message, now: float) -> Delivery:
        ids = tuple(i.id for i in batch)
        why = "internet" if self._own_fault else "service"
        try:
            error = self.sender.send(self.secrets.full_url(target), message)
        except CredentialError as exc:
            error, why = exc.message, "keyring"
        if error is None:
            self.outbox.delivered(ids, target.key)
            self._failures.pop(target.key, None)
            self._retry_at.pop(target.key, None)
            log.info("forwarded to %s: %s", target.shown, message.title)
            return Delivery(target, ids, message.title, None)
        count = self._failures.get(target.key, 0) + 1
        self._failures[target.key] = count
        wait = min(RETRY_CAP_S, RETRY_FIRST_S * 2 ** (count - 1)) * random.uniform(0.9, 1.1)
        self._retry_at[target.key] = now + wait
        self.outbox.failed(ids, now, error, why)
        log.info("forwarding to %s failed (%s); next try in %.0f s", target.shown, error, wait)
        return Delivery(target, ids, message.title, error)

    def send_test(self) -> list[Delivery]:
        """A test message to every target, at once, bypassing the outbox (for `forward test`)."""
        return send_test(self.settings.targets, self.sender, self.secrets, self._clock())

    # -- the delivery thread ------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="traywatch-forward", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None
        try:  # what the last rounds handed over is kept for the next start
            self._store_incoming()
        except Exception as exc:
            log.warning("alerts to forward could not be kept in the outbox: %s", exc)
        self.outbox.close()
        self._lock.release()
        self._owner = None

    def _next_wait(self, unusable: int = 0) -> float:
        """Until the next try: a target's back-off, else the idle wake; soon (backing off) after
        the history file was unusable, as what the rounds handed over is not stored yet."""
        now = self._clock()
        due = [t - now for t in self._retry_at.values()]
        if unusable:
            due.append(min(UNUSABLE_RETRY_CAP_S, UNUSABLE_RETRY_FIRST_S * 2 ** min(unusable - 1, 16)))
        return max(0.5, min([IDLE_WAKE_S, *due]))

    def _run(self) -> None:
        tidied = False
        unusable = 0  # tries in a row that found the history file unusable
        while not self._stop.is_set():
            try:
                # Targets removed while traywatch was not running. With no targets at all the
                # history file is not opened here (a connection costs memory): configure() tidies
                # when targets are set later.
                if not tidied and self.settings.targets:
                    self.outbox.drop_targets_except([t.key for t in self.settings.targets])
                tidied = True
                self._store_incoming()
                self.pump()
                unusable = 0
            except (HistoryError, sqlite3.Error, OSError) as exc:  # locked, full, read-only: later
                unusable += 1
                # A moment's lock (the recorder creating or migrating the file) is no news; a
                # file that stays unusable is said once.
                if unusable == UNUSABLE_SAID_AFTER and not self._stop.is_set():
                    log.warning("alerts to forward wait: the history file cannot be used now (%s)", exc)
                else:
                    log.debug("forwarding: the history file is not usable now (%s)", exc)
            except Exception:  # a bug must not end forwarding for good
                log.exception("forwarding failed")
            self._wake.wait(self._next_wait(unusable))
            self._wake.clear()


def build_forwarder(
    forward: ForwardSettings, notifications: NotificationSettings, history_db: Path
) -> Forwarder:
    """A forwarder with its outbox in the history file (not started: call start())."""
    return Forwarder(forward, notifications, Outbox(history_db))


def send_test(
    targets: Sequence[Target],
    sender: Sender | None = None,
    secrets: ForwardSecrets | None = None,
    now: float | None = None,
) -> list[Delivery]:
    """A test message to each target, at once; one result each (error None: delivered)."""
    message = test_message(_utc(time.time() if now is None else now))
    send, keys = sender or AppriseSender(), secrets or ForwardSecrets()  # the keyring only if needed
    results = []
    for target in targets:
        try:
            error = send.send(keys.full_url(target), message)
        except CredentialError as exc:
            error = exc.message
        results.append(Delivery(target, (), message.title, error))
    return results
