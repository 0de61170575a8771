"""The translation catalogues: extract what traywatch says, update each language, compile, check.

    python packaging/i18n/catalogues.py extract   # traywatch/i18n/locale/traywatch.pot
    python packaging/i18n/catalogues.py update    # <lang>/LC_MESSAGES/traywatch.po, for each language
    python packaging/i18n/catalogues.py compile   # the .mo beside each .po (shipped in the package)
    python packaging/i18n/catalogues.py check     # exit 1 and list what is missing or stale

The messages are every `Template` the package declares (read from the registry after importing
every module, so a code built at run time is found too) and every `_()`, `N_()`, `ngettext()`,
`pgettext()` call (Babel's Python extractor). A `# TRANSLATORS:` comment above a call reaches the
translator. Uses Babel (the `test` extra); the app itself reads the .mo files with gettext.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import catalogue_check  # noqa: E402  (packaging/i18n/catalogue_check.py)

DOMAIN = "traywatch"
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("TRANSLATORS:",)
BRACE = "python-brace-format"


@dataclass(frozen=True)
class Project:
    """Where the sources and the catalogues are, and which languages get one."""

    root: Path
    package: str
    locale_dir: Path
    languages: tuple[str, ...]

    @property
    def sources(self) -> Path:
        return self.root.joinpath(*self.package.split("."))

    @property
    def pot(self) -> Path:
        return self.locale_dir / f"{DOMAIN}.pot"

    def po(self, lang: str) -> Path:
        return self.locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"

    def mo(self, lang: str) -> Path:
        return self.po(lang).with_suffix(".mo")


# -- extract ---------------------------------------------------------------------------------------
# Run in a fresh interpreter, so the registry holds the package's templates and nobody else's.
_COLLECT = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    root, name = sys.argv[1:3]
    sys.path.insert(0, root)
    package = importlib.import_module(name)
    skipped = []
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # a UI module may need a display; anything else is a real error
            if not info.name.startswith(name + ".ui."):
                raise
            skipped.append(f"{info.name}: {exc!r}")
    from traywatch.i18n.message import templates
    found = [{"code": t.code, "text": t.text, "plural": t.plural, "count": t.count} for t in templates()]
    json.dump({"templates": found, "skipped": skipped}, sys.stdout)
    """
)


def registered_templates(project: Project) -> list[dict[str, Any]]:
    """Every Template declared once the package's modules are imported."""
    command = [sys.executable, "-c", _COLLECT, str(project.root), project.package]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=project.root)
    if result.returncode != 0:
        raise SystemExit(f"importing {project.package} failed:\n{result.stderr}")
    found = json.loads(result.stdout)
    for line in found["skipped"]:
        print(f"warning: not imported (its templates are not extracted): {line}", file=sys.stderr)
    templates: list[dict[str, Any]] = found["templates"]
    return templates


