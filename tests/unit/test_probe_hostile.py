"""Hostile answers at the judge: a garbage redirect address fails that one probe (never the
round), control characters from the network never reach a detail or a redirect target, and
bodies built to break a parser are only a failed check."""

from __future__ import annotations

import http.client
import re

import pytest

from tests.unit.factories import catalogue
from traywatch.core.catalogue import TargetSpec
from traywatch.core.models import Hint, Layer
from traywatch.core.net import judge as probe_judge
from traywatch.core.net.judge import ProbeFailure

LATENCY = 12.0
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def reference(rid: str) -> TargetSpec:
    return next(r.target for r in catalogue().references if r.id == rid)


def meta(sid: str, index: int = 0) -> TargetSpec:
    return next(s.targets[index] for s in catalogue().services if s.id == sid)


def answer(
    target: TargetSpec, status: int, body: bytes = b"", **fields: str
) -> tuple[int, float, str, str | None]:
    message = http.client.HTTPMessage()
    for name, value in fields.items():
        message[name.replace("_", "-")] = value
    return probe_judge.judge(target, status, message, body, LATENCY)


def failure(target: TargetSpec, status: int, body: bytes = b"", **fields: str) -> ProbeFailure:
    with pytest.raises(ProbeFailure) as info:
        answer(target, status, body, **fields)
    return info.value


GARBAGE_LOCATIONS = [
    "http://evil[.example/",
    "http://[x]/",
    "http://[::1/",
    "https://host:99999999/",  # a port out of range is read only when asked for; never asked
    "//[oops",
]


@pytest.mark.parametrize("location", GARBAGE_LOCATIONS)
@pytest.mark.parametrize("target", ["google", "facebook"])
def test_a_garbage_redirect_address_fails_only_this_probe(location: str, target: str) -> None:
    spec = reference(target) if target == "google" else meta(target)
    try:
        result = answer(spec, 302, Location=location)
    except ProbeFailure as f:
        assert f.status == 302
        if "[" in location:
            assert "redirect address is garbage" in f.detail
            assert f.layer is Layer.HTTP and Hint.GARBAGE in f.hints
            assert f.redirect_to is None
        return
    assert result[0] == 302  # a usable address within the target's own domains


def test_a_redirect_to_a_host_with_an_escape_is_shown_without_it() -> None:
    f = failure(reference("google"), 302, Location="http://evil\x1bc.example/")
    assert not has_control(f.detail)
    assert f.redirect_to is not None and not has_control(f.redirect_to)
    assert f.redirect_to == "http://evil%1Bc.example/"  # still a URL, and says what was sent
    assert "evil%1bc.example" in f.detail.lower()


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066"])
def test_no_control_or_direction_character_survives_a_redirect(char: str) -> None:
    f = failure(meta("instagram"), 301, Location=f"https://x{char}y.example/p{char}q?{char}")
    assert not has_control(f.detail)
    assert f.redirect_to is not None and not has_control(f.redirect_to)


def test_markup_in_a_redirect_address_is_percent_encoded() -> None:
    f = failure(reference("google"), 302, Location='http://portal.example/<a href="x">"hi"</a>')
    assert f.redirect_to is not None
    assert "<" not in f.redirect_to and '"' not in f.redirect_to


def test_json_nested_past_the_recursion_limit_is_not_meta_s_error() -> None:
    graph = next(t for s in catalogue().services for t in s.targets if t.json_error)
    f = failure(graph, 400, b"[" * 15_000)
    assert f.layer is Layer.CONTENT and Hint.GARBAGE in f.hints
