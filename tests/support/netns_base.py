"""Network namespaces owned by this test process (root only): running `ip`, recording which
process owns a namespace, reaping the ones left behind by test processes that died, the check
whether namespaces can be used here (`skip_unless_netns`), the shared `Namespace` base, and
`NoRouteNamespace`, a namespace with nothing but loopback.

Everything is removed on exit (finally + atexit); `reap_stale_namespaces()` (run on every
start) removes namespaces and /etc/netns dirs left behind by test processes that died.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import pytest

log = logging.getLogger(__name__)

NETNS_DIR = Path("/run/netns")
ETC_NETNS = Path("/etc/netns")
OWNER_DIR = Path("/run/traywatch-tests")
NAME_RE = re.compile(r"^tw-[csn]-[0-9a-f]{6}$")


class _Closable(Protocol):
    def close(self) -> None: ...


_LIVE: list[_Closable] = []
_LIVE_LOCK = threading.Lock()


def _close_all_at_exit() -> None:
    with _LIVE_LOCK:
        live = list(reversed(_LIVE))
    for obj in live:
        try:
            obj.close()
        except Exception:
            log.exception("cleanup at exit failed")


atexit.register(_close_all_at_exit)


# --------------------------------------------------------------------------- helpers


def run_command(args: Sequence[str], *, input: str | None = None, check: bool = True) -> str:
    """Run a command here and return its stdout; RuntimeError (with stderr) when it fails."""
    proc = subprocess.run(list(args), input=input, capture_output=True, text=True, timeout=30, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def run_ip(*args: str, input: str | None = None, check: bool = True) -> str:
    """`ip ARGS...` (see run_command)."""
    return run_command(["ip", *args], input=input, check=check)


def _proc_start_ticks(pid: int) -> int | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(text.rpartition(")")[2].split()[19])


def _process_start_wall_time() -> float:
    try:
        btime = next(
            int(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        ticks = _proc_start_ticks(os.getpid())
        if ticks is not None:
            return btime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, ValueError):
        pass
    return _IMPORT_TIME


_IMPORT_TIME = time.time()
_MY_START = _process_start_wall_time()


def claim(name: str) -> None:
    """Record that this process owns namespace `name` (before creating it)."""
    OWNER_DIR.mkdir(parents=True, exist_ok=True)
    (OWNER_DIR / name).write_text(f"{os.getpid()} {_proc_start_ticks(os.getpid())}\n")


def release(name: str) -> None:
    (OWNER_DIR / name).unlink(missing_ok=True)


def _owner_alive(name: str) -> bool | None:
    """True/False when an owner is recorded, None when nothing is recorded."""
    try:
        pid_text, ticks_text = (OWNER_DIR / name).read_text().split()
    except (OSError, ValueError):
        return None
    pid = int(pid_text)
    return _proc_start_ticks(pid) is not None and str(_proc_start_ticks(pid)) == ticks_text


def _is_stale(name: str, created: float) -> bool:
    alive = _owner_alive(name)
    if alive is None:
        return created < _MY_START
    return not alive


def reap_stale_namespaces() -> list[str]:
    """Delete tw-c-/tw-s-/tw-n- namespaces (and their /etc/netns dirs) whose owning test
    process is gone, or which have no owner record and are older than this process.
    Processes still running inside a stale namespace are killed first. Returns the names."""
    reaped: list[str] = []
    candidates: dict[str, float] = {}
    for base in (NETNS_DIR, ETC_NETNS):
        try:
            for entry in base.iterdir():
                if NAME_RE.match(entry.name):
                    created = entry.stat().st_ctime
                    candidates[entry.name] = min(created, candidates.get(entry.name, created))
        except OSError:
            continue
    for name, created in sorted(candidates.items()):
        if not _is_stale(name, created):
            continue
        if (NETNS_DIR / name).exists():
            for pid_text in run_ip("netns", "pids", name, check=False).split():
                with contextlib.suppress(OSError, ValueError):
                    os.kill(int(pid_text), signal.SIGKILL)
            run_ip("netns", "del", name, check=False)
        shutil.rmtree(ETC_NETNS / name, ignore_errors=True)
        shutil.rmtree(Path(tempfile.gettempdir()) / name, ignore_errors=True)  # FakeInternet's
        release(name)
        reaped.append(name)
    with contextlib.suppress(OSError):
        ETC_NETNS.rmdir()  # only when empty
    if reaped:
        log.warning("reaped stale test namespaces: %s", ", ".join(reaped))
    return reaped


_REASON: list[str | None] = []


def netns_unavailable_reason() -> str | None:
    """Why namespace tests cannot run here (None when they can). Cached."""
    if _REASON:
        return _REASON[0]
    reason: str | None = None
    if not sys.platform.startswith("linux"):
        reason = "network namespaces need Linux"
    elif os.geteuid() != 0:
        reason = "network namespace tests need root (ip netns add)"
    else:
        missing = [tool for tool in ("ip", "nft") if shutil.which(tool) is None]
        if missing:
            reason = f"missing tools: {', '.join(missing)} (apt-get install iproute2 nftables)"
    if reason is None:
        name = f"tw-n-{secrets.token_hex(3)}"
        try:
            claim(name)
            run_ip("netns", "add", name)
            try:
                run_ip("netns", "exec", name, "true")
            finally:
                run_ip("netns", "del", name, check=False)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            reason = f"`ip netns` is not usable here: {exc}"
        finally:
            release(name)
    _REASON.append(reason)
    return reason


def netns_available() -> bool:
    return netns_unavailable_reason() is None


def skip_unless_netns() -> None:
    """pytest.skip() with a clear reason unless network namespaces can be used."""
    reason = netns_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)


def _merge_env(env: Mapping[str, str] | None) -> dict[str, str] | None:
    if env is None:
        return None
    merged = dict(os.environ)
    merged.update(env)
    return merged


class Namespace:
    """Shared bits: one namespace owned by this process, commands inside it, cleanup."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._popens: list[subprocess.Popen[Any]] = []
        self._closed = False

    def _exec_args(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *[str(a) for a in args]]

    def run(
        self,
        args: Sequence[str],
        env: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        *,
        input: str | None = None,
        cwd: str | Path | None = None,
        check: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        """Run a command inside the namespace; output captured as text. `env` is merged over
        this process's environment."""
        return subprocess.run(
            self._exec_args(args),
            env=_merge_env(env),
            timeout=timeout,
            input=input,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=check,
        )

    def popen(
        self, args: Sequence[str], env: Mapping[str, str] | None = None, **kwargs: Any
    ) -> subprocess.Popen[Any]:
        """Start a command inside the namespace (subprocess.Popen keyword arguments apply).
        It is killed on close() if still running."""
        proc: subprocess.Popen[Any] = subprocess.Popen(self._exec_args(args), env=_merge_env(env), **kwargs)
        self._popens.append(proc)
        return proc

    def _stop_popens(self) -> None:
        for proc in self._popens:
            stop_process(proc)
        self._popens.clear()

    def _register(self) -> None:
        with _LIVE_LOCK:
            _LIVE.append(self)

    def _unregister(self) -> None:
        with _LIVE_LOCK:
            if self in _LIVE:
                _LIVE.remove(self)

    def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def stop_process(proc: subprocess.Popen[Any], grace: float = 3.0) -> None:
    """Terminate (then kill) a child process and close its pipes."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def delete_namespace(name: str) -> None:
    """Delete a namespace, its /etc/netns dir and its owner record."""
    if (NETNS_DIR / name).exists():
        run_ip("netns", "del", name, check=False)
    shutil.rmtree(ETC_NETNS / name, ignore_errors=True)
    release(name)


# --------------------------------------------------------------------------- no route


class NoRouteNamespace(Namespace):
    """A fresh namespace with only loopback up: the internet is really down in it.

    Connections fail at once (ENETUNREACH); name lookups fail fast because the nameserver
    of the host's resolv.conf is unreachable from inside.
    """

    def __init__(self) -> None:
        super().__init__(f"tw-n-{secrets.token_hex(3)}")

    def start(self) -> NoRouteNamespace:
        reap_stale_namespaces()
        claim(self.name)
        self._register()
        try:
            run_ip("netns", "add", self.name)
            run_ip("-n", self.name, "link", "set", "lo", "up")
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._stop_popens()
        finally:
            delete_namespace(self.name)
            self._unregister()

    def __enter__(self) -> NoRouteNamespace:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
