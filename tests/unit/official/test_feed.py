"""Meta Status documents are read defensively: wrong types, unknown words, odd times and hostile
text give a clear state or are skipped, never an exception escaping."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from traywatch.core.metastatus.feed import (
    MAX_ORGS,
    FeedError,
    clean,
    decode,
    parse_orgs,
    parse_outages,
    parse_time,
    with_outages,
)
from traywatch.core.metastatus.status import OfficialState, map_status, worst


def org(org_id: str = "graph-api", *statuses: str, name: str = "Graph API") -> dict[str, object]:
    return {
        "id": org_id,
        "name": name,
        "services": [
            {"id": i, "name": f"part {i}", "status": s, "time": 1709651820} for i, s in enumerate(statuses)
        ],
        "rss_file_paths": [],
    }


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("No known issues", OfficialState.OK),
        ("Resolved", OfficialState.OK),
        ("RESOLVED: major outage", OfficialState.OK),
        ("Low disruptions", OfficialState.MINOR),
        ("Medium disruptions", OfficialState.MINOR),
        ("High disruption", OfficialState.MAJOR),
        ("Major disruptions", OfficialState.MAJOR),
        ("Major outage", OfficialState.MAJOR),
        ("Partial Outage", OfficialState.MAJOR),
        ("Investigating", OfficialState.UNKNOWN),
        ("Unresolved issue", OfficialState.UNKNOWN),  # "resolved" inside another word is no resolution
        ("Unresolved major outage", OfficialState.MAJOR),
        ("", OfficialState.UNKNOWN),
    ],
)
def test_status_strings_are_matched_by_substring_case_insensitively(text: str, state: OfficialState) -> None:
    assert map_status(text) is state


def test_the_worst_state_wins_and_unknown_ranks_between_ok_and_minor() -> None:
    assert worst([OfficialState.OK, OfficialState.UNKNOWN]) is OfficialState.UNKNOWN
    assert worst([OfficialState.UNKNOWN, OfficialState.MINOR]) is OfficialState.MINOR
    assert worst([OfficialState.MINOR, OfficialState.MAJOR, OfficialState.OK]) is OfficialState.MAJOR


def test_a_normal_feed_gives_each_org_its_worst_service() -> None:
    orgs = parse_orgs([org("graph-api", "No known issues", "Low disruptions"), org("fbs", "No known issues")])
    assert [(o.id, o.state, o.text) for o in orgs] == [
        ("graph-api", OfficialState.MINOR, "Low disruptions"),
        ("fbs", OfficialState.OK, "No known issues"),
    ]
    assert orgs[0].since == datetime(2024, 3, 5, 15, 17, tzinfo=UTC)


def test_an_unknown_status_string_is_kept_verbatim() -> None:
    (only,) = parse_orgs([org("graph-api", "Degraded performance in some regions")])
    assert only.state is OfficialState.UNKNOWN
    assert only.text == "Degraded performance in some regions"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"orgs": []}, "orgs.json is not a list of organisations (JSON type: object)"),
        ("graph-api", "orgs.json is not a list of organisations (JSON type: string)"),
        (None, "orgs.json is not a list of organisations (JSON type: null)"),
        (42, "orgs.json is not a list of organisations (JSON type: number)"),
        ([], "orgs.json lists no readable organisation (0 entries)"),
        ([1, "x", None, {"name": "no id"}], "orgs.json lists no readable organisation (4 entries)"),
    ],
)
def test_a_feed_of_the_wrong_type_is_a_feed_error_with_a_plain_reason(data: object, reason: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_orgs(data)
    assert caught.value.detail == reason


def test_wrong_types_inside_one_org_make_that_org_unknown_not_the_whole_feed() -> None:
    orgs = parse_orgs(
        [
            {"id": "graph-api", "name": "Graph API", "services": "all good"},
            {"id": "fbs", "services": [{"name": "x", "status": 3}, "nonsense", {"status": ["Major"]}]},
            {"id": "ads-manager", "services": []},
            {"id": 77, "name": ["not", "a", "name"], "services": [{"status": "No known issues"}]},
            "garbage entry",
        ]
    )
    by_id = {o.id: o for o in orgs}
    assert by_id["graph-api"].state is OfficialState.UNKNOWN
    assert by_id["graph-api"].text == "services unreadable (a string)"
    assert by_id["fbs"].state is OfficialState.UNKNOWN
    assert by_id["fbs"].name == "Meta Business Suite"  # our own name when Meta gives none
    assert [c.text for c in by_id["fbs"].components] == [
        "status unreadable (a number)",
        "unreadable (a string)",
        "status unreadable (a list)",
    ]
    assert by_id["ads-manager"].text == "no services listed"
    assert by_id["77"].state is OfficialState.OK and by_id["77"].name == "77"


def test_a_huge_feed_is_bounded() -> None:
    orgs = parse_orgs([org(f"org-{i}", *(["No known issues"] * 500)) for i in range(MAX_ORGS * 3)])
    assert len(orgs) == MAX_ORGS
    assert all(len(o.components) == 100 for o in orgs)


def test_hostile_text_is_cleaned_and_shortened() -> None:
    assert clean("Major\x1b[31m disruption\u202e\n\ttoday") == "Major [31m disruption today"
    assert len(clean("x" * 10_000)) == 160
    assert clean(["not text"]) == ""
    (only,) = parse_orgs([org("graph-api", "Investigating\x00 " + "y" * 500)])
    assert only.text.startswith("Investigating y") and len(only.text) <= 160


def test_bodies_that_are_not_json_are_feed_errors() -> None:
    assert decode(json.dumps([1]).encode(), "orgs.json") == [1]
    for body, words in (
        (b"<!DOCTYPE html><html>shell</html>", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ):
        with pytest.raises(FeedError, match=words):
            decode(body, "orgs.json")
    with pytest.raises(FeedError):
        decode(b"[" * 100_000, "orgs.json")  # nesting too deep for the parser


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1709651820, datetime(2024, 3, 5, 15, 17, tzinfo=UTC)),
        (1709651820000, datetime(2024, 3, 5, 15, 17, tzinfo=UTC)),
        ("1709651820", datetime(2024, 3, 5, 15, 17, tzinfo=UTC)),
        ("2024-03-05T15:17:00Z", datetime(2024, 3, 5, 15, 17, tzinfo=UTC)),
        ("2024-03-05T10:17:00-05:00", datetime(2024, 3, 5, 15, 17, tzinfo=UTC)),
        ("2024-03-05 15:17:00", datetime(2024, 3, 5, 15, 17, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 15:17:00 GMT", datetime(2024, 3, 5, 15, 17, tzinfo=UTC)),
        ("yesterday", None),
        (True, None),
        (1e30, None),
        (-5, None),
        ({"t": 1}, None),
        ("9999-01-01T00:00:00Z", None),
    ],
)
def test_times_in_any_plausible_form_are_read_and_nonsense_is_none(value: object, expected: object) -> None:
    assert parse_time(value) == expected


def test_open_outages_add_since_first_post_and_meta_s_words() -> None:
    (base,) = parse_orgs([org("graph-api", "No known issues")])
    outages = parse_outages(
        [
            {"service_id": 1, "status": "Resolved", "time": 1700000000, "posts": []},
            {
                "service_id": 1,
                "status": "Major disruptions",
                "time": "2024-03-05T15:05:00Z",
                "posts": [
                    {"description": "We're investigating login issues", "time": "2024-03-05T15:17:00Z"},
                    {"description": "A fix is rolling out", "time": "2024-03-05T16:30:00Z"},
                    "not a post",
                ],
            },
        ],
        "graph-api",
    )
    assert len(outages) == 1  # the resolved one is history
    merged = with_outages(base, outages)
    assert merged.state is OfficialState.MAJOR and merged.text == "Major disruptions"
    assert merged.since == datetime(2024, 3, 5, 15, 5, tzinfo=UTC)
    assert merged.acknowledged_at == datetime(2024, 3, 5, 15, 17, tzinfo=UTC)  # Meta's first post
    assert merged.detail == "A fix is rolling out"


def test_outages_of_the_wrong_type_are_a_feed_error_and_odd_entries_are_skipped() -> None:
    with pytest.raises(FeedError, match=r"outages/fbs.json is not a list of outages \(JSON type: object\)"):
        parse_outages({"outages": []}, "fbs")
    odd = parse_outages([None, 3, {"status": 5, "posts": "none"}], "fbs")
    assert [(o.state, o.text, o.latest) for o in odd] == [(OfficialState.UNKNOWN, "status unreadable", "")]
