"""Nothing the command line says is left in English: a test-only translation puts every
translated text in brackets; whatever English is left outside brackets (apart from the values the
core handed over, which are the core's to translate) is a sentence the command line forgot to
translate.
"""

from __future__ import annotations

import json
import platform
import re
import sys
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from tests.unit.cli_language.support import TEST_SUMMARY, strings
from tests.unit.history.synthetic import IDS, Driver
from traywatch.cli import main
from traywatch.commands import check as check_command
from traywatch.core.history import Recorder
from traywatch.core.models import RoundResult
from traywatch.core.paths import app_paths
from traywatch.i18n import Message, current_language, formats, render, set_language


# -- nothing left in English ------------------------------------------------------------------------
def unwrapped(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words left outside brackets, once the allowed values (names, paths, the
    core's own text) are taken out."""
    for value in sorted({v for v in allowed if v}, key=len, reverse=True):
        text = text.replace(value, " ")
    # Durations come from traywatch.i18n.formats (the language's own units, CLDR's to say)
    for unit in _duration_units(current_language()):
        text = re.sub(rf"\d+\s?{re.escape(unit)}(?!\w)", " ", text)
    previous = None
    while previous != text:  # innermost brackets first: '[Your internet: [up] — ...]'
        previous, text = text, re.sub(r"\[[^\[\]]*\]", " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)


def _duration_units(lang: str) -> set[str]:
    """The unit words a duration is said with in this language ('s', 'min'; 'Sek.', 'Min.')."""
    said = (formats.duration(n * s, lang) for s in (1, 60, 3600, 86400) for n in (1, 2, 5))
    return {
        re.sub(r"^[\d\s\u00a0]+", "", part.strip()) for d in said for part in re.split(r",\s|\s(?=\d)", d)
    }


class RecordingEngine(check_command.Engine):
    """The real engine; the round it returns is kept, its summary a message of the test's own."""

    rounds: ClassVar[list[RoundResult]] = []

    def check_once(self, deadline: float | None = None) -> RoundResult:
        rnd = replace(super().check_once(deadline), summary=TEST_SUMMARY(service="WhatsApp"))
        RecordingEngine.rounds.append(rnd)
        return rnd


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> list[RoundResult]:
    RecordingEngine.rounds = []
    monkeypatch.setattr(check_command, "Engine", RecordingEngine)
    return RecordingEngine.rounds


def core_words(rnd: RoundResult) -> list[str]:
    """The plain text the core handed over (its details, names, technical words): the core's to
    translate, not the command line's."""
    return [s for s in strings(rnd.to_json()) if not isinstance(s, Message)]


def test_check_on_a_terminal_says_everything_through_the_translation(
    config_file: Path,
    bracketed: None,
    recording: list[RoundResult],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["--lang", "es", "check"]) == 3
    out = capsys.readouterr().out
    (rnd,) = recording
    assert out.splitlines()[0] == "[Test summary about WhatsApp.]"
    assert "[Your internet: {state} — {detail}]" not in out  # placeholders were filled
    assert unwrapped(out, core_words(rnd)) == [], out


def test_check_json_says_the_messages_and_keeps_the_codes(
    config_file: Path, bracketed: None, recording: list[RoundResult], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--json", "--lang", "fr"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == "[Test summary about WhatsApp.]"
    assert data["verdict"] == "internet_down"
    assert data["internet"]["state"] == "down"
    assert {s["state"] for s in data["services"]} == {"unknown"}
    assert {s["failed_layer"] for s in data["services"]} == {"tcp"}


def test_history_says_everything_through_the_translation(
    bracketed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from traywatch.commands.history import gather
    from traywatch.core.history.acknowledge import ack_words

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    driver = Driver(start=start)
    with Recorder(app_paths().history_db, interval_s=60, clock=driver.clock) as rec:
        driver.listeners.append(rec)
        driver.rounds(10)
        driver.rounds(30, down=["instagram"])
        driver.rounds(5, internet="down")
        driver.rounds(10, down=IDS)
        driver.rounds(10)
    assert main(["--lang", "de", "history"]) == 0
    out = capsys.readouterr().out
    assert "[Uptime, counted only while your internet worked and traywatch was watching:]" in out

    import argparse

    args = argparse.Namespace(since=None, start=None, end=None, service=None)
    view = gather(args, "7d")
    assert view.incidents
    allowed = [view.window.label, *(u.name for u in view.uptime.services)]
    for row in view.incidents:
        allowed += [row.what, row.incident.cause, row.internet_words, ack_words(row.incident), row.note]
        allowed += row.service_names
    assert unwrapped(out, allowed) == [], out


def test_report_says_where_it_wrote_through_the_translation(
    tmp_path: Path, bracketed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "r.html"
    assert main(["report", "--lang", "hi", "--out", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[Report written to ")
    assert unwrapped(out, [str(out_file.resolve())]) == [], out


def test_self_check_says_its_labels_and_words_through_the_translation(
    bracketed: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from traywatch import selfcheck

    set_language("es")
    args = __import__("argparse").Namespace(config=None)
    lines = [*selfcheck.folder_lines(args), *selfcheck.bundle_lines(), *selfcheck.autostart_lines()]
    report = selfcheck.format_report(lines)
    assert report.startswith("[traywatch ") and report.splitlines()[0].endswith(" self-check]")
    for line in lines:
        assert line.label.startswith("["), line
    from traywatch.ui.resources import resource_root

    home = app_paths().config_dir.parent
    technical = [f"TRAYWATCH_HOME={home}", str(home), sys.executable, " ".join(_command())]
    technical += [str(resource_root()), platform.platform(terse=True), str(Path.home())]
    assert unwrapped(report, technical) == [], report


def _command() -> list[str]:
    from traywatch.platform.autostart import autostart_command

    return autostart_command()


def test_help_is_said_through_the_translation(bracketed: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "fr", "--help"])
    out = capsys.readouterr().out
    assert "[Is it my internet, or is it Meta? Without a command, starts the tray app.]" in out
    assert "[use this config file]" in out
    with pytest.raises(SystemExit):
        main(["history", "--help", "--lang", "fr"])
    assert "[print the incidents as CSV]" in capsys.readouterr().out  # --lang after --help too


def test_english_output_is_unchanged_by_the_language_layer(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["check"]) == 3
    out = capsys.readouterr().out
    assert "Your internet: down — " in out
    assert re.search(r"Checked at \d\d:\d\d:\d\d in \d+\.\d s\.", out), out
    assert render(TEST_SUMMARY(service="A"), "en") == "Test summary about A."
