"""Icons: one per verdict, different shapes (not only colours), crisp at any size, three variants."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from traywatch.core.models import Verdict
from traywatch.ui import resources
from traywatch.ui.icons import (
    COLOURS,
    IconKind,
    PanelTheme,
    check_sources,
    kind_for,
    make_icon,
    render_image,
    svg_source,
)

REPO = Path(__file__).resolve().parents[2]

CHANGED_AFTER_A_COPY = """
import gc
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon
from traywatch.ui import icons
from traywatch.ui.icons import IconKind, PanelTheme, make_icon
app = QGuiApplication(["t"])
for _ in range(200):
    first = make_icon(IconKind.OK, PanelTheme.LIGHT)
    shared = QIcon(first)
    shared.setIsMask(True)  # two hold it: Qt clones the engine for this one
    gc.collect()
    assert shared.pixmap(QSize(24, 24), 2.0).width() == 48
assert len(icons._CLONES) <= 2, len(icons._CLONES)  # the copies of icons gone are let go
print("painted")
"""


def _alpha_mask(image: QImage) -> list[bool]:
    return [image.pixelColor(x, y).alpha() > 128 for y in range(image.height()) for x in range(image.width())]


def _pixels_near(image: QImage, colour: str, tol: int = 30) -> int:
    want = QColor(colour)
    hits = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if (
                c.alpha() > 200
                and abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue())
                <= tol
            ):
                hits += 1
    return hits


def test_each_verdict_has_its_own_icon_and_checking_and_paused_too() -> None:
    kinds = {kind_for(v) for v in Verdict}
    assert len(kinds) == len(Verdict)
    assert kind_for(None) is IconKind.CHECKING
    assert kind_for(Verdict.META_DOWN, paused=True) is IconKind.PAUSED


def test_icon_sources_use_their_colour_and_outline_and_no_raster() -> None:
    assert check_sources() == []


@pytest.mark.parametrize("theme", list(PanelTheme))
@pytest.mark.parametrize("kind", list(IconKind))
def test_every_icon_renders_in_every_variant(qapp: object, kind: IconKind, theme: PanelTheme) -> None:
    image = render_image(kind, theme, 32)
    assert sum(_alpha_mask(image)) > 150, f"{kind} {theme} is (nearly) empty"


def test_shapes_differ_even_without_colour(qapp: object) -> None:
    """Colour-blind owners tell verdicts apart by shape: the black masks must all differ clearly."""
    masks = {kind: _alpha_mask(render_image(kind, PanelTheme.MASK, 32)) for kind in IconKind}
    kinds = list(IconKind)
    for i, a in enumerate(kinds):
        for b in kinds[i + 1 :]:
            differing = sum(x != y for x, y in zip(masks[a], masks[b], strict=True))
            assert differing > 60, f"{a} and {b} look alike without colour ({differing} px differ)"


@pytest.mark.parametrize("kind", [k for k in IconKind if k is not IconKind.CHECKING])
def test_light_variant_shows_the_verdict_colour(qapp: object, kind: IconKind) -> None:
    assert _pixels_near(render_image(kind, PanelTheme.LIGHT, 22), COLOURS[kind]) >= 60


def test_dark_panel_variant_has_a_light_outline(qapp: object) -> None:
    light = render_image(IconKind.OK, PanelTheme.LIGHT, 64)
    dark = render_image(IconKind.OK, PanelTheme.DARK, 64)
    edge = light.pixelColor(32, 3)  # top of the circle's outline
    assert edge.lightness() < 80
    assert dark.pixelColor(32, 3).lightness() > 200


def test_mask_variant_is_black_on_transparent(qapp: object) -> None:
    image = render_image(IconKind.META_DOWN, PanelTheme.MASK, 32)
    colours = {
        image.pixelColor(x, y).name()
        for y in range(32)
        for x in range(32)
        if image.pixelColor(x, y).alpha() > 250
    }
    assert colours == {"#000000"}
    assert make_icon(IconKind.META_DOWN, PanelTheme.MASK).isMask()
    assert b"#d7262b" not in svg_source(IconKind.META_DOWN, PanelTheme.MASK)


@pytest.mark.parametrize("size", [16, 22, 24, 30, 44, 64])
@pytest.mark.parametrize("scale", [1.0, 1.25, 2.0])
def test_icons_are_rendered_at_exactly_the_size_and_scale_asked(
    qapp: object, size: int, scale: float
) -> None:
    pixmap = make_icon(IconKind.OK, PanelTheme.LIGHT).pixmap(QSize(size, size), scale)
    assert pixmap.width() == round(size * scale)
    assert pixmap.devicePixelRatio() == scale
    centre = pixmap.toImage().pixelColor(pixmap.width() // 2 - 1, pixmap.height() // 3)
    assert centre.alpha() == 255  # drawn for that size, not a blurred, scaled-down copy


def test_resources_from_a_source_checkout() -> None:
    assert resources.resource_path("icons", "ok.svg").is_file()


def test_resources_from_an_installed_wheel_or_frozen_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "resources" / "icons").mkdir(parents=True)
    (bundle / "resources" / "icons" / "ok.svg").write_text("<svg/>")
    monkeypatch.setattr("sys._MEIPASS", str(bundle), raising=False)
    resources.resource_root.cache_clear()
    try:
        assert resources.resource_path("icons", "ok.svg") == bundle / "resources" / "icons" / "ok.svg"
        monkeypatch.delattr("sys._MEIPASS")
        monkeypatch.setattr(resources, "_PACKAGE_DIR", bundle.parent / "nowhere" / "traywatch")
        resources.resource_root.cache_clear()
        with pytest.raises(resources.ResourceError, match="missing"):
            resources.resource_path("icons", "ok.svg")
        wheel = tmp_path / "site" / "traywatch"
        (wheel / "resources" / "icons").mkdir(parents=True)
        (wheel / "resources" / "icons" / "ok.svg").write_text("<svg/>")
        monkeypatch.setattr(resources, "_PACKAGE_DIR", wheel)
        resources.resource_root.cache_clear()
        assert resources.resource_root() == wheel / "resources"
    finally:
        resources.resource_root.cache_clear()


def test_an_icon_changed_after_a_copy_paints_from_its_own_engine() -> None:
    """Changing a shared icon makes Qt clone the engine; PySide6 does not pass the clone to C++,
    and a freed clone crashed the process on the next paint. In a child process, so a crash is a
    failure here and not the end of the test run."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", CHANGED_AFTER_A_COPY], env=env, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, "painted"), done.stderr[-2000:]
