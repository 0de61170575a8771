"""Reading Meta Status's JSON defensively: `/data/orgs.json` and `/data/outages/{org}.json`.

Nothing about the shape is trusted. A document of the wrong type is a FeedError with a plain
reason, a `Message` ("orgs.json is not a list of organisations (JSON type: object)"); single
unreadable entries are skipped or shown as `unknown`; texts are cleaned of control characters and
shortened; sizes are bounded.
"""

from __future__ import annotations

import email.utils
import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from traywatch.core.metastatus.status import ORG_NAMES, Component, OfficialState, OrgStatus, map_status, worst
from traywatch.core.safe_text import clean
from traywatch.i18n import Message, Template

MAX_ORGS = 300
MAX_COMPONENTS = 100
MAX_OUTAGES = 50
MAX_DETAIL = 400
_EARLIEST = datetime(2015, 1, 1, tzinfo=UTC)
_LATEST = datetime(2100, 1, 1, tzinfo=UTC)


NOT_UTF8 = Template("feed.not_utf8", "{what} is not UTF-8")
NOT_JSON = Template("feed.not_json", "{what} is not valid JSON")
ORGS_NOT_LIST = Template("feed.orgs_not_list", "orgs.json is not a list of organisations (JSON type: {kind})")
NO_READABLE_ORG = Template(
    "feed.no_readable_org",
    "orgs.json lists no readable organisation ({count} entry)",
    "orgs.json lists no readable organisation ({count} entries)",
    count="count",
)
OUTAGES_NOT_LIST = Template(
    "feed.outages_not_list", "outages/{org}.json is not a list of outages (JSON type: {kind})"
)
# What an organisation or one of its services shows when Meta's entry cannot be read ({kind}: one
# of the KINDS below, "a list").
SERVICE_NUMBER = Template("feed.service_number", "service {number}")
SERVICE_ID = Template("feed.service_id", "service {id}")
ENTRY_UNREADABLE = Template("feed.entry_unreadable", "unreadable ({kind})")
STATUS_UNREADABLE = Template("feed.status_unreadable", "status unreadable ({kind})")
SERVICES_UNREADABLE = Template("feed.services_unreadable", "services unreadable ({kind})")
NO_SERVICES = Template("feed.no_services", "no services listed")
OUTAGE_STATUS_UNREADABLE = Template("feed.outage_status_unreadable", "status unreadable")
KINDS = {
    "object": Template("feed.kind.object", "an object"),
    "array": Template("feed.kind.array", "a list"),
    "string": Template("feed.kind.string", "a string"),
    "boolean": Template("feed.kind.boolean", "true/false"),
    "number": Template("feed.kind.number", "a number"),
    "null": Template("feed.kind.null", "empty"),
}


class FeedError(Exception):
    """The document cannot be used at all; `detail` says why in a few words."""

    def __init__(self, detail: Message) -> None:
        super().__init__(detail)
        self.detail = detail


