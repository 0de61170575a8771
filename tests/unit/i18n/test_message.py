"""Messages: English as a string, the code and parameters kept, stored and read back."""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime

import pytest

from traywatch.i18n import Decimal, Duration, Message, Moment, Names, Template, join, render
from traywatch.i18n.message import template

DOWN = Template("test.down", "{names} is down ({detail})", "{names} are down ({detail})", count="n")
OUT = Template("test.out", "It was out for {gone}, {slow} s at worst, since {at}.")


def test_a_message_is_its_english_text_and_keeps_its_code() -> None:
    m = DOWN(names=Names(["Facebook"]), n=1, detail="no answer")
    assert m == "Facebook is down (no answer)"
    assert (m.code, m.params["detail"]) == ("test.down", "no answer")


def test_the_plural_follows_the_count_and_long_lists_are_shortened() -> None:
    m = DOWN(names=Names(["Facebook", "Instagram", "WhatsApp", "Threads", "Messenger"]), n=5, detail="x")
    assert m == "Facebook, Instagram, WhatsApp and 2 more are down (x)"


def test_a_stored_message_reads_back_the_same_through_json_and_pickle() -> None:
    at = datetime(2026, 3, 5, 14, 5, tzinfo=UTC)
    m = join(
        DOWN(names=Names(["Facebook", "Instagram"]), n=2, detail="timeout"),
        "Meta's own words, as they are.",
        OUT(gone=Duration(4000), slow=Decimal(2.25, 1), at=Moment(at)),
    )
    back = Message.from_json(json.loads(json.dumps(m.to_json())), str(m))
    assert isinstance(back, Message)
    assert back == m and back.to_json() == m.to_json()
    assert pickle.loads(pickle.dumps(m)).to_json() == m.to_json()


def test_a_stored_message_that_cannot_be_read_back_is_its_english_text() -> None:
    assert Message.from_json({"code": "test.down", "params": {"n": {"what": 1}}}, "Stored text.") == (
        "Stored text."
    )
    assert Message.from_json({"nonsense": True}, "Stored text.") == "Stored text."


def test_an_unknown_code_from_a_newer_version_renders_its_stored_english() -> None:
    m = Message("from.the.future", {"x": 1}, english="Said in English.")
    assert render(m, "es") == "Said in English."


def test_a_plain_string_renders_as_it_is() -> None:
    assert render("Facebook | Error", "de") == "Facebook | Error"


def test_a_code_cannot_be_declared_twice_with_other_words() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        Template("test.down", "Something else")
    assert template("test.down") is not None
