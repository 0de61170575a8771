"""A period that runs into the future (today, chosen by date) counts only up to now: the hours
still to come are not "not watching"."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.unit.history.synthetic import T0, Driver
from traywatch.commands.history import text_table
from traywatch.core.history import HistoryStore, Recorder, load_view
from traywatch.core.history.export import view_json
from traywatch.core.history.period import Window, local_midnight


def test_todays_figures_stop_at_now(db_path: Path, driver: Driver, recorder: Recorder) -> None:
    driver.rounds(30)  # watching from 09:00 to 09:30 (UTC)
    recorder.stop()
    now = T0 + timedelta(minutes=40)
    today = now.astimezone().date()
    day = local_midnight(today)
    whole_day = Window(day, day + timedelta(days=1), f"{today} to {today}")
    with HistoryStore.open(db_path) as store:
        view = load_view(store, whole_day, now)
    assert view.window.until == now and view.window.label == f"{today} until now"
    expected_idle = (now - day).total_seconds() - 30 * 60
    (facebook,) = [u for u in view.uptime.services if u.service == "facebook"]
    assert facebook.up_s == 30 * 60
    assert abs(facebook.not_watching_s - expected_idle) < 1
    assert abs(view.uptime.internet.not_watching_s - expected_idle) < 1
    assert view_json(view)["to"] == "2024-12-11T09:40:00Z"
    assert f"History for {today} until now" in text_table(view)
