"""The timeline: a cell per band with the right look, hover words with time range, state and
seconds, zoom that asks for finer bands, keyboard cursor, and paint on a dark palette."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QWheelEvent
from pytestqt.qtbot import QtBot

from tests.ui.helpers.history_db import TEST_END, episodes
from traywatch.core.catalogue import load_catalogue
from traywatch.core.history import INTERNET, Band, HistoryStore
from traywatch.core.history.records import to_ts
from traywatch.ui.history.axis import DAY, HOUR, tick_step, ticks
from traywatch.ui.history.timeline import TimelineWidget
from traywatch.ui.history.timeline_data import (
    LOOK_COLOURS,
    META_STATUS,
    Look,
    TimelineData,
    build,
    hover_text,
    look_of,
)

NAMES = {s.id: s.name for s in load_catalogue().services}
T = datetime(2026, 3, 5, 14, tzinfo=UTC)


def band(element: str = "instagram", **seconds: float) -> Band:
    values = {
        k: 0.0 for k in ("up_s", "degraded_s", "down_s", "unknown_s", "internet_down_s", "not_watching_s")
    }
    values.update(seconds)
    return Band(element, T, T + timedelta(hours=1), **values)


@pytest.mark.parametrize(
    ("b", "look"),
    [
        (band(up_s=3000, down_s=600), Look.DOWN),
        (band(up_s=3000, degraded_s=600), Look.SLOW),
        (band(up_s=3000, internet_down_s=600), Look.OWN_DOWN),
        (band(up_s=3600), Look.UP),
        (band(unknown_s=3600), Look.UNKNOWN),
        (band(not_watching_s=3600), Look.NOT_WATCHING),
        (band(INTERNET, up_s=3000, down_s=600), Look.OWN_DOWN),
        (band(INTERNET, up_s=3000, degraded_s=600), Look.LIMITED),
        (band(INTERNET, up_s=3600), Look.UP),
    ],
)
def test_each_band_gets_the_look_of_the_worst_thing_in_it(b: Band, look: Look) -> None:
    assert look_of(b) is look


def test_hover_words_give_time_range_state_and_seconds() -> None:
    data = build([band(up_s=3000, down_s=600)], ["instagram"], NAMES, "hour", T, T + timedelta(hours=1))
    local = T.astimezone()
    text = hover_text(data, data.cells[0])
    assert text.startswith("Instagram · ")
    assert f"{local:%H:%M}–{(local + timedelta(hours=1)):%H:%M}" in text
    assert text.endswith("Down: down 10 min, working 50 min")
    day = build([band(INTERNET, up_s=80000, down_s=2400)], [INTERNET], NAMES, "day", T, T + timedelta(days=1))
    assert hover_text(day, day.cells[0]).endswith("Your internet down: down 40 min, working 22 h 13 min")


def test_cells_are_one_per_band_plus_meta_status_reports(prepared_history: Path) -> None:
    since = TEST_END - timedelta(days=7)
    with HistoryStore.open(prepared_history) as store:
        elements = [INTERNET, *NAMES]
        bands = store.bands(since, TEST_END, "hour", elements)
        official = store.official_events(since, TEST_END)
    data = build(bands, elements, NAMES, "hour", since, TEST_END, official)
    assert len(data.cells) == len(bands) + len(official) == 8 * 168 + 1  # a week of hours per row
    assert [r.label for r in data.rows][:3] == ["Your internet", "Facebook", "Instagram"]
    assert data.rows[-1].key == META_STATUS
    meta = data.row_cells(len(data.rows) - 1)[0]
    assert meta.look is Look.META_SAID and "Graph API: Major disruptions" in hover_text(data, meta)
    instagram = next(e for e in episodes(TEST_END) if e.services == ("instagram",))
    cell = data.cell_at(2, to_ts(instagram.start) + 600)
    assert cell is not None and cell.look is Look.DOWN


def widget_with(prepared_history: Path, qtbot: QtBot, days: int = 7) -> tuple[TimelineWidget, TimelineData]:
    since = TEST_END - timedelta(days=days)
    step = "hour" if days <= 7 else "day"
    with HistoryStore.open(prepared_history) as store:
        elements = [INTERNET, *NAMES]
        data = build(store.bands(since, TEST_END, step, elements), elements, NAMES, step, since, TEST_END)
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(900, widget.sizeHint().height())
    widget.set_data(data)
    widget.show()
    return widget, data


def test_wheel_and_keys_zoom_and_a_day_view_asks_for_hours(prepared_history: Path, qtbot: QtBot) -> None:
    widget, data = widget_with(prepared_history, qtbot, days=30)
    assert widget.wanted_detail() is None  # the whole month: days are right
    centre = QPointF(widget.width() / 2, 60)
    with qtbot.waitSignal(widget.zoomed):
        for _ in range(12):
            widget.wheelEvent(
                QWheelEvent(centre, widget.mapToGlobal(centre), QPoint(), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
            )  # fmt: skip
    lo, hi = widget.view
    assert hi - lo < 7 * DAY and data.since <= lo < hi <= data.until
    wanted = widget.wanted_detail()
    assert wanted is not None and wanted[2] == "hour"
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_0)
    assert widget.view == (data.since, data.until)
    qtbot.keyClick(widget, Qt.Key.Key_Plus)
    assert widget.view[1] - widget.view[0] == pytest.approx((data.until - data.since) / 2)
    qtbot.keyClick(widget, Qt.Key.Key_Minus)
    assert widget.view == (data.since, data.until)


def test_arrow_keys_walk_the_cells_and_announce_them(prepared_history: Path, qtbot: QtBot) -> None:
    widget, data = widget_with(prepared_history, qtbot)
    widget.setFocus()
    said: list[str] = []
    widget.described.connect(said.append)
    qtbot.keyClick(widget, Qt.Key.Key_Right)  # starts at the latest cell of the first row
    assert said[-1].startswith("Your internet · ")
    qtbot.keyClick(widget, Qt.Key.Key_Down)
    assert said[-1].startswith("Facebook · ")
    qtbot.keyClick(widget, Qt.Key.Key_Home)
    first = widget.current_cell()
    assert first is not None and first.start == data.since // HOUR * HOUR
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    assert widget.current_cell() is not None and widget.current_cell().start == first.start + HOUR  # type: ignore[union-attr]
    assert widget.accessibleDescription() == said[-1]


def test_paints_on_a_dark_palette_with_readable_labels_and_the_outage_in_red(
    prepared_history: Path, qtbot: QtBot
) -> None:
    widget, _data = widget_with(prepared_history, qtbot)
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#181a1b"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    widget.setPalette(dark)
    image = widget.grab().toImage()
    assert not image.isNull()
    instagram = next(e for e in episodes(TEST_END) if e.services == ("instagram",))
    spot = widget.point_of(2, to_ts(instagram.start) + 1800)
    assert close(image, spot, LOOK_COLOURS[Look.DOWN])
    light_text = sum(
        close(image, QPoint(x, y), "#e8eaed", 90) for x in range(4, 60) for y in range(0, image.height(), 2)
    )
    assert light_text > 20  # the row labels are drawn in the palette's light text colour
    background = image.pixelColor(widget.width() - 3, image.height() - 3)
    assert background.lightness() < 60


def close(image: QImage, at: QPoint, colour: str, tolerance: int = 40) -> bool:
    ratio = image.devicePixelRatio()
    got = image.pixelColor(round(at.x() * ratio), round(at.y() * ratio))
    want = QColor(colour)
    return (
        abs(got.red() - want.red()) + abs(got.green() - want.green()) + abs(got.blue() - want.blue())
        <= tolerance
    )


def test_axis_ticks_fall_on_local_hours_and_days() -> None:
    since = datetime(2026, 3, 5, 9, 30).timestamp()
    hourly = ticks(since, since + 6 * HOUR, 2 * HOUR)
    assert [label for _, label in hourly] == ["10:00", "12:00", "14:00"]
    daily = ticks(since, since + 3 * DAY, DAY)
    assert [label for _, label in daily] == ["Fri 06", "Sat 07", "Sun 08"]
    assert tick_step(7 * DAY, 800, 70) == DAY and tick_step(DAY, 800, 70) == 3 * HOUR


def test_paints_crisply_at_twice_the_pixel_density(prepared_history: Path, qtbot: QtBot) -> None:
    from PySide6.QtGui import QPixmap

    widget, _ = widget_with(prepared_history, qtbot)
    pixmap = QPixmap(widget.size() * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(QColor("white"))
    widget.render(pixmap)
    image = pixmap.toImage()
    assert image.width() == widget.width() * 2
    instagram = next(e for e in episodes(TEST_END) if e.services == ("instagram",))
    assert close(image, widget.point_of(2, to_ts(instagram.start) + 1800), LOOK_COLOURS[Look.DOWN])


def test_visible_range_arithmetic_stays_inside_the_period() -> None:
    from traywatch.ui.history import timeline_range as ranges

    full = (0.0, 30 * DAY)
    assert ranges.zoom(full, full, 0.5) == (7.5 * DAY, 22.5 * DAY)
    assert ranges.zoom(full, full, 0.5, anchor=0.0) == (0.0, 15 * DAY)  # the anchor stays put
    narrow = ranges.zoom((0.0, 7 * HOUR), full, 0.1)
    assert narrow[1] - narrow[0] == ranges.MIN_SPAN_S  # never below six hours
    assert ranges.zoom((0.0, DAY), full, 100) == full
    assert ranges.pan((0.0, DAY), full, -0.5) == (0.0, DAY)  # not before the start
    assert ranges.pan((29 * DAY, 30 * DAY), full, 1.0) == (29 * DAY, 30 * DAY)
    slid = (HOUR, 30 * DAY + HOUR)  # a reload of "the last 30 days" an hour later
    assert ranges.kept((20 * DAY, 22 * DAY), slid) == (20 * DAY, 22 * DAY)
    assert ranges.kept((28 * DAY, 30 * DAY), slid) == (28 * DAY, 30 * DAY)
    assert ranges.kept(full, slid) == slid
