"""Canned route tables for the fake web: every catalogue target healthy, Meta answering
500 everywhere (the December 2024 outage pattern), and a captive portal."""

from __future__ import annotations

import json
from dataclasses import replace

from tests.support.catalogue import PORTAL_HOST, Catalogue, CatalogueTarget, load_catalogue
from tests.support.web_routes import Reply, Routes

_JSON = {"Content-Type": "application/json; charset=UTF-8"}
_HTML = {"Content-Type": "text/html; charset=utf-8"}
_TEXT = {"Content-Type": "text/plain"}

GRAPH_ERROR = {
    "error": {
        "message": "An active access token must be used to query information about the current user.",
        "type": "OAuthException",
        "code": 2500,
        "fbtrace_id": "AbC123",
    }
}

#: Realistic answers for the catalogue URLs whose real answers are well known.
_KNOWN: dict[str, Reply] = {
    "http://www.msftconnecttest.com/connecttest.txt": Reply(200, _TEXT, "Microsoft Connect Test"),
    "http://captive.apple.com/hotspot-detect.html": Reply(
        200, _HTML, "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>\n"
    ),
    "https://www.cloudflare.com/cdn-cgi/trace": Reply(
        200,
        _TEXT,
        "fl=1\nh=www.cloudflare.com\nip=100.64.0.1\nts=1735000000.000\nvisit_scheme=https\n"
        "uag=traywatch\ncolo=AMS\nsliver=none\nhttp=http/1.1\nloc=NL\ntls=TLSv1.3\n"
        "sni=plaintext\nwarp=off\ngateway=off\nrbi=off\nkex=X25519\n",
    ),
}

_LOGIN_REDIRECT_HOSTS = {"adsmanager.facebook.com", "business.facebook.com"}


def _front_page(host: str) -> Reply:
    title = host.removeprefix("www.").removeprefix("web.").split(".")[0].capitalize()
    body = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body><div id="root">{title} - log in or sign up</div></body></html>\n'
    )
    return Reply(200, _HTML, body)


def _healthy_reply(target: CatalogueTarget) -> Reply:
    if target.url in _KNOWN:
        return _KNOWN[target.url]
    if target.json_error:
        status = 400 if not target.expect_status or 400 in target.expect_status else (target.expect_status[0])
        return Reply(status, _JSON, json.dumps(GRAPH_ERROR))
    if target.host in _LOGIN_REDIRECT_HOSTS:
        return Reply(302, {"Location": "https://www.facebook.com/login/"}, "")
    status = target.expect_status[0] if target.expect_status else 200
    if status == 204:
        return Reply(204, {}, "")
    if target.body_contains is not None:
        return Reply(status, _TEXT, target.body_contains)
    if target.kind == "service":
        return replace(_front_page(target.host), status=status)
    return Reply(status, _HTML, "<html><body>OK</body></html>\n")


def healthy_meta_routes(catalogue: Catalogue | None = None) -> Routes:
    """Routes under which every catalogue target looks healthy, as the catalogue expects.

    Meta hosts answer every path (their target's answer is also the host default);
    reference hosts answer their own path only. www.facebook.com/login/ answers 200 so a
    followed login redirect lands on a page.
    """
    cat = catalogue or load_catalogue()
    routes: Routes = {}
    for target in cat.targets:
        if target.scheme not in ("http", "https"):
            continue
        reply = _healthy_reply(target)
        table = routes.setdefault(target.host, {})
        table[target.path] = reply
        if cat.is_meta(target.host):
            table.setdefault("*", reply)
    login = routes.setdefault("www.facebook.com", {})
    login.setdefault("/login/", _front_page("www.facebook.com"))
    login.setdefault("*", _front_page("www.facebook.com"))
    return routes


META_ERROR_PAGE = Reply(
    500,
    _HTML,
    '<!DOCTYPE html><html lang="en"><head><title>Error</title></head><body>'
    "<h1>Sorry, something went wrong.</h1><p>We're working on getting this fixed as soon as "
    "we can.</p></body></html>\n",
)


def meta_error_routes(catalogue: Catalogue | None = None) -> Routes:
    """Healthy references, but every Meta host answers 500 "Sorry, something went wrong"
    on every path (the December 2024 outage pattern)."""
    cat = catalogue or load_catalogue()
    routes = healthy_meta_routes(cat)
    for host in list(routes):
        if cat.is_meta(host):
            routes[host] = {"*": META_ERROR_PAGE}
    return routes


PORTAL_PAGE = Reply(
    200,
    _HTML,
    "<html><head><title>Sign in to Wi-Fi</title></head><body><form action=/login>"
    "Accept the terms to get online</form></body></html>\n",
)


def captive_portal_routes(catalogue: Catalogue | None = None) -> Routes:
    """Healthy routes, except that every plain-http request (catalogue hosts and any other
    host) is redirected to http://login.portal.example/ ; https is unchanged."""
    cat = catalogue or load_catalogue()
    routes = healthy_meta_routes(cat)
    redirect = f"redirect:http://{PORTAL_HOST}/"
    for target in cat.targets:
        if target.scheme == "http":
            routes[f"http://{target.host}"] = {"*": redirect}
    routes["http://*"] = {"*": redirect}
    routes[PORTAL_HOST] = {"*": PORTAL_PAGE}
    return routes
