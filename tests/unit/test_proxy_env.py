"""Proxy variables the probes would use are checked once: a broken one is named, not crashed on."""

from __future__ import annotations

import pytest

from traywatch.core.errors import ConfigError
from traywatch.core.net.proxy_env import check_proxy_environment


@pytest.mark.parametrize(
    "value",
    ["http://proxy.example:3128", "http://user:secret@10.0.0.1:8080/", "https://[::1]:3128", "  "],
)
def test_usable_proxies_pass(value: str) -> None:
    check_proxy_environment({"HTTPS_PROXY": value, "http_proxy": value})


@pytest.mark.parametrize(
    "value", ["http://[bad", "http://proxy.example:99999", "http://proxy.example:0", "proxy.example:3128"]
)
def test_a_broken_proxy_is_named(value: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_proxy_environment({"PATH": "/bin", "https_proxy": value})
    assert info.value.where == "environment variable https_proxy"
    assert repr(value) in info.value.problem


def test_variables_the_probes_do_not_read_are_left_alone() -> None:
    check_proxy_environment({"FTP_PROXY": "http://[bad", "NO_PROXY": "[", "ALL_PROXY": "x"})
