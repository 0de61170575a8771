"""Reads the history store off the GUI thread: one window's view, bands and Meta Status episodes.

`HistoryReader` owns a read connection of its own (the recorder writes through another) and a
one-thread pool (jobs run through traywatch.ui.tasks), so queries run one after the other and
never block the GUI. Results come back as frozen `HistoryData` / `BandData` through signals; a
result older than the latest request of its kind is dropped. Every query reads aggregates (the
hourly table, the incidents), never every round.
"""

from __future__ import annotations

import itertools
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from traywatch.core.history import INTERNET, Band, HistoryError, HistoryStore, HistoryView, load_view
from traywatch.core.history.official_rows import OfficialEvent
from traywatch.core.history.period import Window
from traywatch.core.history.uptime import Step
from traywatch.i18n import _
from traywatch.ui.tasks import run_task

log = logging.getLogger(__name__)

HOUR_STEP_UP_TO_S = 7 * 86400 + 3600  # per-hour bands up to a week, per-day beyond
_READ_ERRORS = (HistoryError, sqlite3.Error, OSError)  # told as "cannot read the history"


def step_for(seconds: float) -> Step:
    return "hour" if seconds <= HOUR_STEP_UP_TO_S else "day"


@dataclass(frozen=True)
class HistoryData:
    """Everything the window shows for one time window, read in one go."""

    request: int
    view: HistoryView  # uptime and incident rows (what reports and exports show too)
    bands: tuple[Band, ...]
    step: Step
    elements: tuple[str, ...]  # timeline rows: 'internet' first, then services
    names: Mapping[str, str]
    official: tuple[OfficialEvent, ...]
    took_ms: float


@dataclass(frozen=True)
class BandData:
    """Finer bands for a zoomed part of the timeline."""

    request: int
    since: datetime
    until: datetime
    step: Step
    bands: tuple[Band, ...]
    elements: tuple[str, ...]


class HistoryReader(QObject):
    loaded = Signal(object)  # HistoryData
    bands_loaded = Signal(object)  # BandData
    failed = Signal(str)

    def __init__(
        self,
        path: Path,
        catalogue_names: Callable[[], Mapping[str, str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self._catalogue_names = catalogue_names
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._store: HistoryStore | None = None
        self._open_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._latest = {"view": 0, "bands": 0}
        self._closed = False

    # -- requests (GUI thread) -------------------------------------------------------------
    def load(self, window: Window, now: datetime) -> int:
        """Read a whole window (view, bands, Meta Status); `loaded` brings the result."""
        request = self._next("view")
        names = dict(self._catalogue_names())
        self._start(lambda: self._run_view(request, window, now, names))
        return request

    def load_bands(self, since: datetime, until: datetime, step: Step, elements: tuple[str, ...]) -> int:
        request = self._next("bands")
        self._start(lambda: self._run_bands(request, since, until, step, elements))
        return request

    def view_now(self, window: Window, now: datetime, service: str | None = None) -> HistoryView:
        """A view read right here (exports: the owner waits for the file anyway; a few ms)."""
        return load_view(self._open(), window, now, service, dict(self._catalogue_names()))

    def wait(self, timeout_ms: int = 5000) -> bool:
        return bool(self._pool.waitForDone(timeout_ms))

    def close(self) -> None:
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone(5000)
        with self._open_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _start(self, work: Callable[[], HistoryData | BandData | None]) -> None:
        run_task(work, self, self._deliver, self.failed.emit, pool=self._pool, expected=_READ_ERRORS)

    def _deliver(self, data: HistoryData | BandData | None) -> None:
        """In the GUI thread: a finished read as its signal (None: skipped for a newer request)."""
        if isinstance(data, HistoryData):
            self.loaded.emit(data)
        elif isinstance(data, BandData):
            self.bands_loaded.emit(data)

    def _next(self, kind: str) -> int:
        request = next(self._ids)
        self._latest[kind] = request
        return request

    # -- work (pool thread) ----------------------------------------------------------------
    def _open(self) -> HistoryStore:
        with self._open_lock:
            if self._store is None:
                self._store = HistoryStore.open(self.path)
                if self._store.moved_aside is not None:
                    log.warning("the history file was damaged; moved to %s", self._store.moved_aside)
            return self._store

    def _run_view(
        self, request: int, window: Window, now: datetime, names: dict[str, str]
    ) -> HistoryData | None:
        if self._closed or request != self._latest["view"]:
            return None  # a newer request is queued: skip the work
        started = time.perf_counter()
        store = self._open()
        view = load_view(store, window, now, None, names)
        step = step_for(window.seconds)
        recorded = store.service_names()
        ids = list(dict.fromkeys([*names, *recorded]))
        elements = (INTERNET, *ids)
        bands = store.bands(window.since, window.until, step, elements)
        elements, bands = _without_empty_extras(elements, bands, names)
        official = store.official_events(window.since, window.until)
        took = (time.perf_counter() - started) * 1000
        log.debug("history window read in %.1f ms (%d bands)", took, len(bands))
        all_names = {**view.names, INTERNET: _("Your internet")}
        return HistoryData(request, view, bands, step, elements, all_names, official, took)

    def _run_bands(
        self, request: int, since: datetime, until: datetime, step: Step, elements: tuple[str, ...]
    ) -> BandData | None:
        if self._closed or request != self._latest["bands"]:
            return None
        bands = self._open().bands(since, until, step, elements)
        return BandData(request, since, until, step, bands, elements)

    def is_latest(self, data: HistoryData | BandData) -> bool:
        kind = "view" if isinstance(data, HistoryData) else "bands"
        return data.request == self._latest[kind]


def _without_empty_extras(
    elements: tuple[str, ...], bands: tuple[Band, ...], watched: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[Band, ...]]:
    """Services no longer watched keep a row only when the window holds something of theirs."""
    seen = {b.element for b in bands if b.worst != "not_watching"}
    keep = tuple(e for e in elements if e == INTERNET or e in watched or e in seen)
    if len(keep) == len(elements):
        return elements, bands
    wanted = set(keep)
    return keep, tuple(b for b in bands if b.element in wanted)
