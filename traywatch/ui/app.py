"""`traywatch` without a command: start the tray app (or wake the one already running).

Process-level set-up only: the QApplication, single instance, config, the checking thread with the
history recorder as a listener, Ctrl-C/SIGTERM handling; `AppController` does the wiring.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSocketNotifier, QThreadPool
from PySide6.QtWidgets import QApplication

from traywatch import __version__
from traywatch.core.errors import ConfigError
from traywatch.core.models import OsHint
from traywatch.core.paths import AppPaths, app_paths
from traywatch.core.settings.config import Config
from traywatch.core.watch.assembly import Machine, assemble, config_file, load_settings
from traywatch.i18n import N_, Message, Template, _
from traywatch.platform.process import wait_for_exit
from traywatch.terminal import say
from traywatch.ui import qt_messages
from traywatch.ui.controller import AppController
from traywatch.ui.icons import app_icon
from traywatch.ui.language import apply_language
from traywatch.ui.memory import MemoryTidy, drop_source_lines
from traywatch.ui.qt_refcount import guard
from traywatch.ui.reachability import ReachabilityHint
from traywatch.ui.single_instance import SingleInstance
from traywatch.ui.worker import CheckService

log = logging.getLogger(__name__)

# Start-up problems are messages (not text said once): the tray says them again in the language
# chosen later (Settings › General › Language).
CONFIG_PROBLEM = Template("app.config_problem", "{where}: {problem}")
DEFAULTS_USED = Template(
    "app.defaults_used", "{problem}. traywatch runs with its default settings until this is fixed."
)
CHECKS_WITHOUT = Template(
    "app.checks_without", "{problem}. traywatch checks without {name} until it is fixed."
)
# `--quit` waits this long for the running app to stop its checks and close its history.
QUIT_WAIT_MS = 20_000
EXIT_WAIT_S = 10.0  # then for its process to end (Python winding down)
# What a second start says when it has brought the running one's window forward.
ALREADY_RUNNING = {
    "history": N_("traywatch is already running: brought its history window forward."),
    "settings": N_("traywatch is already running: brought its settings window forward."),
}


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("traywatch")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("traywatch")
    app.setQuitOnLastWindowClosed(False)  # quit only from the menu
    app.setWindowIcon(app_icon())
    guard()  # before the first thousand Qt calls (see qt_refcount)
    qt_messages.install()  # Qt's warnings into the log file, not an unread stderr
    return app


def _load_or_defaults(args: argparse.Namespace) -> tuple[AppPaths, Config, list[str]]:
    """The config, or (a mistake in it) the defaults plus what is wrong: a tray app started from
    the desktop has nobody reading its stderr, so it keeps running and says so in the tray."""
    try:
        paths, config = load_settings(getattr(args, "config", None), getattr(args, "interval", None))
        return paths, config, []
    except ConfigError as exc:
        log.error("settings not read: %s", exc)
        config = Config()
        interval = getattr(args, "interval", None)
        if interval is not None:
            config = config.with_interval(interval)
        return app_paths(), config, [DEFAULTS_USED(problem=_config_problem(exc))]


def _config_problem(exc: ConfigError) -> Message:
    """The mistake as a message, so the tray says it again after a language switch."""
    return CONFIG_PROBLEM(where=exc.where, problem=exc.problem)


def _without_environment_variable(exc: ConfigError) -> Message:
    """Drop the broken variable a ConfigError names ("environment variable NAME") for this
    process; re-raise when it names something else."""
    name = exc.where.removeprefix("environment variable ").strip()
    if not exc.where.startswith("environment variable ") or name not in os.environ:
        raise exc
    del os.environ[name]
    log.error("%s; checking without it", exc)
    return CHECKS_WITHOUT(problem=_config_problem(exc), name=name)


def checking_service(
    config: Config, history_db: Path, os_hint: Callable[[], OsHint]
) -> tuple[CheckService, Machine]:
    """The checking thread running the assembled machine; the history recorder opens its file
    (lock, crash recovery, pruning) in that thread, before the first round."""
    machine = assemble(config, history_db, os_hint=os_hint)
    return CheckService(machine.watcher, on_start=[machine.start]), machine


def _quit_on_signals(app: QApplication) -> QSocketNotifier:
    """SIGINT/SIGTERM end the event loop cleanly (Python handlers need the loop to wake up)."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: None)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def woken() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)
        log.info("signal received: quitting")
        app.exit(0)

    notifier.activated.connect(woken)
    _SIGNAL_SOCKETS.extend([reader, writer])  # must outlive the event loop
    return notifier


_SIGNAL_SOCKETS: list[socket.socket] = []


def quit_running(args: argparse.Namespace) -> int:
    """`traywatch --quit`: ask the tray app of this user and profile to quit, and wait until it has
    stopped its checks, closed its history and its process has ended (so an installer may replace
    its files). No display or QApplication needed."""
    _paths, config, _problems = _load_or_defaults(args)
    apply_language(getattr(args, "lang", None) or config.language)
    instance = SingleInstance()
    if instance.wait_until_free(0):
        say(_("traywatch is not running."))
        return 0
    pid = instance.holder_pid()
    asked = instance.send("quit")
    if not asked or not instance.wait_until_free(QUIT_WAIT_MS) or not wait_for_exit(pid, EXIT_WAIT_S):
        say(_("traywatch is running but did not quit."))
        return 1
    log.info("asked the running traywatch to quit: it has")
    say(_("traywatch has quit."))
    return 0


def main(args: argparse.Namespace) -> int:
    if getattr(args, "quit", False):
        return quit_running(args)
    drop_source_lines()  # the start-up imports are done (see memory.py)
    app = _application()
    paths, config, problems = _load_or_defaults(args)
    # before any window or message is made; `--lang` wins over the config file's choice
    apply_language(getattr(args, "lang", None) or config.language)
    instance = SingleInstance()
    if not instance.acquire():
        what = getattr(args, "show", None) or "history"
        if instance.send(what):
            log.info("traywatch already runs: asked it to show %s", what)
            say(_(ALREADY_RUNNING.get(what, ALREADY_RUNNING["history"])))
            return 0
        say(_("traywatch seems to be running already but does not answer."))
        return 1
    paths.ensure()
    log.info(
        "traywatch %s starting: checks every %g s, config %s",
        __version__,
        config.check.interval_s,
        config_file(getattr(args, "config", None), paths),
    )
    hint = ReachabilityHint()
    try:
        service, machine = checking_service(config, paths.history_db, hint.current)
    except ConfigError as exc:  # a broken proxy or CA variable: check without it, and say so
        problems.append(_without_environment_variable(exc))
        service, machine = checking_service(config, paths.history_db, hint.current)
    controller = AppController(
        config,
        config_file(getattr(args, "config", None), paths),
        paths.history_db,
        service,
        hint,
        recorder=machine.recorder,
        interval_override=getattr(args, "interval", None),
        forwarder=machine.forwarder,
    )
    instance.message.connect(controller.answer_instance)
    tidy = MemoryTidy(app)
    service.updated.connect(tidy.soon)  # a round (and its notification) done: hand memory back
    controller.report_problems(problems)
    signals = _quit_on_signals(app)
    controller.start(getattr(args, "show", None))
    try:
        code = app.exec()
    finally:
        controller.shutdown()
        # Background reads (keyring status, history) finish before Python winds down.
        QThreadPool.globalInstance().waitForDone(5000)
        instance.release()
        signals.setEnabled(False)
    log.info("traywatch stopped")
    return int(code)
