"""The catalogue tool: extract finds templates and marked strings, update keeps translations and
marks changed ones fuzzy, compile is deterministic, check lists what is missing or wrong.

Runs on a small package made for the test (and once on the real one), in temporary folders:
these tests never need the real catalogues to be complete.
"""

from __future__ import annotations

import gettext
import re
import textwrap
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po

from tests.packaging.helpers import load_build_module
from traywatch.i18n import formats

catalogues = load_build_module("i18n/catalogues")

pytestmark = pytest.mark.timeout(300)

SHOP = {
    "__init__.py": '__version__ = "1.2"\n',
    "facts.py": """
        from traywatch.i18n import Template

        DOWN = Template("shop.down", "{shop} is down since {at}.")
        LEFT = Template("shop.left", "{n} order left", "{n} orders left", count="n")
        GLUE = Template("shop.glue", "{a}{b}")
    """,
    "ui/__init__.py": "",
    "ui/window.py": """
        from traywatch.i18n import N_, _, ngettext, pgettext

        TITLE = N_("Shop status")

        def labels(n: int) -> list[str]:
            # TRANSLATORS: the services traywatch looked at, a moment ago
            checked = _("Checked {count} services").format(count=n)
            return [_("Settings"), checked, ngettext("{n} file", "{n} files", n), pgettext("menu", "Quit")]
    """,
    "ui/needs_display.py": """
        from traywatch.i18n import Template, _

        raise RuntimeError("no display")
        GONE = Template("shop.gone", "Never imported.")
        LABEL = _("Read by the extractor all the same")
    """,
}


def make_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / "shop" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    make_package(tmp_path, SHOP)
    return tmp_path


def run(root: Path, *command: str, languages: str = "es,de") -> int:
    args = [*command, "--root", str(root), "--package", "shop", "--locale-dir", str(root / "locale")]
    code: int = catalogues.main([*args, "--languages", languages])
    return code


