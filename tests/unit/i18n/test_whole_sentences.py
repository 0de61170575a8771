"""Sentences whole in every language: what used to be glued from fragments (a certificate's state,
a probe's deadline, the checks that answer, the DNS-down verdict) and the English that used to
reach the owner (Meta Status feed and keyring errors, network libraries' exception texts) are
each one translatable message, said entirely inside the bracket language."""

from __future__ import annotations

import socket
import ssl

import pytest

from tests.unit.history.fake_language import bracketed, outside_brackets  # noqa: F401  (fixture)
from traywatch.core.catalogue import TargetSpec
from traywatch.core.metastatus.feed import FeedError, decode, parse_orgs, parse_outages
from traywatch.core.models import Layer, ProbeResult, ReferenceResult
from traywatch.core.net import probe_texts as T
from traywatch.core.net.network_errors import network_words
from traywatch.core.net.probe import Progress, timeout_result
from traywatch.core.signed_in.credentials import GRAPH_TOKEN, WHATSAPP_PHONE_ID, CredentialError, clean_value
from traywatch.core.verdict import meta_wording, wording
from traywatch.i18n import render
from traywatch.terminal import error_text


def _said_whole(text: str) -> bool:
    """Everything but names, hosts and numbers is inside brackets."""
    return not any(word.isalpha() and len(word) > 3 for word in outside_brackets(text).split())


@pytest.mark.parametrize("layer", list(Layer))
def test_a_probe_still_waiting_at_its_deadline_is_one_sentence(layer: Layer, bracketed: str) -> None:  # noqa: F811
    progress = Progress(layer=layer)
    detail = timeout_result(TargetSpec("https://www.example.com/"), progress, 8.0).detail
    said = render(detail)
    assert said.startswith("[") and said.count("[") == 1, said
    assert "8" in said and "www.example.com" in said


def test_an_expired_or_not_yet_valid_certificate_is_its_own_sentence(bracketed: str) -> None:  # noqa: F811
    expired, early = T.CERT_EXPIRED(host="a.example"), T.CERT_NOT_YET_VALID(host="a.example")
    assert str(expired) == "a.example's certificate has expired (is this computer's clock right?)"
    assert str(early) == "a.example's certificate is not valid yet (is this computer's clock right?)"
    assert render(expired).count("[") == 1 and render(early).count("[") == 1


def _ref(provider: str) -> ReferenceResult:
    return ReferenceResult(provider.lower(), provider, ProbeResult(f"https://{provider}.test/", True))


def test_the_checks_that_answer_agree_with_their_number(bracketed: str) -> None:  # noqa: F811
    one = meta_wording._controls([_ref("Google")])
    two = meta_wording._controls([_ref("Google"), _ref("Cloudflare")])
    assert str(one) == "Google answers fine" and str(two) == "Google and Cloudflare answer fine"
    assert render(one) == "[Google answers fine]"


def test_the_dns_down_verdict_says_the_providers_standing_alone(bracketed: str) -> None:  # noqa: F811
    failed = ProbeResult("https://g.test/", False, Layer.DNS, detail="no answer")
    refs = [
        ReferenceResult("g", "Google", failed),
        ReferenceResult("c", "Cloudflare", failed),
    ]
    summary, _ = wording.internet_down(refs)
    assert "not those of Google or Cloudflare —" in summary and "'s" not in str(summary).split("Meta's")[1]
    assert _said_whole(render(summary))


@pytest.mark.parametrize(
    ("reading", "english"),
    [
        (lambda: decode(b"{x", "orgs.json"), "orgs.json is not valid JSON"),
        (lambda: decode(b"\xff\xfe\x00", "orgs.json"), "orgs.json is not UTF-8"),
        (lambda: parse_orgs({}), "orgs.json is not a list of organisations (JSON type: object)"),
        (lambda: parse_orgs([1]), "orgs.json lists no readable organisation (1 entry)"),
        (lambda: parse_outages("x", "fbs"), "outages/fbs.json is not a list of outages (JSON type: string)"),
    ],
)
def test_feed_errors_are_messages(reading: object, english: str, bracketed: str) -> None:  # noqa: F811
    with pytest.raises(FeedError) as caught:
        reading()  # type: ignore[operator]
    assert caught.value.detail == english
    assert render(caught.value.detail).startswith("[") and _said_whole(render(caught.value.detail))


@pytest.mark.parametrize(
    ("name", "value"), [(GRAPH_TOKEN, " "), (GRAPH_TOKEN, "not a token"), (WHATSAPP_PHONE_ID, "12")]
)
def test_credential_errors_are_said_in_the_language(name: object, value: str, bracketed: str) -> None:  # noqa: F811
    with pytest.raises(CredentialError) as caught:
        clean_value(name, value)  # type: ignore[arg-type]
    said = error_text(caught.value)
    assert said.startswith("[") and said.endswith("]") and said == render(caught.value.message)


def _wrapped(inner: BaseException) -> Exception:
    """An exception as requests raises it: the OS's error somewhere down its chain."""
    try:
        try:
            raise inner
        except BaseException as exc:
            raise ConnectionError("HTTPSConnectionPool(host='x', port=443): Max retries exceeded") from exc
    except ConnectionError as outer:
        return outer


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (_wrapped(ConnectionRefusedError(111, "Connection refused")), "network.refused"),
        (_wrapped(socket.gaierror(-2, "Name or service not known")), "network.name_not_found"),
        (_wrapped(TimeoutError("timed out")), "network.timed_out"),
        (_wrapped(ssl.SSLCertVerificationError(1, "certificate verify failed")), "network.cert_not_verified"),
    ],
)
def test_network_library_errors_are_said_in_our_words(exc: Exception, code: str, bracketed: str) -> None:  # noqa: F811
    said = network_words(exc)
    assert said is not None and said.code == code
    assert error_text(exc) == render(said) and "Max retries" not in error_text(exc)


def test_an_error_that_is_not_the_networks_keeps_its_own_text() -> None:
    assert network_words(ValueError("bad")) is None
    assert error_text(ValueError("bad")) == "bad"
