"""The settings page "Forwarding": a URL added is saved at once (masked when it holds a secret),
a Meta target is refused with the reason, and *Send a test* reaches a real local webhook without
blocking the dialog; a refusal is said in the owner's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.support.webhook_server import Received, running_webhook
from tests.ui.helpers import bracketed
from traywatch.core.settings.config import Config
from traywatch.i18n import current_language, set_language
from traywatch.ui.settings.dialog import SettingsDialog
from traywatch.ui.settings.forward_page import ForwardPage


@pytest.fixture
def webhook() -> Iterator[tuple[int, list[Received]]]:
    with running_webhook() as hook:
        yield hook


def test_add_a_target_then_send_a_test_to_a_local_webhook(
    qtbot: QtBot, tmp_path: Path, webhook: tuple[int, list[Received]]
) -> None:
    port, got = webhook
    path = tmp_path / "config.toml"
    dialog = SettingsDialog(path)
    qtbot.addWidget(dialog)
    dialog.reload()
    page = dialog.page(ForwardPage)
    applied: list[Config] = []
    dialog.applied.connect(applied.append)

    page.url.setText("whatsapp://tok3n@12345/15551234567")
    page.add.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("Not done"), timeout=10_000)
    assert "WhatsApp is a Meta service" in page.result.text()
    assert page.targets.count() == 0

    page.url.setText(f"json://127.0.0.1:{port}/hook")
    page.add.click()
    qtbot.waitUntil(lambda: page.targets.count() == 1, timeout=10_000)
    assert f"json://127.0.0.1:{port}/hook" in path.read_text()
    assert applied and applied[-1].forward.targets[0].shown == f"json://127.0.0.1:{port}/hook"

    page.test.click()
    assert page.result.text() == "Sending a test message…"  # the GUI thread is free meanwhile
    qtbot.waitUntil(lambda: page.result.text().startswith("✓"), timeout=15_000)
    assert len(got) == 1 and got[0]["body"]["title"] == "traywatch: test message"

    page.targets.setCurrentRow(0)
    page.remove.click()
    qtbot.waitUntil(lambda: page.targets.count() == 0, timeout=10_000)
    assert "json://" not in path.read_text()


def test_a_refused_target_is_said_in_the_language(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bracketed.install(monkeypatch)
    before = current_language()
    set_language("de")
    try:
        page = ForwardPage(tmp_path / "config.toml")
        qtbot.addWidget(page)
        page.url.setText("json://graph.facebook.com/hook")
        page.add.click()
        qtbot.waitUntil(lambda: page.result.text().startswith("[[Not done"), timeout=10_000)
        said = page.result.text()
        assert "[[it points at Facebook (facebook.com), a Meta service" in said, said
        assert bracketed.english(said, ["Facebook", "facebook.com"]) == [], said
    finally:
        set_language(before)
