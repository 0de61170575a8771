"""The store: rounds become spans and hourly totals, uptime is honest and exact, retention keeps
the totals, the clock going backwards never makes a negative duration."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.unit.history.synthetic import IDS, T0, Driver, make_round
from traywatch.core.history import HistoryStore, IncidentKind, Recorder
from traywatch.core.history.records import (
    EndReason,
    Incident,
    IncidentClosed,
    IncidentOpened,
    RoundRecorded,
    SessionEnded,
    SessionStarted,
)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def rounds_at(store: HistoryStore, session: str, *at_and_kwargs: tuple[datetime, dict[str, Any]]) -> None:
    store.write([SessionStarted(session, at_and_kwargs[0][0], 60.0)])
    for at, kwargs in at_and_kwargs:
        store.write([RoundRecorded(session, make_round(at, **kwargs), 180.0)])


def test_new_file_is_in_wal_mode_with_the_current_schema(store: HistoryStore, db_path: Path) -> None:
    assert db_path.exists()
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.service_names() == {}
    assert store.backup is None and store.moved_aside is None


def test_each_round_stands_until_the_next_one_and_fills_the_hourly_table(store: HistoryStore) -> None:
    rounds_at(store, "s", (T0, {}), (T0 + minutes(1), {"down": ["instagram"]}), (T0 + minutes(2), {}))
    spans = [r[0] for r in store._conn.execute("SELECT span_s FROM rounds ORDER BY id")]
    assert spans == [60, 60, 0]  # the latest round's span is open until the next round or the end
    row = store._conn.execute(
        "SELECT up_s, down_s FROM hourly WHERE element = 'instagram' AND hour = ?", (int(T0.timestamp()),)
    ).fetchone()
    assert row == (60, 60)
    assert list(store.service_names()) == list(IDS)


def test_a_pause_longer_than_the_gap_limit_is_not_credited(store: HistoryStore) -> None:
    rounds_at(store, "s", (T0, {}), (T0 + minutes(60), {}))
    assert store._conn.execute("SELECT span_s FROM rounds ORDER BY id").fetchall() == [(180,), (0,)]


def test_uptime_excludes_our_own_outage_and_time_not_running(db_path: Path) -> None:
    """10 min fine, 10 min our internet down, 10 min Instagram down, quit; 2 h later 10 min fine."""
    driver = Driver()
    rec = driver.record_to(db_path)
    driver.rounds(10)
    driver.rounds(10, internet="down")
    driver.rounds(10, down=["instagram"])
    rec.stop()
    driver.advance(2 * 3600)
    rec = Recorder(db_path, interval_s=60, clock=driver.clock)
    rec.start()
    driver.listeners[:] = [rec]
    driver.rounds(10)
    rec.stop()

    with HistoryStore.open(db_path) as store:
        window = store.uptime(T0, T0 + timedelta(hours=4))
    ig = window.service("instagram")
    fb = window.service("facebook")
    assert ig is not None and fb is not None
    assert (ig.up_s, ig.down_s, ig.internet_down_s) == (20 * 60, 10 * 60, 10 * 60)
    assert ig.uptime_pct == pytest.approx(100 * 20 / 30)  # our 10 min outage is not in the denominator
    assert ig.not_watching_s == 4 * 3600 - 40 * 60  # 2 h closed + the rest of the window
    assert fb.uptime_pct == 100.0 and fb.internet_down_s == 10 * 60
    assert (window.internet.up_s, window.internet.down_s) == (30 * 60, 10 * 60)


def test_uptime_is_exact_to_the_second_at_window_edges_that_are_not_on_the_hour(db_path: Path) -> None:
    driver = Driver()
    with Recorder(db_path, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(150, down=["instagram"])  # 09:00 .. 11:30, one round a minute, all down
    with HistoryStore.open(db_path) as store:
        since, until = T0 + timedelta(minutes=17, seconds=30), T0 + timedelta(hours=2, minutes=3, seconds=15)
        ig = store.uptime(since, until, ["instagram"]).services[0]
    assert ig.down_s == pytest.approx((until - since).total_seconds())
    assert ig.not_watching_s == pytest.approx(0)


def test_retention_prunes_raw_rounds_but_keeps_the_uptime_of_old_windows(db_path: Path) -> None:
    driver = Driver()
    with Recorder(db_path, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(90)
        driver.rounds(30, down=["whatsapp"])
    with HistoryStore.open(db_path) as store:
        before = store.uptime(T0, T0 + timedelta(hours=2), ["whatsapp"]).services[0]
        partial = store.uptime(T0 + minutes(30), T0 + minutes(150), ["whatsapp"]).services[0]
        removed = store.prune(90, T0 + timedelta(days=100))
        assert removed == 120
        assert store._conn.execute("SELECT count(*) FROM rounds").fetchone()[0] == 0
        assert store._conn.execute("SELECT count(*) FROM round_services").fetchone()[0] == 0
        assert store._conn.execute("PRAGMA freelist_count").fetchone()[0] == 0  # space handed back
        after = store.uptime(T0, T0 + timedelta(hours=2), ["whatsapp"]).services[0]
        pro_rata = store.uptime(T0 + minutes(30), T0 + minutes(150), ["whatsapp"]).services[0]
    assert (after.up_s, after.down_s) == (before.up_s, before.down_s) == (90 * 60, 30 * 60)
    assert partial.down_s == 30 * 60
    # Once raw rounds are gone, partial hours are taken pro rata from the hourly totals.
    assert pro_rata.up_s + pro_rata.down_s == pytest.approx(partial.up_s + partial.down_s)


def test_the_clock_going_backwards_never_produces_negative_durations(store: HistoryStore) -> None:
    back = T0 - minutes(30)
    rounds_at(store, "s", (T0, {}), (T0 + minutes(1), {}), (back, {}), (back + minutes(1), {}))
    spans = [r[0] for r in store._conn.execute("SELECT span_s FROM rounds ORDER BY id")]
    assert all(span >= 0 for span in spans)
    incident = Incident("i1", IncidentKind.SERVICE, ("instagram",), T0, None, "cause", "summary")
    store.write(
        [
            IncidentOpened("s", incident),
            IncidentClosed("i1", back, EndReason.RECOVERED),
            SessionEnded("s", back, EndReason.APP_STOPPED, 180.0),
        ]
    )
    (stored,) = store.incidents(back - minutes(60), T0 + minutes(60))
    assert stored.ended_at == stored.started_at and stored.duration_s(T0) == 0
    started, ended = store._conn.execute("SELECT started_at, ended_at FROM sessions").fetchone()
    assert ended >= started
    window = store.uptime(back - minutes(60), T0 + minutes(60))
    for u in window.services:
        for value in (u.up_s, u.down_s, u.degraded_s, u.unknown_s, u.internet_down_s, u.not_watching_s):
            assert value >= 0
    for band in store.bands(back - minutes(60), T0 + minutes(60), "hour"):
        assert band.not_watching_s >= 0


def test_incidents_can_be_filtered_by_service_and_kind(recorder: Recorder, driver: Driver) -> None:
    driver.rounds(3)
    driver.rounds(5, down=["instagram"])
    driver.rounds(3)
    driver.rounds(4, internet="down")
    driver.rounds(5, down=IDS)
    driver.rounds(3)
    recorder.stop()
    with HistoryStore.open(recorder.path) as store:
        everything = store.incidents(T0, T0 + timedelta(hours=1))
        kinds = [i.kind for i in everything]
        assert kinds.count(IncidentKind.SERVICE) == 8 and kinds.count(IncidentKind.META) == 1
        assert kinds.count(IncidentKind.INTERNET) == 1
        ig = store.incidents(T0, T0 + timedelta(hours=1), service="instagram")
        assert [i.kind for i in ig] == [IncidentKind.SERVICE, IncidentKind.SERVICE, IncidentKind.META]
        own = store.incidents(T0, T0 + timedelta(hours=1), kinds={IncidentKind.INTERNET})
        assert len(own) == 1 and own[0].services == ()
        assert store.incidents(T0 + timedelta(hours=2), T0 + timedelta(hours=3)) == ()


def test_bands_give_the_timeline_per_element_with_the_internet_first(
    recorder: Recorder, driver: Driver
) -> None:
    driver.rounds(30)
    driver.rounds(30, internet="limited")
    driver.rounds(30, down=["threads"])
    recorder.stop()
    with HistoryStore.open(recorder.path) as store:
        bands = store.bands(T0, T0 + timedelta(hours=2), "hour")
        days = store.bands(T0, T0 + timedelta(hours=2), "day")
    assert bands[0].element == "internet" and len(bands) == 8 * 2
    internet = [b for b in bands if b.element == "internet"]
    assert (internet[0].up_s, internet[0].degraded_s) == (1800, 1800)
    threads = [b for b in bands if b.element == "threads"]
    assert (threads[0].internet_down_s, threads[1].down_s, threads[1].not_watching_s) == (1800, 1800, 1800)
    assert threads[1].worst == "down"
    day_threads = [b for b in days if b.element == "threads"]
    assert sum(b.down_s for b in day_threads) == 1800  # one local day, or two around local midnight