def template_locations(project: Project) -> dict[str, tuple[str, int]]:
    """Where each literal `Template("code", ...)` is written in the package's sources."""
    places: dict[str, tuple[str, int]] = {}
    for path in sorted(project.sources.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if name == "Template" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                places.setdefault(first.value, (path.relative_to(project.root).as_posix(), node.lineno))
    return places


def _says_words(text: str) -> bool:
    """False for a template that is only placeholders ('{parts}'): nothing to translate."""
    return any(literal.strip() for literal, *_ in catalogue_check.format_fields(text))


def _add(catalog: Catalog, msgid: str | tuple[str, ...], context: str | None, **extra: Any) -> None:
    """Add a message; a singular and a plural (or two plurals) under one msgid is an error."""
    singular = msgid[0] if isinstance(msgid, tuple) else msgid
    known = catalog.get(singular, context=context)
    if known is not None and known.id != msgid:
        where = ", ".join(f"{f}:{n}" for f, n in [*known.locations, *extra.get("locations", [])])
        raise SystemExit(f"{singular!r} is used both as {known.id!r} and as {msgid!r} ({where})")
    texts = msgid if isinstance(msgid, tuple) else (msgid,)
    flags = {BRACE} if any(catalogue_check.placeholders(t) for t in texts) else set()
    catalog.add(msgid, None, context=context, flags=flags, **extra)


def extracted(project: Project) -> Catalog:
    """The template catalogue: every Template, then every marked string, with their places."""
    catalog = Catalog(
        domain=DOMAIN,
        project="traywatch",
        version=_version(project),
        copyright_holder="the traywatch developers",
        charset="utf-8",
    )
    places = template_locations(project)
    registered = registered_templates(project)
    for found in sorted(registered, key=lambda t: (places.get(t["code"], ("~", 0)), t["code"])):
        if not _says_words(found["text"]):
            continue
        comments = [f"code: {found['code']}"]
        if found["plural"] is not None:
            comments.append(f"plural chosen by {{{found['count']}}}")
        msgid = (found["text"], found["plural"]) if found["plural"] is not None else found["text"]
        place = places.get(found["code"])
        _add(catalog, msgid, None, locations=[place] if place else [], auto_comments=comments)
    declared = set(places) - {t["code"] for t in registered}
    for code in sorted(declared):
        print(f"warning: template {code!r} ({places[code][0]}) was not registered on import", file=sys.stderr)
    prefix = project.sources.relative_to(project.root).as_posix()
    marked = extract_from_dir(
        project.sources, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
    )
    for filename, lineno, text, notes, context in marked:
        location = (f"{prefix}/{Path(filename).as_posix()}", lineno)
        _add(catalog, text, context, locations=[location], auto_comments=notes)
    return catalog


def _version(project: Project) -> str:
    init = project.sources / "__init__.py"
    for line in init.read_text(encoding="utf-8").splitlines() if init.exists() else []:
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    return "0"


def contents(template: Catalog) -> list[tuple[Any, ...]]:
    """What a template catalogue asks for, without its dates: equal contents need no rewrite."""
    return sorted(
        (repr(m.id), m.context or "", sorted(m.locations), sorted(m.flags), m.auto_comments, m.user_comments)
        for m in template
        if m.id
    )


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # width=0: no wrapping, whatever the Babel version's default (2.19 wraps at 76 columns)
    write_po(out, catalog, width=0, sort_by_file=True, include_previous=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _write(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def extract(project: Project) -> int:
    catalog = extracted(project)
    if project.pot.exists() and contents(read(project.pot)) == contents(catalog):
        print(f"{project.pot}: up to date ({len(catalog)} messages)")
        return 0
    _write(project.pot, po_bytes(catalog))
    print(f"{project.pot}: {len(catalog)} messages")
    return 0


# -- update, compile -------------------------------------------------------------------------------
def updated(template: Catalog, po: Path, lang: str) -> Catalog:
    """The language's catalogue brought up to the template: translations kept, changed msgids
    matched fuzzily (marked fuzzy, with the previous msgid), removed ones kept as obsolete."""
    if po.exists():
        catalog = read(po, lang)
    else:
        locale = Locale.parse(lang)
        catalog = Catalog(
            locale=locale,
            domain=DOMAIN,
            project=template.project,
            version=template.version,
            copyright_holder="the traywatch developers",
            language_team=locale.english_name,
            charset="utf-8",
            fuzzy=False,
        )
    catalog.update(template)
    catalog.version = template.version
    return catalog


def update(project: Project) -> int:
    if not project.pot.exists():
        raise SystemExit(f"{project.pot} is missing: run extract first")
    template = read(project.pot)
    for lang in project.languages:
        catalog = updated(template, project.po(lang), lang)
        changed = _write(project.po(lang), po_bytes(catalog))
        todo = sum(1 for m in catalog if m.id and (not _translated(m) or m.fuzzy))
        print(f"{project.po(lang)}: {'updated' if changed else 'up to date'}, {todo} to translate or review")
    return 0


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings)


def compile_all(project: Project) -> int:
    for lang in project.languages:
        po = project.po(lang)
        if not po.exists():
            print(f"{po}: missing (run update)", file=sys.stderr)
            continue
        changed = _write(project.mo(lang), mo_bytes(read(po, lang)))
        print(f"{project.mo(lang)}: {'written' if changed else 'up to date'}")
    return 0


def check(project: Project) -> int:
    """Exit 1 when the template is stale or a language has anything left to do."""
    problems = 0
    if not project.pot.exists():
        print(f"{project.pot}: missing: run extract, then update")
        problems += 1
    elif contents(read(project.pot)) != contents(extracted(project)):
        print(f"{project.pot}: stale: run extract, then update")
        problems += 1
    template = read(project.pot) if project.pot.exists() else Catalog()
    for lang in project.languages:
        po = project.po(lang)
        if not po.exists():
            print(f"{lang}: no catalogue ({po}): run update")
            problems += 1
            continue
        catalog = read(po, lang)
        mo = project.mo(lang)
        mo_state = "missing" if not mo.exists() else "stale" if mo.read_bytes() != mo_bytes(catalog) else None
        report = catalogue_check.check(catalog, template, mo_state)
        print(report.text(lang))
        problems += report.count
    if problems:
        print(f"{problems} problems")
        return 1
    print(f"all {len(project.languages)} catalogues complete")
    return 0


COMMANDS = {"extract": extract, "update": update, "compile": compile_all, "check": check}


def main(argv: Sequence[str] | None = None) -> int:
    from traywatch.i18n.languages import DEFAULT, LANGUAGES

    parser = argparse.ArgumentParser(description="Extract, update, compile and check the catalogues.")
    parser.add_argument("command", choices=list(COMMANDS))
    parser.add_argument("--root", type=Path, default=ROOT, help="the folder holding the package")
    parser.add_argument("--package", default="traywatch")
    parser.add_argument("--locale-dir", type=Path, help="default: <package>/i18n/locale (as the app reads)")
    parser.add_argument("--languages", help="comma-separated (default: every language but English)")
    args = parser.parse_args(argv)
    languages: Iterable[str] = args.languages.split(",") if args.languages else LANGUAGES
    root = args.root.resolve()
    project = Project(
        root=root,
        package=args.package,
        locale_dir=(args.locale_dir or root.joinpath(*args.package.split("."), "i18n", "locale")).resolve(),
        languages=tuple(lang for lang in languages if lang != DEFAULT),
    )
    return COMMANDS[args.command](project)


if __name__ == "__main__":
    sys.exit(main())
