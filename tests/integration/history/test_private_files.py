"""A business's records are the owner's alone: the history file (and its -wal/-shm), its lock,
account.json and the tray's log are created 0600 and their folders 0700, whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.history.hostile import WatchProcess, history_file, wait_for, write_watch_config
from tests.support.netns import NoRouteNamespace, skip_unless_netns
from tests.unit.official.keyrings import MEMORY, MemoryKeyring
from traywatch.core.history import HistoryStore, Recorder
from traywatch.core.signed_in.credentials import GRAPH_TOKEN, CredentialStore
from traywatch.log import setup_logging


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: files 0644, folders 0755
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.netns
def test_watch_creates_the_history_and_its_lock_for_the_owner_only(
    traywatch_home: Path, open_umask: None
) -> None:
    skip_unless_netns()
    write_watch_config(traywatch_home)
    with NoRouteNamespace() as ns:
        watch = WatchProcess(ns, traywatch_home)
        assert watch.wait_rounds(2), watch.stderr
        db = history_file(traywatch_home)
        files = [db, db.with_name(db.name + ".lock"), db.with_name(db.name + "-wal")]
        files.append(db.with_name(db.name + "-shm"))
        assert wait_for(lambda: all(f.exists() for f in files), 20), watch.stderr  # written in its thread
        while_running = {f.name: oct(mode(f)) for f in files}
        code, _ = watch.stop()
    assert code == 0, watch.stderr
    assert set(while_running.values()) == {"0o600"}, while_running
    assert oct(mode(db.parent)) == "0o700"


def test_a_history_opened_in_process_is_private_too(tmp_path: Path, open_umask: None) -> None:
    db = tmp_path / "fresh" / "history.sqlite3"
    HistoryStore.open(db).close()
    assert (oct(mode(db)), oct(mode(db.parent))) == ("0o600", "0o700")


def test_an_existing_world_readable_history_is_made_private_by_the_recorder(
    tmp_path: Path, open_umask: None
) -> None:
    db = tmp_path / "data" / "history.sqlite3"
    db.parent.mkdir()
    HistoryStore.open(db).close()
    db.chmod(0o644)  # as an older traywatch left it
    with Recorder(db, interval_s=60):
        pass
    assert oct(mode(db)) == "0o600"


def test_account_note_is_private(tmp_path: Path, open_umask: None) -> None:
    note = tmp_path / "data" / "account.json"
    store = CredentialStore(note, backend=MemoryKeyring(), secure_backends={MEMORY: "Test keyring"})
    store.set(GRAPH_TOKEN, "EAAGtesttoken1234567890")
    assert (oct(mode(note)), oct(mode(note.parent))) == ("0o600", "0o700")


def test_the_log_file_is_private(tmp_path: Path, open_umask: None) -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, sys.excepthook)
    log_file = tmp_path / "logs" / "traywatch.log"
    try:
        setup_logging(log_file)
        logging.getLogger("traywatch.test").warning("a line for the log")
    finally:
        for handler in root.handlers:
            if handler not in saved[0]:
                handler.close()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        sys.excepthook = saved[2]
    assert "a line for the log" in log_file.read_text("utf-8")
    assert (oct(mode(log_file)), oct(mode(log_file.parent))) == ("0o600", "0o700")
