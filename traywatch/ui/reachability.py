"""The operating system's opinion of reachability (QNetworkInformation), turned into a core OsHint.

It is only a hint: "disconnected" lets the diagnosis say "your internet is down" at once, and any
change asks for an immediate re-check; "online" proves nothing (some backends say online whenever
a default route exists). Where no backend loads the hint stays UNKNOWN.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkInformation

from traywatch.core.models import OsHint

log = logging.getLogger(__name__)

_R = QNetworkInformation.Reachability
_HINTS = {
    _R.Disconnected: OsHint.DISCONNECTED,
    _R.Local: OsHint.LOCAL,
    _R.Site: OsHint.LOCAL,
    _R.Online: OsHint.ONLINE,
    _R.Unknown: OsHint.UNKNOWN,
}


def hint_of(reachability: QNetworkInformation.Reachability) -> OsHint:
    return _HINTS.get(reachability, OsHint.UNKNOWN)


class ReachabilityHint(QObject):
    """Tracks the OS hint in the GUI thread; `current()` may be read from the worker thread."""

    changed = Signal(object)  # OsHint

    def __init__(self, parent: QObject | None = None, load_backend: bool = True) -> None:
        super().__init__(parent)
        self._hint = OsHint.UNKNOWN
        self.backend = ""
        if load_backend:
            self._load()

    def _load(self) -> None:
        try:
            loaded = QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability)
        except Exception:  # a broken plugin must never stop the app
            log.exception("QNetworkInformation failed to load")
            loaded = False
        info = QNetworkInformation.instance() if loaded else None
        if info is None:
            log.info("no network-information backend: the OS reachability hint is unavailable")
            return
        self.backend = info.backendName()
        info.reachabilityChanged.connect(self._on_reachability)
        self._hint = hint_of(info.reachability())
        log.info("network-information backend %s: reachability %s", self.backend, self._hint.value)

    def current(self) -> OsHint:
        """The latest hint (an attribute read: safe from any thread)."""
        return self._hint

    def _on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        self.set_hint(hint_of(reachability))

    def set_hint(self, hint: OsHint) -> None:
        """Record a new hint and tell listeners (they re-check at once)."""
        if hint is self._hint:
            return
        log.info("OS reachability hint: %s -> %s", self._hint.value, hint.value)
        self._hint = hint
        self.changed.emit(hint)
