"""The forwarding outbox: alerts waiting to reach their targets, in the history database
(table `forward_outbox`, schema v4), so that nothing is lost while the internet is down or the
app restarts. One row per alert; its `targets` are the target keys it has still to reach, and the
row goes once that list is empty. Since v6 the code and parameters of the title, the message and
the last error are kept beside their English text (see core/history/messages.py), so what waits
is said in today's language.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from traywatch.core.history.connection import open_connection
from traywatch.core.history.messages import to_column
from traywatch.core.models import Alert, AlertKind
from traywatch.i18n import Message

log = logging.getLogger(__name__)

MAX_ROWS = 1000  # a week offline at one alert per 10 minutes; older ones go first beyond that
_COLUMNS = (
    "id, at, kind, title, message, services, duration_s, targets, held, attempts, last_try, last_error, why, "
    "title_message, message_message, last_error_message"
)


@dataclass(frozen=True)
class OutboxItem:
    id: int
    alert: Alert
    targets: tuple[str, ...]  # target keys still to reach
    held: bool  # kept back by quiet hours
    attempts: int
    last_try: float | None
    last_error: str | None
    why: str | None  # "internet" (our own was down) or "service" (the target refused)


def _said(english: str, stored: str | None) -> str:
    """A stored text: a `Message` again when its code was kept (said in today's language where it
    is shown), else the English as stored (its line breaks kept: it is forwarded as it is)."""
    if not stored:
        return english
    try:
        data = json.loads(stored)
    except ValueError:
        return english
    return Message.from_json(data, english) if isinstance(data, dict) else english


def _item(row: tuple[object, ...]) -> OutboxItem:
    rid, at, kind, title, message, services, duration, targets, held, attempts, last_try, error, why = row[
        :13
    ]
    title_message, message_message, error_message = (None if v is None else str(v) for v in row[13:16])
    alert = Alert(
        AlertKind(str(kind)),
        _said(str(title), title_message),
        _said(str(message), message_message),
        tuple(json.loads(str(services))),
        datetime.fromtimestamp(float(at), UTC),  # type: ignore[arg-type]
        None if duration is None else float(duration),  # type: ignore[arg-type]
    )
    return OutboxItem(
        int(rid),  # type: ignore[call-overload]
        alert,
        tuple(json.loads(str(targets))),
        bool(held),
        int(attempts),  # type: ignore[call-overload]
        None if last_try is None else float(last_try),  # type: ignore[arg-type]
        None if error is None else _said(str(error), error_message),
        None if why is None else str(why),
    )


class Outbox:
    """Thread-safe access to the outbox table (its own connection to the history file)."""

    def __init__(self, path: Path, busy_timeout_s: float = 1.0) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._busy = busy_timeout_s
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn, _, _ = open_connection(self.path, self._busy)
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def add(self, alert: Alert, targets: Sequence[str], held: bool = False) -> int:
        """Store an alert for these targets (before any delivery is tried: durable first)."""
        with self._lock:
            db = self._db()
            cur = db.execute(
                "INSERT INTO forward_outbox (at, kind, title, message, services, duration_s, targets, held, "
                "title_message, message_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    alert.at.timestamp(),
                    alert.kind.value,
                    alert.title,
                    alert.message,
                    json.dumps(list(alert.services)),
                    alert.duration_s,
                    json.dumps(list(targets)),
                    int(held),
                    to_column(alert.title),
                    to_column(alert.message),
                ),
            )
            db.execute(
                "DELETE FROM forward_outbox WHERE id NOT IN "
                "(SELECT id FROM forward_outbox ORDER BY at DESC, id DESC LIMIT ?)",
                (MAX_ROWS,),
            )
            return int(cur.lastrowid or 0)

    def items(self) -> list[OutboxItem]:
        """Everything waiting, oldest first (reading creates no history file)."""
        with self._lock:
            if self._conn is None and not self.path.exists():
                return []
            rows = self._db().execute(f"SELECT {_COLUMNS} FROM forward_outbox ORDER BY at, id").fetchall()
        return [_item(r) for r in rows]

    def delivered(self, ids: Iterable[int], target: str) -> None:
        """These alerts reached `target`: take it off their lists (and drop rows with none left)."""
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                for rid in ids:
                    row = db.execute("SELECT targets FROM forward_outbox WHERE id = ?", (rid,)).fetchone()
                    if row is None:
                        continue
                    left = [t for t in json.loads(row[0]) if t != target]
                    if left:
                        db.execute(
                            "UPDATE forward_outbox SET targets = ? WHERE id = ?", (json.dumps(left), rid)
                        )
                    else:
                        db.execute("DELETE FROM forward_outbox WHERE id = ?", (rid,))
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def failed(self, ids: Iterable[int], at: float, error: str, why: str) -> None:
        with self._lock:
            db = self._db()
            for rid in ids:
                db.execute(
                    "UPDATE forward_outbox SET attempts = attempts + 1, last_try = ?, last_error = ?, "
                    "last_error_message = ?, why = ? WHERE id = ?",
                    (at, error[:500], to_column(error), why, rid),
                )

    def drop_targets_except(self, keys: Sequence[str]) -> None:
        """Targets removed from the config: nothing waits for them any more."""
        for item in self.items():
            gone = [t for t in item.targets if t not in keys]
            for target in gone:
                self.delivered([item.id], target)