def json_type(value: object) -> str:
    """JSON's own name of a value's type ('object', 'array'), said as it is in every language."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null" if value is None else type(value).__name__


def kind(value: object) -> Message | str:
    """'an object', 'a list', 'a string'... for messages about wrong types."""
    said = KINDS.get(json_type(value))
    return said() if said is not None else type(value).__name__


def decode(body: bytes, what: str) -> object:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        said = NOT_UTF8 if isinstance(exc, UnicodeDecodeError) else NOT_JSON
        raise FeedError(said(what=what)) from None


def parse_time(value: object) -> datetime | None:
    """Epoch seconds or milliseconds, ISO 8601 or an HTTP date; None when unreadable/implausible."""
    moment: datetime | None = None
    if isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*", value):
        value = float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value) / (1000.0 if value > 1e11 else 1.0)
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                moment = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    if moment is None or not _EARLIEST <= moment < _LATEST:
        return None
    return moment.astimezone(UTC)


def _component(item: object, index: int) -> Component:
    if not isinstance(item, dict):
        unreadable = ENTRY_UNREADABLE(kind=kind(item))
        return Component(SERVICE_NUMBER(number=index + 1), OfficialState.UNKNOWN, unreadable)
    name = clean(item.get("name")) or SERVICE_ID(id=clean(str(item.get("id", index + 1))))
    status = item.get("status")
    if not isinstance(status, str) or not clean(status):
        return Component(name, OfficialState.UNKNOWN, STATUS_UNREADABLE(kind=kind(status)))
    text = clean(status)
    return Component(name, map_status(text), text, parse_time(item.get("time")))


def _org(item: object) -> OrgStatus | None:
    if not isinstance(item, dict):
        return None
    raw_id = item.get("id")
    org_id = clean(raw_id) if isinstance(raw_id, str) else (str(raw_id) if isinstance(raw_id, int) else "")
    if not org_id:
        return None
    name = clean(item.get("name")) or ORG_NAMES.get(org_id, org_id)
    services = item.get("services")
    if not isinstance(services, list):
        return OrgStatus(org_id, name, OfficialState.UNKNOWN, SERVICES_UNREADABLE(kind=kind(services)))
    if not services:
        return OrgStatus(org_id, name, OfficialState.UNKNOWN, NO_SERVICES())
    components = tuple(_component(s, i) for i, s in enumerate(services[:MAX_COMPONENTS]))
    state = worst(c.state for c in components)
    first = next(c for c in components if c.state is state)
    return OrgStatus(org_id, name, state, first.text, first.since, components)


def parse_orgs(data: object) -> tuple[OrgStatus, ...]:
    """orgs.json: a list of organisations, each with its services and their status strings."""
    if not isinstance(data, list):
        raise FeedError(ORGS_NOT_LIST(kind=json_type(data)))
    orgs: dict[str, OrgStatus] = {}
    for item in data[:MAX_ORGS]:
        org = _org(item)
        if org is not None:
            orgs.setdefault(org.id, org)
    if not orgs:
        raise FeedError(NO_READABLE_ORG(count=len(data)))
    return tuple(orgs.values())


@dataclass(frozen=True)
class Outage:
    """One open outage of an organisation, from /data/outages/{org}.json."""

    state: OfficialState
    text: str
    since: datetime | None
    first_post_at: datetime | None
    latest: str  # the newest post's description


def parse_outages(data: object, org_id: str) -> tuple[Outage, ...]:
    """Open outages (resolved ones are left out)."""
    if not isinstance(data, list):
        raise FeedError(OUTAGES_NOT_LIST(org=org_id, kind=json_type(data)))
    found = []
    for item in data[:MAX_OUTAGES]:
        if not isinstance(item, dict):
            continue
        text = clean(item.get("status")) if isinstance(item.get("status"), str) else ""
        state = map_status(text) if text else OfficialState.UNKNOWN
        if state is OfficialState.OK:
            continue
        posts = (
            [p for p in item.get("posts", []) if isinstance(p, dict)]
            if isinstance(item.get("posts"), list)
            else []
        )
        timed = [
            (parse_time(p.get("time")), clean(p.get("description"), MAX_DETAIL)) for p in posts[:MAX_OUTAGES]
        ]
        times = [t for t, _ in timed if t is not None]
        newest = max(timed, key=lambda p: p[0] or _EARLIEST, default=(None, ""))
        found.append(
            Outage(
                state,
                text or OUTAGE_STATUS_UNREADABLE(),
                parse_time(item.get("time")),
                min(times, default=None),
                newest[1],
            )
        )
    return tuple(found)


def with_outages(org: OrgStatus, outages: tuple[Outage, ...]) -> OrgStatus:
    """The organisation with what its open outages add: since when, Meta's first post, its words."""
    if not outages:
        return org
    state = worst([org.state, *(o.state for o in outages)])
    text = org.text if org.state is state else next(o.text for o in outages if o.state is state)
    starts = [o.since for o in outages if o.since is not None]
    posts = [o.first_post_at for o in outages if o.first_post_at is not None]
    latest = next((o.latest for o in outages if o.latest), "")
    since = min(starts) if starts else org.since
    return replace(
        org, state=state, text=text, since=since, detail=latest, posted_at=min(posts, default=None)
    )
