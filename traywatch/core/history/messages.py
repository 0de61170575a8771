"""Owner-facing sentences in the history file: the English text, and beside it the code and
parameters of a `Message` (JSON), so that an old incident is said in today's language.

Written: a `Message` stores `to_json()` next to its English text; a plain string (a row from an
older traywatch, Meta's own words) stores NULL. Read: a stored code comes back as a `Message`
whose English text is the stored one; a code this version does not know (written by a newer
traywatch) still renders, as that English text. Words that came from the network are cleaned
(`safe_text.clean`) when read back, in the English text and in every parameter alike.

Round summaries are stored once per English text (`summaries.text` is UNIQUE). Two messages with
the same English text are taken as the same sentence: every parameter of every template shows in
its English text, so equal English means equal parameters as said; the first code and parameters
stored for a text are kept, and a row stored as plain text gets them when a coded one comes.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping

from traywatch.core.history.records import Incident, to_ts
from traywatch.core.safe_text import clean
from traywatch.i18n import Message
from traywatch.i18n.message import Names, Param, Parts

log = logging.getLogger(__name__)

MAX_STORED = 4000  # characters of a sentence read back (they are a sentence or two)
_MAX_JSON = 64_000  # a stored code and parameters longer than this is not read back


def to_column(text: str | None) -> str | None:
    """The JSON to store beside `text`: its code and parameters, or None for plain text."""
    if not isinstance(text, Message):
        return None
    try:
        return json.dumps(text.to_json(), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:  # a parameter that cannot be stored: keep the English
        log.warning("message %s stored as its English text only: %s", text.code, exc)
        return None


def shown(text: str) -> str:
    """Stored words as they may be shown: an older traywatch stored network text uncleaned."""
    return clean(text, limit=MAX_STORED)


def from_column(english: str, stored: str | None) -> str:
    """The stored sentence: a `Message` when its code was kept, else its cleaned English text."""
    text = shown(english)
    if not stored or len(stored) > _MAX_JSON:
        return text
    try:
        data = json.loads(stored)
    except ValueError:
        return text
    if not isinstance(data, Mapping):
        return text
    found = Message.from_json(data, text)
    if not isinstance(found, Message):
        return text
    return Message(found.code, {k: _cleaned(v) for k, v in found.params.items()}, text)


def _cleaned(value: Param) -> Param:
    if isinstance(value, Message):
        return Message(value.code, {k: _cleaned(v) for k, v in value.params.items()}, shown(value))
    if isinstance(value, Names):
        return Names(shown(v) for v in value)
    if isinstance(value, Parts):
        return Parts(_cleaned(v) for v in value)
    if isinstance(value, str):
        return shown(value)
    return value


def summary_row(conn: sqlite3.Connection, text: str) -> int:
    """The id of a round summary's row (added when new; see the module's note on equal text)."""
    row = conn.execute(
        "INSERT INTO summaries (text, message) VALUES (?, ?) ON CONFLICT (text) DO UPDATE SET "
        "message = coalesce(message, excluded.message) RETURNING id",
        (text, to_column(text)),
    ).fetchone()
    return int(row[0])


def insert_incident(conn: sqlite3.Connection, session: int, inc: Incident) -> None:
    conn.execute(
        "INSERT INTO incidents (key, session_id, kind, services, started_at, ended_at, start_reason, "
        "end_reason, layer, cause, summary, cause_message, summary_message) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        (
            inc.key,
            session,
            inc.kind.value,
            json.dumps(inc.services),
            to_ts(inc.started_at),
            None if inc.ended_at is None else to_ts(inc.ended_at),
            inc.start_reason.value,
            None if inc.end_reason is None else inc.end_reason.value,
            inc.layer,
            str(inc.cause),
            str(inc.summary),
            to_column(inc.cause),
            to_column(inc.summary),
        ),
    )


def summary_of(conn: sqlite3.Connection, summary_id: int) -> str | None:
    """A stored round summary, said again (None when there is no such row)."""
    row = conn.execute("SELECT text, message FROM summaries WHERE id = ?", (summary_id,)).fetchone()
    return None if row is None else from_column(row[0], row[1])
