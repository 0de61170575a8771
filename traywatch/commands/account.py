"""`traywatch account`: the optional Graph API token for headless PCs (the settings page does the
same on a desktop). The token is read from standard input or typed without echo — never from the
command line, where shell history and process lists would keep it — and goes only to the keyring."""

from __future__ import annotations

import argparse
import getpass
import sys

from traywatch.commands.check import account_word
from traywatch.commands.common import load
from traywatch.core.errors import TraywatchError
from traywatch.core.paths import app_paths
from traywatch.core.signed_in.checker import AccountChecker
from traywatch.core.signed_in.credentials import (
    GRAPH_TOKEN,
    NOTE_FILE,
    WHATSAPP_PHONE_ID,
    CredentialError,
    CredentialStore,
)
from traywatch.core.signed_in.status import AccountState, AccountStatus
from traywatch.i18n import N_, _, render
from traywatch.terminal import error_text, json_text


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "account",
        help=_("store or clear the optional Graph API token (signed-in checks)"),
        description=_(
            "With a Graph API access token traywatch also makes a cheap signed-in call each "
            "round, which sees outages where pages load but logins fail (March 2024). The token is kept "
            "only in this computer's keyring."
        ),
    )
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=_("use this config file"))
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help=_("what is stored (masked) and in which keyring; no network"))
    status.add_argument("--json", action="store_true", help=_("print one JSON object"))
    status.set_defaults(run=run_status)
    token = actions.add_parser(
        "set-token", help=_("store a token read from standard input (or typed, hidden)")
    )
    token.add_argument(
        "--whatsapp-phone-id", metavar="ID", help=_("also store this WhatsApp phone-number id")
    )
    token.add_argument("--no-test", action="store_true", help=_("do not try the token with Meta now"))
    # A token typed on the command line is caught here and refused, so that argparse does not
    # print it back as an "unrecognized argument" (hidden: this is not a way to give it).
    token.add_argument("typed", nargs="*", help=argparse.SUPPRESS)
    token.add_argument(
        "--token", "--access-token", dest="typed_option", action="append", help=argparse.SUPPRESS
    )
    token.set_defaults(run=run_set_token)
    phone = actions.add_parser("set-phone-id", help=_("store the WhatsApp Business phone-number id"))
    phone.add_argument("phone_id", metavar="ID")
    phone.set_defaults(run=run_set_phone_id)
    clear = actions.add_parser("clear", help=_("remove the token and the phone-number id from the keyring"))
    clear.set_defaults(run=run_clear)
    test = actions.add_parser("test", help=_("make the signed-in calls now and say what Meta answers"))
    test.add_argument("--json", action="store_true", help=_("print the account JSON object"))
    test.set_defaults(run=run_test)


def _store() -> CredentialStore:
    return CredentialStore(app_paths().data_dir / NOTE_FILE)


NOT_STORED = N_("not stored")


def run_status(args: argparse.Namespace) -> int:
    store = _store()
    keyring = store.status()
    stored = store.stored()
    info: dict[str, object] = {
        "keyring": {
            "available": keyring.available,
            "backend": keyring.backend,
            "detail": keyring.description,
        },
        "token": None,
        "whatsapp_phone_id": None,
    }
    problem = None
    try:
        info["token"] = store.masked(GRAPH_TOKEN) if GRAPH_TOKEN in stored else None
        info["whatsapp_phone_id"] = store.get(WHATSAPP_PHONE_ID) if WHATSAPP_PHONE_ID in stored else None
    except CredentialError as exc:
        problem = error_text(exc)
    if args.json:
        print(json_text({**info, "problem": problem}))
        return 0
    if keyring.available:
        print(_("Keyring: {keyring}").format(keyring=render(keyring.description)))
    else:
        print(
            _("Keyring: none — {reason}. Signed-in checks stay off.").format(
                reason=render(keyring.description)
            )
        )
    if problem:
        print(_("Stored token: cannot be read ({reason})").format(reason=problem))
    else:
        print(_("Graph API token: {token}").format(token=info["token"] or _(NOT_STORED)))
        print(_("WhatsApp phone-number id: {id}").format(id=info["whatsapp_phone_id"] or _(NOT_STORED)))
    return 0


def _read_token() -> str:
    if sys.stdin is None:  # started with `<&-`: nowhere to read from, nor to type into
        raise TraywatchError(
            _(
                "standard input is closed, so there is no token to read. Nothing was stored. Pipe it "
                "in (`traywatch account set-token < token.txt`) or run this in a terminal"
            )
        )
    if sys.stdin.isatty():
        return getpass.getpass(_("Graph API access token (not shown while you type): "))
    return sys.stdin.readline()


TYPED_TOKEN = N_(
    "a token is never taken from the command line, where your shell's history and the list of "
    "running programs keep it. Nothing was stored. Run `traywatch account set-token` and paste "
    "it when asked (it is not shown), or pipe it in: `traywatch account set-token < token.txt`. "
    "If it was a real token, delete that line from your shell's history."
)


def run_set_token(args: argparse.Namespace) -> int:
    if args.typed or args.typed_option:  # before anything else: not even the config is read
        raise TraywatchError(_(TYPED_TOKEN))
    config = load(args)[1]
    store = _store()
    keyring = store.status()
    if not keyring.available:  # say so before asking for the token
        raise CredentialError(
            _("{reason}. Nothing was stored.").format(reason=render(keyring.description)), no_keyring=True
        )
    token = _read_token()
    store.set(GRAPH_TOKEN, token)
    if args.whatsapp_phone_id:
        store.set(WHATSAPP_PHONE_ID, args.whatsapp_phone_id)
    print(
        _("Token stored in {keyring}: {token}").format(
            keyring=render(keyring.description), token=store.masked(GRAPH_TOKEN)
        )
    )
    if args.no_test or not config.account.enabled:
        return 0
    print(_("Trying it with Meta…"))
    return _print_test(args, store, as_json=False)


def run_set_phone_id(args: argparse.Namespace) -> int:
    store = _store()
    store.set(WHATSAPP_PHONE_ID, args.phone_id)
    print(_("WhatsApp phone-number id stored: {id}").format(id=store.get(WHATSAPP_PHONE_ID)))
    return 0


def run_clear(args: argparse.Namespace) -> int:
    store = _store()
    had = store.stored()
    store.clear()
    print(
        _("Removed the token and the phone-number id from the keyring.") if had else _("Nothing was stored.")
    )
    return 0


def _print_test(args: argparse.Namespace, store: CredentialStore, as_json: bool) -> int:
    config = load(args)[1]
    checker = AccountChecker.from_config(config, credentials=store)
    if checker is None:
        raise TraywatchError(_("signed-in checks are turned off in the config ([account] enabled = false)"))
    try:
        status: AccountStatus = checker.check(config.check.timeout_s)
    finally:
        checker.close()
    if as_json:
        print(json_text(status.to_json()))
    else:
        print(
            _("Meta says: {state} — {detail}").format(
                state=account_word(status.state), detail=render(status.detail)
            )
        )
        if status.action:
            print(_("What to do: {action}").format(action=render(status.action)))
    return 0 if status.state is AccountState.OK else 1


def run_test(args: argparse.Namespace) -> int:
    store = _store()
    if GRAPH_TOKEN not in store.stored():
        raise TraywatchError(_("no token stored: run `traywatch account set-token` first"))
    return _print_test(args, store, args.json)
