"""The engine: probes, diagnosis, monitor, history and configuration. Never imports Qt."""
