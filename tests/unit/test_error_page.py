"""Recognising Meta's error page in a capped body (error_page.error_phrase) and the judge's
verdict on it: any status, the page's own words kept in a field, no alarm from healthy pages."""

from __future__ import annotations

import http.client

import pytest

from tests.support.meta_pages import edge_error_page, healthy_front_page
from tests.unit.factories import catalogue
from traywatch.core.catalogue import TargetSpec
from traywatch.core.models import Hint, Layer
from traywatch.core.net import judge as probe_judge
from traywatch.core.net.error_page import ErrorSigns, error_phrase
from traywatch.core.net.judge import ProbeFailure

FACEBOOK = next(s.targets[0] for s in catalogue().services if s.id == "facebook")
GRAPH = next(s.targets[0] for s in catalogue().services if s.id == "graph_api")
SIGNS = FACEBOOK.error_signs
HTML = "text/html; charset=utf-8"


def phrase(page: str | bytes, content_type: str = HTML) -> str | None:
    body = page.encode() if isinstance(page, str) else page
    return error_phrase(body, SIGNS, content_type)


def judged(target: TargetSpec, status: int, page: str, content_type: str = HTML) -> ProbeFailure | None:
    headers = http.client.HTTPMessage()
    headers["Content-Type"] = content_type
    try:
        probe_judge.judge(target, status, headers, page.encode(), 50.0)
    except ProbeFailure as failure:
        return failure
    return None


def test_the_catalogue_gives_meta_targets_the_error_signs_and_references_none() -> None:
    assert "Sorry, something went wrong" in SIGNS.phrases
    assert SIGNS.titles == ("Error",) and SIGNS.markers == ("h1#sorry",)
    assert not any(r.target.error_signs for r in catalogue().references)


# -- the error page, wherever its words are ----------------------------------------------------------
def test_meta_edge_error_page_is_recognised_by_its_heading() -> None:
    assert phrase(edge_error_page()) == "Sorry, something went wrong"


def test_error_words_in_the_title_only() -> None:
    assert phrase(edge_error_page(where="title")) == "Sorry, something went wrong"


def test_error_words_in_a_plain_div() -> None:
    page = edge_error_page(title="Facebook", heading="This page isn\u2019t available right now", where="div")
    assert phrase(page) == "This page isn't available right now"  # typographic apostrophe too


def test_the_error_page_in_another_language_is_known_by_its_marker() -> None:
    page = edge_error_page(title="Facebook", heading="Désolé, une erreur s&#039;est produite.", lang="fr")
    assert phrase(page) == "Désolé, une erreur s'est produite."


@pytest.mark.parametrize("title", ["Error", "Facebook | Error", "Instagram \u2022 Error", "ERROR!"])
def test_an_error_looking_title_on_a_front_page(title: str) -> None:
    page = f"<html><head><title>{title}</title></head><body><div>Please try later</div></body></html>"
    assert phrase(page) == title


@pytest.mark.parametrize(
    "title", ["Facebook - log in or sign up", "Instagram", "Error handling in WhatsApp Business", ""]
)
def test_normal_titles_are_not_errors(title: str) -> None:
    assert phrase(f"<title>{title}</title><div>Log in</div>") is None


# -- healthy pages that carry the words where nobody sees them -------------------------------------
def test_healthy_page_with_the_words_in_scripts_json_templates_and_hidden_translations() -> None:
    assert phrase(healthy_front_page()) is None


def test_healthy_page_bigger_than_the_cap_cut_mid_script_is_still_healthy() -> None:
    body = healthy_front_page(pad_to=40_000).encode()[: 16 * 1024]
    assert phrase(body) is None


def test_an_icon_s_svg_title_is_not_the_page_title() -> None:
    page = (
        '<html><body><svg role="img"><title>Error</title><path d="M0"/></svg><div>Log in</div></body></html>'
    )
    assert phrase(page) is None
    assert phrase("<title>Instagram</title><svg><title>Error</title></svg>") is None


def test_json_answers_are_data_not_pages() -> None:
    body = '{"error":{"message":"Sorry, something went wrong","fbtrace_id":"x"}}'
    assert phrase(body, "application/json") is None
    assert phrase(body, "") is None  # sniffed


def test_plain_text_answer_is_read_as_seen() -> None:
    assert phrase("Sorry, something went wrong.", "text/plain") == "Sorry, something went wrong"


def test_no_signs_no_error() -> None:
    assert error_phrase(edge_error_page().encode(), ErrorSigns()) is None


def test_a_long_marker_text_is_shortened_for_quoting() -> None:
    quoted = phrase(edge_error_page(title="Facebook", heading="Hinweis " * 40))
    assert quoted is not None and len(quoted) <= 80 and quoted.endswith("…")


