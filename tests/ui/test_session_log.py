"""The run's in-memory log keeps an outline of each round, not the round: 200 whole rounds
(every probe's result, 9-11 KB each in the fake internet) held ~2 MB that a 30-minute soak read
as growth, for nothing that reads it."""

from __future__ import annotations

import gc
import weakref

from tests.ui.helpers.rounds import Feed
from traywatch.core.models import Verdict
from traywatch.ui.session_log import SessionLog


def test_a_full_log_holds_an_outline_of_each_round_not_the_round() -> None:
    feed, log = Feed(), SessionLog(keep=200)
    rounds: list[weakref.ref[object]] = []
    for i in range(400):
        update = feed.round(Verdict.META_DOWN if i % 50 < 25 else Verdict.OK)
        rounds.append(weakref.ref(update.snapshot.round))
        log.add(update, shown=True)
        del update
    gc.collect()
    alive = sum(1 for r in rounds if r() is not None)
    assert len(log) == 200
    assert alive <= 2, f"{alive} rounds kept alive (the monitor keeps its latest)"
    last = log.entries()[-1]
    assert last.verdict is Verdict.OK and last.summary and last.checked_at == feed.at
    assert any(a.title.startswith("Meta is down") for a in log.alerts())
