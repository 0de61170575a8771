"""Two `traywatch watch` on one TRAYWATCH_HOME: one records; when it stops, the other takes the
history over and records every round from then on (real processes, a namespace without a route)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.history.hostile import (
    WatchProcess,
    history_file,
    stored_round_times,
    stored_sessions,
    write_watch_config,
)
from tests.support.netns import NoRouteNamespace, skip_unless_netns

pytestmark = pytest.mark.netns


def test_a_second_watch_takes_the_history_over_when_the_first_stops(traywatch_home: Path) -> None:
    skip_unless_netns()
    write_watch_config(traywatch_home)
    with NoRouteNamespace() as ns:
        first = WatchProcess(ns, traywatch_home)
        assert first.wait_rounds(2), first.stderr
        second = WatchProcess(ns, traywatch_home)
        assert second.wait_rounds(2), second.stderr
        assert "already recording" in second.stderr
        code, _ = first.stop()
        assert code == 0, first.stderr
        after = len(second.rounds)
        assert second.wait_rounds(after + 4), second.stderr
        code, _ = second.stop()
        assert code == 0, second.stderr

    stored = stored_round_times(history_file(traywatch_home))
    # every round after the first watch stopped (the one in flight then may be either's)
    taken_over = second.round_times()[after + 1 :]
    assert len(taken_over) >= 3
    missing = [t for t in taken_over if t not in stored]
    assert not missing, f"{len(missing)} of the second watch's rounds after the take-over were not stored"
    # nothing counted twice: each stored round is one printed by exactly one of the two
    printed = set(first.round_times()) | set(second.round_times())
    assert len(stored) == len(set(stored)) and set(stored) <= printed
    assert set(first.round_times()) <= set(stored)
    assert [reason for _, _, reason in stored_sessions(history_file(traywatch_home))] == [
        "app_stopped",
        "app_stopped",
    ]
    assert "takes over" in second.stderr
