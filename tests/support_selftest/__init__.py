"""Self-tests of tests/support."""
