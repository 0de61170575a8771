"""A small thread pool whose workers are DAEMON threads, for the Engine's probes.

Why not `concurrent.futures.ThreadPoolExecutor`: its workers are joined at interpreter exit (it
registers an exit hook), so a name lookup stuck in the OS resolver (getaddrinfo cannot be
interrupted, and its own timeouts can run 10 s or more) keeps `traywatch check` running long after
it printed its result within the deadline, and holds up `watch` and tray shutdown the same way.
Daemon threads are not waited for: a lookup stuck past our deadline must never hold the process at
exit. (The Meta Status poller uses a daemon thread for the same reason.)

What it offers is what the Engine uses of ThreadPoolExecutor: `submit()` returning a stdlib
`concurrent.futures.Future` (so `concurrent.futures.wait` and `Future.cancel()` of queued work
work as usual), `shutdown(wait, cancel_futures)`, a maximum worker count and a thread name
prefix. Idle workers are reused; no more than `max_workers` threads are ever started.
"""

from __future__ import annotations

import itertools
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

# A queued call: the future to settle, then the function and its arguments. None: stop.
_Item = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]] | None


def _work(work: queue.SimpleQueue[_Item], idle: threading.Semaphore) -> None:
    """A worker: run queued calls until told to stop. Holds no reference to the pool, so a pool
    dropped without shutdown() is still collected (and its finalizer stops the workers)."""
    while True:
        item = work.get()
        if item is None:
            work.put(None)  # wake the next worker: every one of them stops
            return
        future, fn, args, kwargs = item
        del item
        if not future.set_running_or_notify_cancel():  # cancelled while queued
            idle.release()
            continue
        failed = False
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            failed, result = True, exc
        # idle before the caller hears back, so its next submit() reuses this thread
        idle.release()
        if failed:
            future.set_exception(result)
        else:
            future.set_result(result)
        del future, fn, args, kwargs, result


class DaemonThreadPool:
    """Runs submitted calls on up to `max_workers` daemon threads named `<prefix>_<n>`."""

    _counter = itertools.count()

    def __init__(self, max_workers: int, thread_name_prefix: str = "") -> None:
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        self._max_workers = max_workers
        self._prefix = thread_name_prefix or f"DaemonThreadPool-{next(self._counter)}"
        self._work: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)  # one count per worker waiting for work
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._shut_down = False
        stop = weakref.finalize(self, self._work.put, None)  # dropped without shutdown(): workers stop
        stop.atexit = False

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue fn(*args, **kwargs); its result or exception arrives through the Future."""
        with self._lock:
            if self._shut_down:
                raise RuntimeError("cannot submit after shutdown")
            future: Future[T] = Future()
            self._work.put((future, fn, args, kwargs))
            self._add_worker_if_needed()
            return future

    def _add_worker_if_needed(self) -> None:
        if self._idle.acquire(blocking=False):
            return  # an idle worker takes it
        if len(self._threads) >= self._max_workers:
            return  # queued until a worker is free
        thread = threading.Thread(
            target=_work,
            args=(self._work, self._idle),
            name=f"{self._prefix}_{len(self._threads)}",
            daemon=True,
        )
        thread.start()
        self._threads.append(thread)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """No more submissions; idle workers stop, busy ones after their current call.
        `cancel_futures`: cancel the calls still queued. `wait`: join the workers."""
        with self._lock:
            self._shut_down = True
            if cancel_futures:
                while True:
                    try:
                        item = self._work.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        item[0].cancel()
            self._work.put(None)
            threads = list(self._threads)
        if wait:
            for thread in threads:
                if thread is not threading.current_thread():
                    thread.join()
