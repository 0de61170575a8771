"""DaemonThreadPool: what the Engine uses of ThreadPoolExecutor, on daemon threads."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Future, wait
from typing import Any

import pytest

from traywatch.core.net.pool import DaemonThreadPool

PREFIX = "tw-test-pool"


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Blocks the workers until set; always set at the end so no thread stays stuck."""
    event = threading.Event()
    yield event
    event.set()


def pool_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(PREFIX)]


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_results_and_exceptions_come_back_through_futures() -> None:
    pool = DaemonThreadPool(max_workers=2, thread_name_prefix=PREFIX)

    def add(a: int, b: int = 0) -> int:
        return a + b

    def fail() -> None:
        raise ValueError("boom")

    try:
        ok = pool.submit(add, 2, b=3)
        bad = pool.submit(fail)
        futures: list[Future[Any]] = [ok, bad]
        assert not wait(futures, timeout=5).not_done
        assert ok.result() == 5
        with pytest.raises(ValueError, match="boom"):
            bad.result()
    finally:
        pool.shutdown(wait=True)


def test_workers_are_daemon_threads_with_the_prefix() -> None:
    pool = DaemonThreadPool(max_workers=2, thread_name_prefix=PREFIX)
    try:
        future = pool.submit(lambda: (threading.current_thread().name, threading.current_thread().daemon))
        name, daemon = future.result(timeout=5)
        assert daemon is True
        assert name.startswith(PREFIX)
        assert all(t.daemon for t in pool_threads())
    finally:
        pool.shutdown(wait=True)


def test_never_more_than_max_workers_and_idle_workers_are_reused(gate: threading.Event) -> None:
    pool = DaemonThreadPool(max_workers=3, thread_name_prefix=PREFIX)
    running = 0
    peak = 0
    lock = threading.Lock()

    def job() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        gate.wait(5)
        with lock:
            running -= 1

    try:
        futures = [pool.submit(job) for _ in range(10)]
        wait_until(lambda: running == 3)
        assert len(pool_threads()) == 3
        gate.set()
        assert not wait(futures, timeout=5).not_done
        assert peak == 3
        # one at a time, sequentially: the idle workers take them, no thread is added
        for _ in range(5):
            pool.submit(lambda: None).result(timeout=5)
        assert len(pool_threads()) == 3
    finally:
        pool.shutdown(wait=True)
    assert pool_threads() == []


def test_sequential_work_runs_on_one_thread() -> None:
    pool = DaemonThreadPool(max_workers=8, thread_name_prefix=PREFIX)
    try:
        names = {pool.submit(lambda: threading.current_thread().name).result(timeout=5) for _ in range(5)}
        assert len(names) == 1
    finally:
        pool.shutdown(wait=True)


def test_cancel_of_queued_work(gate: threading.Event) -> None:
    pool = DaemonThreadPool(max_workers=1, thread_name_prefix=PREFIX)
    ran: list[str] = []
    try:
        busy = pool.submit(gate.wait, 5)
        queued = pool.submit(ran.append, "queued")
        wait_until(busy.running)
        assert busy.cancel() is False  # running work cannot be cancelled
        assert queued.cancel() is True
        gate.set()
        assert busy.result(timeout=5) is True
        assert pool.submit(ran.append, "after").result(timeout=5) is None
        assert queued.cancelled()
        with pytest.raises(CancelledError):
            queued.result()
        assert ran == ["after"]
    finally:
        pool.shutdown(wait=True)


def test_shutdown_cancel_futures_cancels_queued_work_and_does_not_wait(gate: threading.Event) -> None:
    pool = DaemonThreadPool(max_workers=2, thread_name_prefix=PREFIX)
    busy = [pool.submit(gate.wait, 5) for _ in range(2)]
    wait_until(lambda: all(f.running() for f in busy))
    queued = [pool.submit(lambda: None) for _ in range(3)]

    started = time.monotonic()
    pool.shutdown(wait=False, cancel_futures=True)
    assert time.monotonic() - started < 1  # stuck workers do not hold shutdown
    assert all(f.cancelled() for f in queued)
    assert not any(f.done() for f in busy)
    with pytest.raises(RuntimeError):
        pool.submit(lambda: None)

    gate.set()
    assert not wait(busy, timeout=5).not_done
    wait_until(lambda: pool_threads() == [])  # the workers stop once their call returns


def test_a_pool_dropped_without_shutdown_stops_its_workers() -> None:
    pool = DaemonThreadPool(max_workers=2, thread_name_prefix=PREFIX)
    pool.submit(lambda: None).result(timeout=5)
    assert len(pool_threads()) == 1
    del pool
    gc.collect()
    wait_until(lambda: pool_threads() == [])


def test_max_workers_must_be_positive() -> None:
    with pytest.raises(ValueError):
        DaemonThreadPool(max_workers=0)
