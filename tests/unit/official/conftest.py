"""The history tests' fixtures (a temporary history file, a recording driver), shared here."""

from tests.unit.history.conftest import db_path, driver, recorder

__all__ = ["db_path", "driver", "recorder"]
