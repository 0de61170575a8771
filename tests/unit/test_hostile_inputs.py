"""Inputs built to break the command line end in one clear line and exit 2, never a traceback or a
hang: dates at the ends of the calendar, a catalogue of the wrong shape, a history row no traywatch
wrote, and a config file that is a device that never ends or a pipe that never answers."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from traywatch.cli import main
from traywatch.core.history import HistoryStore
from traywatch.core.history.period import WindowError, resolve
from traywatch.core.history.records import Incident, IncidentKind, IncidentOpened

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 12, 11, 17, 40, tzinfo=UTC)


def config_path(home: Path) -> Path:
    path = home / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.err


# -- the calendar's ends -------------------------------------------------------------------------
@pytest.mark.parametrize("day", ["0001-01-01", "0999-12-31", "1969-12-31"])
def test_a_first_day_before_any_history_is_refused_plainly(day: str) -> None:
    with pytest.raises(WindowError, match="--from") as info:
        resolve(None, day, None, NOW)
    assert "1970" in str(info.value)


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-30", "3000-01-01"])
def test_a_last_day_far_in_the_future_means_until_now(day: str) -> None:
    window = resolve(None, "2024-12-01", day, NOW)
    assert window.until == NOW and window.label == "2024-12-01 until now"


@pytest.mark.parametrize(
    "argv",
    [
        ("history", "--from", "0001-01-01"),
        ("history", "--from", "0001-01-01", "--to", "0001-01-02"),
        ("report", "--from", "0001-01-01", "--out", "-"),
    ],
)
def test_history_and_report_with_the_year_one_exit_2_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, err = run_cli(capsys, *argv)
    assert code == 2 and "--from '0001-01-01'" in err and len(err.strip().splitlines()) == 1


def test_history_to_the_last_day_of_the_calendar_lists_until_now(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run_cli(capsys, "history", "--from", "2024-12-01", "--to", "9999-12-31", "--json")
    assert code == 0


# -- a catalogue of the wrong shape --------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("service = 5\n", "service"),
        ('service = "facebook"\n', "service"),
        ("reference = 5\n", "reference"),
        ("reference = [1, 2]\n", "reference[0]"),
        ("meta_domains = 5\n", "meta_domains"),
        ('[[service]]\nid = "x"\ntargets = 5\n', "targets"),
    ],
)
def test_a_catalogue_of_the_wrong_shape_is_named_with_its_key(
    traywatch_home: Path, capsys: pytest.CaptureFixture[str], text: str, key: str
) -> None:
    catalogue = traywatch_home / "catalogue.toml"
    traywatch_home.mkdir(parents=True, exist_ok=True)
    catalogue.write_text(text, "utf-8")
    config_path(traywatch_home).write_text(f'[catalogue]\nfile = "{catalogue}"\n', "utf-8")
    code, err = run_cli(capsys, "check", "--json")
    assert code == 2
    assert str(catalogue) in err and key in err


# -- a history row no traywatch wrote -------------------------------------------------------------
def write_incident(path: Path, **changes: object) -> None:
    start = datetime.now(UTC) - timedelta(hours=2)
    incident = Incident(
        "k1", IncidentKind.SERVICE, ("instagram",), start, start + timedelta(minutes=5), "why", "what"
    )
    with HistoryStore.open(path) as store:
        store.write([IncidentOpened("s1", incident)])
        for column, value in changes.items():
            store._conn.execute(f"UPDATE incidents SET {column} = ?", (value,))


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "volcano"},
        {"start_reason": "magic"},
        {"end_reason": "gone fishing"},
        {"services": "not json"},
        {"ended_at": 1e300},
    ],
)
@pytest.mark.parametrize("command", ["history", "report"])
def test_a_history_row_with_a_value_no_traywatch_writes_names_the_damaged_file(
    traywatch_home: Path, capsys: pytest.CaptureFixture[str], changes: dict[str, object], command: str
) -> None:
    db = traywatch_home / "data" / "history.sqlite3"
    write_incident(db, **changes)
    argv = [command, "--since", "1d"] + (
        ["--out", str(traywatch_home / "r.html")] if command == "report" else []
    )
    code, err = run_cli(capsys, *argv)
    assert code == 2
    assert str(db) in err and "damaged" in err


# -- a config file that never ends, or never answers ---------------------------------------------
def test_a_config_file_linked_to_dev_zero_is_refused_without_reading_it_all(
    traywatch_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_path(traywatch_home)
    config.symlink_to("/dev/zero")
    code, err = run_cli(capsys, "check", "--json")
    assert code == 2 and str(config) in err


def test_a_config_file_linked_to_dev_null_is_an_empty_one(
    traywatch_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_path(traywatch_home).symlink_to("/dev/null")
    code, _ = run_cli(capsys, "history", "--json")
    assert code == 0


def test_a_huge_config_file_is_refused(traywatch_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = config_path(traywatch_home)
    config.write_text("# comment\n" * 300_000, "utf-8")  # 3 MB of nothing
    code, err = run_cli(capsys, "check", "--json")
    assert code == 2 and str(config) in err and "MB" in err


def test_a_config_file_that_is_a_fifo_never_hangs(traywatch_home: Path) -> None:
    config = config_path(traywatch_home)
    os.mkfifo(config)
    result = subprocess.run(
        [sys.executable, "-m", "traywatch", "check", "--json"],
        env={**os.environ, "TRAYWATCH_HOME": str(traywatch_home), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert str(config) in result.stderr and "Traceback" not in result.stderr


def test_control_characters_stored_by_an_older_traywatch_are_not_replayed(
    traywatch_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = traywatch_home / "data" / "history.sqlite3"
    hostile = "sent to evil\x1b[2J\x1bc.example\x07\u202e"
    write_incident(db, summary=hostile, cause=hostile)
    for argv in (("history", "--since", "1d"), ("history", "--since", "1d", "--json")):
        code = main(list(argv))
        out = capsys.readouterr().out
        assert code == 0 and "evil" in out
        assert "\x1b" not in out and "\\u001b" not in out and "\x07" not in out and "\u202e" not in out
