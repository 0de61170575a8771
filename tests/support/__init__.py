"""Reusable test infrastructure for traywatch (never touches the internet).

Modules:
    catalogue   read-only view of traywatch/core/catalogue.toml (hosts, expectations)
    dns_server  LocalDNSServer: scriptable UDP/TCP DNS server (+ CLI for namespaces)
    certs       trustme CA + multi-name server certificates (trusted, untrusted, expired...)
    fake_web    FakeWebServer: HTTP/HTTPS/TCP routes and behaviours (+ CLI), route sets,
                fetch() client helper
    netns       FakeInternet / NoRouteNamespace in network namespaces (root), skip_unless_netns

Importing this package imports nothing else, so the CLIs start fast.
"""
