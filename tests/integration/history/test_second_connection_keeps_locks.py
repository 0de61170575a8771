"""A second connection in the same process (the forwarder's outbox beside the recorder) must not
drop the first one's locks. Closing any descriptor of a file drops every POSIX lock the process
holds on it; SQLite's included. Then another program reading the history (`traywatch history`,
a test, a backup tool) believes it is the last one, and on closing deletes the WAL that the
recorder still writes to, so every later round is lost. That is how the forwarding end-to-end
test once saw an empty outbox for 15 s. Real SQLite files and a real second process."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from traywatch.core.history.connection import open_connection

READ_AND_CLOSE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
print(conn.execute("SELECT count(*) FROM forward_outbox").fetchone()[0])
conn.close()
"""


def other_program_reads(path: Path) -> int:
    out = subprocess.run(
        [sys.executable, "-c", READ_AND_CLOSE, str(path)], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


def add_row(conn: sqlite3.Connection, title: str) -> None:
    conn.execute(
        "INSERT INTO forward_outbox (at, kind, title, message, services, targets) "
        "VALUES (0, 'meta_down', ?, '', '[]', '[]')",
        (title,),
    )


def test_writes_after_a_second_connection_opened_survive_another_program_reading(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    recorder, _, _ = open_connection(path, 1.0)
    add_row(recorder, "first")
    forwarder, _, _ = open_connection(path, 1.0)  # opened later, in the same process
    try:
        assert other_program_reads(path) == 1
        add_row(recorder, "second")
        add_row(forwarder, "third")
        assert other_program_reads(path) == 3  # the WAL we write to is the one others read
        assert path.with_name(path.name + "-wal").exists()
    finally:
        forwarder.close()
        recorder.close()
    assert other_program_reads(path) == 3  # and nothing was lost on closing
