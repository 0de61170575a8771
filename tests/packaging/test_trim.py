"""What the bundle leaves out: plugin, translation and orphaned-library rules (no build needed)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from tests.packaging.helpers import load_build_module

trim = load_build_module("trim")

P = "PySide6/Qt/plugins"


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        (f"{P}/platforms/libqxcb.so", True),
        (f"{P}/platforms/libqoffscreen.so", True),
        (f"{P}/platforms/libqwayland.so", True),
        (f"{P}/platforms/qwindows.dll", True),
        (f"{P}/platforms/libqcocoa.dylib", True),
        (f"{P}/platforms/libqeglfs.so", False),
        (f"{P}/platforms/libqvnc.so", False),
        (f"{P}/platformthemes/libqgtk3.so", False),
        (f"{P}/platformthemes/libqxdgdesktopportal.so", True),
        (f"{P}/imageformats/libqsvg.so", True),
        (f"{P}/imageformats/libqico.so", True),
        (f"{P}/imageformats/libqjpeg.so", False),
        (f"{P}/imageformats/libqpdf.so", False),
        (f"{P}/iconengines/libqsvgicon.so", True),
        (f"{P}/networkinformation/libqglib.so", True),
        (f"{P}/tls/libqopensslbackend.so", False),  # Qt makes no TLS connection
        (f"{P}/sqldrivers/libqsqlite.so", False),
        (f"{P}/printsupport/libcupsprintersupport.so", False),
        (f"{P}/generic/libqevdevmouseplugin.so", False),
        (f"{P}/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        (f"{P}/platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
        ("PySide6\\Qt\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/lib/libQt6Gui.so.6", True),  # not a plugin: another rule's business
        ("libgtk-3.so.0", True),
    ],
)
def test_only_the_plugins_a_tray_app_needs_are_kept(dest: str, kept: bool) -> None:
    assert trim.keep_plugin(dest) is kept


def test_qt_translations_are_dropped_but_qtbase_in_our_languages_and_other_data_kept() -> None:
    for code in ("de", "es", "fr", "pt_BR"):
        assert trim.keep_data(f"PySide6/Qt/translations/qtbase_{code}.qm")
        assert trim.keep_data(f"PySide6\\translations\\qtbase_{code}.qm")  # the Windows wheel
    for other in ("qtbase_ja.qm", "qt_de.qm", "qtdeclarative_de.qm", "qtbase_en.qm"):
        assert not trim.keep_data(f"PySide6/Qt/translations/{other}")
    assert trim.keep_data("resources/icons/ok.svg")
    assert trim.keep_data("traywatch/core/catalogue.toml")


def test_every_installed_qt_module_but_the_used_ones_is_excluded(tmp_path: Path) -> None:
    for name in (
        "QtCore.abi3.so",
        "QtGui.abi3.so",
        "QtQml.abi3.so",
        "QtQuick.abi3.so",
        "QtWebEngineCore.pyd",
    ):
        (tmp_path / name).write_text("")
    (tmp_path / "QtCore.pyi").write_text("")
    excluded = trim.excluded_qt_modules(tmp_path)
    assert excluded == ["PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore"]


def test_the_installed_pyside6_loses_qml_and_quick_but_keeps_widgets() -> None:
    pyside6 = pytest.importorskip("PySide6")
    excluded = trim.excluded_qt_modules(Path(pyside6.__file__).parent)
    assert "PySide6.QtQml" in excluded
    assert not {"PySide6.QtWidgets", "PySide6.QtSvg", "PySide6.QtCore"} & set(excluded)


class LinkGraph:
    """Link-time dependencies by source path, as bindepend would report them."""

    def __init__(self, graph: dict[str, list[str]]) -> None:
        self.graph = graph

    def __call__(self, path: str) -> Iterable[str]:
        return self.graph.get(path, [])


def entry(dest: str, kind: str = "BINARY") -> tuple[str, str, str]:
    return (dest, f"/src/{dest}", kind)


def test_libraries_only_the_dropped_gtk_theme_linked_are_dropped_too() -> None:
    binaries = [
        entry("PySide6/QtWidgets.abi3.so", "EXTENSION"),
        entry("PySide6/Qt/lib/libQt6Widgets.so.6"),
        entry("PySide6/Qt/lib/libQt6Gui.so.6"),
        entry(f"{P}/platforms/libqxcb.so"),
        entry("PySide6/Qt/lib/libQt6XcbQpa.so.6"),
        entry(f"{P}/platformthemes/libqgtk3.so"),
        entry("libgtk-3.so.0"),
        entry("libcairo.so.2"),
        entry("libglib-2.0.so.0"),
        entry("libpython3.11.so.1.0"),  # opened by the bootloader: nothing links to it
        entry(f"{P}/imageformats/libqpdf.so"),
        entry("PySide6/Qt/lib/libQt6Pdf.so.6"),
    ]
    graph = LinkGraph(
        {
            "/src/PySide6/QtWidgets.abi3.so": ["libQt6Widgets.so.6", "libQt6Gui.so.6", "libglib-2.0.so.0"],
            f"/src/{P}/platforms/libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
            f"/src/{P}/platformthemes/libqgtk3.so": ["libgtk-3.so.0", "libcairo.so.2", "libglib-2.0.so.0"],
            "/src/libgtk-3.so.0": ["libcairo.so.2", "libglib-2.0.so.0"],
            f"/src/{P}/imageformats/libqpdf.so": ["libQt6Pdf.so.6"],
        }
    )
    datas = [entry("PySide6/Qt/translations/qt_de.qm", "DATA"), entry("resources/icons/ok.svg", "DATA")]
    kept, kept_datas, dropped = trim.trim(binaries, datas, graph)
    kept_names = {e[0] for e in kept}
    assert kept_names == {
        "PySide6/QtWidgets.abi3.so",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        f"{P}/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "libglib-2.0.so.0",
        "libpython3.11.so.1.0",
    }
    assert [e[0] for e in kept_datas] == ["resources/icons/ok.svg"]
    assert set(dropped) == {
        f"{P}/platformthemes/libqgtk3.so",
        "libgtk-3.so.0",
        "libcairo.so.2",
        f"{P}/imageformats/libqpdf.so",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/translations/qt_de.qm",
    }


def test_libraries_inside_python_packages_are_never_garbage_collected() -> None:
    binaries = [
        entry("cryptography/hazmat/bindings/_rust.abi3.so", "EXTENSION"),
        entry("shiboken6/libshiboken6.so"),
    ]
    kept, _, dropped = trim.trim(binaries, [], LinkGraph({}))
    assert len(kept) == 2
    assert dropped == []


def test_without_a_dependency_lookup_only_plugins_and_translations_go() -> None:
    binaries = [entry("libgtk-3.so.0"), entry(f"{P}/platformthemes/libqgtk3.so"), entry("libglib-2.0.so.0")]
    kept, _, dropped = trim.trim(binaries, [], None)
    assert [e[0] for e in kept] == ["libgtk-3.so.0", "libglib-2.0.so.0"]
    assert dropped == [f"{P}/platformthemes/libqgtk3.so"]


# The Windows wheel's layout: Qt's DLLs beside the .pyd files, plugins and translations one level up.
W = "PySide6\\plugins"


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        (f"{W}\\platforms\\qwindows.dll", True),
        (f"{W}\\platforms\\qdirect2d.dll", True),
        (f"{W}\\styles\\qmodernwindowsstyle.dll", True),
        (f"{W}\\networkinformation\\qnetworklistmanager.dll", True),
        (f"{W}\\tls\\qschannelbackend.dll", False),
        (f"{W}\\imageformats\\qico.dll", True),
        (f"{W}\\imageformats\\qsvg.dll", True),
        (f"{W}\\imageformats\\qjpeg.dll", False),
        (f"{W}\\imageformats\\qwebp.dll", False),
        (f"{W}\\generic\\qtuiotouchplugin.dll", False),
        ("PySide6/plugins/imageformats/qtiff.dll", False),
        ("PySide6\\Qt6Gui.dll", True),
    ],
)
def test_windows_plugins_are_trimmed_like_the_linux_ones(dest: str, kept: bool) -> None:
    assert trim.keep_plugin(dest) is kept


def test_windows_translations_and_software_opengl_are_dropped() -> None:
    binaries = [
        entry("PySide6\\opengl32sw.dll"),
        entry("PySide6\\Qt6Gui.dll"),
        entry("PySide6\\QtGui.pyd", "EXTENSION"),
    ]
    datas = [entry("PySide6\\translations\\qtbase_ja.qm", "DATA"), entry("resources\\icons\\ok.svg", "DATA")]
    graph = LinkGraph({"/src/PySide6\\QtGui.pyd": ["Qt6Gui.dll"]})
    for lookup in (graph, None):
        kept, kept_datas, dropped = trim.trim(binaries, datas, lookup)
        assert [e[0] for e in kept] == ["PySide6\\Qt6Gui.dll", "PySide6\\QtGui.pyd"]
        assert [e[0] for e in kept_datas] == ["resources\\icons\\ok.svg"]
        assert set(dropped) == {"PySide6\\opengl32sw.dll", "PySide6\\translations\\qtbase_ja.qm"}


def test_windows_orphans_go_from_qt_but_never_from_other_packages() -> None:
    binaries = [
        entry("PySide6\\QtWidgets.pyd", "EXTENSION"),
        entry("PySide6\\Qt6Widgets.dll"),
        entry(f"{W}\\imageformats\\qpdf.dll"),
        entry("PySide6\\Qt6Pdf.dll"),
        entry("shiboken6\\shiboken6.abi3.dll"),
        entry("python313.dll"),
        entry("VCRUNTIME140.dll"),
    ]
    graph = LinkGraph(
        {
            "/src/PySide6\\QtWidgets.pyd": ["Qt6Widgets.dll", "VCRUNTIME140.dll"],
            f"/src/{W}\\imageformats\\qpdf.dll": ["Qt6Pdf.dll"],
        }
    )
    kept, _, dropped = trim.trim(binaries, [], graph)
    assert set(dropped) == {f"{W}\\imageformats\\qpdf.dll", "PySide6\\Qt6Pdf.dll"}
    assert "shiboken6\\shiboken6.abi3.dll" in {e[0] for e in kept}
