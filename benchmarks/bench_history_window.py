"""Benchmark: time to show the history window with a year of history (offscreen).

Run: python benchmarks/bench_history_window.py [--days 365] [--db FILE] [--runs 5]
The year is generated with bench_history's generator (60-second rounds, 7 services, outages every
few days) into a temporary file, unless --db names an existing history file. Each figure is the
time from constructing the window (or choosing a period) until the timeline's first paint with
the data is finished, through the real reader thread and models. Target: <= 500 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_history import NAMES, SERVICES, generate
from PySide6.QtWidgets import QApplication

from traywatch.core.history import HistoryStore
from traywatch.ui.history.window import HistoryWindow
from traywatch.ui.qt_refcount import guard

CATALOGUE = dict(zip(SERVICES, NAMES, strict=True))
TARGET_MS = 500.0


class FirstPaint:
    """Notes when the timeline has painted data that arrived after this object was made."""

    def __init__(self, window: HistoryWindow) -> None:
        self.loaded = False
        self.at: float | None = None
        window.loaded.connect(self._loaded)
        window.timeline.painted.connect(self._painted)

    def _loaded(self, _data: object) -> None:
        self.loaded = True

    def _painted(self) -> None:
        if self.loaded and self.at is None:
            self.at = time.perf_counter()

    def wait(self, app: QApplication, timeout: float = 30.0) -> float:
        deadline = time.perf_counter() + timeout
        while self.at is None:
            app.processEvents()
            if time.perf_counter() > deadline:
                raise TimeoutError("the timeline never painted")
            time.sleep(0.0005)
        return self.at


def measure(app: QApplication, window: HistoryWindow, action: Callable[[], object]) -> float:
    """Milliseconds from `action()` until the timeline has painted what it asked for."""
    app.processEvents()
    window.reader.wait()
    app.processEvents()
    first = FirstPaint(window)
    t0 = time.perf_counter()
    action()
    return (first.wait(app) - t0) * 1000


def measure_zoom(app: QApplication, window: HistoryWindow) -> float:
    """Milliseconds from a zoom to the paint of the finer (hourly) bands it asked for."""
    timeline = window.timeline
    timeline.reset_zoom()
    timeline.detail = None  # as if never zoomed before: the finer bands must be read
    app.processEvents()
    window.reader.wait()
    done: list[float] = []
    window.reader.bands_loaded.connect(lambda _d: done.append(time.perf_counter()))
    t0 = time.perf_counter()
    timeline.zoom(6 * 86400 / max(1.0, timeline.view[1] - timeline.view[0]))
    deadline = t0 + 30
    while not done:
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("the finer bands never came")
        time.sleep(0.0005)
    app.processEvents()  # the bands reach the widget
    timeline.repaint()
    return (time.perf_counter() - t0) * 1000


def open_window(app: QApplication, path: Path, now: datetime) -> tuple[float, HistoryWindow]:
    """Milliseconds from constructing the window until its first paint with the data."""
    t0 = time.perf_counter()
    window = HistoryWindow(path, lambda: CATALOGUE, clock=lambda: now)
    first = FirstPaint(window)
    window.present()
    return (first.wait(app) - t0) * 1000, window


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", type=Path, help="use this history file instead of generating one")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    guard()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    folder = None
    if args.db:
        path = args.db
    else:
        folder = Path(tempfile.mkdtemp(prefix="traywatch-bench-window-"))
        path = folder / "history.sqlite3"
        t = time.perf_counter()
        with HistoryStore.open(path) as store:
            generate(store, (now - timedelta(days=args.days)).timestamp(), args.days, random.Random(2024))
        print(f"generated {args.days} days of 60-second rounds in {time.perf_counter() - t:.1f} s: {path}")
    rows: list[tuple[str, list[float]]] = []

    opens: list[float] = []
    for _ in range(args.runs):
        ms, window = open_window(app, path, now)
        opens.append(ms)
        window.shutdown()
        window.deleteLater()
        app.processEvents()
    rows.append(("open the window (last 7 days, hourly bands) to first paint", opens))

    window = HistoryWindow(path, lambda: CATALOGUE, clock=lambda: now)
    measure(app, window, window.present)
    combo = window.range_bar.combo
    for label, index in (("switch to the last 30 days (daily bands)", 2), ("switch to the last 24 hours", 0)):
        times = []
        for _ in range(args.runs):
            if combo.currentIndex() != 1:
                measure(app, window, lambda: combo.setCurrentIndex(1))
            times.append(measure(app, window, lambda i=index: combo.setCurrentIndex(i)))  # type: ignore[misc]
        rows.append((label, times))
    bar = window.range_bar
    measure(app, window, lambda: combo.setCurrentIndex(3))  # chosen days
    week_ago = bar.last.date().addDays(-6)
    year_ago = bar.last.date().addDays(-(args.days - 1))
    year = []
    for _ in range(args.runs):
        if bar.first.date() != week_ago:
            measure(app, window, lambda: bar.first.setDate(week_ago))
        year.append(measure(app, window, lambda: bar.first.setDate(year_ago)))
    rows.append((f"choose {args.days} days (daily bands, whole history)", year))
    zoom = []
    for _ in range(args.runs):
        zoom.append(measure_zoom(app, window))
    rows.append(("zoom the year view to 6 days (hourly re-read, incl. 120 ms debounce)", zoom))
    window.shutdown()

    width = max(len(r[0]) for r in rows)
    print(f"traywatch history window benchmark: {args.days} days of history, {args.runs} runs, offscreen")
    print(f"| {'measure':<{width}} | {'median':>9} | {'max':>9} | target |")
    print(f"|{'-' * (width + 2)}|{'-' * 11}|{'-' * 11}|--------|")
    for name, times in rows:
        med, worst = statistics.median(times), max(times)
        verdict = "ok" if worst <= TARGET_MS else "SLOW"
        print(f"| {name:<{width}} | {med:>6.0f} ms | {worst:>6.0f} ms | {verdict:>6} |")
    if folder is not None:
        for p in folder.glob("*"):
            p.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
