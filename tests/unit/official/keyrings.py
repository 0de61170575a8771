"""Keyring backends for tests: an in-memory one (allowlisted explicitly by the tests that use it)
and stand-ins for backends traywatch must refuse."""

from __future__ import annotations

from typing import ClassVar

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

MEMORY = f"{__name__}.MemoryKeyring"


class MemoryKeyring(KeyringBackend):
    priority: ClassVar[float] = 1  # type: ignore[misc]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.reads = 0
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        if self.locked:
            raise KeyringLocked("the collection is locked")
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.locked:
            raise KeyringLocked("the collection is locked")
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class UntouchableKeyring(MemoryKeyring):
    """Fails the test if anything asks it for a secret."""

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("the keyring was read although nothing is stored")


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's plain-text file backend (module and class name)."""


PlaintextKeyring.__module__ = "keyrings.alt.file"
