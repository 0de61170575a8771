"""Names and durations as a shop owner reads them."""

from __future__ import annotations

import pytest

from traywatch.core.verdict.wording import duration, join_names


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([], ""),
        (["Facebook"], "Facebook"),
        (["Facebook", "Instagram"], "Facebook and Instagram"),
        (["Facebook", "Instagram", "WhatsApp"], "Facebook, Instagram and WhatsApp"),
        (["Facebook", "Instagram", "WhatsApp", "Threads"], "Facebook, Instagram, WhatsApp and Threads"),
        (["A", "B", "C", "D", "E"], "A, B, C and 2 more"),
        (["A", "B", "C", "D", "E", "F", "G"], "A, B, C and 4 more"),
        (["Facebook", "Facebook", "Instagram"], "Facebook and Instagram"),
    ],
)
def test_join_names(names: list[str], expected: str) -> None:
    assert join_names(names) == expected


def test_join_names_with_a_custom_limit() -> None:
    assert join_names(["A", "B", "C"], limit=1) == "A and 2 more"
    assert join_names(["A", "B"], limit=1) == "A and B"  # "A and 1 more" says nothing shorter


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0 s"),
        (0.4, "0 s"),
        (59, "59 s"),
        (59.4, "59 s"),
        (59.6, "1 min"),
        (60, "1 min"),
        (61, "1 min"),
        (3599, "59 min"),
        (3600, "1 h"),
        (2 * 3600 + 14 * 60, "2 h 14 min"),
        (2 * 3600 + 14 * 60 + 59, "2 h 14 min"),
        (86400, "1 d"),
        (3 * 86400 + 4 * 3600 + 30 * 60, "3 d 4 h"),
        (400 * 86400, "400 d"),
        (-1, "0 s"),
        (-86400, "0 s"),
    ],
)
def test_duration(seconds: float, expected: str) -> None:
    assert duration(seconds) == expected
