"""The settings file: the table of settings, parsing, writing, live reload and the form's limits."""
