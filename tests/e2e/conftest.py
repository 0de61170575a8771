"""Shared end-to-end fixtures: one fake internet (client and server namespaces) per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.netns import FakeInternet, skip_unless_netns


@pytest.fixture(scope="module")
def internet() -> Iterator[FakeInternet]:
    """A fake internet for the module's tests (each resets what it changed)."""
    skip_unless_netns()
    with FakeInternet() as net:
        yield net
