"""Meta Status read as public evidence shows it (docs/evidence.md): the status words working
consumers match, organisations with small integer service ids, and the Marketing API organisation,
which Meta lists as affected when Ads Manager tools break (5 March 2024), counting for Ads Manager.

No stored capture of metastatus.com's JSON was found; these documents take the shape that working
consumers read (fields id, name, services[] of id/name/status/time, rss_file_paths)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from traywatch.core.metastatus.feed import parse_orgs
from traywatch.core.metastatus.poller import summarise
from traywatch.core.metastatus.status import ORG_NAMES, WATCHED_ORGS, OfficialState, covers, map_status

CHECKED = datetime(2024, 3, 5, 15, 30, tzinfo=UTC)


def org(org_id: str, name: str, status: str = "No known issues") -> dict[str, object]:
    return {
        "id": org_id,
        "name": name,
        "services": [{"id": 1, "name": name, "status": status, "time": 1709651820}],
        "rss_file_paths": [f"outage-events-feed-{org_id}.rss"],
    }


def healthy_orgs() -> list[dict[str, object]]:
    return [
        org("ads-manager", "Ads Manager"),
        org("marketing-api", "Marketing API"),
        org("fbs", "Meta Business Suite"),
        org("graph-api", "Graph API"),
        org("facebook-login", "Facebook Login"),
        org("whatsapp-business-api", "WhatsApp Business Platform"),
    ]


@pytest.mark.parametrize(
    ("text", "state"),
    [
        # Words public consumers match beyond test_feed.py's table ("No known issues", "Resolved",
        # "Low/Medium disruptions", ...): RSS titles read "[High disruptions]: Ads Delivery".
        ("High disruptions", OfficialState.MAJOR),
        ("Some disruption", OfficialState.MINOR),
        ("Partial disruptions", OfficialState.MINOR),
        ("Minor disruptions", OfficialState.MINOR),
    ],
)
def test_status_words_seen_in_public_consumers(text: str, state: OfficialState) -> None:
    assert map_status(text) is state


def test_marketing_api_organisation_counts_for_ads_manager() -> None:
    assert "ads_manager" in covers("marketing-api")
    assert "marketing-api" in WATCHED_ORGS
    assert ORG_NAMES["marketing-api"] == "Marketing API"


def test_a_marketing_api_disruption_alone_is_metas_word_on_ads_manager() -> None:
    orgs = healthy_orgs()
    orgs[1] = org("marketing-api", "Marketing API", "High disruptions")
    official = summarise(parse_orgs(orgs), CHECKED)
    assert official.service_state("ads_manager") is OfficialState.MAJOR
    assert [o.id for o in official.troubled(["ads_manager"])] == ["marketing-api"]
    assert official.state is OfficialState.MAJOR
    assert "marketing-api" in [o["id"] for o in official.to_json()["orgs"]]


def test_march_2024_as_meta_status_listed_it() -> None:
    """Reported as affected on Meta Status, 5 March 2024: Ads Manager, Shops, Business Suite,
    Admin Center, Facebook Login, Graph API, WhatsApp Business API and Marketing API."""
    affected = {"ads-manager", "marketing-api", "fbs", "graph-api", "facebook-login", "whatsapp-business-api"}
    orgs = [
        org(str(o["id"]), str(o["name"]), "High disruptions" if o["id"] in affected else "No known issues")
        for o in healthy_orgs()
    ]
    official = summarise(parse_orgs(orgs), CHECKED)
    assert official.service_state("ads_manager") is OfficialState.MAJOR
    assert official.service_state("graph_api") is OfficialState.MAJOR
    # The consumer apps are not on Meta Status at all, then as now.
    assert official.service_state("facebook") is None
    assert official.service_state("instagram") is None


def test_an_unnamed_whatsapp_organisation_takes_the_name_meta_gives_it() -> None:
    """Meta's RSS feed for this organisation is titled "WhatsApp Business Platform Status"."""
    unnamed = {
        "id": "whatsapp-business-api",
        "services": [{"id": 1, "name": "Cloud API", "status": "Resolved"}],
    }
    (parsed,) = parse_orgs([unnamed])
    assert parsed.name == "WhatsApp Business Platform"
    assert parsed.state is OfficialState.OK
