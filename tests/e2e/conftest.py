"""Fixtures of the end-to-end tests: one fake internet (network namespaces) per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.netns import FakeInternet, skip_unless_netns


@pytest.fixture(scope="module")
def internet() -> Iterator[FakeInternet]:
    skip_unless_netns()
    with FakeInternet() as net:
        yield net
