"""What the keyring side says to the owner (a CredentialError's words), each a whole sentence.

The keyring's own words (a backend's complaint, an exception's text) and names (the backend, a
file) are parameters, said as they are."""

from __future__ import annotations

from traywatch.i18n import Message, Template

TOKEN_EMPTY = Template("credentials.token_empty", "the access token is empty")
NOT_A_TOKEN = Template(
    "credentials.not_a_token",
    "that does not look like a Graph API access token (expected one long line of "
    "letters and digits, usually starting with EAA)",
)
BAD_PHONE_ID = Template(
    "credentials.bad_phone_id", "a WhatsApp phone-number id is a number of 5 to 25 digits"
)
# -- no secure keyring ----------------------------------------------------------------------------
NO_KEYRING = Template("credentials.no_keyring", "no secure keyring available: {reason}")
ONLY_INSECURE = Template(
    "credentials.only_insecure",
    "no secure keyring available: only {backends}, which would keep the token unprotected",
)
NO_PACKAGE = Template("credentials.no_package", "no secure keyring available: the keyring package is missing")
NO_SERVICE = Template(
    "credentials.no_service",
    "no secure keyring available: no keyring service is running on this computer",
)
# -- a keyring that failed ------------------------------------------------------------------------
NOTE_UNWRITABLE = Template("credentials.note_unwritable", "cannot write {path}: {error}")
LOCKED = Template(
    "credentials.locked",
    "the keyring is locked: unlock it (log in again, or open your keyring app) and retry",
)
NAMED_LOCKED = Template(
    "credentials.named_locked",
    "{keyring} is locked: unlock it (log in again, or open your keyring app) and retry",
)
_FAILED = {
    "read": (
        Template("credentials.read_failed", "cannot read the credential in the keyring: {error}"),
        Template("credentials.named_read_failed", "cannot read the credential in {keyring}: {error}"),
    ),
    "store": (
        Template("credentials.store_failed", "cannot store the credential in the keyring: {error}"),
        Template("credentials.named_store_failed", "cannot store the credential in {keyring}: {error}"),
    ),
    "delete": (
        Template("credentials.delete_failed", "cannot delete the credential in the keyring: {error}"),
        Template("credentials.named_delete_failed", "cannot delete the credential in {keyring}: {error}"),
    ),
}
SECRET_GONE = Template(
    "credentials.secret_gone", "the keyring no longer holds the secret of {target}: add the target again"
)


def failed(action: str, keyring: str | None, error: str) -> Message:
    """'cannot store the credential in KWallet: ...' (action: read, store or delete)."""
    plain, named = _FAILED[action]
    return plain(error=error) if keyring is None else named(keyring=keyring, error=error)


def locked(keyring: str | None) -> Message:
    return LOCKED() if keyring is None else NAMED_LOCKED(keyring=keyring)
