"""Settings-file problems and warnings in the owner's language.

Real problems are raised (broken TOML, a number below its minimum, an unknown key, a broken proxy
variable, ...) and said in a test language that works like the bracket language of
tests/unit/history/fake_language.py, with the translated words also upper-cased: then, once the
parts said as they are (the file, the key, the value quoted from the file, the operating
system's or the TOML parser's own words) are taken out, a lowercase letter is English that never
went through a catalogue, even deep inside a nested message. The English text stays exactly as
it was, and the command line says a problem in Spanish from the real catalogue.
"""

from __future__ import annotations

import gettext
import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import brackets
from traywatch.cli import main
from traywatch.core.catalogue import parse_catalogue
from traywatch.core.errors import ConfigError, message_of, variable_named
from traywatch.core.net.proxy_env import check_proxy_environment
from traywatch.core.paths import app_paths
from traywatch.core.settings.config import load_config, parse_config
from traywatch.core.settings.config_file import read_document
from traywatch.i18n import Message, render, set_language

_PLACEHOLDER = re.compile(r"(\{\{|\}\}|\{\w+\})")


class LoudBrackets(gettext.NullTranslations):
    """Every msgid in brackets, its words (not its placeholders) upper-cased."""

    @staticmethod
    def _say(text: str) -> str:
        return (
            "["
            + "".join(p if _PLACEHOLDER.fullmatch(p) else p.upper() for p in _PLACEHOLDER.split(text))
            + "]"
        )

    def gettext(self, message: str) -> str:
        return self._say(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._say(msgid1 if n == 1 else msgid2)


@pytest.fixture
def loud(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    brackets.install(monkeypatch, LoudBrackets())
    set_language("es")
    yield
    set_language("en")


def sentences_are_messages(value: object) -> bool:
    """A parameter that is a sentence of ours (a problem, a reason why) is itself a Message, so
    that it cannot hide as a "verbatim" part: only names, values and the system's words are."""
    if not isinstance(value, Message):
        return True
    wordy = {"problem", "why", "blocker"} | ({"reason"} if value.code == "config.refused" else set())
    return all(
        isinstance(param, Message) and sentences_are_messages(param)
        for name, param in value.params.items()
        if name in wordy
    ) and all(sentences_are_messages(param) for param in value.params.values())


def english_left(message: str) -> str:
    """What is left of the message said in the test language once its verbatim parts are out:
    lowercase words there never went through a catalogue."""
    said = render(message)
    for verbatim in sorted(set(brackets.verbatim(message)), key=len, reverse=True):
        said = said.replace(verbatim, " ")
    return " ".join(re.findall(r"[a-z]+", said))


def _raised(call: object, *args: object) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


def real_problems(tmp_path: Path) -> Iterator[tuple[str, ConfigError]]:
    broken = tmp_path / "broken.toml"
    broken.write_text("[check]\ninterval = [\n", "utf-8")
    yield "broken TOML", _raised(load_config, broken)
    yield "broken TOML, editing", _raised(read_document, broken)
    yield "below the minimum", _raised(parse_config, {"check": {"interval": 5}}, "c.toml")
    yield "out of range", _raised(parse_config, {"check": {"timeout": 0}}, "c.toml")
    yield "not a flag", _raised(parse_config, {"official": {"enabled": "yes"}}, "c.toml")
    yield "bad proxy", _raised(check_proxy_environment, {"HTTPS_PROXY": "ftp://proxy.example"})
    yield "bad proxy port", _raised(check_proxy_environment, {"http_proxy": "http://proxy.example:0"})
    yield "CA file a folder", _raised(parse_config, {"network": {"ca_file": str(tmp_path)}}, "c.toml")
    yield "quiet hours", _raised(parse_config, {"notifications": {"quiet_hours": "22:00-22:00"}}, "c.toml")
    yield "Meta target", _raised(parse_config, {"forward": {"urls": ["whatsapp://x/y"]}}, "c.toml")
    yield "no config file", _raised(lambda: load_config(tmp_path / "none.toml", required=True))
    home_file = tmp_path / "a-file"
    home_file.write_text("", "utf-8")
    yield "home inside a file", _raised(app_paths, {"TRAYWATCH_HOME": str(home_file / "home")})
    yield (
        "catalogue",
        _raised(parse_catalogue, {"service": [{"id": "x", "targets": ["https://x.example"]}]}, "c"),
    )


@pytest.mark.usefixtures("loud")
def test_real_config_problems_are_said_without_english_outside_their_verbatim_parts(tmp_path: Path) -> None:
    for name, exc in real_problems(tmp_path):
        said = render(exc.message)
        assert said.startswith("[") and isinstance(exc.problem, Message), f"{name}: {said}"
        assert english_left(exc.message) == "" and sentences_are_messages(exc.message), f"{name}: {said}"
        assert render(message_of(exc)) == said


@pytest.mark.usefixtures("loud")
def test_config_warnings_are_said_without_english_outside_their_verbatim_parts() -> None:
    data = {
        "check": {"intervall": 60},
        "colour": "red",
        "ui": {"language": "xx", "start_at_login": True},
        "services": {"disabled": ["facebok", *(f"svc{i}" for i in range(9))]},
        "forward": {"urls": ["json://user:secret@hooks.example/x"]},
        "network": {"ca_file": "/no/such/file.pem"},
    }
    warnings = parse_config(data, "c.toml", network_needed=False).warnings
    many = parse_config({f"key{i}": 1 for i in range(9)}, "c.toml").warnings
    assert len(warnings) == 7 and len(many) == 1
    for warning in (*warnings, *many):
        assert isinstance(warning, Message), warning
        assert english_left(warning) == "" and sentences_are_messages(warning), render(warning)


def test_the_english_text_is_the_message_s_and_the_variable_is_still_named() -> None:
    exc = _raised(check_proxy_environment, {"HTTPS_PROXY": "ftp://proxy.example"})
    assert str(exc) == (
        "environment variable HTTPS_PROXY: 'ftp://proxy.example' is not a proxy URL; "
        "it should look like http://proxy.example:3128"
    )
    assert str(exc) == exc.message and variable_named(exc.where) == "HTTPS_PROXY"
    assert variable_named("c.toml [check.interval]") is None
    below = _raised(parse_config, {"check": {"interval": 5}}, "c.toml")
    assert str(below) == "c.toml [check.interval]: must be at least 10 seconds (shorter only with --interval)"


def test_check_says_an_out_of_range_value_in_spanish_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[check]\ntimeout = 600\n", "utf-8")
    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    try:
        code = main(["--lang", "es", "check", "--config", str(config)])
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        sys.excepthook = hook
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"traywatch: {config} [check.timeout]: debe estar entre 1 y 60, no 600" in err, err
    assert "must be" not in err
