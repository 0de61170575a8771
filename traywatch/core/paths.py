"""Where traywatch keeps its config, data and logs: platformdirs, or one folder under TRAYWATCH_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from traywatch.core.errors import ConfigError, environment_variable
from traywatch.core.private_files import private_folder
from traywatch.i18n import Template

APP_NAME = "traywatch"
HOME_ENV = "TRAYWATCH_HOME"
IS_A_FILE = Template("config.is_a_file", "{path} is a file")
IS_NOT_A_FOLDER = Template("config.is_not_a_folder", "{path} is not a folder")
CANNOT_BE_MADE = Template("config.cannot_be_made", "{path} cannot be made: {blocker}")
MUST_NAME_A_FOLDER = Template(
    "config.must_name_a_folder",
    "{problem}. It must name a folder (made when missing) where traywatch keeps its "
    "config, data and logs; or unset it to use the usual places",
)


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
                what = (IS_A_FILE if place.is_file() else IS_NOT_A_FOLDER)(path=str(place))
                problem = what if place == root else CANNOT_BE_MADE(path=str(root), blocker=what)
                raise ConfigError(environment_variable(HOME_ENV), MUST_NAME_A_FOLDER(problem=problem))
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
