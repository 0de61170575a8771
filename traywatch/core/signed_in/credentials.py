"""The one place secrets live: the owner's Graph API token (and WhatsApp phone-number id) in the
operating system's keyring, never anywhere else.

One small service, after maestral's keyring.py: the keyring is touched lazily (only once the owner
has stored something, so nobody else ever gets an "unlock your keyring" prompt), under a lock,
only through an allowlist of secure backends (Secret Service, KWallet, macOS Keychain, Windows
Credential Locker; never keyrings.alt's plain-text files, `fail` or `null`), and every keyring
error becomes our own CredentialError with a sentence the owner can act on.

The WhatsApp phone-number id is not a secret, but it is kept in the keyring beside the token: it is
only meaningful with the token, is stored and cleared with it in one step, and so never lands in
config files or exports that owners paste into support chats.

A small note file (`account.json` in the data folder) records *which names* are stored and in
which backend; it never holds a secret. A logging redaction hook masks stored secrets (and
anything shaped like a Meta access token) in every log record, as a second line of defence
(see redact.py).
"""

from __future__ import annotations

import enum
import json
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from traywatch.core.errors import TraywatchError
from traywatch.core.paths import app_paths
from traywatch.core.private_files import open_private, private_folder
from traywatch.core.redact import REDACTOR, install_log_redaction, masked
from traywatch.core.signed_in import credential_texts as T
from traywatch.i18n import Message

__all__ = [
    "GRAPH_TOKEN",
    "WHATSAPP_PHONE_ID",
    "Credential",
    "CredentialError",
    "CredentialStore",
    "KeyringStatus",
    "masked",
]

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "traywatch"
NOTE_FILE = "account.json"


class Credential(enum.StrEnum):
    GRAPH_TOKEN = "graph_token"
    WHATSAPP_PHONE_ID = "whatsapp_phone_id"


GRAPH_TOKEN = Credential.GRAPH_TOKEN
WHATSAPP_PHONE_ID = Credential.WHATSAPP_PHONE_ID
_SECRET = {Credential.GRAPH_TOKEN}

# "module.Class" of the keyring backends we trust, with the name the owner sees.
SECURE_BACKENDS: dict[str, str] = {
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME Keyring / KWallet)",
    "keyring.backends.libsecret.Keyring": "Secret Service (libsecret)",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet 4",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Locker",
}


