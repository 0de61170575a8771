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
prefix. Idle workers are reused; no more than `max_workers` threads are ever started. With
`idle_s`, a worker that waits that long for work stops, and with it its thread's own cache of
freed C memory (glibc's tcache), which `malloc_trim` does not reach while the thread lives.
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


class _Crew:
    """What the pool and its workers share (workers hold this, never the pool, so a pool dropped
    without shutdown() is still collected and its finalizer stops the workers).

    The counts, changed only under `lock`, keep this true: the workers waiting for work are
    `spare` + the queued calls handed to one of them. So a submit() that takes a spare worker
    always has one coming, and a waiting worker may leave only by taking a spare count."""

    def __init__(self, idle_s: float | None) -> None:
        self.work: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.spare = 0  # waiting workers no queued call is handed to yet
        self.waiting_calls = 0  # queued calls no worker was free for (at max_workers)
        self.idle_s = idle_s

    def free_again(self) -> None:
        """A worker finished a call: it takes a call that is waiting for a worker, or is spare."""
        with self.lock:
            if self.waiting_calls:
                self.waiting_calls -= 1
            else:
                self.spare += 1

    def leave(self) -> bool:
        """A worker waited `idle_s` for nothing: it stops, unless a call was just handed to it."""
        with self.lock:
            if not self.spare:
                return False  # every waiting worker has a call coming, this one included
            self.spare -= 1
            self.threads.remove(threading.current_thread())
            return True


def _work(crew: _Crew) -> None:
    """A worker: run queued calls until told to stop, or until idle for `crew.idle_s`."""
    work = crew.work
    while True:
        try:
            item = work.get(timeout=crew.idle_s)
        except queue.Empty:
            if crew.leave():
                return
            continue
        if item is None:
            work.put(None)  # wake the next worker: every one of them stops
            return
        future, fn, args, kwargs = item
        del item
        if not future.set_running_or_notify_cancel():  # cancelled while queued
            crew.free_again()
            continue
        failed = False
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            failed, result = True, exc
        # free before the caller hears back, so its next submit() reuses this thread
        crew.free_again()
        if failed:
            future.set_exception(result)
        else:
            future.set_result(result)
        del future, fn, args, kwargs, result


class DaemonThreadPool:
    """Runs submitted calls on up to `max_workers` daemon threads named `<prefix>_<n>`. With
    `idle_s`, a worker that waits that long for work stops (the next call starts a new one)."""

    _counter = itertools.count()

    def __init__(self, max_workers: int, thread_name_prefix: str = "", idle_s: float | None = None) -> None:
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        self._max_workers = max_workers
        self._prefix = thread_name_prefix or f"DaemonThreadPool-{next(self._counter)}"
        self._crew = _Crew(idle_s)
        self._work, self._lock, self._threads = self._crew.work, self._crew.lock, self._crew.threads
        self._numbers = itertools.count()
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
            self._hand_out()
            return future

    def _hand_out(self) -> None:
        """Find a worker for the call just queued (the lock is held)."""
        crew = self._crew
        if crew.spare:
            crew.spare -= 1  # a waiting worker takes it
            return
        if len(self._threads) >= self._max_workers:
            crew.waiting_calls += 1  # the next worker to finish a call takes it
            return
        thread = threading.Thread(
            target=_work,
            args=(crew,),
            name=f"{self._prefix}_{next(self._numbers)}",
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
