"""Reusable test infrastructure for traywatch (never touches the internet).

Modules:
    catalogue   read-only view of traywatch/core/catalogue.toml (hosts, expectations)
    dns_server  LocalDNSServer: scriptable UDP/TCP DNS server (+ CLI for namespaces)
      dns_zone        behaviours per name, wildcard lookup, the zone file (re-exported)
      dns_wire        reading a query, the reply a behaviour gives, TCP framing
    certs       trustme CA + multi-name server certificates (trusted, untrusted, expired...)
    fake_web    the fake web: HTTP/HTTPS/TCP routes and behaviours, its CLI; re-exports its parts:
      web_server      FakeWebServer: the listeners, routing a request, performing a behaviour
      web_routes      Reply, behaviour words, route tables, the routes file, RouteTable
      web_counters    TrafficCounters: connections, requests, bytes, the stats file
      web_tls         ServerTLS: certificates by SNI name, a CA made on the fly
      web_wire        reading a request, rendering a Reply, holding a connection
      web_route_sets  healthy / Meta-error / captive-portal route tables
      web_client      fetch() client helper
    netns       FakeInternet / NoRouteNamespace in network namespaces (root), skip_unless_netns;
                re-exports its parts:
      netns_base     ip commands, owner records, reaping, availability, NoRouteNamespace
      netns_servers  ServerControl: the DNS and web servers inside FakeInternet, their controls

Importing this package imports nothing else, so the CLIs start fast.
"""
