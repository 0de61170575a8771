"""Run by tests/integration/test_keyring_secret_service.py in a child process, inside a private
D-Bus session with gnome-keyring ("secret-service") or with no session bus at all ("no-keyring").

It stores, reads and deletes the token through traywatch.core.signed_in.credentials and the `traywatch
account` commands, logs the token on purpose, and prints one JSON report, including every file
under TRAYWATCH_HOME and HOME that contains the token in plain text (there must be none). The
tokens come from the environment, never from the command line.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from traywatch.cli import main as cli
from traywatch.core.paths import app_paths
from traywatch.core.signed_in.credentials import (
    GRAPH_TOKEN,
    WHATSAPP_PHONE_ID,
    CredentialError,
    CredentialStore,
)
from traywatch.log import setup_logging

PHONE = "106540352242922"


def files_containing(needles: list[str], *roots: Path) -> list[str]:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                if any(n.encode() in data for n in needles):
                    found.append(str(path))
    return sorted(set(found))


def run_cli(args: list[str], stdin: str = "") -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli(args)
    finally:
        sys.stdin = saved
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def log_the_token_on_purpose(token: str) -> None:
    setup_logging(app_paths().log_file, verbose=True)
    log = logging.getLogger("traywatch.keyring_session")
    log.warning("a careless message: Authorization: Bearer %s", token)
    log.debug(f"an f-string with the token {token} in it")
    for handler in logging.getLogger().handlers:
        handler.flush()


def secret_service(token: str, second: str) -> dict[str, Any]:
    import keyring

    store = CredentialStore()
    status = store.status()
    report: dict[str, Any] = {"status": status.__dict__}
    store.set(GRAPH_TOKEN, token)
    store.set(WHATSAPP_PHONE_ID, PHONE)
    fresh = CredentialStore()
    report["read_back"] = fresh.get(GRAPH_TOKEN) == token and fresh.get(WHATSAPP_PHONE_ID) == PHONE
    report["in_keyring"] = keyring.get_password("traywatch", "graph_token") == token
    report["keyring_backend"] = f"{type(keyring.get_keyring()).__module__}"
    report["cli_status"] = run_cli(["account", "status", "--json"])
    report["cli_set"] = run_cli(["account", "set-token", "--no-test"], stdin=second + "\n")
    report["second_read_back"] = CredentialStore().get(GRAPH_TOKEN) == second
    log_the_token_on_purpose(second)
    report["leaks_while_stored"] = files_containing([token, second], _home(), _traywatch_home())
    report["traywatch_files"] = sorted(
        str(p.relative_to(_traywatch_home())) for p in _traywatch_home().rglob("*")
    )
    report["cli_clear"] = run_cli(["account", "clear"])
    after = CredentialStore()
    report["after_clear"] = {
        "token": after.get(GRAPH_TOKEN),
        "phone": after.get(WHATSAPP_PHONE_ID),
        "in_keyring": keyring.get_password("traywatch", "graph_token"),
        "note_exists": after.note_file.exists(),
    }
    return report


def no_keyring(token: str) -> dict[str, Any]:
    store = CredentialStore()
    status = store.status()
    report: dict[str, Any] = {"status": status.__dict__}
    try:
        store.set(GRAPH_TOKEN, token)
        report["set_error"] = None
    except CredentialError as exc:
        report["set_error"] = {"message": str(exc), "no_keyring": exc.no_keyring}
    report["cli_set"] = run_cli(["account", "set-token", "--no-test"], stdin=token + "\n")
    report["cli_status"] = run_cli(["account", "status"])
    log_the_token_on_purpose(token)
    report["note_exists"] = store.note_file.exists()
    return report


def _home() -> Path:
    return Path(os.environ["HOME"])


def _traywatch_home() -> Path:
    return Path(os.environ["TRAYWATCH_HOME"])


def main() -> int:
    token, second = os.environ["TW_TEST_TOKEN"], os.environ["TW_TEST_TOKEN_2"]
    report = secret_service(token, second) if sys.argv[1] == "secret-service" else no_keyring(token)
    report["leaks"] = files_containing([token, second], _home(), _traywatch_home())
    sys.stdout.write("REPORT " + json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
