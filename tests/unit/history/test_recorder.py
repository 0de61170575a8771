"""The recorder: confirmed changes become incidents, sessions mark the time we were watching,
a crash is recovered at the next start, and a disk that cannot be written loses nothing."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.unit.history.synthetic import IDS, T0, Driver, died_while_instagram_was_down
from traywatch.core.history import EndReason, HistoryStore, Incident, IncidentKind, Recorder, StartReason
from traywatch.core.history.records import WriteOp
from traywatch.core.models import Layer

HOUR = timedelta(hours=1)


def incidents(path: Path, hours: float = 24) -> tuple[Incident, ...]:
    with HistoryStore.open(path) as store:
        return store.incidents(T0 - timedelta(hours=hours), T0 + timedelta(hours=hours))


def sessions(path: Path) -> list[tuple[Any, ...]]:
    with HistoryStore.open(path) as store:
        return store._conn.execute(
            "SELECT started_at, last_seen, ended_at, end_reason FROM sessions ORDER BY id"
        ).fetchall()


def count_rounds(path: Path) -> int:
    with HistoryStore.open(path) as store:
        return int(store._conn.execute("SELECT count(*) FROM rounds").fetchone()[0])


def test_every_round_is_recorded(recorder: Recorder, driver: Driver) -> None:
    driver.rounds(5)
    assert count_rounds(recorder.path) == 5


def test_a_one_round_blip_is_not_an_incident(recorder: Recorder, driver: Driver) -> None:
    driver.rounds(3)
    driver.round(down=["instagram"])
    driver.rounds(3)
    assert incidents(recorder.path) == ()


def test_a_confirmed_outage_opens_and_closes_an_incident_with_its_cause(
    recorder: Recorder, driver: Driver
) -> None:
    driver.rounds(3)
    driver.rounds(
        10,
        down=["instagram"],
        layer=Layer.DNS,
        detail="lookup failed (SERVFAIL)",
        summary="Instagram is down.",
    )
    driver.rounds(3)
    (inc,) = incidents(recorder.path)
    assert inc.kind is IncidentKind.SERVICE and inc.services == ("instagram",)
    assert inc.started_at == T0 + timedelta(minutes=3)  # when first seen, not when confirmed
    assert inc.ended_at == T0 + timedelta(minutes=13)
    assert inc.duration_s(T0 + HOUR) == 600
    assert inc.layer == "dns" and "address lookup failed (DNS)" in inc.cause and "SERVFAIL" in inc.cause
    assert inc.summary == "Instagram is down."
    assert (inc.start_reason, inc.end_reason) == (StartReason.SEEN, EndReason.RECOVERED)


def test_most_services_down_at_once_is_one_meta_wide_incident(recorder: Recorder, driver: Driver) -> None:
    driver.rounds(2)
    driver.rounds(6, down=["facebook", "instagram", "whatsapp", "messenger"])
    driver.rounds(6, down=IDS)
    driver.rounds(2)
    meta = [i for i in incidents(recorder.path) if i.kind is IncidentKind.META]
    assert len(meta) == 1
    assert meta[0].started_at == T0 + timedelta(minutes=2)
    assert meta[0].ended_at == T0 + timedelta(minutes=14)
    assert set(meta[0].services) == set(IDS)  # grew as more services went down


def test_our_own_outages_are_incidents_of_their_own_kind(recorder: Recorder, driver: Driver) -> None:
    driver.rounds(2)
    driver.rounds(4, internet="down")
    driver.rounds(4, internet="limited")
    driver.rounds(2)
    found = incidents(recorder.path)
    assert [i.kind for i in found] == [IncidentKind.INTERNET, IncidentKind.LIMITED]
    assert found[0].ended_at == found[1].started_at == T0 + timedelta(minutes=6)
    assert found[0].cause == "synthetic internet down"


def test_quitting_closes_what_is_still_going_on_and_says_so(recorder: Recorder, driver: Driver) -> None:
    driver.rounds(5, down=["threads"])
    recorder.stop()
    (inc,) = incidents(recorder.path)
    assert inc.end_reason is EndReason.APP_STOPPED
    assert inc.start_reason is StartReason.AT_START  # already down when we started watching
    assert inc.ended_at == T0 + timedelta(minutes=5)
    ((_, _, ended, reason),) = sessions(recorder.path)
    assert reason == "app_stopped" and ended == (T0 + timedelta(minutes=5)).timestamp()


def test_an_incident_open_when_the_app_died_is_closed_at_the_last_round_seen(db_path: Path) -> None:
    driver = died_while_instagram_was_down(db_path)
    last_round = driver.now - timedelta(minutes=1)

    driver.advance(3 * 3600)
    with Recorder(db_path, interval_s=60, clock=driver.clock):
        pass
    (inc,) = incidents(db_path)
    assert inc.ended_at == last_round
    assert inc.end_reason is EndReason.APP_DIED
    (_, last_seen, ended, reason) = sessions(db_path)[0]
    assert ended == last_seen == last_round.timestamp() and reason == "app_died"


def test_a_sleep_splits_the_session_and_the_gap_is_not_watching(recorder: Recorder, driver: Driver) -> None:
    driver.rounds(5, down=["instagram"])
    driver.advance(2 * 3600)  # the laptop sleeps
    driver.rounds(5, down=["instagram"])
    recorder.stop()
    found = incidents(recorder.path)
    assert [(i.start_reason, i.end_reason) for i in found] == [
        (StartReason.AT_START, EndReason.NOT_WATCHING),
        (StartReason.AT_START, EndReason.APP_STOPPED),  # "already down when watching resumed"
    ]
    assert found[0].ended_at == T0 + timedelta(minutes=4)  # the last round before the sleep
    assert len(sessions(recorder.path)) == 2
    with HistoryStore.open(recorder.path) as store:
        ig = store.uptime(T0, T0 + 3 * HOUR, ["instagram"]).services[0]
    assert ig.down_s == 4 * 60 + 5 * 60  # the last round before the sleep stands for nothing
    assert ig.not_watching_s == 3 * 3600 - ig.down_s


def test_the_clock_going_backwards_keeps_every_duration_non_negative(
    recorder: Recorder, driver: Driver
) -> None:
    driver.rounds(3)
    driver.rounds(2, down=["instagram"])
    driver.advance(-30 * 60)  # the clock is set back half an hour
    driver.rounds(3)
    recorder.stop()
    for inc in incidents(recorder.path):
        assert inc.ended_at is not None and inc.ended_at >= inc.started_at
    for started, _, ended, _ in sessions(recorder.path):
        assert ended >= started
    with HistoryStore.open(recorder.path) as store:
        assert all(r[0] >= 0 for r in store._conn.execute("SELECT span_s FROM rounds"))


def test_a_full_disk_keeps_rounds_in_memory_warns_once_and_writes_them_later(
    recorder: Recorder, driver: Driver, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    driver.rounds(2)
    real_write = HistoryStore.write

    def full(self: HistoryStore, ops: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(HistoryStore, "write", full)
    with caplog.at_level(logging.WARNING, logger="traywatch.core.history"):
        driver.rounds(4)
        driver.rounds(4, down=["whatsapp"])
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "disk is full" in warnings[0].getMessage()
    assert recorder.buffered_rounds == 8

    monkeypatch.setattr(HistoryStore, "write", real_write)
    driver.round(down=["whatsapp"])
    assert recorder.buffered_rounds == 0
    assert count_rounds(recorder.path) == 2 + 8 + 1
    (inc,) = incidents(recorder.path)
    assert inc.services == ("whatsapp",) and inc.started_at == T0 + timedelta(minutes=6)


def test_an_unusable_folder_at_start_does_not_stop_watching(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    path = blocker / "history.sqlite3"
    driver = Driver()
    rec = Recorder(path, interval_s=60, clock=driver.clock)
    driver.listeners.append(rec)
    with caplog.at_level(logging.WARNING, logger="traywatch.core.history"):
        rec.start()
        driver.rounds(3)
        driver.rounds(3, down=["instagram"])
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    assert rec.buffered_rounds == 6

    blocker.unlink()  # the owner frees the folder
    driver.round(down=["instagram"])
    rec.stop()
    assert count_rounds(path) == 7
    (inc,) = incidents(path)
    assert inc.end_reason is EndReason.APP_STOPPED


def test_the_memory_buffer_is_bounded_and_dropped_time_is_not_watching(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = Driver()
    rec = Recorder(db_path, interval_s=60, clock=driver.clock, max_buffered_rounds=5)
    rec.start()
    driver.listeners.append(rec)
    real_write = HistoryStore.write

    def full(self: HistoryStore, ops: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(HistoryStore, "write", full)
    driver.rounds(20)
    assert rec.buffered_rounds == 5 and rec.dropped_rounds == 15
    monkeypatch.setattr(HistoryStore, "write", real_write)
    rec.stop()
    with HistoryStore.open(db_path) as store:
        fb = store.uptime(T0, T0 + HOUR, ["facebook"]).services[0]
    assert count_rounds(db_path) == 5
    assert fb.up_s == 5 * 60 and fb.not_watching_s == 55 * 60


def test_a_second_recorder_on_the_same_file_stays_out(
    recorder: Recorder, driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    other = Recorder(recorder.path, interval_s=60, clock=driver.clock)
    with caplog.at_level(logging.WARNING, logger="traywatch.core.history"):
        other.start()
    assert other.disabled and "already recording" in caplog.text
    driver.listeners.append(other)
    driver.rounds(3)
    other.stop()
    assert count_rounds(recorder.path) == 3  # counted once, not twice
    assert len(sessions(recorder.path)) == 1


def test_the_second_recorder_takes_over_when_the_first_stops(
    recorder: Recorder, driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    other = Recorder(recorder.path, interval_s=60, clock=driver.clock)
    other.start()
    driver.listeners.append(other)
    driver.rounds(3)
    assert other.disabled
    recorder.stop()
    driver.listeners.remove(recorder)
    with caplog.at_level(logging.WARNING, logger="traywatch.core.history"):
        driver.rounds(4)
    assert not other.disabled and "takes over" in caplog.text
    other.stop()
    assert count_rounds(recorder.path) == 3 + 4  # every round once: the first's, then the second's
    assert [reason for *_, reason in sessions(recorder.path)] == ["app_stopped", "app_stopped"]


def test_damage_found_while_writing_starts_a_fresh_session(
    recorder: Recorder, driver: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver.rounds(3, down=["instagram"])
    real_write = HistoryStore.write
    calls = {"n": 0}

    def damaged_once(self: HistoryStore, ops: list[WriteOp]) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise sqlite3.DatabaseError("database disk image is malformed")
        real_write(self, ops)

    monkeypatch.setattr(HistoryStore, "write", damaged_once)
    driver.rounds(3, down=["instagram"])
    recorder.stop()
    assert len(sessions(recorder.path)) == 2  # reopened after a full check; a new session began
    assert [i.start_reason for i in incidents(recorder.path)] == [StartReason.AT_START, StartReason.AT_START]


def watch_prunes(monkeypatch: pytest.MonkeyPatch, seen: Callable[[int, Any], object]) -> None:
    """Every HistoryStore.prune call is shown to `seen(retention_days, now)`, then done."""
    original = HistoryStore.prune

    def counting(self: HistoryStore, retention_days: int, now: Any) -> int:
        seen(retention_days, now)
        return original(self, retention_days, now)

    monkeypatch.setattr(HistoryStore, "prune", counting)


def test_a_long_running_recorder_prunes_old_rounds_once_a_day(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = Driver()
    rec = Recorder(db_path, interval_s=60, retention_days=1, clock=driver.clock)
    driver.listeners.append(rec)
    calls: list[object] = []
    watch_prunes(monkeypatch, lambda days, now: calls.append(now))
    with rec:
        driver.rounds(3)
        assert len(calls) == 1  # at start-up
        driver.advance(23 * 3600)
        driver.rounds(2)
        assert len(calls) == 1  # not yet a day
        driver.advance(2 * 3600)
        driver.rounds(2)
        assert len(calls) == 2  # a day after the last pruning
    assert count_rounds(db_path) == 4  # the first rounds are older than the 1-day retention


def test_a_shorter_retention_takes_effect_at_the_next_round(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = Driver()
    rec = Recorder(db_path, interval_s=60, retention_days=30, clock=driver.clock)
    driver.listeners.append(rec)
    calls: list[int] = []
    watch_prunes(monkeypatch, lambda days, now: calls.append(days))
    with rec:
        driver.rounds(3)
        driver.advance(2 * 86400)  # two days later (a daily prune would also be due: keep it apart)
        driver.rounds(1)
        assert calls == [30, 30]
        rec.set_retention(60)  # longer: nothing to drop, no extra pruning
        driver.rounds(1)
        assert calls == [30, 30]
        rec.set_retention(1)  # shorter: pruned at the next round, an hour later, not a day later
        driver.advance(3600)
        driver.rounds(1)
        assert calls == [30, 30, 1]
        driver.rounds(1)
        assert calls == [30, 30, 1]
    assert count_rounds(db_path) == 4  # of 7: the three first, two days old, were rolled up
