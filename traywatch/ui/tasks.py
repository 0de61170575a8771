"""The one way the UI runs work off the GUI thread: `run_task(work, owner, on_result, on_failure)`.

The work runs on a Qt thread pool (by default the global one, which the app waits for at quit,
so no job emits into a half-finalised interpreter). Its result travels through a small emitter
object of its own, never through a widget: the pool thread emits on the emitter, and Qt queues
that to a `BackgroundTask` owned by the widget that asked. When that widget is deleted before the
job ends, the task goes with it, Qt drops the queued result, and nothing is called on a deleted
object. A finished task deletes itself, so a page that asks again and again does not pile them up.
(After maestral-qt's BackgroundTask/Worker: the result signal lives on its own QObject.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from traywatch.terminal import error_text

log = logging.getLogger(__name__)


class _Emitter(QObject):
    """Lives as long as the job that emits on it (it has no parent)."""

    finished = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(
        self, work: Callable[[], Any], emitter: _Emitter, expected: tuple[type[BaseException], ...]
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._emitter = emitter
        self._expected = expected

    def run(self) -> None:
        try:
            value = self._work()
        except self._expected as exc:
            log.warning("background task failed: %s", exc)
            self._emitter.failed.emit(error_text(exc) or type(exc).__name__)
        except Exception as exc:  # an unexpected bug: logged with its traceback, and told
            log.exception("background task failed")
            self._emitter.failed.emit(error_text(exc) or type(exc).__name__)
        else:
            self._emitter.finished.emit(value)


class BackgroundTask(QObject):
    """One job's result, delivered in the GUI thread to whoever owns the task (its parent)."""

    finished = Signal(object)  # the work's return value
    failed = Signal(str)  # the exception's message

    def __init__(
        self,
        work: Callable[[], Any],
        parent: QObject,
        *,
        pool: QThreadPool | None = None,
        expected: tuple[type[BaseException], ...] = (),
    ) -> None:
        super().__init__(parent)
        self._emitter = _Emitter()
        self._emitter.finished.connect(self.finished)
        self._emitter.failed.connect(self.failed)
        self.finished.connect(self.deleteLater)
        self.failed.connect(self.deleteLater)
        self._job: _Job | None = _Job(work, self._emitter, expected)
        self._pool = pool or QThreadPool.globalInstance()

    def start(self) -> BackgroundTask:
        job, self._job = self._job, None
        if job is None:
            raise RuntimeError("a BackgroundTask runs once")
        self._pool.start(job)
        return self


def run_task(
    work: Callable[[], Any],
    owner: QObject,
    on_result: Callable[[Any], object],
    on_failure: Callable[[str], object] | None = None,
    *,
    pool: QThreadPool | None = None,
    expected: tuple[type[BaseException], ...] = (),
) -> BackgroundTask:
    """Run `work()` off the GUI thread; `on_result(value)` or `on_failure(message)` is then called
    in the GUI thread, unless `owner` has been deleted meanwhile. `expected` exceptions are logged
    as warnings; any other as an error with its traceback."""
    task = BackgroundTask(work, owner, pool=pool, expected=expected)
    task.finished.connect(on_result)
    if on_failure is not None:
        task.failed.connect(on_failure)
    return task.start()
