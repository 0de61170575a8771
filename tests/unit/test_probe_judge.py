"""Judging one HTTP answer against the catalogue's idea of a healthy one (probe_judge.judge)."""

from __future__ import annotations

import http.client
from dataclasses import replace

import pytest

from tests.unit.factories import catalogue
from traywatch.core.catalogue import TargetSpec
from traywatch.core.models import Hint, Layer
from traywatch.core.net import judge as probe_judge
from traywatch.core.net.judge import ProbeFailure

LATENCY = 87.0


def reference(rid: str) -> TargetSpec:
    return next(r.target for r in catalogue().references if r.id == rid)


def meta(sid: str, index: int = 0) -> TargetSpec:
    return next(s.targets[index] for s in catalogue().services if s.id == sid)


def headers(**fields: str) -> http.client.HTTPMessage:
    message = http.client.HTTPMessage()
    for name, value in fields.items():
        message[name.replace("_", "-")] = value
    return message


def judge(
    target: TargetSpec, status: int, body: bytes = b"", **fields: str
) -> tuple[int, float, str, str | None]:
    return probe_judge.judge(target, status, headers(**fields), body, LATENCY)


def failure(target: TargetSpec, status: int, body: bytes = b"", **fields: str) -> ProbeFailure:
    with pytest.raises(ProbeFailure) as info:
        judge(target, status, body, **fields)
    return info.value


SORRY_PAGE = b"<html><head><title>Sorry, something went wrong.</title></head><body>Error</body></html>"
HEALTHY_PAGE = (
    b"<html><head><title>Facebook - log in or sign up</title></head><body>"
    b'<script>var strings={"err":"Sorry, something went wrong"};</script></body></html>'
)


# -- references ------------------------------------------------------------------------------------
def test_reference_answering_204_is_ok() -> None:
    assert judge(reference("google"), 204) == (204, LATENCY, "HTTP 204", None)


def test_reference_with_expected_body_is_ok() -> None:
    status, _, _, _ = judge(reference("microsoft"), 200, b"Microsoft Connect Test")
    assert status == 200


def test_reference_redirected_is_a_sign_in_page() -> None:
    f = failure(reference("google"), 302, Location="http://login.portal.example/?orig=x")
    assert f.layer is Layer.CONTENT
    assert f.hints == {Hint.PORTAL}
    assert f.redirect_to == "http://login.portal.example/?orig=x"
    assert "login.portal.example" in f.detail


def test_reference_redirected_relatively_is_still_a_sign_in_page() -> None:
    f = failure(reference("apple"), 302, Location="/login")
    assert f.hints == {Hint.PORTAL}
    assert f.redirect_to == "http://captive.apple.com/login"


def test_reference_200_with_wrong_body_is_a_sign_in_page() -> None:
    f = failure(reference("microsoft"), 200, b"<html>Welcome to Hotel WiFi, please log in</html>")
    assert f.layer is Layer.CONTENT
    assert f.hints == {Hint.PORTAL}


def test_reference_200_where_204_is_expected_is_a_sign_in_page() -> None:
    f = failure(reference("google"), 200, b"<html>portal</html>")
    assert f.hints == {Hint.PORTAL}
    assert f.status == 200


def test_reference_error_phrases_do_not_apply() -> None:
    status, _, _, _ = judge(reference("apple"), 200, b"<title>Success</title> Something went wrong Success")
    assert status == 200


# -- Meta edges ------------------------------------------------------------------------------------
def test_meta_redirect_to_facebook_login_is_ok() -> None:
    status, _, detail, redirect = judge(
        meta("ads_manager"), 302, Location="https://www.facebook.com/login/?next=https%3A%2F%2Fadsmanager"
    )
    assert status == 302
    assert "www.facebook.com" in detail
    assert redirect is not None and redirect.startswith("https://www.facebook.com/login/")


def test_meta_redirect_between_meta_domains_is_ok() -> None:
    _, _, _, redirect = judge(meta("threads"), 301, Location="https://www.threads.net/")
    assert redirect == "https://www.threads.net/"


