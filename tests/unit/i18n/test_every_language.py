"""Every language is complete and every message can be said in it.

The catalogues shipped in the package: nothing untranslated or fuzzy, placeholders and plural
forms as in the English, the compiled `.mo` files up to date with their `.po` and the template
up to date with the code (`packaging/i18n/catalogues.py check`). Then every message code the
program declares is rendered in every language, with each of its plural forms.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string

import pytest

from tests.packaging.helpers import load_build_module
from traywatch.i18n import LANGUAGES
from traywatch.i18n.message import Template, templates
from traywatch.i18n.render import render_in

catalogues = load_build_module("i18n/catalogues")
OTHERS = [code for code in LANGUAGES if code != "en"]


def test_every_catalogue_is_complete_and_compiled(capsys: pytest.CaptureFixture[str]) -> None:
    code = catalogues.main(["check"])
    out = capsys.readouterr().out
    assert code == 0, out


def _all_templates() -> list[Template]:
    """Every template of the program: every module that may declare one imported first."""
    import traywatch

    for info in pkgutil.walk_packages(traywatch.__path__, "traywatch."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    return sorted(templates(), key=lambda t: t.code)


def _in_every_form(template: Template) -> set[str]:
    forms = [template.text] if template.plural is None else [template.text, template.plural]
    return set.intersection(*({f for _, f, _, _ in string.Formatter().parse(t) if f} for t in forms))


def _sample(template: Template, n: int) -> dict[str, object]:
    texts = [template.text, template.plural or ""]
    names = {f for t in texts for _, f, _, _ in string.Formatter().parse(t) if f}
    params: dict[str, object] = {name: f"<{name}>" for name in names}
    if template.count:
        params[template.count] = n
    return params


def test_every_module_declaring_templates_is_found() -> None:
    assert len(_all_templates()) > 300


@pytest.mark.parametrize("lang", OTHERS)
def test_every_message_code_is_said_in_every_language(lang: str) -> None:
    broken = []
    for template in _all_templates():
        if template.code == "join":
            continue
        for n in (1, 2, 5, 21) if template.count else (1,):
            params = _sample(template, n)
            try:
                said = render_in(template.code, params, lang)  # type: ignore[arg-type]
            except (KeyError, IndexError, ValueError) as exc:
                broken.append(f"{template.code}: {exc!r}")
                continue
            if re.search(r"\{\w*\}", said):
                broken.append(f"{template.code}: a placeholder left unfilled: {said!r}")
            for name, value in params.items():
                # a name only the plural says ('the last day' / 'the last {amount} days') may go
                if isinstance(value, str) and name in _in_every_form(template) and value not in said:
                    broken.append(f"{template.code}: {{{name}}} is not said: {said!r}")
    assert broken == []
