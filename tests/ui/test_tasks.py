"""The UI's one background-task helper: results arrive in the GUI thread, failures are told, and
a widget deleted while its job runs is never called (the result lives on the task's own emitter)."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QThread, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from traywatch.ui.tasks import BackgroundTask, run_task


def test_the_result_arrives_in_the_gui_thread(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    worker_threads: list[QThread] = []
    got: list[tuple[object, bool]] = []

    def work() -> int:
        worker_threads.append(QThread.currentThread())
        return 42

    gui = QApplication.instance().thread()
    run_task(work, owner, lambda v: got.append((v, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: got != [], timeout=5000)
    assert got == [(42, True)]
    assert worker_threads and worker_threads[0] is not gui


def test_a_failure_is_told_and_an_unexpected_one_logged_with_its_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    told: list[str] = []

    def expected() -> None:
        raise OSError("disk gone")

    def bug() -> None:
        raise ZeroDivisionError("oops")

    with caplog.at_level(logging.WARNING, logger="traywatch.ui.tasks"):
        run_task(expected, owner, told.append, told.append, expected=(OSError,))
        run_task(bug, owner, told.append, told.append)
        qtbot.waitUntil(lambda: len(told) == 2, timeout=5000)
    assert sorted(told) == ["disk gone", "oops"]
    records = {r.getMessage(): r for r in caplog.records}
    assert records["background task failed: disk gone"].exc_info is None
    assert records["background task failed"].exc_info is not None  # the bug, with its traceback


def test_an_owner_deleted_while_its_job_runs_is_never_called(qtbot: QtBot) -> None:
    release = threading.Event()
    finished = threading.Event()
    called: list[object] = []

    class Page(QWidget):
        def show_result(self, value: object) -> None:
            called.append(value)

    page = Page()

    def work() -> str:
        release.wait(5)
        finished.set()
        return "late"

    task = run_task(work, page, page.show_result)
    assert isinstance(task, BackgroundTask)
    page.deleteLater()  # the dialog closes while the keyring is still being asked
    qtbot.waitUntil(lambda: not _alive(page), timeout=5000)
    release.set()
    assert finished.wait(5)
    QThreadPool.globalInstance().waitForDone(5000)
    for _ in range(5):
        QApplication.processEvents()
    assert called == []


def test_a_finished_task_deletes_itself(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    got: list[object] = []
    for i in range(20):
        run_task(lambda i=i: i, owner, got.append)
    qtbot.waitUntil(lambda: len(got) == 20, timeout=5000)
    qtbot.waitUntil(lambda: not owner.findChildren(BackgroundTask), timeout=5000)


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:
        return False
    return True