def test_meta_redirect_to_a_look_alike_domain_is_a_portal() -> None:
    f = failure(meta("facebook"), 302, Location="https://www.notfacebook.com/")
    assert f.hints == {Hint.PORTAL}


def test_meta_redirect_to_a_non_meta_host_is_a_portal() -> None:
    f = failure(meta("facebook"), 302, Location="http://blocked.filter.example/page")
    assert f.layer is Layer.CONTENT
    assert f.hints == {Hint.PORTAL}
    assert f.redirect_to == "http://blocked.filter.example/page"


def test_meta_5xx_with_sorry_page_is_a_server_error_with_error_page() -> None:
    f = failure(meta("instagram"), 502, SORRY_PAGE)
    assert f.layer is Layer.HTTP
    assert f.hints == {Hint.SERVER_ERROR, Hint.ERROR_PAGE}
    assert f.status == 502
    assert "Sorry, something went wrong" in f.detail


def test_meta_5xx_anywhere_in_the_body_counts_as_error_page() -> None:
    f = failure(meta("facebook"), 500, b"<body><p>Sorry, something went wrong</p></body>")
    assert f.hints == {Hint.SERVER_ERROR, Hint.ERROR_PAGE}


def test_meta_5xx_without_error_phrase_is_a_plain_server_error() -> None:
    f = failure(meta("facebook"), 500, b"upstream connect error")
    assert f.layer is Layer.HTTP
    assert f.hints == {Hint.SERVER_ERROR}


def test_meta_200_with_error_phrase_only_in_a_script_is_ok() -> None:
    status, _, detail, _ = judge(meta("facebook"), 200, HEALTHY_PAGE)
    assert (status, detail) == (200, "HTTP 200")


def test_meta_200_with_error_phrase_in_the_title_is_an_error_page() -> None:
    f = failure(meta("facebook"), 200, SORRY_PAGE)
    assert f.layer is Layer.CONTENT
    assert f.hints == {Hint.ERROR_PAGE}
    assert f.status == 200


def test_meta_error_phrase_in_title_is_matched_case_insensitively() -> None:
    f = failure(meta("instagram"), 200, b"<TITLE lang='en'>\nSORRY, SOMETHING WENT WRONG\n</TITLE>")
    assert f.hints == {Hint.ERROR_PAGE}


def test_meta_404_is_an_answer_from_meta() -> None:
    status, _, _, _ = judge(meta("messenger"), 404, b"<title>Page not found</title>")
    assert status == 404


# -- the Graph API's JSON error ----------------------------------------------------------------------
GRAPH_ERROR = (
    b'{"error":{"message":"An active access token must be used to query information about the '
    b'current user.","type":"OAuthException","code":2500,"fbtrace_id":"AbCdEf123"}}'
)


def test_graph_api_400_json_error_with_fbtrace_id_is_ok() -> None:
    status, _, detail, _ = judge(meta("graph_api"), 400, GRAPH_ERROR)
    assert (status, detail) == (400, "HTTP 400")


def test_graph_api_400_html_is_garbage() -> None:
    f = failure(meta("graph_api"), 400, b"<html><body>Bad Request</body></html>")
    assert f.layer is Layer.CONTENT
    assert f.hints == {Hint.GARBAGE}


def test_graph_api_400_json_without_fbtrace_id_is_garbage() -> None:
    f = failure(meta("graph_api"), 400, b'{"error":{"message":"nope"}}')
    assert f.hints == {Hint.GARBAGE}


def test_graph_api_200_is_a_content_failure() -> None:
    f = failure(meta("graph_api"), 200, GRAPH_ERROR)
    assert f.layer is Layer.CONTENT
    assert f.hints == {Hint.GARBAGE}
    assert "400" in f.detail


