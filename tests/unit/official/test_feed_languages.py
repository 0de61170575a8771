"""What traywatch says about a Meta Status entry it cannot read is said in the owner's language:
the feed's own texts ("status unreadable (a list)", "no services listed") are messages, so the
official sentence and `check` say them translated. Meta's own status words stay as Meta wrote them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

from tests.unit.history.fake_language import bracketed, outside_brackets  # noqa: F401  (fixture)
from traywatch.commands.check import evidence_lines
from traywatch.core.metastatus.feed import kind, parse_orgs, parse_outages
from traywatch.core.metastatus.poller import summarise
from traywatch.core.metastatus.status import OfficialState
from traywatch.i18n import Message, render

NOW = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
ODD_FEED = [
    {"id": "graph-api", "name": "Graph API", "services": "all good"},
    {"id": "fbs", "services": [{"name": "Suite", "status": 3}, "nonsense", {"status": ["Major"]}]},
    {"id": "ads-manager", "name": "Ads Manager", "services": []},
]


def test_unreadable_entries_are_messages_said_in_the_language(bracketed: str) -> None:  # noqa: F811
    by_id = {o.id: o for o in parse_orgs(ODD_FEED)}
    texts = [by_id["graph-api"].text, by_id["ads-manager"].text, *(c.text for c in by_id["fbs"].components)]
    assert texts == [  # English as before, for logs and the JSON of old readers
        "services unreadable (a string)",
        "no services listed",
        "status unreadable (a number)",
        "unreadable (a string)",
        "status unreadable (a list)",
    ]
    for text in texts:
        assert isinstance(text, Message)
        assert outside_brackets(render(text)).strip() == "", render(text)
    assert render(by_id["fbs"].components[2].text) == "[status unreadable ([a list])]"
    unnamed = [c.name for c in by_id["fbs"].components[1:]]
    assert [render(n) for n in unnamed] == ["[service 2]", "[service 3]"]


def test_every_json_kind_is_said_in_the_language(bracketed: str) -> None:  # noqa: F811
    for value in ({}, [], "x", True, 1.5, None):
        said = kind(value)
        assert isinstance(said, Message) and render(said) == f"[{said}]"


def test_an_outage_without_a_readable_status_is_said_in_the_language(bracketed: str) -> None:  # noqa: F811
    (outage,) = parse_outages([{"status": 7, "posts": []}], "graph-api")
    assert outage.text == "status unreadable" and render(outage.text) == "[status unreadable]"


def test_the_official_sentence_and_check_say_them_translated(bracketed: str) -> None:  # noqa: F811
    status = summarise(parse_orgs(ODD_FEED), NOW)
    assert status.state is OfficialState.UNKNOWN
    said = render(status.detail)
    assert '"[services unreadable ([a string])]"' in said, said
    assert english_words(said) == [], said
    services = [
        SimpleNamespace(id="facebook", name="Facebook"),
        SimpleNamespace(id="graph_api", name="Graph API"),
    ]
    lines = evidence_lines(SimpleNamespace(official=status, services=services, account=None))  # type: ignore[arg-type]
    assert '"[services unreadable ([a string])]"' in lines[0], lines
    assert lines[-1] == "[  Facebook: [not covered by Meta Status]]", lines


def english_words(text: str) -> list[str]:
    """Words outside the brackets, once the organisations' and services' names are taken out
    (the list's own 'and' is the language's, said by the list formatter: 'y' here)."""
    rest = outside_brackets(text)
    for name in ("Graph API", "Ads Manager", "Facebook", "Meta Business Suite"):
        rest = rest.replace(name, " ")
    return re.findall(r"[A-Za-z]{3,}", rest)
