"""Talking to the network: name lookups, TCP/TLS/HTTP probes, how an answer is judged, proxies, the pool."""
