"""Why a URL cannot be a forwarding target is said in the owner's language: a TargetRefused
carries its reason as a message (`.message`), and `forward add` says it in the language in use.
Service names, domains and Apprise's own words are the only text left as they are."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.history.fake_language import bracketed, outside_brackets  # noqa: F401  (fixture)
from traywatch.cli import main
from traywatch.core.forward.delivery import AppriseSender
from traywatch.core.forward.message import Message as Alert
from traywatch.core.forward.secrets import split_secret
from traywatch.core.forward.targets import TargetRefused, check_url, refusal
from traywatch.i18n import Message, render, set_language


def english_left(text: str, *allowed: str) -> str:
    rest = outside_brackets(text)
    for value in allowed:
        rest = rest.replace(value, " ")
    return rest.strip(" .:;,()")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("whatsapp://1234/5678", ["WhatsApp"]),
        ("awswhatsapp://key/secret", []),  # "WhatsApp (through AWS)" is translated too
        ("json://graph.facebook.com/hook", ["Facebook", "facebook.com"]),
        ("fbm://page-token", ["Messenger"]),
        ("just some words", []),
    ],
)
def test_each_refusal_is_a_message_said_in_the_language(
    url: str,
    allowed: list[str],
    bracketed: str,  # noqa: F811
) -> None:
    reason = refusal(url)
    assert isinstance(reason, Message)
    said = render(reason)
    assert said.startswith("[") and english_left(said, *allowed) == "", said
    with pytest.raises(TargetRefused) as caught:
        check_url(url)
    assert caught.value.message == reason and str(caught.value) == str(reason)  # English for logs


def test_a_url_apprise_cannot_use_is_refused_in_the_language(bracketed: str) -> None:  # noqa: F811
    with pytest.raises(TargetRefused) as caught:
        split_secret("nosuchservice://x")
    said = render(caught.value.message)
    assert said.startswith("[Apprise cannot use this URL") and said.endswith("]"), said
    assert str(caught.value).startswith("Apprise cannot use this URL")


def test_a_missing_apprise_package_is_said_in_the_language(
    monkeypatch: pytest.MonkeyPatch,
    bracketed: str,  # noqa: F811
) -> None:
    monkeypatch.setitem(sys.modules, "apprise", None)  # "import apprise" now fails
    error = AppriseSender().send("json://127.0.0.1:9/hook", Alert("title", "body", "info"))
    assert isinstance(error, Message)
    assert render(error).startswith("[forwarding needs the apprise package")


@pytest.fixture
def english_afterwards() -> Iterator[None]:
    """main() sets the language for the process and the logging: put both back afterwards."""
    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    yield
    set_language("en")
    root.handlers[:] = handlers
    root.setLevel(level)
    sys.excepthook = hook


def test_forward_add_says_the_refusal_in_the_language(
    traywatch_home: Path,
    capsys: pytest.CaptureFixture[str],
    english_afterwards: None,
    bracketed: str,  # noqa: F811
) -> None:
    assert main(["--lang", "es", "forward", "add", "instagram://user/token"]) == 2
    err = capsys.readouterr().err.strip()
    assert "[Instagram is a Meta service" in err, err
    assert english_left(err, "Instagram") == "", err
