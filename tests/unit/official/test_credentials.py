"""The credential service: only secure keyrings, nothing touched until something is stored, a note
without secrets, our own errors, masking, and logs that never show the token."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from keyring.backends import fail, null

from tests.unit.official.keyrings import MEMORY, MemoryKeyring, PlaintextKeyring, UntouchableKeyring
from traywatch.core.redact import REDACTOR
from traywatch.core.signed_in.credentials import (
    GRAPH_TOKEN,
    SECURE_BACKENDS,
    WHATSAPP_PHONE_ID,
    CredentialError,
    CredentialStore,
    masked,
)

TOKEN = "EAABwzLixnjYBO7ZCZA1x2y3z4SECRETsecretSECRET0x9Q2"
ALLOWED = {**SECURE_BACKENDS, MEMORY: "Test memory keyring"}


def store_with(backend: object, note: Path) -> CredentialStore:
    return CredentialStore(note, backend=backend, secure_backends=ALLOWED)  # type: ignore[arg-type]


@pytest.fixture
def note(tmp_path: Path) -> Path:
    return tmp_path / "data" / "account.json"


def test_set_get_delete_round_trip_and_the_note_holds_names_only(note: Path) -> None:
    ring = MemoryKeyring()
    store = store_with(ring, note)
    assert store.status().available and store.status().description == "Test memory keyring"
    store.set(GRAPH_TOKEN, f"  Bearer {TOKEN}\n")  # pasted with its prefix and a newline
    store.set(WHATSAPP_PHONE_ID, "106540352242922")
    assert ring.items[("traywatch", "graph_token")] == TOKEN
    assert store.get(GRAPH_TOKEN) == TOKEN
    assert store.masked(GRAPH_TOKEN) == "EAAB…x9Q2"
    assert store.masked(WHATSAPP_PHONE_ID) == "106540352242922"  # not a secret
    text = note.read_text()
    assert TOKEN not in text and "EAAB" not in text
    assert '"graph_token"' in text and '"whatsapp_phone_id"' in text
    store.delete(GRAPH_TOKEN)
    assert store.get(GRAPH_TOKEN) is None and ("traywatch", "graph_token") not in ring.items
    store.clear()
    assert not note.exists() and ring.items == {}


def test_nothing_stored_means_the_keyring_is_never_read(note: Path) -> None:
    store = store_with(UntouchableKeyring(), note)
    assert store.get(GRAPH_TOKEN) is None
    assert store.stored() == set()
    store.clear()  # clearing nothing is fine, and reads nothing


def test_another_instance_sees_changes_through_the_note(note: Path) -> None:
    ring = MemoryKeyring()
    ui, engine = store_with(ring, note), store_with(ring, note)
    ui.set(GRAPH_TOKEN, TOKEN)
    assert engine.get(GRAPH_TOKEN) == TOKEN
    reads = ring.reads
    assert engine.get(GRAPH_TOKEN) == TOKEN
    assert ring.reads == reads  # cached while the note is unchanged
    ui.delete(GRAPH_TOKEN)
    assert engine.get(GRAPH_TOKEN) is None


@pytest.mark.parametrize(
    "backend",
    [null.Keyring(), fail.Keyring(), PlaintextKeyring()],
    ids=["null", "fail", "keyrings.alt plaintext"],
)
def test_insecure_or_missing_backends_are_refused_and_nothing_is_written(note: Path, backend: object) -> None:
    store = store_with(backend, note)
    status = store.status()
    assert not status.available and status.backend is None
    assert status.description.startswith("no secure keyring available")
    with pytest.raises(CredentialError, match="no secure keyring available") as caught:
        store.set(GRAPH_TOKEN, TOKEN)
    assert caught.value.no_keyring
    assert TOKEN not in str(caught.value)
    assert not note.parent.exists()
    if isinstance(backend, PlaintextKeyring):
        assert backend.items == {}
        assert "keyrings.alt.file.PlaintextKeyring" in status.description


def test_a_locked_keyring_is_our_own_error_with_what_to_do(note: Path) -> None:
    ring = MemoryKeyring()
    store = store_with(ring, note)
    store.set(GRAPH_TOKEN, TOKEN)
    ring.locked = True
    fresh = store_with(ring, note)
    with pytest.raises(CredentialError, match="Test memory keyring is locked: unlock it"):
        fresh.get(GRAPH_TOKEN)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        (GRAPH_TOKEN, "   ", "empty"),
        (GRAPH_TOKEN, "EAAB short", "does not look like"),
        (GRAPH_TOKEN, "EAAB" + "x" * 30 + " " + "y" * 10, "does not look like"),
        (GRAPH_TOKEN, "EAAB" + "é" * 30, "does not look like"),
        (WHATSAPP_PHONE_ID, "+1 555 0100", "5 to 25 digits"),
        (WHATSAPP_PHONE_ID, "12", "5 to 25 digits"),
    ],
)
def test_values_are_checked_and_errors_never_repeat_them(
    note: Path, name: object, value: str, words: str
) -> None:
    store = store_with(MemoryKeyring(), note)
    with pytest.raises(CredentialError, match=words) as caught:
        store.set(name, value)  # type: ignore[arg-type]
    assert value.strip() not in str(caught.value) or not value.strip()


@pytest.mark.parametrize(
    ("secret", "shown"),
    [(TOKEN, "EAAB…x9Q2"), ("abcdefghij", "ab…ij"), ("abc", "…"), ("", ""), (None, "")],
)
def test_masked_shows_enough_to_recognise_and_no_more(secret: str | None, shown: str) -> None:
    assert masked(secret) == shown


def test_logs_never_show_a_stored_token(note: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = store_with(MemoryKeyring(), note)
    store.set(GRAPH_TOKEN, "zzSECRETzzSECRETzzSECRETzz1234")  # not Meta-shaped: redacted as stored
    log = logging.getLogger("traywatch.test")
    with caplog.at_level(logging.DEBUG):
        log.warning("request failed with %s", "Authorization: Bearer zzSECRETzzSECRETzzSECRETzz1234")
        log.info("a Meta-shaped token never stored: %s", TOKEN)
        try:
            raise ValueError("bad header zzSECRETzzSECRETzzSECRETzz1234")
        except ValueError:
            log.exception("boom")
    assert "zzSECRETzzSECRETzzSECRETzz1234" not in caplog.text
    assert TOKEN not in caplog.text
    assert "zzSE…1234" in caplog.text and "EAAB…x9Q2" in caplog.text
    store.delete(GRAPH_TOKEN)


def test_the_redactor_works_as_a_handler_filter_too() -> None:
    REDACTOR.add("qqTOPSECRETqqTOPSECRETqq")
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "token=%s", ("qqTOPSECRETqqTOPSECRETqq",), None
    )
    assert REDACTOR.filter(record)
    assert record.getMessage() == "token=qqTO…ETqq"
    REDACTOR.discard("qqTOPSECRETqqTOPSECRETqq")
