"""The config file: defaults, warnings for unknown keys, clear errors naming file and key."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import trustme

from traywatch.core.catalogue import DEFAULT_SERVICE_IDS
from traywatch.core.errors import ConfigError
from traywatch.core.settings.config import CheckSettings, Config, load_config, parse_config


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def config_error(tmp_path: Path, text: str) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)  # every message names the file
    return info.value


def test_a_missing_file_the_user_named_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.toml", required=True)
    assert info.value.where == str(tmp_path / "nope.toml")
    assert "no such config file" in info.value.problem


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nope.toml")
    assert config.check == CheckSettings()
    assert config.warnings == ()
    assert config.source == tmp_path / "nope.toml"
    assert tuple(s.id for s in config.catalogue.services) == DEFAULT_SERVICE_IDS
    assert len(config.catalogue.references) >= 3


def test_empty_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.check == CheckSettings()
    assert config.network.nameservers == ()
    assert config.network.ca_file is None
    assert config.history.retention_days == 90


def test_values_are_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "[check]\ninterval = 30\ntimeout = 5\nslow_ms = 2000\nconfirm_delay = 10\nbackoff_cap = 600\n"
            "[history]\nretention_days = 30\n",
        )
    )
    assert config.check == CheckSettings(
        interval_s=30, timeout_s=5, slow_ms=2000, confirm_delay_s=10, backoff_cap_s=600
    )
    assert config.history.retention_days == 30


def test_unknown_keys_are_warnings_not_errors(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write(
        tmp_path, 'colour = "blue"\n[check]\nintervall = 30\n[mystery]\nx = 1\n[ui]\nstart_at_login = true\n'
    )
    with caplog.at_level(logging.WARNING):
        config = load_config(path)
    assert len(config.warnings) == 4
    joined = "\n".join(config.warnings)
    for word in ("'colour'", "'check.intervall'", "'mystery'"):
        assert word in joined
    # accepted silently before, though nothing reads it: the owner learns where the choice lives
    assert "'ui.start_at_login' is no longer read" in joined and "Settings dialog" in joined
    assert all(str(path) in w for w in config.warnings)
    assert "intervall" in caplog.text  # also logged
    assert config.check.interval_s == 60


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[check]\ninterval = "fast"\n', "check.interval"),
        ("[check]\ntimeout = true\n", "check.timeout"),
        ("[check]\ntimeout = 600\n", "check.timeout"),
        ("[check]\nslow_ms = 5\n", "check.slow_ms"),
        ("[check]\nbackoff_cap = -1\n", "check.backoff_cap"),
        ("[check]\nconfirm_delay = [1]\n", "check.confirm_delay"),
        ("[history]\nretention_days = 0\n", "history.retention_days"),
        ("check = 5\n", "check"),
        ('[network]\nnameservers = "1.1.1.1"\n', "network.nameservers"),
        ("[network]\nca_file = 5\n", "network.ca_file"),
        ('[services]\ndisabled = "facebook"\n', "services.disabled"),
        ("[services]\ncustom = 3\n", "services.custom"),
    ],
    ids=lambda v: v if "\n" not in v else None,
)
def test_wrong_type_or_range_is_an_error_naming_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    error = config_error(tmp_path, text)
    assert f"[{key}]" in error.where


def test_interval_below_ten_seconds_in_the_file_points_to_the_flag(tmp_path: Path) -> None:
    error = config_error(tmp_path, "[check]\ninterval = 5\n")
    assert "--interval" in str(error)
    assert "interval" in error.where


@pytest.mark.parametrize("value", ["0.5", "0"])
def test_any_interval_below_ten_points_to_the_flag(tmp_path: Path, value: str) -> None:
    assert "--interval" in str(config_error(tmp_path, f"[check]\ninterval = {value}\n"))


def test_short_interval_is_allowed_from_the_command_line() -> None:
    config = Config().with_interval(2)
    assert config.check.interval_s == 2.0
    assert Config().with_interval(0.2).check.interval_s == 0.2


@pytest.mark.parametrize("seconds", [0, -5, float("nan"), float("inf"), float("-inf"), 1e300])
def test_command_line_interval_must_be_positive(seconds: float) -> None:
    with pytest.raises(ConfigError, match="--interval"):
        Config().with_interval(seconds)


def test_disabled_services_are_removed_and_unknown_ids_warned(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[services]\ndisabled = ["threads", "myspace"]\n'))
    ids = [s.id for s in config.catalogue.services]
    assert "threads" not in ids
    assert len(ids) == len(DEFAULT_SERVICE_IDS) - 1
    assert len(config.warnings) == 1
    assert "'myspace'" in config.warnings[0] and "facebook" in config.warnings[0]


CUSTOM = """
[[services.custom]]
id = "shop"
name = "My Instagram shop"
targets = ["https://www.instagram.com/myshop/", {url = "tcp://g.whatsapp.net:443"}]
"""


def test_custom_service_is_added_with_meta_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, CUSTOM))
    shop = config.catalogue.services[-1]
    assert (shop.id, shop.name) == ("shop", "My Instagram shop")
    assert [t.url for t in shop.targets] == ["https://www.instagram.com/myshop/", "tcp://g.whatsapp.net:443"]
    assert "instagram.com" in shop.targets[0].redirect_domains  # redirects within Meta are fine
    assert len(config.catalogue.services) == len(DEFAULT_SERVICE_IDS) + 1


def test_custom_service_name_defaults_to_its_id(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, '[[services.custom]]\nid = "page"\ntargets = ["https://fb.com/x"]\n')
    )
    assert config.catalogue.services[-1].name == "page"


@pytest.mark.parametrize(
    ("custom", "key"),
    [
        ('id = "shop"\ntargets = ["ftp://example.com/"]', "url"),
        ('id = "shop"\ntargets = ["https://"]', "url"),
        ('id = "shop"\ntargets = ["tcp://g.whatsapp.net"]', "url"),
        ('id = "shop"\ntargets = ["tcp://g.whatsapp.net:99999"]', "1-65535"),
        ('id = "shop"\ntargets = ["tcp://g.whatsapp.net:0"]', "1-65535"),
        ('id = "shop"\ntargets = ["https://fb.com:http/"]', "1-65535"),
        ('id = "shop"\ntargets = ["https://[fb.com/"]', "url"),
        ('id = "shop"\ntargets = []', "targets"),
        ('id = "shop"', "targets"),
        ('id = "my shop!"\ntargets = ["https://fb.com/"]', "id"),
        ('id = "shop"\ntargets = [{url = "https://fb.com/", method = "POST"}]', "method"),
        ('id = "shop"\ntargets = [{url = "https://fb.com/", expect_status = [999]}]', "expect_status"),
        ('id = "shop"\ntargets = [{url = "https://fb.com/", colour = "red"}]', "unknown target keys"),
        ('id = "facebook"\ntargets = ["https://fb.com/"]', "id already used"),
    ],
)
def test_bad_custom_service_is_an_error(tmp_path: Path, custom: str, key: str) -> None:
    error = config_error(tmp_path, f"[[services.custom]]\n{custom}\n")
    assert key in str(error)
    assert "services.custom" in str(error)


def test_two_custom_services_with_the_same_id_are_refused(tmp_path: Path) -> None:
    error = config_error(tmp_path, CUSTOM + CUSTOM)
    assert "shop" in str(error)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("1.2.3.4", ("1.2.3.4", 53)),
        ("1.2.3.4:5353", ("1.2.3.4", 5353)),
        ("[::1]:53", ("::1", 53)),
        ("[2606:4700:4700::1111]:5300", ("2606:4700:4700::1111", 5300)),
        ("[::1]", ("::1", 53)),
        ("::1", ("::1", 53)),
        ("2001:db8::53", ("2001:db8::53", 53)),
    ],
)
def test_nameservers_are_parsed(entry: str, expected: tuple[str, int]) -> None:
    config = parse_config({"network": {"nameservers": [entry]}}, "cfg.toml")
    assert config.network.nameservers == (expected,)


@pytest.mark.parametrize(
    "entry",
    [
        "dns.google",
        "1.2.3",
        "1.2.3.4:",
        "1.2.3.4:dns",
        "1.2.3.4:0",
        "1.2.3.4:70000",
        "[::1]:x",
        "[::1]junk",
        53,
        "",
    ],
)
def test_bad_nameserver_is_an_error(entry: object) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"network": {"nameservers": [entry]}}, "cfg.toml")
    assert info.value.where == "cfg.toml [network.nameservers]"


def test_nameserver_with_non_ascii_digits_is_an_error_not_a_crash() -> None:
    with pytest.raises(ConfigError):
        parse_config({"network": {"nameservers": ["1.2.3.4:\u00b2"]}}, "cfg.toml")


def test_ca_file_must_exist(tmp_path: Path) -> None:
    error = config_error(tmp_path, '[network]\nca_file = "missing.pem"\n')
    assert "ca_file" in error.where
    assert str(tmp_path / "missing.pem") in str(error)


def test_ca_file_without_certificates_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    error = config_error(tmp_path, '[network]\nca_file = "passwd"\n')
    assert "network.ca_file" in error.where
    assert "no certificates" in error.problem and str(tmp_path / "passwd") in error.problem


def test_ca_file_relative_to_the_config_file(tmp_path: Path) -> None:
    trustme.CA().cert_pem.write_to_path(str(tmp_path / "company.pem"))
    config = load_config(write(tmp_path, '[network]\nca_file = "company.pem"\n'))
    assert config.network.ca_file == tmp_path / "company.pem"


def test_invalid_toml_is_an_error_naming_the_file(tmp_path: Path) -> None:
    error = config_error(tmp_path, "[check\ninterval = \n")
    assert "not valid TOML" in str(error)


def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe[check]\n")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(path)


def test_replacement_catalogue_is_loaded_relative_to_the_config(tmp_path: Path) -> None:
    write(
        tmp_path,
        'meta_domains = ["example.com"]\n[[reference]]\nid = "local"\nurl = "http://127.0.0.1:9/"\n'
        '[[service]]\nid = "fake"\nname = "Fake"\ntargets = ["http://127.0.0.1:9/"]\n',
        "catalogue.toml",
    )
    config = load_config(write(tmp_path, '[catalogue]\nfile = "catalogue.toml"\n'))
    assert [s.id for s in config.catalogue.services] == ["fake"]
    assert [r.id for r in config.catalogue.references] == ["local"]


def test_missing_replacement_catalogue_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[catalogue]\nfile = "nowhere.toml"\n')
    with pytest.raises(ConfigError, match="cannot read the catalogue"):
        load_config(path)
