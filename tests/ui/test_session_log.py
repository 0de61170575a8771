"""The run's in-memory log keeps an outline of each round, not the round: 200 whole rounds
(every probe's result, 9-11 KB each in the fake internet) held ~2 MB that a 30-minute soak read
as growth, for nothing that reads it."""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from dataclasses import replace
from datetime import timedelta

from tests.ui.helpers.rounds import SERVICES, Feed, make_round
from traywatch.core.models import Verdict
from traywatch.core.verdict.meta_wording import all_working
from traywatch.core.watch.monitor import MonitorUpdate
from traywatch.i18n import Message, join
from traywatch.ui.session_log import SessionLog, same_sentence


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


def all_clear(names: list[str]) -> Message:
    """A healthy round's sentence as the engine makes it: a new tree of Messages every round."""
    return join(all_working(names))


def healthy_round(feed: Feed, names: list[str]) -> MonitorUpdate:
    feed.at += timedelta(seconds=10)
    rnd = make_round(Verdict.OK, at=feed.at)
    return feed.monitor.observe(replace(rnd, summary=all_clear(names)))


def test_the_same_sentence_round_after_round_is_kept_once() -> None:
    """Every healthy round says the same sentence in a new object of about 1 KB: kept per entry,
    the log grew by ~200 KB over the 33 minutes it takes to fill at a check every 10 s (part of
    the slow growth the 30-minute soak measured)."""
    names = [name for _, name in SERVICES]
    feed, log = Feed(), SessionLog(keep=200)
    log.add(healthy_round(feed, names), shown=False)  # the first entry holds the sentence
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(150):
            log.add(healthy_round(feed, names), shown=False)
        gc.collect()
        per_entry = (tracemalloc.get_traced_memory()[0] - before) / 150
    finally:
        tracemalloc.stop()
    summaries = {id(e.summary) for e in log.entries()}
    assert len(summaries) == 1
    assert per_entry < 300, f"{per_entry:.0f} bytes an entry"


def test_a_changed_sentence_gets_its_own_entry() -> None:
    feed, log = Feed(), SessionLog()
    log.add(healthy_round(feed, ["Facebook", "Instagram"]), shown=False)
    log.add(healthy_round(feed, ["Facebook", "Instagram"]), shown=False)
    log.add(healthy_round(feed, ["Facebook"]), shown=False)
    log.add(feed.round(Verdict.META_DOWN), shown=True)
    first, second, third, fourth = (e.summary for e in log.entries())
    assert second is first and third is not second and fourth is not third
    assert third == str(all_clear(["Facebook"])) and isinstance(third, Message)


def test_same_sentence_compares_codes_and_parameters_not_only_the_words() -> None:
    a, b = all_clear(["Facebook"]), all_clear(["Facebook"])
    assert a is not b and same_sentence(a, b)
    plain = str(a)
    assert not same_sentence(a, plain) and not same_sentence(plain, a)
    assert same_sentence(plain, str(b))
    assert not same_sentence(a, all_clear(["Instagram"]))
    forged = Message("meta.some_other_code", {}, str(a))  # same English, another code
    assert forged == a and not same_sentence(a, forged)
