"""The command line in the owner's language: which language is chosen (`--lang` > `[ui] language`
> the system's), a wrong `--lang`, the JSON walker that says messages but keeps codes, and a
console that cannot show the language. What the commands say, word by word: test_words.py.
"""

from __future__ import annotations

import gettext
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import brackets
from tests.unit.cli_language.support import TEST_SUMMARY, config_dir, spoken_after, strings
from traywatch.cli import main
from traywatch.i18n import Message, current_language, set_language
from traywatch.terminal import json_text, spoken


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
    assert not any(isinstance(v, Message) for v in strings(said))
    set_language("en")
    assert spoken(data)["summary"] == "Test summary about Instagram."


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
