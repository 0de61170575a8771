"""argparse's own words ("usage:", "options:", "error:", "invalid choice") in the language of the
run, from traywatch's real catalogue; and argparse left as it was once the run is over."""

from __future__ import annotations

import argparse
import ast
import gettext
import re
from pathlib import Path

import pytest

from traywatch.cli import main
from traywatch.commands.argparse_words import WORDS, expected_arguments, speaking_ours
from traywatch.i18n import set_language


def run(capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        main(list(words))
    out = capsys.readouterr()
    return int(ended.value.code or 0), out.out, out.err


def test_help_in_spanish_says_usage_and_options_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "es", "--help")
    assert code == 0
    assert out.startswith("uso: traywatch ")
    assert "\nopciones:\n" in out and "\nargumentos posicionales:\n" in out
    assert "mostrar esta ayuda y salir" in out
    assert "usage:" not in out and "show this help message" not in out


def test_usage_errors_in_german_and_french(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "de", "check", "--bogus")
    assert code == 2
    assert err.splitlines()[0].startswith("Aufruf: traywatch check")
    assert "traywatch check: Fehler: unbekannte Argumente: --bogus" in err
    code, _, err = run(capsys, "--lang", "fr", "--show", "nope")
    assert code == 2
    assert "traywatch : erreur : argument --show : choix non valide : 'nope'" in err
    code, _, err = run(capsys, "--lang", "es", "--config")
    assert "argumento --config: se esperaba un valor" in err


def test_english_help_is_argparses_own_and_argparse_is_left_as_it_was(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and out.startswith("usage: traywatch ") and "\noptions:\n" in out
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]


def test_speaking_ours_says_argparses_plural_in_the_language_in_use() -> None:
    set_language("de")
    try:
        with speaking_ours():
            assert argparse.ngettext("expected %s argument", "expected %s arguments", 2) == (  # type: ignore[attr-defined]
                "%s Werte werden erwartet"
            )
            assert expected_arguments(1) == "%s Wert wird erwartet"
    finally:
        set_language("en")


def test_every_word_argparse_says_to_the_owner_is_listed() -> None:
    """The msgids listed are argparse's own, word for word (a new Python may change them)."""
    source = Path(argparse.__file__).read_text("utf-8")
    said = {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    assert set(WORDS) <= said
    for must in ("usage: ", "options", "invalid choice: %(value)r (choose from %(choices)s)"):
        assert must in WORDS
    assert re.search(r"ngettext\('expected %s argument',\s*'expected %s arguments'", source)