class CredentialError(TraywatchError):
    """The keyring cannot do what was asked; `no_keyring` when there is no secure one at all.
    `message` says it (a `Message`, rendered in the owner's language where it is shown)."""

    def __init__(self, message: str, *, no_keyring: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.no_keyring = no_keyring


@dataclass(frozen=True)
class KeyringStatus:
    """What the settings page shows: can secrets be stored here, and where."""

    available: bool
    backend: str | None  # "module.Class" of the backend that would be used
    description: str  # "Secret Service (GNOME Keyring / KWallet)", or the reason there is none


# -- validation ----------------------------------------------------------------------------------
def clean_value(name: Credential, value: str) -> str:
    """The value as it will be stored, or CredentialError (which never repeats the value)."""
    text = value.strip()
    if name is Credential.GRAPH_TOKEN:
        text = re.sub(r"^(Bearer|OAuth)\s+", "", text, flags=re.IGNORECASE)
        if not text:
            raise CredentialError(T.TOKEN_EMPTY())
        if not re.fullmatch(r"[A-Za-z0-9_\-.|%=+/:]{20,4096}", text):
            raise CredentialError(T.NOT_A_TOKEN())
        return text
    if not re.fullmatch(r"\d{5,25}", text):
        raise CredentialError(T.BAD_PHONE_ID())
    return text


def _name(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _native() -> tuple[str, ...]:
    """The keyring modules that can work on this platform (the others only say "requires X")."""
    if sys.platform == "darwin":
        return ("macOS",)
    if sys.platform == "win32":
        return ("Windows",)
    return ("SecretService", "libsecret", "kwallet")


def _why_not(candidates: list[Any]) -> Message:
    """Why no secure backend is usable: the refused ones, or the native ones' complaints."""
    insecure = ("keyring.backends.fail", "keyring.backends.null")
    refused = [_name(b) for b in candidates if not _name(b).startswith(insecure)]
    if refused:
        return T.ONLY_INSECURE(backends=", ".join(refused))
    try:
        import keyring.backend
    except ImportError:
        return T.NO_PACKAGE()
    reasons = []
    classes = sorted(getattr(keyring.backend.KeyringBackend, "_classes", ()), key=lambda c: c.__module__)
    for cls in classes:
        if cls.__module__.rpartition(".")[2] not in _native():
            continue
        try:
            _ = cls.priority
        except Exception as exc:  # priority raises to say why a backend cannot be used
            reasons.append(str(exc))
    if reasons:
        return T.NO_KEYRING(reason="; ".join(dict.fromkeys(reasons)))
    return T.NO_SERVICE()


class CredentialStore:
    """get/set/delete of the owner's credentials in the OS keyring. Thread-safe; cheap to create
    (nothing is touched until used), and separate instances stay coherent through the note file."""

    _lock = threading.RLock()  # the keyring is process-wide: one lock for every store

    def __init__(
        self,
        note_file: Path | None = None,
        *,
        backend: KeyringBackend | None = None,
        secure_backends: dict[str, str] | None = None,
    ) -> None:
        """`note_file`: where the (secret-free) note goes, default `<data>/account.json`.
        `backend`: use this keyring instead of the system's (tests); still checked against
        `secure_backends`."""
        self.note_file = note_file or app_paths().data_dir / NOTE_FILE
        self._given = backend
        self._secure = SECURE_BACKENDS if secure_backends is None else secure_backends
        self._backend: KeyringBackend | None = None
        self._cache: dict[Credential, str | None] = {}
        self._cache_stamp: tuple[int, int] | None = None
        install_log_redaction()

    # -- the backend ---------------------------------------------------------------------------
    def _choose(self) -> KeyringBackend:
        if self._backend is not None:
            return self._backend
        try:
            if self._given is not None:
                candidates: list[Any] = [self._given]
            else:
                import keyring
                from keyring.backends import chainer

                chosen = keyring.get_keyring()
                candidates = list(chosen.backends) if isinstance(chosen, chainer.ChainerBackend) else [chosen]
        except Exception as exc:  # a broken keyring set-up: say so, store nothing
            raise CredentialError(T.NO_KEYRING(reason=str(exc)), no_keyring=True) from exc
        secure = [b for b in candidates if _name(b) in self._secure]
        if not secure:
            raise CredentialError(_why_not(candidates), no_keyring=True)
        self._backend = max(secure, key=lambda b: float(getattr(b, "priority", 0)))
        return self._backend

    def status(self) -> KeyringStatus:
        """Whether secrets can be stored here (the settings page says so plainly when not)."""
        with self._lock:
            try:
                backend = self._choose()
            except CredentialError as exc:
                return KeyringStatus(False, None, exc.message)
            name = _name(backend)
            return KeyringStatus(True, name, self._secure.get(name, name))

    def backend(self) -> KeyringBackend:
        """The secure keyring in use, for secrets kept under other names (forwarding URLs, see
        core/forward/secrets.py); CredentialError when there is none."""
        with self._lock:
            return self._choose()

    def error(self, action: str, exc: Exception) -> CredentialError:
        """A keyring failure in the owner's words (never with a secret in it)."""
        return self._error(action, exc)

    # -- the note (which names are stored; never a secret) ---------------------------------------
    def _read_note(self) -> dict[str, Any]:
        try:
            data = json.loads(self.note_file.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning(
                "the note %s is unreadable (%s); treating credentials as not stored", self.note_file, exc
            )
            return {}
        return data if isinstance(data, dict) else {}

    def _write_note(self, stored: set[Credential]) -> None:
        if not stored:
            self.note_file.unlink(missing_ok=True)
            return
        note = {
            "stored": sorted(c.value for c in stored),
            "keyring": _name(self._backend) if self._backend is not None else None,
            "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "names only: the values are in the operating system's keyring",
        }
        private_folder(self.note_file.parent)
        temp = self.note_file.with_name(self.note_file.name + ".tmp")
        temp.unlink(missing_ok=True)  # a left-over copy keeps its old mode: start afresh
        with os.fdopen(open_private(temp, os.O_WRONLY | os.O_TRUNC), "w", encoding="utf-8") as fh:
            fh.write(json.dumps(note, indent=2) + "\n")
        os.replace(temp, self.note_file)

    def stored(self) -> set[Credential]:
        """Which credentials are stored, from the note alone (no keyring access)."""
        with self._lock:
            names = self._read_note().get("stored", [])
            return {c for c in Credential if isinstance(names, list) and c.value in names}

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.note_file.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    # -- get / set / delete --------------------------------------------------------------------
    def get(self, name: Credential) -> str | None:
        """The stored value, or None. The keyring is read only if the note says it holds the
        name, and again only when the note changes (another traywatch process set or cleared it)."""
        with self._lock:
            stamp = self._stamp()
            if stamp != self._cache_stamp:
                self._cache.clear()
                self._cache_stamp = stamp
            if name in self._cache:
                return self._cache[name]
            if name not in self.stored():
                return None
            backend = self._choose()
            try:
                value = backend.get_password(SERVICE, name.value)
            except Exception as exc:
                raise self._error("read", exc) from None
            if value is None:
                log.info("the keyring no longer holds %s", name.value)
            elif name in _SECRET:
                REDACTOR.add(value)
            self._cache[name] = value
            return value

    def set(self, name: Credential, value: str) -> None:
        """Validate and store. Nothing is written anywhere if the keyring cannot take it."""
        text = clean_value(name, value)
        with self._lock:
            backend = self._choose()
            if name in _SECRET:
                REDACTOR.add(text)
            try:
                backend.set_password(SERVICE, name.value, text)
            except Exception as exc:
                raise self._error("store", exc) from None
            try:
                self._write_note(self.stored() | {name})
            except OSError as exc:
                self._forget(backend, name)
                raise CredentialError(T.NOTE_UNWRITABLE(path=str(self.note_file), error=str(exc))) from exc
            self._cache.clear()
            self._cache_stamp = self._stamp()
            self._cache[name] = text
            log.info("%s stored in %s", name.value, self._secure.get(_name(backend), _name(backend)))

    def delete(self, name: Credential) -> None:
        """Remove from the keyring and the note (nothing stored is fine)."""
        with self._lock:
            stored = self.stored()
            try:
                backend = self._choose()
            except CredentialError:
                if name in stored:
                    raise
                return  # no keyring and nothing noted: nothing can be stored anywhere
            old = self._cache.get(name)
            self._forget(backend, name)
            self._write_note(stored - {name})
            self._cache.clear()
            self._cache_stamp = self._stamp()
            if old:
                REDACTOR.discard(old)

    def clear(self) -> None:
        """Remove the token and the phone-number id."""
        for name in Credential:
            self.delete(name)

    def masked(self, name: Credential) -> str | None:
        value = self.get(name)
        if value is None:
            return None
        return masked(value) if name in _SECRET else value

    def _forget(self, backend: KeyringBackend, name: Credential) -> None:
        from keyring.errors import PasswordDeleteError

        try:
            backend.delete_password(SERVICE, name.value)
        except PasswordDeleteError:
            pass  # it was not there
        except Exception as exc:
            raise self._error("delete", exc) from None

    def _error(self, action: str, exc: Exception) -> CredentialError:
        from keyring.errors import KeyringLocked

        where = self._secure.get(_name(self._backend)) if self._backend else None
        if isinstance(exc, KeyringLocked):
            return CredentialError(T.locked(where))
        # The exception text never carries the secret (keyring backends do not echo values).
        return CredentialError(T.failed(action, where, f"{type(exc).__name__}: {exc}"))
