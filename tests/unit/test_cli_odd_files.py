"""Odd things where traywatch keeps its files: another program's SQLite database as the history,
TRAYWATCH_HOME naming a file, an empty catalogue, a config link to nowhere, a config with a
million unknown keys. Each gets one clear message naming the place; nothing else is touched."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from pathlib import Path

import pytest

from tests.unit.history.synthetic import Driver

# no proxy variables from the machine; main()'s logging set-up undone after each test
from tests.unit.test_cli import _no_proxies_and_logging_restored  # noqa: F401
from traywatch.cli import main
from traywatch.core.history import HistoryError, HistoryStore, Recorder
from traywatch.core.paths import app_paths
from traywatch.core.settings.config import load_config, parse_config


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- another program's database ---------------------------------------------------------------------
@pytest.fixture
def foreign_db(traywatch_home: Path) -> Path:
    """An address book where the history file should be (rollback journal, its own user_version)."""
    path = app_paths().history_db
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ana', '+34 600 000 000')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    return path


def contents(path: Path) -> tuple[str, list[str], str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    return digest(path), tables, mode


def test_history_refuses_another_program_s_database_naming_it(
    foreign_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = contents(foreign_db)
    code, _, err = run(capsys, "history")
    assert code == 2
    assert str(foreign_db) in err and "not a traywatch history" in err and "contacts" in err
    assert contents(foreign_db) == before == (before[0], ["contacts"], "delete")  # not even WAL


def test_the_store_refuses_it_and_a_fresh_file_is_still_fine(foreign_db: Path, tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="not a traywatch history"):
        HistoryStore.open(foreign_db)
    with HistoryStore.open(tmp_path / "new.sqlite3") as store:  # a new file is traywatch's own
        assert store.service_names() == {}
    with HistoryStore.open(tmp_path / "new.sqlite3") as store:  # and so it stays
        assert store.service_names() == {}


def test_watching_leaves_it_alone_and_says_so(foreign_db: Path, caplog: pytest.LogCaptureFixture) -> None:
    before = contents(foreign_db)
    driver = Driver()
    with caplog.at_level(logging.WARNING), Recorder(foreign_db, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(3)
    assert contents(foreign_db) == before
    assert "not a traywatch history" in caplog.text and str(foreign_db) in caplog.text


# -- TRAYWATCH_HOME -----------------------------------------------------------------------------------
@pytest.mark.parametrize("below", [False, True])
@pytest.mark.parametrize("command", [["history"], ["check", "--json"], ["account", "status"], []])
def test_traywatch_home_naming_a_file_says_what_it_must_be(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    below: bool,
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):  # `traywatch` alone: the tray
        monkeypatch.delenv(name, raising=False)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    home = a_file / "traywatch" if below else a_file
    monkeypatch.setenv("TRAYWATCH_HOME", str(home))
    code, out, err = run(capsys, *command)
    assert code == 2 and out == ""
    assert "TRAYWATCH_HOME" in err and str(a_file) in err and "folder" in err
    assert "config.toml" not in err
    assert a_file.read_text() == "mine"


# -- the catalogue ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("", "[[service]] or [[reference]]"),
        ("# nothing yet\n", "[[service]] or [[reference]]"),
        ('[[service]]\nid = "facebook"\ntargets = ["https://127.0.0.1:9/"]\n', "[[reference]]"),
        ('[[reference]]\nid = "local"\nurl = "http://127.0.0.1:9/generate_204"\n', "[[service]]"),
    ],
)
def test_a_catalogue_without_services_or_references_is_refused_naming_it(
    traywatch_home: Path, capsys: pytest.CaptureFixture[str], text: str, missing: str
) -> None:
    folder = traywatch_home / "config"
    folder.mkdir(parents=True)
    (folder / "empty.toml").write_text(text, "utf-8")
    config = '[catalogue]\nfile = "empty.toml"\n[official]\nenabled = false\n[account]\nenabled = false\n'
    (folder / "config.toml").write_text(config, "utf-8")
    code, out, err = run(capsys, "check", "--json")
    assert code == 2 and out == ""
    assert str(folder / "empty.toml") in err and missing in err
    assert "neither Meta nor  can" not in err


# -- the config file ----------------------------------------------------------------------------------
def test_a_config_link_to_nowhere_is_warned_about(
    traywatch_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (traywatch_home / "config").mkdir(parents=True)
    link = traywatch_home / "config" / "config.toml"
    target = tmp_path / "dotfiles" / "traywatch.toml"
    link.symlink_to(target)
    code, _, err = run(capsys, "history", "--json")
    assert code == 0
    assert str(link) in err and str(target) in err and "default settings" in err
    config = load_config(link)
    assert len(config.warnings) == 1 and str(target) in config.warnings[0]


def test_an_explicit_config_link_to_nowhere_is_an_error_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "mine.toml"
    link.symlink_to(tmp_path / "gone.toml")
    code, _, err = run(capsys, "--config", str(link), "history")
    assert code == 2
    assert str(link) in err and str(tmp_path / "gone.toml") in err


def test_a_config_with_a_huge_number_of_unknown_keys_gives_one_warning(
    traywatch_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (traywatch_home / "config").mkdir(parents=True)
    keys = "".join(f"key{i} = {i}\n" for i in range(50_000))  # under the 1 MB cap on config files
    (traywatch_home / "config" / "config.toml").write_text(f"{keys}[check]\nintervall = 30\n", "utf-8")
    code, _, err = run(capsys, "history", "--json")
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines[:5]
    assert "50001 unknown keys" in lines[0] and "'key0'" in lines[0] and "49996 more" in lines[0]
    assert len(lines[0]) < 400


def test_a_few_unknown_keys_are_still_named_one_by_one() -> None:
    config = parse_config({"colour": "blue", "check": {"intervall": 30}}, "c.toml")
    assert config.warnings == (
        "c.toml: unknown section or key 'colour' (ignored)",
        "c.toml: unknown key 'check.intervall' (ignored)",
    )


def test_many_unknown_disabled_services_give_one_warning() -> None:
    names = [f"svc{i}" for i in range(10_000)]
    config = parse_config({"services": {"disabled": ["instagram", *names]}}, "c.toml")
    assert len(config.warnings) == 1
    assert (
        "10000" in config.warnings[0] and "'svc0'" in config.warnings[0] and "facebook" in config.warnings[0]
    )
    assert "instagram" not in {s.id for s in config.catalogue.services}
