"""argparse's own words ("usage:", "options:", "error:", "invalid choice: ...") in the owner's language.

argparse says them with its module globals `_` and `ngettext`, looked up each time it speaks (its
`_` is the stdlib gettext's, on the "argparse" domain nobody ships). For a command-line run only,
`speaking_ours()` points both at traywatch's catalogue, so the help and the usage errors are in the
language chosen with `--lang` (or the config's, or the system's). Python 3.11's exact msgids are
listed below with `N_()` so that extraction puts them in the catalogue; argparse fills in their
`%s`/`%(name)s` placeholders itself, so the translations keep them exactly.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from traywatch.i18n import N_, _, ngettext

# What argparse (Python 3.11) shows in help and usage errors, word for word. The programming
# errors it raises while a parser is built (conflicting option strings and the like) are left out:
# the owner never meets them.
WORDS = (
    # TRANSLATORS: argparse's help, before the usage line; keep the end space.
    N_("usage: "),
    # TRANSLATORS: argparse's help, the heading above the arguments given without a dash.
    N_("positional arguments"),
    # TRANSLATORS: argparse's help, the heading above the options (--lang, --config ...).
    N_("options"),
    N_("show this help message and exit"),
    # TRANSLATORS: a usage error, "traywatch: error: ..."; keep the line end.
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    # TRANSLATORS: %(type)s names a value's type as programs do (int, float).
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def expected_arguments(count: int) -> str:
    """argparse's one plural ("expected 2 arguments"), said here so that extraction finds it."""
    return ngettext("expected %s argument", "expected %s arguments", count)


@contextmanager
def speaking_ours() -> Iterator[None]:
    """argparse speaks from traywatch's catalogue (in the language in use at each call) until the
    block ends; then its own gettext again, so a program that imports traywatch is not changed."""
    before = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before  # type: ignore[attr-defined]
