"""The canned route sets satisfy (or break) the catalogue's own expectations."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.support.catalogue import PORTAL_HOST, CatalogueTarget, load_catalogue
from tests.support.fake_web import (
    FakeWebServer,
    FetchResult,
    captive_portal_routes,
    fetch,
    healthy_meta_routes,
    meta_error_routes,
)

CATALOGUE = load_catalogue()
WEB_TARGETS = [t for t in CATALOGUE.targets if t.scheme in ("http", "https")]


def looks_healthy(target: CatalogueTarget, res: FetchResult) -> bool:
    """A compact restatement of the catalogue's rules (see the header of catalogue.toml)."""
    if target.expect_status:
        if res.status not in target.expect_status:
            return False
    elif res.status >= 500 or res.status == 429:
        return False
    if target.body_contains is not None and target.body_contains not in res.text:
        return False
    if any(phrase in res.text for phrase in CATALOGUE.error_phrases):
        return False
    if target.json_error:
        return "fbtrace_id" in json.loads(res.body).get("error", {})
    if 300 <= res.status < 400:
        location = res.headers.get("location", "")
        return any(d in location for d in CATALOGUE.meta_domains) and target.kind == "service"
    return True


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWebServer]:
    with FakeWebServer() as server:
        yield server


def _get(web: FakeWebServer, target: CatalogueTarget) -> FetchResult:
    port = web.https_port if target.scheme == "https" else web.http_port
    assert port is not None
    return fetch(target.url, connect_to=("127.0.0.1", port), ca_file=web.ca_file, timeout=3)


@pytest.mark.parametrize("target", WEB_TARGETS, ids=lambda t: t.url)
def test_healthy_routes_satisfy_catalogue(web: FakeWebServer, target: CatalogueTarget) -> None:
    web.set_routes(healthy_meta_routes())
    assert looks_healthy(target, _get(web, target))


def test_catalogue_covers_both_kinds() -> None:
    assert any(t.kind == "reference" for t in WEB_TARGETS)
    assert sum(1 for t in WEB_TARGETS if CATALOGUE.is_meta(t.host)) >= 8
    assert any(t.scheme == "tcp" for t in CATALOGUE.targets)


def test_meta_error_routes(web: FakeWebServer) -> None:
    web.set_routes(meta_error_routes())
    for target in WEB_TARGETS:
        res = _get(web, target)
        if CATALOGUE.is_meta(target.host):
            assert res.status == 500 and "Sorry, something went wrong" in res.text
        else:
            assert looks_healthy(target, res), target.url


def test_captive_portal_routes(web: FakeWebServer) -> None:
    web.set_routes(captive_portal_routes())
    for target in WEB_TARGETS:
        res = _get(web, target)
        if target.scheme == "http":
            assert res.status == 302
            assert res.headers["location"] == f"http://{PORTAL_HOST}/"
        else:
            assert looks_healthy(target, res), target.url
    portal = fetch(f"http://{PORTAL_HOST}/", connect_to=("127.0.0.1", web.http_port or 0))
    assert portal.status == 200 and "Sign in" in portal.text
