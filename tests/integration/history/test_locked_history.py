"""Another process holding the history in an exclusive transaction never holds up checking: the
rounds keep their interval (start-up too), SIGTERM while it is locked is a normal stop, and a stop
while it is still locked keeps what it can within a bounded time and says precisely what it could
not (real `watch` processes, a real SQLite lock holder, a namespace without a route)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from tests.integration.history.hostile import (
    ExclusiveHolder,
    WatchProcess,
    history_file,
    recorder_lock_taken,
    stored_round_times,
    stored_sessions,
    wait_for,
    write_watch_config,
)
from tests.support.netns import NoRouteNamespace, skip_unless_netns
from traywatch.core.history import HistoryStore

pytestmark = pytest.mark.netns


@pytest.fixture
def home(traywatch_home: Path) -> Path:
    skip_unless_netns()
    write_watch_config(traywatch_home)
    HistoryStore.open(history_file(traywatch_home)).close()  # an existing history to lock
    return traywatch_home


def test_rounds_keep_their_interval_while_another_process_holds_the_history(home: Path) -> None:
    db = history_file(home)
    with ExclusiveHolder(db) as holder, NoRouteNamespace() as ns:
        watch = WatchProcess(ns, home, interval=1.0)
        assert watch.wait_rounds(5, timeout=40), watch.stderr
        first = watch.arrivals[0] - watch.started
        gaps = [b - a for a, b in zip(watch.arrivals, watch.arrivals[1:], strict=False)][:4]
        holder.release()
        seen = len(watch.rounds)
        assert watch.wait_rounds(seen + 2), watch.stderr
        code, _ = watch.stop()
    assert code == 0, watch.stderr
    # start-up (Python, imports) takes a few seconds on a busy machine; the busy timeout is 10 s
    assert first < 8.0, f"the first round came {first:.1f} s after start"
    assert max(gaps) < 3.0, f"gaps between 1-second rounds: {[round(g, 1) for g in gaps]}"
    # and once the lock went, every round (those that waited too) is in the file
    assert set(watch.round_times()) <= set(stored_round_times(db))
    assert [reason for _, _, reason in stored_sessions(db)] == ["app_stopped"]


def test_sigterm_during_start_up_with_the_history_locked_is_a_normal_stop(home: Path) -> None:
    db = history_file(home)
    with ExclusiveHolder(db), NoRouteNamespace() as ns:
        watch = WatchProcess(ns, home, interval=30.0)
        # the recorder has the recorder lock: it is opening the (locked) history now
        assert wait_for(lambda: recorder_lock_taken(db), 30), watch.stderr
        code, took = watch.stop()
    assert code == 0, f"exit {code}: {watch.stderr}"
    assert "Traceback" not in watch.stderr
    assert took < 10.0


STOP_BOUND_S = 5.0  # the recorder's own bound for writing at stop (Recorder.stop_timeout_s)


def test_a_stop_while_still_locked_is_bounded_and_says_what_it_could_not_keep(home: Path) -> None:
    db = history_file(home)
    with NoRouteNamespace() as ns:
        watch = WatchProcess(ns, home, interval=1.0)
        assert watch.wait_rounds(2), watch.stderr
        with ExclusiveHolder(db):
            seen = len(watch.rounds)
            assert watch.wait_rounds(seen + 3), watch.stderr
            code, took = watch.stop()
    assert code == 0, watch.stderr
    assert took < STOP_BOUND_S + 4.0, f"stopping took {took:.1f} s"
    stored = set(stored_round_times(db))
    lost = [t for t in watch.round_times() if t not in stored]
    assert lost, "every round was stored although the history stayed locked"
    found = re.search(r"the last (\d+) round\(s\)", watch.stderr)
    assert found, watch.stderr
    assert int(found[1]) == len(lost), watch.stderr
    assert "locked" in watch.stderr


def test_a_stop_while_locked_keeps_everything_when_the_lock_goes_in_time(home: Path) -> None:
    db = history_file(home)
    with NoRouteNamespace() as ns:
        watch = WatchProcess(ns, home, interval=1.0)
        assert watch.wait_rounds(2), watch.stderr
        with ExclusiveHolder(db) as holder:
            seen = len(watch.rounds)
            assert watch.wait_rounds(seen + 3), watch.stderr
            threading.Timer(1.5, holder.release).start()  # freed while the watch is stopping
            code, took = watch.stop()
    assert code == 0, watch.stderr
    assert took < STOP_BOUND_S + 4.0
    assert set(watch.round_times()) <= set(stored_round_times(db))
    assert [reason for _, _, reason in stored_sessions(db)] == ["app_stopped"]
