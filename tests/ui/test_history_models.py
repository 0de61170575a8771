"""The history window's models show what the store holds (a prepared history), sort by real values,
filter by service and kind, and the detail of an incident says cause, evidence, duration, your
internet and Meta's acknowledgement."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.ui.helpers.history_db import TEST_END, episodes
from traywatch.core.catalogue import load_catalogue
from traywatch.core.history import HistoryStore, HistoryView, IncidentKind, IncidentRow, load_view
from traywatch.core.history.period import Window
from traywatch.ui.history.detail import detail_html
from traywatch.ui.history.incident_model import (
    COLUMNS,
    ROW_ROLE,
    SORT_ROLE,
    IncidentFilter,
    IncidentTableModel,
)
from traywatch.ui.history.uptime_model import UptimeTableModel, pct_text

NAMES = {s.id: s.name for s in load_catalogue().services}
WEEK = Window(TEST_END - timedelta(days=7), TEST_END, "the last 7 days")


@pytest.fixture
def view(prepared_history: Path) -> HistoryView:
    with HistoryStore.open(prepared_history) as store:
        return load_view(store, WEEK, TEST_END, None, NAMES)


def cells(model: IncidentTableModel | IncidentFilter, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_incident_model_holds_every_incident_of_the_window(
    qapp: object, prepared_history: Path, view: HistoryView
) -> None:
    model = IncidentTableModel()
    model.set_rows(view.incidents)
    with HistoryStore.open(prepared_history) as store:
        stored = store.incidents(WEEK.since, WEEK.until)
    assert model.rowCount() == len(stored) == 10  # Instagram, Meta-wide + its 7 services, internet
    assert model.columnCount() == len(COLUMNS)
    assert {model.index(r, 0).data(ROW_ROLE).incident.key for r in range(model.rowCount())} == {
        i.key for i in stored
    }
    whats = cells(model, 2)
    assert "Instagram down" in whats and "Meta-wide outage" in whats and "Your internet down" in whats
    assert "↳ Facebook down" in whats  # a service outage inside the Meta-wide one
    instagram = next(e for e in episodes(TEST_END) if e.services == ("instagram",))
    row = whats.index("Instagram down")
    assert model.index(row, 1).data() == "1 h 35 min"
    assert model.index(row, 3).data() == "working"  # your internet meanwhile
    assert model.index(row, 4).data() == "not covered"  # no Meta Status organisation covers Instagram
    assert "HTTP 500" in model.index(row, 5).data()
    assert model.index(row, 0).data(SORT_ROLE) == instagram.start.timestamp()
    meta = whats.index("Meta-wide outage")
    assert model.index(meta, 4).data() == "after 25 min"
    assert "Meta acknowledged at" in model.index(meta, 4).data(Qt.ItemDataRole.ToolTipRole)
    own = whats.index("Your internet down")
    assert model.index(own, 3).data() == "—" and model.index(own, 1).data() == "40 min"


def test_sorting_uses_times_and_durations_not_their_text(qapp: object, view: HistoryView) -> None:
    model = IncidentTableModel()
    model.set_rows(view.incidents)
    proxy = IncidentFilter()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    durations = [proxy.index(r, 1).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert durations == sorted(durations, reverse=True)
    assert (
        proxy.index(0, 1).data() == "2 h 20 min" and proxy.index(proxy.rowCount() - 1, 1).data() == "40 min"
    )
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    starts = [proxy.index(r, 0).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert starts == sorted(starts)
    assert proxy.index(0, 2).data() == "Instagram down"


def test_filters_by_service_and_by_kind(qapp: object, view: HistoryView) -> None:
    model = IncidentTableModel()
    model.set_rows(view.incidents)
    proxy = IncidentFilter()
    proxy.setSourceModel(model)
    proxy.set_service("instagram")
    assert sorted(cells(proxy, 2)) == ["Instagram down", "Meta-wide outage", "↳ Instagram down"]
    proxy.set_kind(IncidentKind.META)
    assert cells(proxy, 2) == ["Meta-wide outage"]
    proxy.set_service(None)
    proxy.set_kind(IncidentKind.INTERNET)
    assert cells(proxy, 2) == ["Your internet down"]
    proxy.set_kind(IncidentKind.LIMITED)
    assert proxy.rowCount() == 0
    proxy.set_kind(None)
    assert proxy.rowCount() == model.rowCount()


def test_uptime_model_shows_the_stores_honest_uptime(
    qapp: object, prepared_history: Path, view: HistoryView
) -> None:
    model = UptimeTableModel()
    model.set_uptime(view.uptime)
    with HistoryStore.open(prepared_history) as store:
        direct = store.uptime(WEEK.since, WEEK.until, list(NAMES))
    assert model.rowCount() == len(NAMES)
    for r, u in enumerate(direct.services):
        assert model.index(r, 0).data() == NAMES[u.service]
        assert model.index(r, 1).data() == pct_text(u.uptime_pct)
        assert model.index(r, 1).data(SORT_ROLE) == pytest.approx(u.uptime_pct)
    instagram = [model.index(r, c).data() for r in range(model.rowCount()) for c in (0, 2) if r == 1]
    assert instagram == ["Instagram", "3 h 55 min"]  # its own outage + the Meta-wide one
    assert model.index(2, 3).data() == "50 min"  # WhatsApp was slow
    assert model.index(0, 4).data() == "40 min"  # your internet down: not counted against Facebook
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert model.rowCount(model.index(0, 0)) == 0 and not model.index(99, 0).isValid()
    assert model.data(QModelIndex()) is None


def test_detail_says_cause_evidence_duration_internet_and_meta(view: HistoryView) -> None:
    meta = next(r for r in view.incidents if r.what == "Meta-wide outage")
    html = detail_html(meta, TEST_END)
    for words in (
        "Meta-wide outage",
        "2 h 20 min",
        "the address lookup (DNS) failed; confirmed by a second check",
        "yes, working",
        "Meta acknowledged at",
        "25 min after traywatch saw it",
        "Facebook, Instagram, WhatsApp",
        "names no longer resolve",
    ):
        assert words in html, words
    own = next(r for r in view.incidents if r.what == "Your internet down")
    assert "no (this is your own connection)" in detail_html(own, TEST_END)
    assert "Meta acknowledged" not in detail_html(own, TEST_END)
    assert "&lt;b&gt;" in detail_html(_with_cause(own, "<b>x</b>"), TEST_END)  # escaped


def _with_cause(row: IncidentRow, cause: str) -> IncidentRow:
    return replace(row, incident=replace(row.incident, cause=cause))
