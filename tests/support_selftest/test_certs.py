"""Self-tests of tests.support.certs: files, names, trust and the untrusted twin."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

from cryptography import x509

from tests.support.catalogue import catalogue_hostnames
from tests.support.certs import default_hostnames, make_cert_suite, make_certs


def _leaf(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificates(path.read_bytes())[0]


def _sans(cert: x509.Certificate) -> set[str]:
    ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(ext.get_values_for_type(x509.DNSName))


def test_make_certs_writes_ca_and_server_pem(tmp_path: Path) -> None:
    bundle = make_certs(tmp_path)
    assert bundle.ca_file == tmp_path / "ca.pem" and bundle.ca_file.is_file()
    assert bundle.server_file == tmp_path / "server.pem"
    text = bundle.server_file.read_text()
    assert "PRIVATE KEY" in text and "BEGIN CERTIFICATE" in text
    assert set(catalogue_hostnames()) <= _sans(_leaf(bundle.server_file))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(bundle.server_file))  # key and chain load together


def test_default_hostnames_cover_catalogue_and_portal() -> None:
    names = default_hostnames()
    assert "www.facebook.com" in names and "login.portal.example" in names
    assert "127.0.0.1" in names


def test_suite_untrusted_expired_wrong_name(tmp_path: Path) -> None:
    suite = make_cert_suite(tmp_path, ["www.facebook.com", "graph.facebook.com"])
    trusted_ca = x509.load_pem_x509_certificate(suite.ca_file.read_bytes())
    untrusted_ca = x509.load_pem_x509_certificate(suite.untrusted.ca_file.read_bytes())
    assert trusted_ca != untrusted_ca
    assert _sans(_leaf(suite.untrusted.server_file)) == _sans(_leaf(suite.trusted.server_file))
    assert _leaf(suite.untrusted.server_file).issuer == untrusted_ca.subject
    assert _leaf(suite.expired.server_file).not_valid_after_utc < dt.datetime.now(dt.UTC)
    assert _leaf(suite.expired.server_file).issuer == trusted_ca.subject
    assert _sans(_leaf(suite.wrong_name.server_file)) == {"wrong-name.example"}
    assert set(suite.server_files()) == {"trusted", "untrusted", "expired", "wrong_name"}
