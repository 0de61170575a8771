"""The settings dialog's own checks are said in the owner's language: every problem `problems()`
finds is a message whose words all go through the catalogue (the bracket language shows any that
do not), and the real Spanish catalogue says them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support import brackets
from tests.unit.history.fake_language import outside_brackets
from traywatch.core.settings.config import parse_config
from traywatch.core.settings.form import MAX_INTERVAL_S, MIN_INTERVAL_S, SettingsValues, problems, values_of
from traywatch.i18n import Message, render, set_language


@pytest.fixture
def spanish() -> Iterator[None]:
    set_language("es")
    yield
    set_language("en")


def every_problem() -> list[SettingsValues]:
    values = values_of(parse_config({}, "test"))
    return [
        replace(values, interval_s=MIN_INTERVAL_S - 1),
        replace(values, interval_s=MAX_INTERVAL_S + 1),
        replace(values, timeout_s=0),
        replace(values, interval_s=MIN_INTERVAL_S, timeout_s=MIN_INTERVAL_S + 1),
        replace(values, disabled=("facebook", "instagram")),
        replace(values, quiet_hours="25:00-07:00"),
        replace(values, retention_days=0),
    ]


def test_every_problem_is_a_message_said_whole_through_the_catalogue(
    monkeypatch: pytest.MonkeyPatch, spanish: None
) -> None:
    brackets.install(monkeypatch)
    fields = set()
    for values in every_problem():
        found = problems(values, ["facebook", "instagram"])
        assert found, values
        for problem in found:
            fields.add(problem.field)
            assert isinstance(problem.message, Message), problem
            said = render(problem.message)
            assert said.startswith("[") and not outside_brackets(said).strip(" .0-9s()'\":"), said
    assert fields == {"interval", "timeout", "services", "quiet_hours", "retention"}


def test_the_spanish_catalogue_says_them(spanish: None) -> None:
    values = replace(values_of(parse_config({}, "test")), retention_days=0)
    (problem,) = problems(values, ["facebook"])
    assert str(problem.message).startswith("Keep the detailed history between")  # English as before
    assert render(problem.message).startswith("Guarda el historial detallado entre")


def test_a_folder_given_as_the_settings_file_is_said_in_spanish(tmp_path: Path, spanish: None) -> None:
    from traywatch.core.errors import ConfigError, message_of
    from traywatch.core.settings.config import load_config

    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert "it is a folder, not a file" in str(caught.value)  # English as before
    assert "es una carpeta, no un archivo" in render(message_of(caught.value))
