"""Unit tests of the core (no network, no Qt)."""