def singular(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def messages(path: Path, lang: str | None = None) -> dict[str, Message]:
    """The catalogue's messages by 'context|singular msgid'."""
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    return {f"{message.context or ''}|{singular(message)}": message for message in catalog if message.id}


def translate(po: Path, lang: str, translations: dict[str, str | tuple[str, ...]]) -> None:
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    for message in catalog:
        if message.id and singular(message) in translations:
            message.string = translations[singular(message)]
            message.flags.discard("fuzzy")
    with po.open("wb") as f:
        write_po(f, catalog, sort_by_file=True)


def test_extract_finds_templates_and_marked_strings(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(shop, "extract") == 0
    found = messages(shop / "locale" / "traywatch.pot")
    down = found["|{shop} is down since {at}."]
    assert down.auto_comments == ["code: shop.down"] and down.locations == [("shop/facts.py", 3)]
    assert "python-brace-format" in down.flags
    left = found["|{n} order left"]
    assert left.id == ("{n} order left", "{n} orders left") and "plural chosen by {n}" in left.auto_comments
    checked = found["|Checked {count} services"]
    assert checked.auto_comments == ["the services traywatch looked at, a moment ago"]
    assert "python-brace-format" in checked.flags and checked.locations == [("shop/ui/window.py", 7)]
    assert found["|{n} file"].id == ("{n} file", "{n} files")
    assert {"|Shop status", "|Settings", "menu|Quit", "|Read by the extractor all the same"} <= set(found)
    assert "|{a}{b}" not in found  # only placeholders: nothing to translate
    assert "|{count} more" in found  # the renderer's own template, used by every package
    warnings = capsys.readouterr().err
    assert "shop.ui.needs_display" in warnings and "'shop.gone'" in warnings


def test_extract_on_the_real_package_finds_its_templates(tmp_path: Path) -> None:
    code = catalogues.main(["extract", "--locale-dir", str(tmp_path)])
    assert code == 0
    more = messages(tmp_path / "traywatch.pot")["|{count} more"]
    assert "code: list.more" in more.auto_comments
    assert "traywatch/i18n/render.py" in [path for path, _line in more.locations]


def test_extracting_again_leaves_the_template_as_it_was(shop: Path) -> None:
    run(shop, "extract")
    pot = shop / "locale" / "traywatch.pot"
    pot.write_text(
        re.sub(r"POT-Creation-Date: [^\\]+", "POT-Creation-Date: 2020-01-01 00:00+0000", pot.read_text())
    )
    before = pot.read_bytes()
    run(shop, "extract")
    assert pot.read_bytes() == before  # not rewritten: no change in git for nothing
    (shop / "shop" / "more.py").write_text('from traywatch.i18n import _\nNEW = _("A new label")\n')
    run(shop, "extract")
    assert b"2020-01-01" not in pot.read_bytes() and b'msgid "A new label"' in pot.read_bytes()


def test_update_creates_each_language_with_its_plural_forms(shop: Path) -> None:
    run(shop, "extract")
    assert run(shop, "update", languages="es,pt_BR,fr,de,id,hi") == 0
    for lang in ("es", "pt_BR", "fr", "de", "id", "hi"):
        po = shop / "locale" / lang / "LC_MESSAGES" / "traywatch.po"
        with po.open("rb") as f:
            catalog = read_po(f)
        assert str(catalog.locale) == lang
        assert catalog.plural_forms == formats._data(lang)["plural_forms"]  # as the formats count
        assert len(catalog) == len(messages(shop / "locale" / "traywatch.pot"))


def test_check_lists_what_is_missing_and_compile_makes_a_working_catalogue(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(shop, "extract")
    run(shop, "update")
    po = shop / "locale" / "es" / "LC_MESSAGES" / "traywatch.po"
    translate(
        po,
        "es",
        {
            "{shop} is down since {at}.": "{shop} no funciona desde {at}.",
            "Checked {count} services": "Revisados {cuantos} servicios",
            "{n} order left": ("Queda {n} pedido", "", ""),
        },
    )
    assert run(shop, "compile") == 0
    capsys.readouterr()
    assert run(shop, "check") == 1
    out = capsys.readouterr().out
    es = out.split("es: ", 1)[1].split("\nde: ", 1)[0]
    assert '"Settings" (shop/ui/window.py:8)' in es.split("untranslated:", 1)[1].split("placeholders", 1)[0]
    assert '"Checked {count} services"' in es and "missing {count}, unknown {cuantos}" in es
    assert '"{n} order left"' in es and "1 of 3 forms" in es
    assert "stale" not in es and "de: " in out

    spanish = gettext.translation("traywatch", shop / "locale", languages=["es"])
    assert spanish.gettext("{shop} is down since {at}.") == "{shop} no funciona desde {at}."
    assert spanish.gettext("Settings") == "Settings"  # untranslated: the English text


def test_compile_is_deterministic_and_check_sees_a_stale_mo(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(shop, "extract")
    run(shop, "update", languages="de")
    po = shop / "locale" / "de" / "LC_MESSAGES" / "traywatch.po"
    mo = po.with_suffix(".mo")
    translate(po, "de", {"Settings": "Einstellungen"})
    run(shop, "compile", languages="de")
    first = mo.read_bytes()
    mo.unlink()
    run(shop, "compile", languages="de")
    assert mo.read_bytes() == first
    translate(po, "de", {"Settings": "Optionen"})
    capsys.readouterr()
    run(shop, "check", languages="de")
    assert "the .mo is stale: run compile" in capsys.readouterr().out


def test_a_changed_message_turns_fuzzy_and_a_removed_one_obsolete(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(shop, "extract")
    run(shop, "update", languages="fr")
    po = shop / "locale" / "fr" / "LC_MESSAGES" / "traywatch.po"
    translate(
        po, "fr", {"{shop} is down since {at}.": "{shop} est en panne depuis {at}.", "Settings": "Réglages"}
    )
    facts = shop / "shop" / "facts.py"
    facts.write_text(facts.read_text().replace("is down since {at}.", "has been down since {at}."))
    window = shop / "shop" / "ui" / "window.py"
    window.write_text(window.read_text().replace('_("Settings"), ', ""))
    run(shop, "extract")
    run(shop, "update", languages="fr")
    changed = messages(po, "fr")["|{shop} has been down since {at}."]
    assert changed.fuzzy and changed.string == "{shop} est en panne depuis {at}."
    assert '#| msgid "{shop} is down since {at}."' in po.read_text()  # the English it translated
    capsys.readouterr()
    assert run(shop, "check", languages="fr") == 1
    out = capsys.readouterr().out
    assert "1 fuzzy" in out and '"{shop} has been down since {at}."' in out
    assert "1 obsolete" in out and '"Settings"' in out.split("obsolete", 1)[1]


def test_check_passes_when_everything_is_translated_and_compiled(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(shop, "extract")
    run(shop, "update", languages="id")
    po = shop / "locale" / "id" / "LC_MESSAGES" / "traywatch.po"
    pot = messages(shop / "locale" / "traywatch.pot")
    said = {singular(m): m.id for m in pot.values()}
    translate(po, "id", {k: (v[1],) if isinstance(v, tuple) else f"[{v}]" for k, v in said.items()})
    run(shop, "compile", languages="id")
    capsys.readouterr()
    assert run(shop, "check", languages="id") == 0, capsys.readouterr().out
    assert "all 1 catalogues complete" in capsys.readouterr().out


def test_check_says_when_the_template_is_stale(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(shop, "extract")
    run(shop, "update", languages="de")
    (shop / "shop" / "more.py").write_text('from traywatch.i18n import _\nNEW = _("A new label")\n')
    capsys.readouterr()
    assert run(shop, "check", languages="de") == 1
    assert "traywatch.pot: stale: run extract, then update" in capsys.readouterr().out


def test_check_says_when_a_catalogue_was_not_updated(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(shop, "extract")
    run(shop, "update", languages="hi")
    window = shop / "shop" / "ui" / "window.py"
    window.write_text(window.read_text().replace('_("Settings")', '_("Preferences")'))
    run(shop, "extract")
    capsys.readouterr()
    assert run(shop, "check", languages="hi") == 1
    out = capsys.readouterr().out
    assert '"Preferences" (shop/ui/window.py:8): not in the catalogue (run update)' in out
    assert '"Settings" (shop/ui/window.py:8): no longer in the template (run update)' in out


def test_a_plural_form_for_one_may_leave_out_the_count_as_the_english_singular_does() -> None:
    check = load_build_module("i18n/catalogue_check")
    flags = {"python-brace-format"}
    ok = Message(("the last hour", "the last {amount} hours"), flags=flags)
    ok.string = ("la última hora", "las últimas {amount} horas", "las últimas {amount} horas")
    assert check.placeholder_problem(ok) is None
    lost = Message(("{name} is down", "{names} are down"), flags=flags)
    lost.string = ("no funciona", "{names} no funcionan")  # says neither name
    assert check.placeholder_problem(lost) == "missing {name}" or "unknown" not in str(
        check.placeholder_problem(lost)
    )
    stranger = Message(("the last hour", "the last {amount} hours"), flags=flags)
    stranger.string = ("la última {hora}", "las últimas {amount} horas")
    assert check.placeholder_problem(stranger) == "unknown {hora}"
