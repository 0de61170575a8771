"""DaemonThreadPool with `idle_s`: a worker left idle that long stops, and no call is lost to it.

Why: each worker thread keeps its own glibc cache of freed memory (tcache), which malloc_trim
cannot hand back while the thread lives; a worker that stops returns it to the shared heap."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import Future, wait

from tests.support.threads import named_threads, wait_until
from traywatch.core.net.pool import DaemonThreadPool

PREFIX = "tw-test-idle-pool"


def pool_threads() -> list[threading.Thread]:
    return named_threads(PREFIX)


def test_idle_workers_stop_and_new_ones_start_for_later_work() -> None:
    pool = DaemonThreadPool(max_workers=4, thread_name_prefix=PREFIX, idle_s=0.2)
    gate = threading.Event()
    try:
        busy = [pool.submit(gate.wait, 5) for _ in range(4)]
        wait_until(lambda: all(f.running() for f in busy))
        first = {t.name for t in pool_threads()}
        assert len(first) == 4
        gate.set()
        assert not wait(busy, timeout=5).not_done
        wait_until(lambda: pool_threads() == [])  # all four left after 0.2 s idle

        name = pool.submit(lambda: threading.current_thread().name).result(timeout=5)
        assert name.startswith(PREFIX)
        assert name not in first  # a new thread, with a new number
        assert len(pool_threads()) == 1
    finally:
        gate.set()
        pool.shutdown(wait=True)
    assert pool_threads() == []


def test_a_busy_worker_does_not_stop_and_an_idle_one_waits_its_time() -> None:
    pool = DaemonThreadPool(max_workers=2, thread_name_prefix=PREFIX, idle_s=0.5)
    try:
        pool.submit(time.sleep, 0.8).result(timeout=5)  # longer than idle_s: still there after it
        assert len(pool_threads()) == 1
        time.sleep(0.2)
        assert len(pool_threads()) == 1  # idle for less than 0.5 s
        wait_until(lambda: pool_threads() == [])
    finally:
        pool.shutdown(wait=True)


def test_without_idle_s_workers_stay() -> None:
    pool = DaemonThreadPool(max_workers=2, thread_name_prefix=PREFIX)
    try:
        pool.submit(lambda: None).result(timeout=5)
        time.sleep(0.3)
        assert len(pool_threads()) == 1
    finally:
        pool.shutdown(wait=True)


def test_no_call_is_lost_when_submits_race_workers_that_are_leaving() -> None:
    """Workers leave after 1 ms idle while four threads submit in bursts with pauses of about
    that length, so submits keep landing in the moment a worker decides to leave."""
    max_workers = 6
    pool = DaemonThreadPool(max_workers=max_workers, thread_name_prefix=PREFIX, idle_s=0.001)
    futures: list[Future[int]] = []
    lock = threading.Lock()
    peak = 0

    def job(n: int) -> int:
        nonlocal peak
        with lock:
            peak = max(peak, len(pool_threads()))
        if n % 7 == 0:
            time.sleep(0.001)
        return n

    def submitter(seed: int) -> None:
        rng = random.Random(seed)
        for n in range(400):
            future = pool.submit(job, n)
            with lock:
                futures.append(future)
            if rng.random() < 0.3:
                time.sleep(rng.choice((0.0005, 0.001, 0.002)))

    try:
        threads = [threading.Thread(target=submitter, args=(seed,)) for seed in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done, not_done = wait(futures, timeout=20)
        assert not not_done, f"{len(not_done)} of {len(futures)} calls never ran"
        assert sorted(f.result() for f in done) == sorted(list(range(400)) * 4)
        assert peak <= max_workers
    finally:
        pool.shutdown(wait=True)
    assert pool_threads() == []


def test_shutdown_stops_workers_that_wait_with_a_timeout() -> None:
    pool = DaemonThreadPool(max_workers=3, thread_name_prefix=PREFIX, idle_s=60)
    for future in [pool.submit(time.sleep, 0.05) for _ in range(3)]:
        future.result(timeout=5)
    assert len(pool_threads()) == 3
    started = time.monotonic()
    pool.shutdown(wait=True)
    assert time.monotonic() - started < 2  # not the 60 s idle wait
    assert pool_threads() == []
