"""The [official] and [account] config sections: defaults, limits, and plain errors."""

from __future__ import annotations

import pytest

from traywatch.core.errors import ConfigError
from traywatch.core.settings.config import AccountSettings, OfficialSettings, parse_config


def test_defaults_poll_meta_status_every_five_minutes_and_allow_a_token() -> None:
    config = parse_config({}, "config.toml")
    assert config.official == OfficialSettings(True, 300.0, "https://metastatus.com")
    assert config.account == AccountSettings(True, "https://graph.facebook.com", "v21.0")
    assert config.warnings == ()


def test_every_key_can_be_set() -> None:
    config = parse_config(
        {
            "official": {"enabled": False, "interval": 120, "base_url": "http://127.0.0.1:8080/"},
            "account": {
                "enabled": False,
                "graph_base_url": "https://graph.test:8443",
                "api_version": "v19.0",
            },
        },
        "config.toml",
    )
    assert config.official == OfficialSettings(False, 120.0, "http://127.0.0.1:8080")
    assert config.account == AccountSettings(False, "https://graph.test:8443", "v19.0")
    assert config.warnings == ()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"official": {"interval": 30}}, "between 60 and 86400"),
        ({"official": {"enabled": "yes"}}, "must be true or false"),
        ({"official": {"base_url": "metastatus.com"}}, "http:// or https:// address"),
        ({"official": {"base_url": "https://x.test/?q=1"}}, r"without \?query"),
        ({"account": {"graph_base_url": "http://graph.facebook.com"}}, "must be an https:// address"),
        ({"account": {"graph_base_url": 7}}, "must be a URL string"),
        ({"account": {"api_version": "21"}}, 'must look like "v21.0"'),
        ({"official": "on"}, "must be a table"),
    ],
)
def test_mistakes_are_config_errors_naming_the_key(data: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        parse_config(data, "config.toml")


def test_an_unknown_key_is_a_warning() -> None:
    assert parse_config({"account": {"token": "x"}}, "c.toml").warnings == (
        "c.toml: unknown key 'account.token' (ignored)",
    )
