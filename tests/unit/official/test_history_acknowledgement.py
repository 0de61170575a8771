"""History remembers when Meta admitted each incident ("traywatch saw it 23 min before Meta did"),
and every problem Meta Status showed; a version-1 file is backed up and upgraded to keep them."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from tests.unit.history.old_files import make_old_file
from tests.unit.history.synthetic import IDS, T0, Driver, die, make_round
from traywatch.commands.history import text_table
from traywatch.core.history import HistoryStore, Recorder, load_view
from traywatch.core.history.acknowledge import ack_words
from traywatch.core.history.export import incidents_csv, view_json
from traywatch.core.history.period import Window
from traywatch.core.history.records import (
    IncidentKind,
)
from traywatch.core.history.report import render_html
from traywatch.core.history.schema import MIGRATIONS, version_of
from traywatch.core.metastatus.poller import summarise
from traywatch.core.metastatus.status import OfficialState, OfficialStatus, OrgStatus


def local_hm(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def status(
    at: datetime, state: OfficialState = OfficialState.OK, posted: datetime | None = None
) -> OfficialStatus:
    text = {OfficialState.OK: "No known issues", OfficialState.MAJOR: "Major disruptions"}[state]
    return summarise((OrgStatus("graph-api", "Graph API", state, text, posted, posted_at=posted),), at)


def feed(driver: Driver, official: OfficialStatus | None, count: int = 1, **kwargs: object) -> None:
    for _ in range(count):
        rnd = replace(make_round(driver.now, **kwargs), official=official)  # type: ignore[arg-type]
        driver.deliver(driver.monitor.observe(rnd))
        driver.advance(driver.interval)


def view(db_path: Path, hours: int = 2) -> object:
    with HistoryStore.open(db_path) as store:
        return load_view(store, Window(T0, T0 + timedelta(hours=hours), "test"), T0 + timedelta(hours=hours))


def test_meta_s_first_post_is_kept_as_the_acknowledgement_of_an_incident(
    db_path: Path, driver: Driver, recorder: Recorder
) -> None:
    feed(driver, status(T0), 3)
    feed(driver, status(T0), 20, down=["graph_api"])  # confirmed down from 09:03
    posted = driver.at(17)
    feed(driver, status(driver.now, OfficialState.MAJOR, posted), 5, down=["graph_api"])
    feed(driver, status(driver.now, OfficialState.MAJOR, posted), 3)
    feed(driver, status(driver.now), 3)
    recorder.stop()
    with HistoryStore.open(db_path) as store:
        (inc,) = store.incidents(T0, T0 + timedelta(hours=2))
        events = store.official_events(T0, T0 + timedelta(hours=2))
    assert inc.started_at == driver.at(3)
    assert inc.acknowledged_at == posted
    assert inc.acknowledged_by == "Graph API: Major disruptions"
    when = local_hm(posted)
    assert (
        ack_words(inc)
        == f"Meta acknowledged at {when} (14 min after traywatch saw it): Graph API: Major disruptions"
    )
    (event,) = events
    assert (event.org, event.state, event.status, event.meta_since) == (
        "graph-api",
        "major",
        "Major disruptions",
        posted,
    )
    assert event.first_seen == driver.at(23) and event.ended_at == driver.at(31)


def test_an_incident_meta_never_admitted_says_so_and_our_own_outages_say_nothing(
    db_path: Path, driver: Driver, recorder: Recorder
) -> None:
    feed(driver, status(T0), 3)
    feed(driver, status(T0), 6, down=["graph_api"])
    feed(driver, status(T0), 3)
    feed(driver, None, 4, internet="down")
    feed(driver, status(T0), 3)
    recorder.stop()
    data = view_json(view(db_path))  # type: ignore[arg-type]
    graph, internet = data["incidents"]
    assert graph["acknowledged_at"] is None and graph["acknowledgement"] == "not acknowledged by Meta"
    assert graph["meta_status"] == "not_acknowledged"
    assert internet["kind"] == "internet" and internet["acknowledgement"] == ""


def test_meta_acknowledging_first_is_said_the_other_way_round(
    db_path: Path, driver: Driver, recorder: Recorder
) -> None:
    posted = T0 - timedelta(minutes=30)
    feed(driver, status(T0, OfficialState.MAJOR, posted), 10, down=["graph_api"])
    recorder.stop()
    with HistoryStore.open(db_path) as store:
        (inc,) = store.incidents(T0, T0 + timedelta(hours=1))
    assert inc.acknowledged_at == posted
    assert "(30 min before traywatch saw it)" in ack_words(inc)


def test_reports_show_the_acknowledgement(db_path: Path, driver: Driver, recorder: Recorder) -> None:
    feed(driver, status(T0), 2)
    feed(driver, status(T0), 10, down=["graph_api"])
    feed(driver, status(driver.now, OfficialState.MAJOR), 4, down=["graph_api"])  # no time from Meta
    feed(driver, status(driver.now), 3)
    recorder.stop()
    shown = view(db_path)
    words = "Meta acknowledged at"
    (row,) = csv.DictReader(io.StringIO(incidents_csv(shown)))  # type: ignore[arg-type]
    assert (
        row["meta acknowledged"].startswith(words)
        and "10 min after traywatch saw it" in row["meta acknowledged"]
    )
    assert words in render_html(shown)  # type: ignore[arg-type]
    assert f"      Meta: {words}" in text_table(shown)  # type: ignore[arg-type]
    assert view_json(shown)["incidents"][0]["acknowledged_at"] == "2024-12-11T09:12:00Z"  # type: ignore[arg-type]


def test_a_version_1_file_is_backed_up_and_upgraded(db_path: Path) -> None:
    make_old_file(db_path, 1, T0)  # as the first traywatch wrote it
    with HistoryStore.open(db_path) as store:
        assert version_of(store._conn) == len(MIGRATIONS)
        assert store.backup is not None and store.backup.name.startswith("history.sqlite3.v1-backup-")
        (inc,) = store.incidents(T0, T0 + timedelta(hours=1))
        assert inc.key == "old1" and inc.acknowledged_at is None
        assert store.official_events(T0, T0 + timedelta(hours=1)) == ()
    saved = sqlite3.connect(store.backup)
    try:
        assert version_of(saved) == 1
        assert saved.execute("SELECT count(*) FROM incidents").fetchone()[0] == 1
    finally:
        saved.close()


def test_episodes_left_open_by_a_crash_end_at_their_last_reading(db_path: Path, driver: Driver) -> None:
    rec = Recorder(db_path, interval_s=driver.interval, clock=driver.clock)
    rec.start()
    driver.listeners.append(rec)
    feed(driver, status(T0, OfficialState.MAJOR, T0), 3)
    die(rec)
    with HistoryStore.open(db_path) as store:
        store.recover()
        (event,) = store.official_events(T0, T0 + timedelta(hours=1))
    assert event.ended_at == event.last_seen == T0


def test_an_organisation_covering_other_services_does_not_acknowledge_an_incident(
    db_path: Path, driver: Driver, recorder: Recorder
) -> None:
    feed(driver, status(T0), 3)
    feed(driver, status(T0), 4, down=["instagram"])  # Instagram confirmed down
    feed(driver, status(driver.now, OfficialState.MAJOR, driver.now), 6, down=["instagram"])
    feed(driver, status(driver.now), 3)
    recorder.stop()
    with HistoryStore.open(db_path) as store:
        (inc,) = store.incidents(T0, T0 + timedelta(hours=1))
    assert inc.acknowledged_at is None and inc.acknowledged_by is None
    assert ack_words(inc) == "not covered by Meta Status"


def test_a_meta_wide_incident_is_acknowledged_by_an_organisation_covering_one_of_its_services(
    db_path: Path, driver: Driver, recorder: Recorder
) -> None:
    feed(driver, status(T0), 3)
    feed(driver, status(T0), 4, down=IDS)
    posted = driver.now
    feed(driver, status(driver.now, OfficialState.MAJOR, posted), 4, down=IDS)
    feed(driver, status(driver.now), 3)
    recorder.stop()
    with HistoryStore.open(db_path) as store:
        incidents = store.incidents(T0, T0 + timedelta(hours=1))
    meta = next(i for i in incidents if i.kind is IncidentKind.META)
    assert meta.acknowledged_at == posted and meta.acknowledged_by == "Graph API: Major disruptions"
    instagram = next(i for i in incidents if i.services == ("instagram",))
    assert instagram.acknowledged_at is None


def test_meta_status_unreadable_throughout_is_not_called_silence(
    db_path: Path, driver: Driver, recorder: Recorder
) -> None:
    gone = OfficialStatus.unavailable("Meta Status did not answer: timed out")
    feed(driver, gone, 3)
    feed(driver, gone, 6, down=["graph_api"])
    feed(driver, gone, 6, down=["instagram"])
    feed(driver, gone, 3)
    recorder.stop()
    shown = view(db_path)
    unread = "Meta Status could not be read during the incident"
    data = view_json(shown)  # type: ignore[arg-type]
    graph, instagram = data["incidents"]
    assert graph["acknowledgement"] == unread and graph["meta_status"] == "unread"
    assert instagram["acknowledgement"] == "not covered by Meta Status"
    assert instagram["meta_status"] == "not_covered"
    rows = list(csv.DictReader(io.StringIO(incidents_csv(shown))))  # type: ignore[arg-type]
    assert [r["meta acknowledged"] for r in rows] == [unread, "not covered by Meta Status"]
    html, table = render_html(shown), text_table(shown)  # type: ignore[arg-type]
    for text in (html, table, incidents_csv(shown)):  # type: ignore[arg-type]
        assert "not acknowledged by Meta" not in text
    assert unread in html and f"      Meta: {unread}" in table


def test_meta_status_read_once_during_the_incident_counts_as_read(
    db_path: Path, driver: Driver, recorder: Recorder
) -> None:
    gone = OfficialStatus.unavailable("Meta Status did not answer: timed out")
    feed(driver, gone, 3)
    feed(driver, gone, 4, down=["graph_api"])
    feed(driver, status(driver.now), 1, down=["graph_api"])
    feed(driver, gone, 4, down=["graph_api"])
    feed(driver, gone, 3)
    recorder.stop()
    with HistoryStore.open(db_path) as store:
        (inc,) = store.incidents(T0, T0 + timedelta(hours=1))
    assert inc.official_read is True
    assert ack_words(inc) == "not acknowledged by Meta"


def test_incidents_from_before_meta_status_reads_were_kept_do_not_claim_silence(db_path: Path) -> None:
    make_old_file(db_path, 2, T0)  # as traywatch wrote it before it kept whether Meta Status was read
    with HistoryStore.open(db_path) as store:
        (inc,) = store.incidents(T0, T0 + timedelta(hours=1))
    assert inc.official_read is None
    assert "not acknowledged by Meta" not in ack_words(inc)
    assert "not recorded" in ack_words(inc)
