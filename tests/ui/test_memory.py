"""The idle tray's memory: no module sources kept by PySide6's import check; tidying after activity."""

from __future__ import annotations

import importlib
import linecache
import sys
from pathlib import Path
from typing import Any

import pytest

import traywatch.ui  # noqa: F401  (applies read_sources_uncached, as the app does)
from traywatch.ui.memory import MemoryTidy, drop_source_lines, read_sources_uncached, trim_c_heap


def _feature_dict() -> dict[str, int]:
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "pyside_feature_dict"):
        pytest.skip("this PySide6 has no per-import feature check")
    return feature.pyside_feature_dict  # type: ignore[no-any-return]


def test_modules_imported_after_pyside_leave_no_lines_in_linecache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    features = _feature_dict()
    (tmp_path / "hmem_plain_mod.py").write_text("VALUE = 1\n" + "# filler line\n" * 2000)
    (tmp_path / "hmem_qt_mod.py").write_text("from PySide6.QtCore import QObject\nVALUE = QObject\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    linecache.clearcache()
    try:
        plain = importlib.import_module("hmem_plain_mod")
        qt = importlib.import_module("hmem_qt_mod")
        # the import statement (not importlib) is what PySide6's hook sees
        namespace: dict[str, Any] = {}
        exec("import hmem_plain_mod, hmem_qt_mod", namespace)
        assert plain.VALUE == 1 and qt.VALUE is not None
        held = [f for f in linecache.cache if "hmem_" in f]
        assert held == [], f"module sources kept in linecache: {held}"
        # the check still gives PySide6 the same answers
        assert features.get("hmem_plain_mod") == -1
        assert features.get("hmem_qt_mod") == 0
    finally:
        for name in ("hmem_plain_mod", "hmem_qt_mod"):
            sys.modules.pop(name, None)
            features.pop(name, None)


def test_the_replacement_is_applied_once() -> None:
    _feature_dict()
    feature = sys.modules["shibokensupport.feature"]
    first = feature._mod_uses_pyside  # type: ignore[attr-defined]
    assert getattr(first, "uncached", False)
    assert read_sources_uncached()
    assert feature._mod_uses_pyside is first  # type: ignore[attr-defined]


def test_drop_source_lines_empties_linecache() -> None:
    linecache.getlines(__file__)
    assert __file__ in linecache.cache
    assert drop_source_lines() >= 1
    assert linecache.cache == {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc_trim")
def test_trim_c_heap_on_glibc() -> None:
    assert trim_c_heap() is True


def test_tidy_runs_once_a_little_after_activity(qtbot: Any) -> None:
    tidy = MemoryTidy(delay_s=0.2)
    linecache.getlines(__file__)
    tidy.soon(object())  # a MonitorUpdate in the app
    assert tidy.pending
    assert __file__ in linecache.cache  # not at once
    qtbot.waitUntil(lambda: not tidy.pending, timeout=3000)
    assert __file__ not in linecache.cache
    assert not tidy.pending  # nothing more while idle
