"""Tray icons: one SVG per verdict (told apart by shape as well as colour), rendered crisp at any size.

Each SVG in resources/icons/ uses three kinds of colour: the verdict's fill colour (`COLOURS`),
the outline `EDGE`, and glyph colours. From one source we derive three variants: for light panels
(as drawn), for dark panels (light outline) and a mask/template (black on transparent, for macOS).
`SvgIconEngine` renders the SVG at exactly the size and scale factor asked for: no blurry scaling.
"""

from __future__ import annotations

import enum
import logging
import re
import sys
from functools import lru_cache

import shiboken6
from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from traywatch.core.models import Verdict
from traywatch.ui.resources import read_bytes

log = logging.getLogger(__name__)


class IconKind(enum.StrEnum):
    OK = "ok"
    META_PARTIAL = "meta_partial"
    META_DOWN = "meta_down"
    INTERNET_DOWN = "internet_down"
    NETWORK_LIMITED = "network_limited"
    CHECKING = "checking"
    PAUSED = "paused"


class PanelTheme(enum.StrEnum):
    LIGHT = "light"  # dark outline, for light panels
    DARK = "dark"  # light outline, for dark panels
    MASK = "mask"  # black on transparent: macOS template image


# The fill colour of each badge (the colour a screenshot of the tray shows).
COLOURS: dict[IconKind, str] = {
    IconKind.OK: "#2e9d48",  # green circle, check mark
    IconKind.META_PARTIAL: "#e8a200",  # amber triangle, exclamation mark
    IconKind.META_DOWN: "#d7262b",  # red octagon, cross
    IconKind.INTERNET_DOWN: "#7b3fc4",  # purple square, broken link
    IconKind.NETWORK_LIMITED: "#0f8a9d",  # teal diamond, padlock
    IconKind.CHECKING: "#8a9099",  # grey hollow ring, clock hands
    IconKind.PAUSED: "#8a9099",  # grey circle, pause bars
}
EDGE = "#202020"
EDGE_ON_DARK = "#f4f4f4"
GLYPHS = ("#ffffff", "#111111")
STANDARD_SIZES = (16, 20, 22, 24, 32, 40, 48, 64, 128)

_VERDICT_KIND = {
    Verdict.OK: IconKind.OK,
    Verdict.META_PARTIAL: IconKind.META_PARTIAL,
    Verdict.META_DOWN: IconKind.META_DOWN,
    Verdict.INTERNET_DOWN: IconKind.INTERNET_DOWN,
    Verdict.NETWORK_LIMITED: IconKind.NETWORK_LIMITED,
}


def kind_for(verdict: Verdict | None, paused: bool = False) -> IconKind:
    """The icon for a confirmed verdict (None: nothing confirmed yet, still checking)."""
    if paused:
        return IconKind.PAUSED
    return IconKind.CHECKING if verdict is None else _VERDICT_KIND[verdict]


def svg_source(kind: IconKind, theme: PanelTheme = PanelTheme.LIGHT) -> bytes:
    """The SVG text of one icon in one variant."""
    text = read_bytes("icons", f"{kind.value}.svg").decode("utf-8")
    if theme is PanelTheme.DARK:
        text = text.replace(f'"{EDGE}"', f'"{EDGE_ON_DARK}"')
    elif theme is PanelTheme.MASK:
        fill = COLOURS[kind]
        text = text.replace(f'fill="{fill}"', 'fill="none"')
        for colour in (fill, EDGE, *GLYPHS):
            text = text.replace(f'"{colour}"', '"#000000"')
    return text.encode("utf-8")


@lru_cache(maxsize=32)
def _renderer(kind: IconKind, theme: PanelTheme) -> QSvgRenderer:
    renderer = QSvgRenderer(QByteArray(svg_source(kind, theme)))
    if not renderer.isValid():
        raise ValueError(f"icon {kind.value}.svg is not a valid SVG")
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    return renderer


def render_image(kind: IconKind, theme: PanelTheme, size: int, scale: float = 1.0) -> QImage:
    """The icon as an image of size x size logical pixels at this device pixel ratio."""
    pixels = max(1, round(size * scale))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(kind, theme).render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    image.setDevicePixelRatio(scale)
    return image


_CLONES: list[QIconEngine] = []  # see SvgIconEngine.clone


class SvgIconEngine(QIconEngine):
    """Renders one icon variant on demand at the exact size and scale factor asked for."""

    def __init__(self, kind: IconKind, theme: PanelTheme) -> None:
        super().__init__()
        self.kind, self.theme = kind, theme

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        _renderer(self.kind, self.theme).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        side = max(1, min(size.width(), size.height()))
        pixmap = QPixmap.fromImage(render_image(self.kind, self.theme, side, scale))
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return [QSize(s, s) for s in STANDARD_SIZES]

    def clone(self) -> QIconEngine:
        # Qt clones an engine when a shared QIcon is changed (setIsMask, addPixmap, ...) and owns
        # the copy from then on, but PySide6 does not hand a returned engine over to C++: with
        # only Python's reference, the copy is freed on return and the icon then paints through
        # a dangling pointer (a segfault). So the copy is kept alive here until Qt has deleted
        # its C++ part with the icon; those already gone are dropped at the next clone.
        engine = SvgIconEngine(self.kind, self.theme)
        _CLONES[:] = [*(kept for kept in _CLONES if shiboken6.isValid(kept)), engine]
        return engine

    def key(self) -> str:
        return "traywatch-svg"


def make_icon(kind: IconKind, theme: PanelTheme) -> QIcon:
    icon = QIcon(SvgIconEngine(kind, theme))
    if theme is PanelTheme.MASK:
        icon.setIsMask(True)
    return icon


def app_icon() -> QIcon:
    """The application's own icon (windows, the fallback status window)."""
    image = QImage.fromData(read_bytes("app", "traywatch.svg"))
    if image.isNull():  # no image plugin for svg: render it ourselves
        renderer = QSvgRenderer(QByteArray(read_bytes("app", "traywatch.svg")))
        image = QImage(128, 128, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
    return QIcon(QPixmap.fromImage(image))


def panel_theme() -> PanelTheme:
    """Which variant reads on the current panel: a template on macOS, else from the colour scheme."""
    if sys.platform == "darwin":
        return PanelTheme.MASK
    app = QGuiApplication.instance()
    if app is None:
        return PanelTheme.LIGHT
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return PanelTheme.DARK
    if scheme == Qt.ColorScheme.Light:
        return PanelTheme.LIGHT
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return PanelTheme.DARK if window.lightness() < 128 else PanelTheme.LIGHT


def check_sources() -> list[str]:
    """Problems with the icon sources (a missing colour token means a variant would be wrong)."""
    problems = []
    for kind in IconKind:
        text = read_bytes("icons", f"{kind.value}.svg").decode("utf-8")
        if COLOURS[kind] not in text:
            problems.append(f"{kind.value}.svg does not use its colour {COLOURS[kind]}")
        if EDGE not in text:
            problems.append(f"{kind.value}.svg has no outline in {EDGE}")
        if re.search(r"<(image|text)\b", text):
            problems.append(f"{kind.value}.svg uses raster images or text (not crisp/portable)")
    return problems
