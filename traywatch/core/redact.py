"""Secrets never reach the logs: stored secrets (and anything shaped like a Meta access token)
are masked in every log record, whatever handler writes it. A second line of defence: traywatch
never logs a token on purpose."""

from __future__ import annotations

import logging
import re
import threading
from typing import Any


def masked(secret: str | None) -> str:
    """'EAAB…x9Q2': enough to recognise a token, useless to anyone who sees it."""
    if not secret:
        return ""
    if len(secret) >= 16:
        return f"{secret[:4]}…{secret[-4:]}"
    if len(secret) >= 8:
        return f"{secret[:2]}…{secret[-2:]}"
    return "…"


_TOKEN_SHAPE = re.compile(r"\bEAA[A-Za-z0-9]{20,}")


def without_tokens(text: str, placeholder: str = "<access token, not shown>") -> str:
    """Anything shaped like a Meta access token replaced whole (not masked: no part of it shows)."""
    return _TOKEN_SHAPE.sub(placeholder, text)


class SecretRedactor(logging.Filter):
    """Masks stored secrets (and Meta-token-shaped text) in log records. Installed as the log
    record factory's last step, so it works whatever handlers are set up later."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        if len(secret) >= 8:
            with self._lock:
                self._secrets.add(secret)

    def discard(self, secret: str) -> None:
        with self._lock:
            self._secrets.discard(secret)

    def redact(self, text: str) -> str:
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, masked(secret))
        return _TOKEN_SHAPE.sub(lambda m: masked(m[0]), text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error handling
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            redacted = self.redact(text)
            if redacted != text:
                record.exc_text = redacted
        return True


REDACTOR = SecretRedactor()
_installed = False
_install_lock = threading.Lock()


def install_log_redaction() -> None:
    """Run every new log record through REDACTOR (idempotent)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            REDACTOR.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
