"""The settings dialog: every setting an owner needs, checked with reasons, saved to the config file
(keeping its comments) and applied without a restart; plus the place for the Meta account."""