# -- the judge: 200 and 500 alike, the phrase in its own field -------------------------------------
@pytest.mark.parametrize("where", ["title", "h1", "div"])
@pytest.mark.parametrize("status", [200, 500])
def test_error_page_is_a_failure_with_the_phrase_quoted(where: str, status: int) -> None:
    failure = judged(FACEBOOK, status, edge_error_page(title="Facebook", where=where))
    assert failure is not None
    assert failure.phrase == "Sorry, something went wrong"
    assert f'("{failure.phrase}")' in failure.detail
    assert Hint.ERROR_PAGE in failure.hints
    if status == 200:
        assert failure.layer is Layer.CONTENT and failure.hints == {Hint.ERROR_PAGE}
    else:
        assert failure.layer is Layer.HTTP and Hint.SERVER_ERROR in failure.hints


def test_facebook_error_title_served_with_200_fails_at_the_content_layer() -> None:
    page = "<html><head><title>Facebook | Error</title></head><body><p>Try again</p></body></html>"
    failure = judged(FACEBOOK, 200, page)
    assert failure is not None and failure.layer is Layer.CONTENT
    assert failure.phrase == "Facebook | Error"


@pytest.mark.parametrize("status", [200, 500])
def test_healthy_front_page_with_the_phrase_in_scripts(status: int) -> None:
    failure = judged(FACEBOOK, status, healthy_front_page())
    if status == 200:
        assert failure is None
    else:  # still a server error, but no words are put in Meta's mouth
        assert failure is not None and failure.hints == {Hint.SERVER_ERROR} and failure.phrase is None


def test_graph_api_json_error_mentioning_the_phrase_is_still_the_usual_answer() -> None:
    body = (
        '{"error":{"message":"Sorry, something went wrong","type":"OAuthException",'
        '"code":2500,"fbtrace_id":"AbC"}}'
    )
    assert judged(GRAPH, 400, body, "application/json; charset=UTF-8") is None


def test_graph_api_answering_the_edge_error_page_with_400_is_an_error_page() -> None:
    failure = judged(GRAPH, 400, edge_error_page())
    assert failure is not None and failure.hints == {Hint.ERROR_PAGE}


# -- the catalogue's data ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "target", "words"),
    [
        ('error_markers = ["sorry"]', '"https://www.facebook.com/"', "tag#id"),
        ("", '{ url = "https://www.facebook.com/", fallback_port = 443 }', "tcp://host:port targets only"),
        ("", '{ url = "tcp://g.whatsapp.net:5222", fallback_port = 0 }', "port number"),
    ],
)
def test_catalogue_mistakes_in_error_signs_and_fallback_ports_are_named(
    extra: str, target: str, words: str
) -> None:
    import tomllib

    from traywatch.core.catalogue import parse_catalogue
    from traywatch.core.errors import ConfigError

    text = f'{extra}\n[[service]]\nid = "x"\ntargets = [{target}]\n'
    with pytest.raises(ConfigError, match=words):
        parse_catalogue(tomllib.loads(text), "test catalogue")


def test_whatsapp_chat_port_falls_back_to_443_in_the_catalogue() -> None:
    whatsapp = next(s for s in catalogue().services if s.id == "whatsapp")
    assert [t.fallback_port for t in whatsapp.targets] == [None, 443]


# -- the phrase must be the page's message, not words in help text or hidden by a class ------------
@pytest.mark.parametrize(
    "text",
    [
        "Something went wrong? Contact help",
        "Something went wrong? <a href='/help/'>Contact help</a>",
        "If something went wrong with your upload, try again later.",
        "Learn what to do when something went wrong with your login",
    ],
)
def test_help_text_mentioning_the_words_on_a_healthy_page_is_not_an_error_page(text: str) -> None:
    page = (
        "<html><head><title>Instagram</title></head><body><div id='root'><h2>Sign up</h2>"
        f"<button>Log in</button></div><footer><p>{text}</p><a href='/about/'>About</a></footer>"
        "</body></html>"
    )
    assert phrase(page) is None


@pytest.mark.parametrize(
    "message",
    [
        "Something went wrong.",
        "Something went wrong",
        "Oops! Something went wrong. We're working on getting this fixed as soon as we can.",
        "Sorry, <b>something</b> went wrong.",
        "This page isn't available right now. The link may be broken.",
    ],
)
def test_the_phrase_said_as_the_message_is_an_error_page(message: str) -> None:
    page = f"<html><head><title>Instagram</title></head><body><div><p>{message}</p></div></body></html>"
    assert phrase(page) is not None


@pytest.mark.parametrize("classes", ["hidden_elem", "i18n hidden_elem", "HIDDEN", "d-none strings"])
def test_words_in_an_element_hidden_by_its_class_are_not_seen(classes: str) -> None:
    page = (
        f'<html><head><title>Instagram</title></head><body><div class="{classes}">'
        "<h2>Sorry, something went wrong.</h2></div><div><h2>Log in</h2></div></body></html>"
    )
    assert phrase(page) is None
    shown = page.replace(f'class="{classes}"', 'class="hidden_elements_list"')
    assert phrase(shown) == "Sorry, something went wrong"
