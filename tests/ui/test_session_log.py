"""The run's in-memory log keeps an outline of each round, not the round: 200 whole rounds
(every probe's result) held ~2 MB that a 30-minute soak read as growth, for nothing that reads it."""

from __future__ import annotations

import gc
import tracemalloc

from tests.ui.helpers.rounds import Feed
from traywatch.core.models import Verdict
from traywatch.ui.session_log import SessionLog


def test_a_full_log_holds_an_outline_of_each_round_not_its_probes() -> None:
    feed, log = Feed(), SessionLog(keep=200)
    for update in feed.confirm(Verdict.OK):  # the monitor's own state settles first
        log.add(update, shown=False)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(400):
            update = feed.round(Verdict.META_DOWN if i % 50 < 25 else Verdict.OK)
            log.add(update, shown=True)
            del update
        gc.collect()
        per_entry = (tracemalloc.get_traced_memory()[0] - before) / len(log)
    finally:
        tracemalloc.stop()
    assert len(log) == 200
    assert per_entry < 600, f"{per_entry:.0f} bytes an entry"
    last = log.entries()[-1]
    assert last.verdict is Verdict.OK and last.summary and last.checked_at == feed.at
    assert any(a.title.startswith("Meta is down") for a in log.alerts())
