"""Forwarding confirmed alerts away from the desk (phone, team, mail) through Apprise, never
through a Meta service, with a durable outbox for what cannot be delivered yet.

The interface is small (forwarder.py): `Forwarder.handle(update)` (a Watcher listener) or
`submit(alerts)`, and `pump()`, which the forwarder's own thread runs; `build_forwarder(config,
history_db)` wires one. This package file imports nothing, so that reading the config (which
uses settings.py) loads neither the forwarder nor Apprise.
"""
