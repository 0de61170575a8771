"""The history keeps the code and parameters of what it stores, so that old incidents are said in
today's language; rows stored as English text (older files, Meta's own words) stay as they were.

Real SQLite files; the language is a test-only one that says every msgid in [brackets]."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

from tests.unit.history.fake_language import LANG, outside_brackets
from tests.unit.history.old_files import ACK_BY, CAUSE, SUMMARY, make_old_file
from tests.unit.history.synthetic import SERVICES, T0, Driver
from traywatch.core.history import HistoryStore, load_view
from traywatch.core.history.acknowledge import ACKNOWLEDGED_BY, ack_words
from traywatch.core.history.export import report_csv, view_json
from traywatch.core.history.incidents import NO_LAYER, WITH_DETAIL
from traywatch.core.history.messages import summary_of, summary_row
from traywatch.core.history.period import FROM_DAY, Window, days_label, parse_since
from traywatch.core.history.reading import open_for_reading
from traywatch.core.history.records import (
    Incident,
    IncidentAcknowledged,
    IncidentKind,
    IncidentOpened,
    OfficialRead,
    SessionStarted,
)
from traywatch.core.history.report import render_html
from traywatch.core.history.schema import MIGRATIONS, version_of
from traywatch.i18n import Message, Names, Template, formats, render, set_language
from traywatch.i18n.message import templates

SERVICES_OUT = Template("test.history.services_out", "{services} cannot be reached right now.")
WINDOW = (T0 - timedelta(hours=1), T0 + timedelta(hours=3))


def raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def record_an_outage(path: Path) -> Driver:
    """Instagram down for 6 rounds, then our own internet down for 4: every summary a Message."""
    driver = Driver()
    rec = driver.record_to(path)
    driver.rounds(3, summary=SERVICES_OUT(services=Names(["nothing"])))
    driver.rounds(6, down=["instagram"], summary=SERVICES_OUT(services=Names(["Instagram"])))
    driver.rounds(4, internet="down", summary=SERVICES_OUT(services=Names(["Meta", "Google"])))
    driver.rounds(3, summary=SERVICES_OUT(services=Names(["nothing"])))
    rec.stop()
    return driver


def test_a_v4_file_is_backed_up_upgraded_and_its_english_rows_stay_as_they_were(
    db_path: Path, bracketed: str
) -> None:
    make_old_file(db_path, 4, T0, acknowledged=True)
    with HistoryStore.open(db_path) as store:
        assert version_of(store._conn) == len(MIGRATIONS) == 6
        assert store.backup is not None and store.backup.name.startswith("history.sqlite3.v4-backup-")
        (inc,) = store.incidents(*WINDOW)
        view = load_view(store, Window(*WINDOW, parse_since("4h", WINDOW[1]).label), WINDOW[1])
    assert inc.key == "old1" and inc.cause == CAUSE and inc.summary == SUMMARY
    assert not isinstance(inc.cause, Message) and not isinstance(inc.summary, Message)
    assert render(inc.cause) == CAUSE and render(inc.summary) == SUMMARY  # said as stored
    assert inc.acknowledged_by == ACK_BY and ACK_BY in render(ack_words(inc))
    assert raw(db_path, "SELECT cause_message, summary_message, acknowledged_by_message FROM incidents") == [
        (None, None, None)
    ]
    assert raw(db_path, "SELECT count(*) FROM summaries WHERE message IS NULL") == [(2,)]
    saved = sqlite3.connect(store.backup)
    try:
        assert version_of(saved) == 4
        assert saved.execute("SELECT cause FROM incidents").fetchall() == [(CAUSE,)]
    finally:
        saved.close()
    page = render_html(view, bracketed)
    assert CAUSE in page and SUMMARY in page and "[Outage report]" in page


def test_an_upgraded_file_holds_old_english_rows_and_new_coded_ones_side_by_side(
    db_path: Path, bracketed: str
) -> None:
    make_old_file(db_path, 4, T0)
    driver = Driver(start=T0 + timedelta(hours=1))
    rec = driver.record_to(db_path)
    driver.rounds(2, summary=SERVICES_OUT(services=Names(["nothing"])))
    driver.rounds(4, down=["instagram"], summary=SERVICES_OUT(services=Names(["Instagram"])))
    driver.rounds(2, summary=SERVICES_OUT(services=Names(["nothing"])))
    rec.stop()
    with HistoryStore.open(db_path) as store:
        old, new = store.incidents(*WINDOW)
        view = load_view(store, Window(*WINDOW, parse_since("4h", WINDOW[1]).label), WINDOW[1])
    assert not isinstance(old.cause, Message) and render(old.cause) == CAUSE
    said = "[Instagram cannot be reached right now.]"
    assert isinstance(new.summary, Message) and render(new.summary) == said
    page = render_html(view)
    assert CAUSE in page and said in page


def test_a_v4_file_is_read_without_being_changed(db_path: Path) -> None:
    make_old_file(db_path, 4, T0)
    with open_for_reading(db_path) as store:
        (inc,) = store.incidents(*WINDOW)
    assert inc.cause == CAUSE and not isinstance(inc.cause, Message)
    assert raw(db_path, "PRAGMA user_version") == [(4,)]
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]  # no backup either


def test_an_incident_recorded_in_english_is_said_in_todays_language(db_path: Path, bracketed: str) -> None:
    set_language("en")  # recorded while English is in use...
    record_an_outage(db_path)
    set_language(bracketed)  # ...read back and said in another language
    with HistoryStore.open(db_path) as store:
        instagram, internet = store.incidents(*WINDOW)
    # the English text is still stored, for older versions and exports
    stored = raw(db_path, "SELECT cause, cause_message, summary, summary_message FROM incidents ORDER BY id")
    assert stored[0][0] == "answered with an error (HTTP): answered with a server error (HTTP 503)"
    assert json.loads(str(stored[0][1]))["code"] == "history.cause.with_detail"
    assert stored[0][2] == "Instagram cannot be reached right now."
    assert json.loads(str(stored[0][3])) == {
        "code": SERVICES_OUT.code,
        "params": {"services": {"names": ["Instagram"]}},
    }
    assert isinstance(instagram.cause, Message) and str(instagram.cause) == stored[0][0]
    assert render(instagram.cause) == (
        "[{cause}: {detail}]".replace("{cause}", "[answered with an error (HTTP)]").replace(
            "{detail}", "answered with a server error (HTTP 503)"
        )
    )
    assert render(instagram.summary) == "[Instagram cannot be reached right now.]"
    assert (
        render(internet.summary) == "[Meta y Google cannot be reached right now.]"
    )  # the list said the Spanish way (CLDR)
    assert render(instagram.cause, "en") == stored[0][0]


def test_round_summaries_keep_their_code_and_equal_english_is_one_row(db_path: Path) -> None:
    record_an_outage(db_path)
    rows = raw(db_path, "SELECT text, message FROM summaries ORDER BY id")
    assert len(rows) == 3 and all(message is not None for _, message in rows)
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        plain = summary_row(conn, "Everything works.")  # as an older version stored it
        coded = summary_row(
            conn, Message(SERVICES_OUT.code, {"services": Names(["Everything"])}, "Everything works.")
        )
        assert coded == plain  # the same English text is the same row...
        again = summary_row(
            conn, Message(SERVICES_OUT.code, {"services": Names(["Else"])}, "Everything works.")
        )
        assert again == plain
        said = summary_of(conn, plain)
    finally:
        conn.close()
    assert isinstance(said, Message) and said.params == {
        "services": Names(["Everything"])
    }  # ...the first code kept


def test_a_code_this_version_does_not_know_reads_as_its_english(db_path: Path, bracketed: str) -> None:
    make_old_file(db_path, 4, T0)
    with HistoryStore.open(db_path) as store:
        store.checkpoint()
    conn = sqlite3.connect(db_path, isolation_level=None)
    future = {"code": "history.from.a.newer.version", "params": {"what": "Instagram"}}
    conn.execute(
        "UPDATE incidents SET cause_message = ?, summary_message = '{not json'", (json.dumps(future),)
    )
    conn.close()
    with HistoryStore.open(db_path) as store:
        (inc,) = store.incidents(*WINDOW)
    assert render(inc.cause) == CAUSE and render(inc.summary) == SUMMARY


def test_network_words_in_stored_parameters_are_cleaned_when_read(db_path: Path, bracketed: str) -> None:
    make_old_file(db_path, 4, T0)
    with HistoryStore.open(db_path):
        pass
    conn = sqlite3.connect(db_path, isolation_level=None)
    hostile = {
        "code": "history.cause.with_detail",
        "params": {"cause": "x", "detail": "evil\x1b[31m\u202etext"},
    }
    conn.execute("UPDATE incidents SET cause_message = ?", (json.dumps(hostile),))
    conn.close()
    with HistoryStore.open(db_path) as store:
        (inc,) = store.incidents(*WINDOW)
    assert "\x1b" not in render(inc.cause) and "\u202e" not in render(inc.cause)


def test_meta_s_acknowledgement_keeps_its_code_and_meta_s_own_words(db_path: Path, bracketed: str) -> None:
    cause = WITH_DETAIL(cause=NO_LAYER(), detail="HTTP 503")
    opened = Incident("k1", IncidentKind.SERVICE, ("graph_api",), T0, None, cause, "plain summary")
    by = ACKNOWLEDGED_BY(org="Graph API", status="Major disruptions")
    with HistoryStore.open(db_path) as store:
        store.write(
            [
                SessionStarted("s", T0, 60),
                IncidentOpened("s", opened),
                OfficialRead("k1"),
                IncidentAcknowledged("k1", T0 + timedelta(minutes=17), by),
            ]
        )
        (inc,) = store.incidents(*WINDOW)
    assert raw(db_path, "SELECT acknowledged_by FROM incidents") == [("Graph API: Major disruptions",)]
    assert render(inc.acknowledged_by or "") == "[{org}: {status}]".format(
        org="Graph API", status="Major disruptions"
    )
    when = formats.time_of_day(T0 + timedelta(minutes=17), LANG)
    gap = "[17 min after traywatch saw it]"
    said = f"[Meta acknowledged at {when} ({gap}): [Graph API: Major disruptions]]"
    assert render(ack_words(inc)) == said
    assert render(inc.cause) == "[[did not answer as it should]: HTTP 503]"
    assert inc.summary == "plain summary" and render(inc.summary) == "plain summary"


def _history_templates() -> list[Template]:
    return [t for t in templates() if t.code.startswith(("history.", "report."))]


def test_the_report_in_another_language_has_no_english_left_outside_its_parameters(
    db_path: Path, bracketed: str
) -> None:
    record_an_outage(db_path)
    now = T0 + timedelta(hours=1)
    with HistoryStore.open(db_path) as store:
        view = load_view(store, parse_since("2h", now), now)
    page = render_html(view)
    assert '<html lang="es">' in page
    body = page.split("</style>", 1)[1]
    text = re.sub(r"<[^>]+>", " ", body).replace("&#8627;", " ")
    left = outside_brackets(text)
    for name in {n for _, n in SERVICES}:
        left = left.replace(name, " ")
    for data in ("answered with a server error (HTTP 503)", "synthetic internet down"):
        left = left.replace(data, " ")
    words = set(re.findall(r"[^\W\d_]+", left))
    assert words <= {"s", "min", "h", "d"}, words  # only what formats say (durations) remains
    for found in _history_templates():  # and no template's English outside its brackets
        for piece in re.split(r"\{\w+\}", found.text):
            piece = piece.strip(" .,:;()—")
            if len(piece) > 3:
                assert piece not in left, (found.code, piece)


def test_exports_keep_english_keys_and_codes_and_say_sentences_in_the_language(
    db_path: Path, bracketed: str
) -> None:
    record_an_outage(db_path)
    now = T0 + timedelta(hours=1)
    with HistoryStore.open(db_path) as store:
        view = load_view(store, parse_since("2h", now), now)
    data = view_json(view)
    assert data["window"] == "[the last {amount} hours]".replace("{amount}", "2")
    first = data["incidents"][0]
    assert first["kind"] == "service" and first["what"] == "[Instagram down]"
    assert (
        first["summary"] == "[Instagram cannot be reached right now.]"
        and first["meta_status"] == "not_covered"
    )
    rows = list(csv.reader(io.StringIO(report_csv(view))))
    assert rows[0][0] == "[traywatch report: {period}]".replace("{period}", data["window"])
    header = next(r for r in rows if r and r[0] == "start (local)")
    cells = dict(zip(header, rows[rows.index(header) + 1], strict=True))
    assert cells["kind"] == "service" and cells["cause"].startswith("[[answered with an error (HTTP)]: ")
    assert cells["your internet working?"] == "[down or limited for 4 min of it]"  # durations: formats


def test_period_labels_are_messages_and_a_chosen_day_runs_until_now() -> None:
    today = T0.astimezone().date()
    label = days_label(today, today)
    assert label == f"{today} to {today}"
    window = Window(T0 - timedelta(hours=9), T0 + timedelta(hours=15), label).until_now(T0)
    assert isinstance(window.label, Message) and window.label.code == FROM_DAY.code
    assert window.label == f"{today} until now"
    assert (
        parse_since("1.5d", T0).label == "the last 1.5 days"
        and parse_since("1w", T0).label == "the last week"
    )
