"""Which language the system asks for: the POSIX variables as gettext reads them, and on Windows
the user's display languages in their order of preference (the POSIX variables are not read there).

The Windows calls themselves run in the Windows smoke test under Wine (packaging/windows/smoke.sh);
here their answer is given, to test what is made of it."""

from __future__ import annotations

import pytest

from traywatch.i18n import languages
from traywatch.i18n.languages import chosen_language, system_language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "es_MX.UTF-8"}, "es"),
        ({"LANG": "pt_PT.UTF-8"}, "pt_BR"),
        ({"LC_ALL": "de_AT.UTF-8", "LANG": "fr_FR.UTF-8"}, "de"),
        ({"LANGUAGE": "ja:hi_IN", "LANG": "fr_FR.UTF-8"}, "hi"),
        ({"LANGUAGE": "ja", "LANG": "in_ID.UTF-8"}, "id"),
        ({"LC_MESSAGES": "C", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_posix_variables_decide_as_for_gettext(environ: dict[str, str], expected: str) -> None:
    assert system_language(environ, platform="linux") == expected


@pytest.mark.parametrize(
    ("windows_says", "expected"),
    [
        (["es-MX", "en-US", "es-MX"], "es"),
        (["ja-JP", "de-DE", "ja-JP"], "de"),  # the first one traywatch speaks, in the user's order
        (["pt-BR", "pt-BR"], "pt_BR"),
        (["en-US", "fr-FR"], "en"),  # English display, French formats: the display language
        (["ja-JP", "ja-JP"], "en"),
        ([], "en"),
    ],
)
def test_windows_asks_the_display_languages_in_their_order(
    monkeypatch: pytest.MonkeyPatch, windows_says: list[str], expected: str
) -> None:
    monkeypatch.setattr(languages, "_windows_ui_languages", lambda: windows_says)
    assert system_language({"LANG": "id_ID.UTF-8"}, platform="win32") == expected


def test_on_windows_the_posix_variables_are_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(languages, "_windows_ui_languages", lambda: ["fr-FR"])
    assert system_language({"LANG": "es_ES.UTF-8", "LC_ALL": "de_DE.UTF-8"}, platform="win32") == "fr"


def test_a_choice_traywatch_speaks_comes_before_the_system() -> None:
    assert chosen_language("pt_BR", {"LANG": "es_ES.UTF-8"}) == "pt_BR"
    assert chosen_language("auto", {"LANG": "es_ES.UTF-8"}) == "es"
    assert chosen_language("ja", {"LANG": "es_ES.UTF-8"}) == "es"  # not spoken: the system's
    assert chosen_language(None, {}) == "en"
