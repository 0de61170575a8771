"""The history window: a timeline per service, honest uptime, incidents, exports (Qt views over the
history store, read off the GUI thread through aggregates)."""