def test_graph_api_serving_the_edge_error_page_with_200_quotes_its_phrase() -> None:
    page = (
        b"<html><head><title>Facebook | Error</title></head>"
        b'<body><h1 id="sorry">Sorry, something went wrong.</h1></body></html>'
    )
    f = failure(meta("graph_api"), 200, page, Content_Type="text/html; charset=utf-8")
    assert f.layer is Layer.CONTENT
    assert f.hints == {Hint.ERROR_PAGE}  # Meta's error page, not an unknown answer
    assert f.phrase == "Sorry, something went wrong"
    assert f.detail == 'graph.facebook.com shows an error page ("Sorry, something went wrong")'
    assert f.status == 200


def test_a_reference_with_error_phrases_answering_the_wrong_status_is_still_a_sign_in_page() -> None:
    google = replace(reference("google"), body_absent=("Something went wrong",))
    f = failure(google, 200, b"<html><body><p>Something went wrong</p></body></html>")
    assert f.hints == {Hint.PORTAL}  # a reference's wrong answer is the network's, not an error page


# -- slow down -------------------------------------------------------------------------------------
def test_429_with_retry_after_is_rate_limited_with_the_delay() -> None:
    f = failure(meta("facebook"), 429, Retry_After="120")
    assert f.layer is Layer.HTTP
    assert f.hints == {Hint.RATE_LIMITED}
    assert f.retry_after == 120.0
    assert f.status == 429


def test_429_without_retry_after_is_rate_limited_without_a_delay() -> None:
    f = failure(meta("facebook"), 429)
    assert f.hints == {Hint.RATE_LIMITED}
    assert f.retry_after is None


def test_503_with_retry_after_is_a_server_error_whose_delay_paces_the_rechecks() -> None:
    f = failure(meta("whatsapp"), 503, b"<title>Service Unavailable</title>", Retry_After="30")
    assert f.hints == {Hint.SERVER_ERROR}  # every Meta edge answering this is an outage, not "busy"
    assert f.retry_after == 30.0 and f.status == 503


def test_503_with_retry_after_as_http_date_is_a_server_error() -> None:
    f = failure(meta("whatsapp"), 503, Retry_After="Wed, 11 Dec 2024 18:00:00 GMT")
    assert f.hints == {Hint.SERVER_ERROR}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120", 120.0), (" 5 ", 5.0), ("-3", 0.0), ("soon", None), ("", None), ("inf", None), ("nan", None)],
)
def test_retry_after_parsing(value: str, expected: float | None) -> None:
    assert probe_judge.retry_after(headers(Retry_After=value)) == expected


def test_503_with_retry_after_but_an_error_page_is_an_outage_not_rate_limiting() -> None:
    f = failure(meta("facebook"), 503, SORRY_PAGE, Retry_After="30")
    assert Hint.SERVER_ERROR in f.hints and Hint.RATE_LIMITED not in f.hints


def test_a_huge_retry_after_is_capped_at_an_hour() -> None:
    assert probe_judge.retry_after(headers(Retry_After="86400")) == 3600.0


def test_a_custom_target_may_redirect_within_its_own_site() -> None:
    from traywatch.core.catalogue import parse_target

    target = parse_target("https://shop.example.com/", "custom", ("facebook.com",))
    assert judge(target, 301, Location="https://www.example.com/")[0] == 301
    assert Hint.PORTAL in failure(target, 302, Location="http://filter.corp.test/").hints


# -- a redirect host is named as a person writes it ------------------------------------------------
@pytest.mark.parametrize(
    "location",
    [
        "http://%C3%A9vil.example/login",  # percent-encoded by the sender
        "http://\u00e9vil.example/login".encode().decode("latin-1"),  # raw UTF-8, as http.client reads it
    ],
)
def test_a_redirect_to_an_international_host_is_named_readably(location: str) -> None:
    f = failure(meta("instagram"), 302, Location=location)
    assert "redirected to \u00e9vil.example," in f.detail
    assert f.redirect_to == "http://%C3%A9vil.example/login"


def test_a_redirect_host_with_a_direction_override_shows_it_escaped() -> None:
    f = failure(meta("facebook"), 302, Location="http://evil\u202e.example/")
    assert "\u202e" not in f.detail and "redirected to evil%E2%80%AE.example," in f.detail
