"""Incidents from the monitor's confirmed transitions: which open, grow and close, and the words
for their cause.

The recorder asks `IncidentTracker.observe()` after each round. An incident opens when our own
connection or a service is confirmed bad and closes when it is confirmed good again (a one-round
blip is not an incident); a Meta-wide incident lasts while most services are confirmed down at
once. What is already bad when watching begins or resumes opens as "already so".
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime

from traywatch.core.history.records import (
    INTERNET,
    EndReason,
    Incident,
    IncidentClosed,
    IncidentKind,
    IncidentOpened,
    IncidentServicesChanged,
    StartReason,
    WriteOp,
)
from traywatch.core.models import Layer, RoundResult, ServiceResult, ServiceState, Verdict
from traywatch.core.watch.monitor import MonitorUpdate, Transition, verdict_of
from traywatch.i18n import Message, Template, names

META = "meta"  # key of the Meta-wide incident among the open ones
_LAYER_WORDS = {
    Layer.DNS: Template("history.cause.dns", "address lookup failed (DNS)"),
    Layer.TCP: Template("history.cause.tcp", "no connection could be made (TCP)"),
    Layer.TLS: Template("history.cause.tls", "the secure connection failed (TLS)"),
    Layer.HTTP: Template("history.cause.http", "answered with an error (HTTP)"),
    Layer.CONTENT: Template(
        "history.cause.content", "answered with something other than the normal page (content)"
    ),
}
NO_LAYER = Template("history.cause.no_layer", "did not answer as it should")
WITH_DETAIL = Template("history.cause.with_detail", "{cause}: {detail}")
SERVICES_FAILED = Template("history.cause.services", "{services}: {cause}")
MIXED_STEPS = Template("history.cause.mixed_steps", "the services failed at different steps: {services}")


def _bad(element: str, state: str | None) -> bool:
    if element == INTERNET:
        return state in ("down", "limited")
    return state == ServiceState.DOWN.value


def _layer_words(layer: Layer | None) -> Message:
    return (_LAYER_WORDS.get(layer, NO_LAYER) if layer else NO_LAYER)()


def _service_cause(svc: ServiceResult | None) -> Message:
    if svc is None:
        return NO_LAYER()
    words = _layer_words(svc.failed_layer)
    return WITH_DETAIL(cause=words, detail=svc.detail) if svc.detail else words


def _meta_cause(rnd: RoundResult, down: Iterable[str]) -> tuple[Message, str | None]:
    results = [s for s in (rnd.service(sid) for sid in down) if s is not None]
    layers = {s.failed_layer for s in results}
    if len(layers) == 1:
        layer = layers.pop()
        cause = SERVICES_FAILED(services=names(s.name for s in results), cause=_layer_words(layer))
        return cause, layer.value if layer else None
    steps = names(f"{s.name} ({s.failed_layer.value if s.failed_layer else '?'})" for s in results)
    return MIXED_STEPS(services=steps), None


class IncidentTracker:
    """The confirmed state of every element and the open incidents. Each call adds the write
    operations for what opened, grew or closed to `ops`."""

    def __init__(self) -> None:
        self._confirmed: dict[str, str] = {}
        self._open: dict[str, str] = {}  # element (or META) -> incident key
        self._meta_services: tuple[str, ...] = ()

    def observe(self, ops: list[WriteOp], update: MonitorUpdate, session: str, new_session: bool) -> None:
        """This round's transitions; incidents opened now belong to `session`."""
        rnd = update.snapshot.round
        changed = {t.element for t in update.transitions}
        for t in update.transitions:
            self._confirmed[t.element] = t.new
        if new_session:  # already bad when watching began or resumed: open as "already so"
            for element, state in self._confirmed.items():
                if element not in changed and _bad(element, state):
                    self._open_incident(
                        ops, session, element, state, rnd.checked_at, StartReason.AT_START, rnd
                    )
        for t in update.transitions:
            if _bad(t.element, t.old) and t.element in self._open:
                self.close(ops, t.element, t.at, EndReason.RECOVERED)
            if _bad(t.element, t.new):
                reason = StartReason.SEEN if t.old is not None else StartReason.AT_START
                self._open_incident(ops, session, t.element, t.new, t.at, reason, rnd)
        self._meta_wide(ops, update, session)

    def open_services(self) -> dict[str, tuple[str, ...] | None]:
        """Open incident key -> its services (None for our own connection)."""
        return {
            key: None if element == INTERNET else self._meta_services if element == META else (element,)
            for element, key in self._open.items()
        }

    def forget(self, ops: list[WriteOp], service_ids: Collection[str], at: datetime | None) -> None:
        """Services no longer watched: their open incidents end at `at` ("not watching"; left
        open when there is no `at`), and they are no longer tracked."""
        for sid in service_ids:
            self._confirmed.pop(sid, None)
            if at is not None:
                self.close(ops, sid, at, EndReason.NOT_WATCHING)

    def close(self, ops: list[WriteOp], element: str, at: datetime, reason: EndReason) -> None:
        """Close the element's open incident, if it has one."""
        key = self._open.pop(element, None)
        if key is not None:
            ops.append(IncidentClosed(key, at, reason))

    def close_all(self, ops: list[WriteOp], at: datetime, reason: EndReason) -> None:
        for element in list(self._open):
            self.close(ops, element, at, reason)

    def forget_open(self) -> None:
        """Drop the open incidents without closing them (the file that held them is gone)."""
        self._open.clear()

    def _open_incident(
        self,
        ops: list[WriteOp],
        session: str,
        element: str,
        state: str,
        at: datetime,
        reason: StartReason,
        rnd: RoundResult,
    ) -> None:
        if element in self._open:
            return
        if element == INTERNET:
            kind = IncidentKind.INTERNET if state == "down" else IncidentKind.LIMITED
            services: tuple[str, ...] = ()
            cause, layer = rnd.internet.detail or rnd.summary, None
        else:
            svc = rnd.service(element)
            kind, services = IncidentKind.SERVICE, (element,)
            cause = _service_cause(svc)
            layer = svc.failed_layer.value if svc and svc.failed_layer else None
        self._start(ops, session, element, kind, services, at, reason, cause, layer, rnd.summary)

    def _start(
        self,
        ops: list[WriteOp],
        session: str,
        element: str,
        kind: IncidentKind,
        services: tuple[str, ...],
        at: datetime,
        reason: StartReason,
        cause: str,
        layer: str | None,
        summary: str,
    ) -> None:
        key = uuid.uuid4().hex
        self._open[element] = key
        incident = Incident(key, kind, services, at, None, cause, summary, layer, reason)
        ops.append(IncidentOpened(session, incident))

    def _meta_wide(self, ops: list[WriteOp], update: MonitorUpdate, session: str) -> None:
        """A Meta-wide incident lasts while most services are confirmed down at once."""
        states = update.snapshot.confirmed_states
        down = tuple(sid for sid, s in states.items() if s is ServiceState.DOWN)
        meta_now = bool(states) and verdict_of(states) is Verdict.META_DOWN
        services = [t for t in update.transitions if t.element != INTERNET]
        rnd = update.snapshot.round
        if meta_now and META not in self._open:
            went_down = [t.at for t in services if t.new == ServiceState.DOWN.value]
            seen = bool(went_down) and not all(t.old is None for t in services)
            reason = StartReason.SEEN if seen else StartReason.AT_START
            cause, layer = _meta_cause(rnd, down)
            at = max(went_down, default=rnd.checked_at)
            self._start(ops, session, META, IncidentKind.META, down, at, reason, cause, layer, rnd.summary)
            self._meta_services = down
        elif meta_now:
            grown = tuple(dict.fromkeys((*self._meta_services, *down)))
            if grown != self._meta_services:
                self._meta_services = grown
                ops.append(IncidentServicesChanged(self._open[META], grown))
        elif META in self._open:
            recovered: list[Transition] = [t for t in services if t.old == ServiceState.DOWN.value]
            self.close(ops, META, max((t.at for t in recovered), default=rnd.checked_at), EndReason.RECOVERED)
