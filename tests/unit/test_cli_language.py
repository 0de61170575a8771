"""The command line in the owner's language: which language is chosen (`--lang` > `[ui] language`
> the system's), a wrong `--lang`, and the JSON walker that says messages but keeps codes.

The output tests install a test-only translation that puts every translated text in brackets;
then whatever English is left outside brackets (apart from the values the core handed over,
which are the core's to translate) is a sentence the command line forgot to translate.
"""

from __future__ import annotations

import gettext
import io
import json
import logging
import os
import platform
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.support import brackets
from tests.unit.history.synthetic import IDS, Driver
from tests.unit.test_cli import dead_catalogue
from traywatch.cli import main
from traywatch.commands import check as check_command
from traywatch.core.history import Recorder
from traywatch.core.models import RoundResult
from traywatch.core.paths import app_paths
from traywatch.i18n import Message, Template, current_language, formats, render, set_language
from traywatch.terminal import json_text, spoken

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
TEST_SUMMARY = Template("test.cli.summary", "Test summary about {service}.")


@pytest.fixture(autouse=True)
def _english_afterwards(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """main() sets the language for the process and the logging: put both back afterwards."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    yield
    set_language("en")
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook = hook


@pytest.fixture
def bracketed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every language but English says its texts in brackets (no catalogue is read)."""
    brackets.install(monkeypatch)


def config_dir(home: Path) -> Path:
    folder = home / "config"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def config_file(traywatch_home: Path) -> Path:
    folder = config_dir(traywatch_home)
    catalogue = dead_catalogue(folder)
    path = folder / "config.toml"
    path.write_text(f'[catalogue]\nfile = "{catalogue.name}"\n[check]\ntimeout = 5\n', "utf-8")
    return path


def spoken_after(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The language in use after `traywatch ARGV` ran (a command that needs no network)."""
    assert main(argv) == 0, capsys.readouterr().err
    capsys.readouterr()
    return current_language()


# -- which language ---------------------------------------------------------------------------------
def test_the_system_language_is_the_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert spoken_after(["history"], capsys) == "pt_BR"


def test_lang_c_is_english(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    set_language("de")
    monkeypatch.setenv("LANG", "C")
    assert spoken_after(["history"], capsys) == "en"


def test_language_and_lc_all_come_before_lang(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    assert spoken_after(["history"], capsys) == "fr"
    monkeypatch.setenv("LANGUAGE", "id:en")
    assert spoken_after(["history"], capsys) == "id"


def test_the_config_file_comes_before_the_system(
    traywatch_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    (config_dir(traywatch_home) / "config.toml").write_text('[ui]\nlanguage = "es"\n', "utf-8")
    assert spoken_after(["history"], capsys) == "es"
    # "auto" in the file is the system's language
    (config_dir(traywatch_home) / "config.toml").write_text('[ui]\nlanguage = "auto"\n', "utf-8")
    assert spoken_after(["history"], capsys) == "de"


def test_a_config_named_with_config_is_the_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    other = tmp_path / "other.toml"
    other.write_text('[ui]\nlanguage = "hi"\n', "utf-8")
    assert spoken_after(["--config", str(other), "history"], capsys) == "hi"
    assert spoken_after(["history", "--config", str(other)], capsys) == "hi"


def test_lang_comes_before_the_config_file_and_the_system(
    traywatch_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    (config_dir(traywatch_home) / "config.toml").write_text('[ui]\nlanguage = "es"\n', "utf-8")
    assert spoken_after(["--lang", "fr", "history"], capsys) == "fr"
    assert spoken_after(["history", "--lang", "pt-BR"], capsys) == "pt_BR"  # after the command too
    assert spoken_after(["--lang=id", "history"], capsys) == "id"
    assert spoken_after(["--lang", "auto", "history"], capsys) == "de"  # auto: the system's


def test_lang_given_before_and_after_the_command_keeps_the_later_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert spoken_after(["--lang", "fr", "history", "--lang", "es"], capsys) == "es"
    assert spoken_after(["--lang", "fr", "history"], capsys) == "fr"  # not undone by the sub-command


def test_an_unknown_lang_is_a_usage_error_naming_the_languages(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--lang", "klingon", "history"], ["history", "--lang", "xx"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert "is not a language traywatch speaks" in err
        for code in ("en", "es", "pt_BR", "fr", "de", "id", "hi"):
            assert code in err
        assert "Español" in err


def test_a_broken_config_file_is_still_reported_in_the_system_language(
    traywatch_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    (config_dir(traywatch_home) / "config.toml").write_text("[ui\nlanguage = 'es'\n", "utf-8")
    assert main(["check", "--json"]) == 2
    assert "config.toml" in capsys.readouterr().err
    assert current_language() == "fr"


# -- the JSON walker --------------------------------------------------------------------------------
def test_the_json_walker_says_messages_and_keeps_keys_codes_and_plain_text(bracketed: None) -> None:
    set_language("es")
    data = {
        "verdict": "internet_down",
        "summary": TEST_SUMMARY(service="Instagram"),
        "services": [{"id": "instagram", "state": "down", "detail": TEST_SUMMARY(service="x"), "n": 3}],
        "official": None,
        "note": "Meta's own words",
        "nested": ({"title": TEST_SUMMARY(service="y")},),
    }
    said = spoken(data)
    assert said["verdict"] == "internet_down"
    assert said["summary"] == "[Test summary about Instagram.]"
    assert said["services"] == [
        {"id": "instagram", "state": "down", "detail": "[Test summary about x.]", "n": 3}
    ]
    assert said["official"] is None and said["note"] == "Meta's own words"
    assert said["nested"] == [{"title": "[Test summary about y.]"}]
    assert not any(isinstance(v, Message) for v in _strings(said))
    set_language("en")
    assert spoken(data)["summary"] == "Test summary about Instagram."


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _strings(value)


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
    return [s for s in _strings(rnd.to_json()) if not isinstance(s, Message)]


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


# -- a console that cannot show the language ---------------------------------------------------------
HINDI_RUN = """
import gettext, sys
from traywatch.i18n import catalogs

class Hindi(gettext.NullTranslations):
    def gettext(self, message): return "हिन्दी: " + message
    def ngettext(self, one, many, n): return "हिन्दी: " + (one if n == 1 else many)
    def pgettext(self, context, message): return "हिन्दी: " + message

def translation(code): return gettext.NullTranslations() if code == "en" else Hindi()

catalogs.translation = translation
from traywatch.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_in_hindi(home: Path, *argv: str) -> subprocess.CompletedProcess[bytes]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "TRAYWATCH_HOME": str(home),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PYTHONIOENCODING": "ascii",
        "LANG": "C",
    }
    return subprocess.run(
        [sys.executable, "-c", HINDI_RUN, "--lang", "hi", *argv], env=env, capture_output=True, timeout=60
    )


def test_hindi_on_an_ascii_console_degrades_without_a_crash(traywatch_home: Path) -> None:
    table = run_in_hindi(traywatch_home, "history")
    assert table.returncode == 0, table.stderr
    out = table.stdout.decode("ascii")  # raises if anything but ASCII was written
    assert "?: " in out and "Uptime, counted only while" in out  # the Devanagari spelt "?"
    assert b"Traceback" not in table.stderr

    usage = run_in_hindi(traywatch_home, "history", "--since", "yesterday-ish")
    assert usage.returncode == 2
    err = usage.stderr.decode("ascii")
    assert err.startswith("traywatch: ") and "Traceback" not in err


def test_json_on_an_ascii_console_escapes_the_said_messages_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    class Hindi(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "हिन्दी: " + message

    brackets.install(monkeypatch, Hindi())
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    set_language("hi")
    text = json_text({"verdict": "ok", "summary": TEST_SUMMARY(service="WhatsApp")})
    assert text.isascii() and "\\u0939" in text
    assert json.loads(text) == {"verdict": "ok", "summary": "हिन्दी: Test summary about WhatsApp."}
