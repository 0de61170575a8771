"""A local 'internet' in this process: a DNS server and an HTTP/HTTPS/TCP server on 127.0.0.1,
with a test CA. The default catalogue is rewritten to the servers' ports, keeping the real host
names, so lookups go through our DNS server and TLS verifies those names against our CA."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.catalogue import catalogue_hostnames
from tests.support.certs import CertSuite, make_cert_suite
from tests.support.dns_server import LocalDNSServer
from tests.support.fake_web import FakeWebServer, healthy_meta_routes
from traywatch.core.settings.config import Config, parse_config

CATALOGUE = Path(__file__).resolve().parents[2] / "traywatch" / "core" / "catalogue.toml"


@dataclass
class LocalInternet:
    dns: LocalDNSServer
    web: FakeWebServer
    certs: CertSuite
    workdir: Path

    def catalogue_text(self, rewrite: Callable[[str], str] = lambda text: text) -> str:
        """The default catalogue with every URL pointed at our servers' ports."""
        text = CATALOGUE.read_text("utf-8")
        text = re.sub(r'"https://([^/"]+)/', lambda m: f'"https://{m[1]}:{self.web.https_port}/', text)
        text = re.sub(r'"http://([^/"]+)/', lambda m: f'"http://{m[1]}:{self.web.http_port}/', text)
        text = re.sub(r'"tcp://([^:"]+):\d+"', lambda m: f'"tcp://{m[1]}:{self.web.tcp_port}"', text)
        return rewrite(text)

    def config(self, timeout: float = 3.0, rewrite: Callable[[str], str] = lambda t: t) -> Config:
        path = self.workdir / "catalogue.toml"
        path.write_text(self.catalogue_text(rewrite), "utf-8")
        return parse_config(
            {
                "check": {"timeout": timeout},
                "catalogue": {"file": str(path)},
                "network": {
                    "nameservers": [self.dns.nameserver],
                    "ca_file": str(self.certs.ca_file),
                    "allow_local_addresses": True,
                },
                # no Meta Status in this local internet (tests/integration/official brings its own)
                "official": {"enabled": False},
            },
            "test config",
        )


@pytest.fixture(scope="module")
def local_internet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalInternet]:
    workdir = tmp_path_factory.mktemp("local-internet")
    certs = make_cert_suite(workdir)
    records: dict[str, list[str]] = {name: ["127.0.0.1"] for name in catalogue_hostnames()}
    with (
        LocalDNSServer(records) as dns,
        FakeWebServer(
            healthy_meta_routes(),
            certfile=certs.trusted.server_file,
            ca_file=certs.ca_file,
            extra_certs={k: v for k, v in certs.server_files().items() if k != "trusted"},
        ) as web,
    ):
        yield LocalInternet(dns, web, certs, workdir)


@pytest.fixture
def net(local_internet: LocalInternet) -> Iterator[LocalInternet]:
    """The module's local internet, reset to healthy after each test."""
    yield local_internet
    local_internet.web.set_routes(healthy_meta_routes())
    local_internet.web.clear_certs()
    local_internet.web.set_tcp_behaviour(None, "accept")
    local_internet.dns.load({name: ["127.0.0.1"] for name in catalogue_hostnames()}, replace=True)
