"""Real answers of Meta's servers and of the reference checks (tests/fixtures/evidence/captures.json,
sources in docs/evidence.md) judged against the built-in catalogue: what the field saw as healthy
stays healthy, and Meta's captured error page is a failure at the layer it belongs to."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

import pytest

from tests.unit.factories import catalogue
from traywatch.core.catalogue import TargetSpec
from traywatch.core.models import Hint, Layer
from traywatch.core.net import judge as probe_judge
from traywatch.core.net.judge import ProbeFailure

EVIDENCE = Path(__file__).resolve().parents[1] / "fixtures" / "evidence"
CAPTURES: list[dict[str, Any]] = json.loads((EVIDENCE / "captures.json").read_text("utf-8"))["captures"]


def target_of(capture: dict[str, Any]) -> TargetSpec:
    if "reference" in capture:
        return next(r.target for r in catalogue().references if r.id == capture["reference"])
    service = next(s for s in catalogue().services if s.id == capture["service"])
    return service.targets[capture["target"]]


def body_of(capture: dict[str, Any]) -> bytes:
    name = capture.get("body_file")
    return (EVIDENCE / name).read_bytes() if name else b""


def headers_of(capture: dict[str, Any]) -> http.client.HTTPMessage:
    message = http.client.HTTPMessage()
    for name, value in capture["headers"].items():
        message[name] = value
    return message


def judged(capture: dict[str, Any]) -> tuple[int, float, str, str | None]:
    return probe_judge.judge(
        target_of(capture), capture["status"], headers_of(capture), body_of(capture), 120.0
    )


@pytest.mark.parametrize("capture", CAPTURES, ids=[c["id"] for c in CAPTURES])
def test_every_capture_names_its_source_and_a_catalogue_target(capture: dict[str, Any]) -> None:
    assert capture["sources"] and all(isinstance(s, str) and s for s in capture["sources"])
    assert target_of(capture).scheme in ("http", "https")
    if capture.get("body_file"):
        assert body_of(capture), f"{capture['body_file']} is empty"


HEALTHY = [c for c in CAPTURES if c["expect"] == "healthy"]
FAILING = [c for c in CAPTURES if c["expect"] != "healthy"]


@pytest.mark.parametrize("capture", HEALTHY, ids=[c["id"] for c in HEALTHY])
def test_answers_seen_from_healthy_meta_are_judged_healthy(capture: dict[str, Any]) -> None:
    status, _, detail, redirect = judged(capture)
    assert status == capture["status"]
    assert detail.startswith(f"HTTP {capture['status']}")
    assert redirect == capture["headers"].get("Location")


@pytest.mark.parametrize("capture", FAILING, ids=[c["id"] for c in FAILING])
def test_metas_captured_error_page_is_a_failure_at_its_layer(capture: dict[str, Any]) -> None:
    with pytest.raises(ProbeFailure) as info:
        judged(capture)
    failure = info.value
    assert failure.layer is Layer(capture["expect"]["layer"])
    assert failure.hints == {Hint(h) for h in capture["expect"]["hints"]}
    assert failure.status == capture["status"]
    assert "Error" in failure.detail or "went wrong" in failure.detail


def test_the_captured_error_page_is_told_apart_from_a_healthy_graph_answer() -> None:
    """The same Graph target: the JSON error is the edge answering, the HTML page is not."""
    graph = next(c for c in CAPTURES if c["id"] == "graph-me-without-token")
    page = dict(graph, body_file="facebook_edge_error.html", headers={"Content-Type": "text/html"})
    assert judged(graph)[0] == 400
    with pytest.raises(ProbeFailure) as info:
        judged(page)
    assert info.value.layer is Layer.CONTENT
