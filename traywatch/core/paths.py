"""Where traywatch keeps its config, data and logs: platformdirs, or one folder under TRAYWATCH_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from traywatch.core.errors import ConfigError
from traywatch.core.private_files import private_folder

APP_NAME = "traywatch"
HOME_ENV = "TRAYWATCH_HOME"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "traywatch.log"

    def ensure(self) -> None:
        """Create the folders (not done at import time, only when something needs to write)."""
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            private_folder(folder)


def _check_home(root: Path) -> None:
    """TRAYWATCH_HOME must be a folder, or a place where one can be made: a ConfigError saying
    so (naming the variable) instead of "Not a directory" about some file inside it later."""
    try:
        for place in (root, *root.parents):
            if place.is_dir():
                return
            if place.exists():
                what = "a file" if place.is_file() else "not a folder"
                problem = (
                    f"{root} is {what}" if place == root else f"{root} cannot be made: {place} is {what}"
                )
                raise ConfigError(
                    f"environment variable {HOME_ENV}",
                    f"{problem}. It must name a folder (made when missing) where traywatch keeps its "
                    "config, data and logs; or unset it to use the usual places",
                )
    except OSError:  # cannot look (permissions): what is done there later says what is wrong
        return


def app_paths(environ: dict[str, str] | None = None) -> AppPaths:
    """Resolve the folders now (never as an import side effect, so tests can set the variable).
    ConfigError when TRAYWATCH_HOME names something that cannot be a folder."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV)
    if home:
        root = Path(home).expanduser()
        _check_home(root)
        return AppPaths(root / "config", root / "data", root / "logs")
    return AppPaths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
