"""`traywatch forward`: the targets alerts are forwarded to (Apprise URLs), a test message to
each, and the outbox of alerts still waiting. A URL with a password or token is read from standard
input (or typed, hidden) when not given, and its secret goes only to the keyring."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime

from traywatch.commands.common import config_path, load
from traywatch.core.errors import TraywatchError
from traywatch.core.forward.forwarder import Forwarder, send_test
from traywatch.core.forward.outbox import Outbox
from traywatch.core.forward.secrets import ForwardSecrets, split_secret
from traywatch.core.forward.settings import entry_of
from traywatch.core.forward.targets import TargetRefused
from traywatch.core.settings import config_file
from traywatch.i18n import _, current_language, formats, ngettext, render
from traywatch.terminal import error_text


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "forward",
        help=_("forward alerts to your phone or team (ntfy, email, Telegram…), never through Meta"),
        description=_(
            "Targets are Apprise URLs (https://github.com/caronc/apprise/wiki). A Meta service "
            "(WhatsApp, Messenger, Instagram, Facebook) is refused: it would fail in the outage it reports."
        ),
    )
    p.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help=_("use this config file"))
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help=_("the targets and the alerts waiting in the outbox"))
    status.set_defaults(run=run_status)
    test = actions.add_parser("test", help=_("send a test message to every target and say how each went"))
    test.set_defaults(run=run_test)
    add = actions.add_parser("add", help=_("add a target (secrets in it go to the keyring)"))
    add.add_argument("url", nargs="?", help=_("the Apprise URL; omit it to type it hidden or pipe it in"))
    add.set_defaults(run=run_add)
    remove = actions.add_parser("remove", help=_("remove a target by its number in `forward status`"))
    remove.add_argument("number", type=int, help=_("the target's number in `traywatch forward status`"))
    remove.set_defaults(run=run_remove)


def _forwarder(args: argparse.Namespace) -> Forwarder:
    paths, config = load(args)
    return Forwarder(config.forward, config.notifications, Outbox(paths.history_db))


def run_status(args: argparse.Namespace) -> int:
    forwarder = _forwarder(args)
    settings = forwarder.settings
    if settings.active:
        print(_("Forwarding: on"))
    elif settings.targets:
        print(_("Forwarding: off ([forward] enabled = false)"))
    else:
        print(_("Forwarding: off"))
    if not settings.targets:
        print(_("No targets. Add one with: traywatch forward add"))
    for n, target in enumerate(settings.targets, 1):
        if target.secret_ref:
            print(_("  {number}. {target} (secret in the keyring)").format(number=n, target=target.shown))
        else:
            print(f"  {n}. {target.shown}")
    if settings.quiet_hours:
        print(
            _("Quiet hours: {hours} (held, then sent as one summary)").format(hours=settings.quiet_hours.text)
        )
    try:
        items = forwarder.outbox.items()
    finally:
        forwarder.outbox.close()
    if not items:
        print(_("Outbox: empty (everything was delivered)"))
        return 0
    names = {t.key: t.shown for t in settings.targets}
    now = datetime.now(UTC)
    print(
        ngettext(
            "Outbox: {count} alert waiting, oldest first",
            "Outbox: {count} alerts waiting, oldest first",
            len(items),
        ).format(count=len(items))
    )
    lang = current_language()
    for item in items:
        tries = ngettext("{count} attempt", "{count} attempts", item.attempts).format(count=item.attempts)
        if item.last_error:
            tries = _("{attempts}, last: {error}").format(attempts=tries, error=render(item.last_error))
        if item.held:
            tries = _("{attempts}; held by quiet hours").format(attempts=tries)
        print(
            _("  {time} ({age} ago) {title} — {attempts}").format(
                time=formats.clock(item.alert.at, lang, now),
                age=formats.duration((now - item.alert.at).total_seconds(), lang),
                title=render(item.alert.title),
                attempts=tries,
            )
        )
        for key in item.targets:
            print(_("      to {target}").format(target=names.get(key, key)))
    return 0


def run_test(args: argparse.Namespace) -> int:
    config = load(args)[1]
    if not config.forward.targets:
        print(_("No targets to test. Add one with: traywatch forward add"), file=sys.stderr)
        return 2
    failed = 0
    for result in send_test(config.forward.targets):
        if result.error is None:
            print(_("ok      {target}").format(target=result.target.shown))
        else:
            failed += 1
            print(
                _("FAILED  {target}: {error}").format(target=result.target.shown, error=render(result.error))
            )
    return 1 if failed else 0


def _read_url(given: str | None) -> str:
    if given:
        return given
    if sys.stdin.isatty():
        return getpass.getpass(_("Apprise URL (not shown): "))
    return sys.stdin.readline()


def run_add(args: argparse.Namespace) -> int:
    paths, config = load(args)
    try:
        target, full = split_secret(_read_url(args.url))
    except TargetRefused as exc:
        print(_("traywatch: not added: {reason}").format(reason=render(exc.message)), file=sys.stderr)
        return 2
    if any(t.key == target.key for t in config.forward.targets):
        print(_("Already a target: {target}").format(target=target.shown))
        return 0
    if full is not None and target.secret_ref is not None:
        ForwardSecrets().put(target.secret_ref, full)
    entries = [*_entries(config.raw), entry_of(target)]
    config_file.save(config_path(args, paths), {("forward", "urls"): entries})
    if full:
        print(
            _("Added: {target} (its secret is in the keyring; the settings file keeps it masked)").format(
                target=target.shown
            )
        )
    else:
        print(_("Added: {target}").format(target=target.shown))
    print(_("Try it with: traywatch forward test"))
    return 0


def run_remove(args: argparse.Namespace) -> int:
    paths, config = load(args)
    targets = config.forward.targets
    if not 1 <= args.number <= len(targets):
        print(
            _("traywatch: no target number {number} (see `traywatch forward status`)").format(
                number=args.number
            ),
            file=sys.stderr,
        )
        return 2
    target = targets[args.number - 1]
    entries = _entries(config.raw)
    del entries[args.number - 1]
    config_file.save(config_path(args, paths), {("forward", "urls"): entries})
    if target.secret_ref:
        try:
            ForwardSecrets().delete(target.secret_ref)
        except TraywatchError as exc:
            print(
                _("traywatch: removed, but the keyring entry stays: {reason}").format(reason=error_text(exc)),
                file=sys.stderr,
            )
    Outbox(paths.history_db).drop_targets_except([t.key for t in targets if t is not target])
    print(_("Removed: {target}").format(target=target.shown))
    return 0


def _entries(raw: dict[str, object]) -> list[object]:
    section = raw.get("forward", {})
    urls = section.get("urls", []) if isinstance(section, dict) else []
    return list(urls) if isinstance(urls, list) else []
