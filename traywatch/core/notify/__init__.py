"""Desktop notifications as policy: which alerts become a notice (kinds, quiet hours, pause)."""
