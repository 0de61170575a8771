"""How one timeline cell is drawn, shared by the timeline and its legend.

Told apart without colour: working is a thin bar, slow a taller one, down a full block, your own
internet down is hatched, a limited network cross-hatched, unknown a hollow outline, Meta Status's
reports striped; not watching leaves the track empty. Lines are drawn in logical pixels, so the
patterns stay crisp at any scale factor.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QPixmap

from traywatch.ui.history.timeline_data import LOOK_COLOURS, Look

_HEIGHT = {
    Look.UP: 0.36,
    Look.SLOW: 0.66,
    Look.DOWN: 1.0,
    Look.OWN_DOWN: 1.0,
    Look.LIMITED: 1.0,
    Look.UNKNOWN: 0.5,
    Look.META_SAID: 0.7,
}
HATCH_GAP = 5.0


def colour(look: Look) -> QColor:
    return QColor(LOOK_COLOURS[look])


def cell_rect(track: QRectF, look: Look) -> QRectF:
    """The part of a row's track a look fills (centred vertically)."""
    height = track.height() * _HEIGHT.get(look, 0.0)
    return QRectF(track.left(), track.center().y() - height / 2, track.width(), height)


def _hatch(painter: QPainter, rect: QRectF, pen: QPen, both: bool) -> None:
    painter.save()
    painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
    painter.setPen(pen)
    h = rect.height()
    x = rect.left() - h
    path = QPainterPath()
    while x < rect.right() + h:
        path.moveTo(QPointF(x, rect.bottom()))
        path.lineTo(QPointF(x + h, rect.top()))
        if both:
            path.moveTo(QPointF(x, rect.top()))
            path.lineTo(QPointF(x + h, rect.bottom()))
        x += HATCH_GAP
    painter.drawPath(path)
    painter.restore()


def paint_cell(painter: QPainter, track: QRectF, look: Look) -> None:
    """Draw one look into the row track `track` (its full height and the bin's width)."""
    if look is Look.NOT_WATCHING or track.width() <= 0:
        return
    rect = cell_rect(track, look)
    base = colour(look)
    painter.setPen(Qt.PenStyle.NoPen)
    if look is Look.UNKNOWN:
        pen = QPen(base, 1.4)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(0.7, 0.7, -0.7, -0.7))
        return
    if look in (Look.OWN_DOWN, Look.LIMITED):
        tint = QColor(base)
        tint.setAlpha(70)
        painter.fillRect(rect, tint)
        _hatch(painter, rect, QPen(base, 1.6), both=look is Look.LIMITED)
        painter.setPen(QPen(base, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        return
    painter.fillRect(rect, base)
    if look is Look.META_SAID:
        stripe = QPen(QColor(255, 255, 255, 150), 1.2)
        painter.setPen(stripe)
        y = rect.top() + 2.5
        while y < rect.bottom() - 1:
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            y += 3.5


def swatch(look: Look, size: int, scale: float, palette: QPalette) -> QPixmap:
    """A legend swatch: the look on a short piece of track, at this scale factor."""
    width, height = size * 2, size
    pixmap = QPixmap(round(width * scale), round(height * scale))
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    track = QRectF(0.5, 0.5, width - 1, height - 1)
    painter.fillRect(track, track_colour(palette))
    paint_cell(painter, track, look)
    painter.end()
    return pixmap


def track_colour(palette: QPalette) -> QColor:
    """The empty track: a faint tone between the window and the text colour."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    mix = 0.08
    return QColor(
        round(base.red() + (text.red() - base.red()) * mix),
        round(base.green() + (text.green() - base.green()) * mix),
        round(base.blue() + (text.blue() - base.blue()) * mix),
    )
